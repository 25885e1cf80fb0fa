import { Anchor, Button, Card, Group, List, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { memo, type ReactNode } from 'react';
import type { GrantChanges, GrantChangeList, RiskLevelName } from '../../../src-shared/contract/grants';
import { useGrantChanges } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { formatInstant } from '../format/time';
import { CardHeading } from './CardHeading';
import { formatCount, grantHolder } from './grant-format';
import { RiskBadge } from './RiskBadge';
import { SummaryFigure } from './SummaryFigure';

function More({ shown, total }: { shown: number; total: number }) {
  return total > shown ? (
    <Text size="xs" c="dimmed">
      and {formatCount(total - shown)} more
    </Text>
  ) : null;
}

/** Each list shows its first few; "Show only what is new" filters the table to them all. */
const listed = 3;

/** One kind of change: its first few, each with its risk, and how many more. */
function ChangeList<Item extends { key: string; risk: RiskLevelName }>({ title, testId, items, total, children }: { title: string; testId: string; items: Item[]; total: number; children: (item: Item) => ReactNode }) {
  const shown = items.slice(0, listed);
  return (
    <Stack gap={4} data-testid={testId}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <List size="sm" spacing={4} listStyleType="none">
        {shown.map((item) => (
          <List.Item key={item.key}>
            <Group gap={6} wrap="nowrap">
              <RiskBadge level={item.risk} size="xs" />
              {children(item)}
            </Group>
          </List.Item>
        ))}
      </List>
      <More shown={shown.length} total={total} />
    </Stack>
  );
}

function Holder({ user }: { user: string | null }) {
  return (
    <Text size="sm" c="dimmed" truncate style={{ minWidth: 0 }}>
      {grantHolder(user)}
    </Text>
  );
}

function ChangeLists({ list, changes, onOpenApp }: { list: GrantChangeList; changes: GrantChanges; onOpenApp: (appKey: string) => void }) {
  return (
    <Stack gap="md">
      <ChangeList title="New apps" testId="changes-new-apps" items={list.newApps} total={changes.newApps}>
        {(app) => (
          <Anchor component="button" type="button" size="sm" onClick={() => onOpenApp(app.key)} truncate style={{ minWidth: 0 }}>
            {app.name}
          </Anchor>
        )}
      </ChangeList>
      <ChangeList title="New risky grants" testId="changes-new-risky-grants" items={list.newRiskyGrants} total={changes.newRiskyGrants}>
        {(grant) => (
          <>
            <Anchor component="button" type="button" size="sm" onClick={() => onOpenApp(grant.appKey)} truncate style={{ minWidth: 0, flexShrink: 0, maxWidth: '50%' }}>
              {grant.appName}
            </Anchor>
            <Holder user={grant.user} />
          </>
        )}
      </ChangeList>
      <ChangeList title="Grants gone" testId="changes-gone-grants" items={list.goneGrants} total={changes.goneGrants}>
        {(grant) => (
          <>
            <Text size="sm" truncate style={{ flexShrink: 0, maxWidth: '50%' }}>
              {grant.appName}
            </Text>
            <Holder user={grant.user} />
          </>
        )}
      </ChangeList>
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
        <CardHeading
          title="Changes since the scan before"
          description={changes.previousTakenAt ? `Compared with the scan of ${formatInstant(changes.previousTakenAt)}.` : 'This is the first scan; the next one will show what changed since.'}
        >
          {changes.previousTakenAt && (changes.newApps > 0 || changes.newRiskyGrants > 0) && (
            <Button variant="light" size="xs" leftSection={<IconSparkles size={14} />} onClick={onShowOnlyNew}>
              Show only what is new
            </Button>
          )}
        </CardHeading>
        {changes.previousTakenAt && (
          <>
            <SimpleGrid cols={3} spacing="md">
              <SummaryFigure label={changes.newApps === 1 ? 'new app' : 'new apps'} value={changes.newApps} color="indigo" />
              <SummaryFigure label={changes.newRiskyGrants === 1 ? 'new high or critical grant' : 'new high or critical grants'} value={changes.newRiskyGrants} color="red" />
              <SummaryFigure label={changes.goneGrants === 1 ? 'grant gone' : 'grants gone'} value={changes.goneGrants} color="teal" />
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
