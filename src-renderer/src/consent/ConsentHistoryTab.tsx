import { Card, Skeleton, Table, Text } from '@mantine/core';
import type { ActivityFilter } from '../../../src-shared/contract/activity';
import { useActivityPage } from '../bridge/queries';
import { ActivityResultBadge } from '../components/ActivityResultBadge';
import { formatInstant } from '../format/time';

/**
 * The activity filter matches one action exactly or text anywhere, so the text `consent.` is asked
 * for and only the actions that start with it are kept.
 */
const consentText: ActivityFilter = { text: 'consent.' };
const historyLimit = 500;

/** Every consent decision and change, from the activity log. */
export function ConsentHistoryTab() {
  const activity = useActivityPage(consentText, 0, historyLimit);
  if (!activity.data) return <Skeleton h={240} />;
  const entries = activity.data.entries.filter((entry) => entry.action.startsWith('consent.'));
  if (entries.length === 0) {
    return (
      <Text c="dimmed" ta="center" py="xl">
        No consent decision or change recorded yet.
      </Text>
    );
  }
  return (
    <Card withBorder padding={0}>
      <Table.ScrollContainer minWidth={860}>
        <Table striped verticalSpacing="xs" horizontalSpacing="md" data-testid="consent-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={190}>Time</Table.Th>
              <Table.Th w={200}>Action</Table.Th>
              <Table.Th w={200}>Target</Table.Th>
              <Table.Th>Detail</Table.Th>
              <Table.Th w={110}>Result</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.seq}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(entry.at)}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {entry.action}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ wordBreak: 'break-word' }}>
                    {entry.target}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{entry.detail}</Text>
                  {entry.errorCode && (
                    <Text size="xs" c="red" ff="monospace">
                      {entry.errorCode}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <ActivityResultBadge result={entry.result} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
