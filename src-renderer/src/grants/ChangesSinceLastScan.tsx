import { Anchor, Button, Card, Group, List, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { memo } from 'react';
import type { GrantChanges, GrantChangeList } from '../../../src-preload/contract';
import { useGrantChanges } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { formatInstant } from '../format/time';
import { formatCount, grantHolder } from './grant-format';
import { RiskBadge } from './RiskBadge';

function Figure({ label, value, color }: { label: string; value: number; color: string }) {
  return (
    <div>
      <Text size="xl" fw={700} c={value > 0 ? color : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatCount(value)}
      </Text>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </div>
  );
}

function More({ shown, total }: { shown: number; total: number }) {
  return total > shown ? (
    <Text size="xs" c="dimmed">
      and {formatCount(total - shown)} more
    </Text>
  ) : null;
}

/** Each list shows its first few; "Show only what is new" filters the table to them all. */
const listed = 3;

function ChangeLists({ list, changes, onOpenApp }: { list: GrantChangeList; changes: GrantChanges; onOpenApp: (appKey: string) => void }) {
  const newApps = list.newApps.slice(0, listed);
  const newRiskyGrants = list.newRiskyGrants.slice(0, listed);
  const goneGrants = list.goneGrants.slice(0, listed);
  return (
    <Stack gap="md">
      <Stack gap={4} data-testid="changes-new-apps">
        <Text size="sm" fw={600}>
          New apps
        </Text>
        <List size="sm" spacing={4} listStyleType="none">
          {newApps.map((app) => (
            <List.Item key={app.key}>
              <Group gap={6} wrap="nowrap">
                <RiskBadge level={app.risk} size="xs" />
                <Anchor component="button" type="button" size="sm" onClick={() => onOpenApp(app.key)} truncate style={{ minWidth: 0 }}>
                  {app.name}
                </Anchor>
              </Group>
            </List.Item>
          ))}
        </List>
        <More shown={newApps.length} total={changes.newApps} />
      </Stack>
      <Stack gap={4} data-testid="changes-new-risky-grants">
        <Text size="sm" fw={600}>
          New risky grants
        </Text>
        <List size="sm" spacing={4} listStyleType="none">
          {newRiskyGrants.map((grant) => (
            <List.Item key={grant.key}>
              <Group gap={6} wrap="nowrap">
                <RiskBadge level={grant.risk} size="xs" />
                <Anchor component="button" type="button" size="sm" onClick={() => onOpenApp(grant.appKey)} truncate style={{ minWidth: 0, flexShrink: 0, maxWidth: '50%' }}>
                  {grant.appName}
                </Anchor>
                <Text size="sm" c="dimmed" truncate style={{ minWidth: 0 }}>
                  {grantHolder(grant.user)}
                </Text>
              </Group>
            </List.Item>
          ))}
        </List>
        <More shown={newRiskyGrants.length} total={changes.newRiskyGrants} />
      </Stack>
      <Stack gap={4} data-testid="changes-gone-grants">
        <Text size="sm" fw={600}>
          Grants gone
        </Text>
        <List size="sm" spacing={4} listStyleType="none">
          {goneGrants.map((grant) => (
            <List.Item key={grant.key}>
              <Group gap={6} wrap="nowrap">
                <RiskBadge level={grant.risk} size="xs" />
                <Text size="sm" truncate style={{ flexShrink: 0, maxWidth: '50%' }}>
                  {grant.appName}
                </Text>
                <Text size="sm" c="dimmed" truncate style={{ minWidth: 0 }}>
                  {grantHolder(grant.user)}
                </Text>
              </Group>
            </List.Item>
          ))}
        </List>
        <More shown={goneGrants.length} total={changes.goneGrants} />
      </Stack>
    </Stack>
  );
}

/** What is different from the scan before the last: new apps, new risky grants, grants gone. */
export const ChangesSinceLastScan = memo(function ChangesSinceLastScan({ changes, onShowOnlyNew, onOpenApp }: { changes: GrantChanges; onShowOnlyNew: () => void; onOpenApp: (appKey: string) => void }) {
  const anything = changes.newApps + changes.newRiskyGrants + changes.goneGrants > 0;
  const list = useGrantChanges(changes.previousTakenAt !== null && anything);
  return (
    <Card withBorder padding="lg" h="100%" data-testid="changes-since-last-scan">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4">
              Changes since the scan before
            </Title>
            <Text size="sm" c="dimmed">
              {changes.previousTakenAt
                ? `Compared with the scan of ${formatInstant(changes.previousTakenAt)}.`
                : 'This is the first scan; the next one will show what changed since.'}
            </Text>
          </div>
          {changes.previousTakenAt && (changes.newApps > 0 || changes.newRiskyGrants > 0) && (
            <Button variant="light" size="xs" leftSection={<IconSparkles size={14} />} onClick={onShowOnlyNew}>
              Show only what is new
            </Button>
          )}
        </Group>
        {changes.previousTakenAt && (
          <>
            <SimpleGrid cols={3} spacing="md">
              <Figure label={changes.newApps === 1 ? 'new app' : 'new apps'} value={changes.newApps} color="indigo" />
              <Figure label={changes.newRiskyGrants === 1 ? 'new high or critical grant' : 'new high or critical grants'} value={changes.newRiskyGrants} color="red" />
              <Figure label={changes.goneGrants === 1 ? 'grant gone' : 'grants gone'} value={changes.goneGrants} color="teal" />
            </SimpleGrid>
            {!anything && (
              <Text size="sm" c="dimmed">
                Nothing changed: no app appeared, no risky grant was added and none went away.
              </Text>
            )}
            {anything && list.error && <FailureAlert title="The changes could not be listed" error={list.error} />}
            {anything && !list.error && (list.data ? <ChangeLists list={list.data} changes={changes} onOpenApp={onOpenApp} /> : <Skeleton h={80} />)}
          </>
        )}
      </Stack>
    </Card>
  );
});
