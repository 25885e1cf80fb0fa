import { Badge, Card, Group, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { memo } from 'react';
import { riskLevelNames, type RiskLevelName, type SnapshotSummary as Snapshot } from '../../../src-preload/contract';
import { RelativeTime } from '../components/RelativeTime';
import { formatInstant } from '../format/time';
import { formatCount } from './grant-format';
import { riskLooks } from './RiskBadge';

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <Text size="xl" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatCount(value)}
      </Text>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </div>
  );
}

/** The last scan at a glance: when, how much, how risky; a risk level filters the table. */
export const SnapshotSummary = memo(function SnapshotSummary({ snapshot, onRiskClick }: { snapshot: Snapshot; onRiskClick: (level: RiskLevelName) => void }) {
  return (
    <Card withBorder padding="lg" h="100%" data-testid="snapshot-summary">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4">
              Last scan
            </Title>
            <Text size="sm" c="dimmed">
              {formatInstant(snapshot.takenAt)} (<RelativeTime iso={snapshot.takenAt} />)
            </Text>
          </div>
          {snapshot.partial && (
            <Badge color="orange" variant="light" tt="none">
              Partial: the numbers are a floor
            </Badge>
          )}
        </Group>
        <SimpleGrid cols={3} spacing="md">
          <Figure label="third-party apps" value={snapshot.apps} />
          <Figure label="grants" value={snapshot.grants} />
          <Figure label="users with grants" value={snapshot.users} />
        </SimpleGrid>
        <div>
          <Text size="sm" fw={500} mb={6}>
            Apps by risk
          </Text>
          <Group gap="xs">
            {riskLevelNames.map((level) => {
              const look = riskLooks[level];
              return (
                <UnstyledButton key={level} onClick={() => onRiskClick(level)} aria-label={`Show ${look.label.toLowerCase()} risk apps: ${formatCount(snapshot.appsByRisk[level])}`}>
                  <Badge color={look.color} variant={look.variant} autoContrast size="lg" tt="none" leftSection={<look.icon size={14} aria-hidden />} style={{ cursor: 'pointer' }}>
                    {look.label}: {formatCount(snapshot.appsByRisk[level])}
                  </Badge>
                </UnstyledButton>
              );
            })}
          </Group>
        </div>
      </Stack>
    </Card>
  );
});
