import { Badge, Card, Group, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { memo } from 'react';
import { riskLevelNames, type RiskLevelName, type SnapshotSummary as Snapshot } from '../../../src-shared/contract/grants';
import { RelativeTime } from '../components/RelativeTime';
import { formatInstant } from '../format/time';
import { CardHeading } from './CardHeading';
import { formatCount } from './grant-format';
import { riskLooks } from './RiskBadge';
import { SummaryFigure } from './SummaryFigure';

/** The last scan at a glance: when, how much, how risky; a risk level filters the table. */
export const SnapshotSummary = memo(function SnapshotSummary({ snapshot, onRiskClick }: { snapshot: Snapshot; onRiskClick: (level: RiskLevelName) => void }) {
  return (
    <Card withBorder padding="lg" h="100%" data-testid="snapshot-summary">
      <Stack gap="md">
        <CardHeading
          title="Last scan"
          description={
            <>
              {formatInstant(snapshot.takenAt)} (<RelativeTime iso={snapshot.takenAt} />)
            </>
          }
        >
          {snapshot.partial && (
            <Badge color="orange" variant="light" tt="none">
              Partial: the numbers are a floor
            </Badge>
          )}
        </CardHeading>
        <SimpleGrid cols={3} spacing="md">
          <SummaryFigure label="third-party apps" value={snapshot.apps} />
          <SummaryFigure label="grants" value={snapshot.grants} />
          <SummaryFigure label="users with grants" value={snapshot.users} />
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
