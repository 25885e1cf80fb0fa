import { Group, Pagination, Table, Text } from '@mantine/core';
import type { ActivityEntry, ActivityPage } from '../../../src-shared/contract/activity';
import { formatInstant } from '../format/time';
import { ActivityResultBadge } from './ActivityResultBadge';

/** Entries per page of the activity log, wherever it is listed. */
export const activityPageSize = 50;

/** Entries of the activity log, newest first as main hands them; `numbered` adds the sequence number. */
export function ActivityEntriesTable({ entries, testId, numbered = false }: { entries: ActivityEntry[]; testId: string; numbered?: boolean }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {numbered && <Table.Th w={70}>#</Table.Th>}
            <Table.Th w={180}>Time</Table.Th>
            <Table.Th w={190}>Action</Table.Th>
            <Table.Th w="20%">Target</Table.Th>
            <Table.Th w={120}>Result</Table.Th>
            <Table.Th>Detail</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.seq}>
              {numbered && <Table.Td c="dimmed">{entry.seq}</Table.Td>}
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(entry.at)}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {entry.action}
                </Text>
              </Table.Td>
              {/* Targets such as `tenant:contoso.onmicrosoft.com` have no space to wrap at. */}
              <Table.Td style={{ wordBreak: 'break-word' }}>{entry.target}</Table.Td>
              {/* The badge's word is never cut short, however the other columns share the width. */}
              <Table.Td style={{ whiteSpace: 'nowrap', minWidth: 120 }}>
                <ActivityResultBadge result={entry.result} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{entry.detail}</Text>
                {entry.errorCode && (
                  <Text size="xs" c="red" ff="monospace">
                    {entry.errorCode}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** How many entries match, and the pages of `activityPageSize` to move between. */
export function ActivityPaging({ activity, page, onPage }: { activity: ActivityPage; page: number; onPage: (page: number) => void }) {
  // While a large log is still counted, one more page than known so far can be opened.
  const pages = Math.max(1, Math.ceil(activity.total / activityPageSize) + (activity.totalExact ? 0 : 1));
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed" data-testid="activity-total">
        {activity.totalExact
          ? `${activity.total.toLocaleString()} entr${activity.total === 1 ? 'y' : 'ies'}`
          : `At least ${activity.total.toLocaleString()} entries (still counting)`}
      </Text>
      <Pagination total={pages} value={page} onChange={onPage} size="sm" />
    </Group>
  );
}
