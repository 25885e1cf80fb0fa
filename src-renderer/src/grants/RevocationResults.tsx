import { Alert, Badge, Button, Group, ScrollArea, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import type { RevocationReport, RevocationResultItem } from '../../../src-shared/contract/grants';
import { saveTextFile } from '../files/save-text-file';
import { formatCount, plural, providerNames } from './grant-format';
import { GrantHolder } from './GrantHolder';
import { revocationResultsCsv } from './revocation-results-csv';

const outcomeLooks: Record<RevocationResultItem['outcome'], { label: string; color: string }> = {
  revoked: { label: 'Revoked', color: 'teal' },
  already_gone: { label: 'Already gone', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  skipped: { label: 'Skipped', color: 'gray' },
  in_doubt: { label: 'Unknown', color: 'orange' },
  not_started: { label: 'Not started', color: 'gray' },
};

const order: Record<RevocationResultItem['outcome'], number> = { failed: 0, in_doubt: 1, not_started: 2, skipped: 3, revoked: 4, already_gone: 5 };
const notDone = new Set<RevocationResultItem['outcome']>(['failed', 'skipped', 'in_doubt', 'not_started']);
/** Rows drawn at once; the CSV has them all. */
const shownItems = 500;

type Show = 'all' | 'failed' | 'unverified';

/** What a revocation did, item by item: failures first, each with its reason, and the whole list as CSV. */
export function RevocationResults({ report }: { report: RevocationReport }) {
  const skipped = report.items.filter((item) => item.outcome === 'skipped').length;
  const notRevoked = report.failed + skipped + report.inDoubt + report.notStarted;
  const [show, setShow] = useState<Show>(notRevoked > 0 ? 'failed' : 'all');
  const unverified = report.items.filter((item) => (item.outcome === 'revoked' || item.outcome === 'already_gone') && !item.verified).length;
  const items = report.items
    .filter((item) => show === 'all' || (show === 'failed' ? notDone.has(item.outcome) : !item.verified && !notDone.has(item.outcome)))
    .sort((a, b) => order[a.outcome] - order[b.outcome]);
  const color = notRevoked > 0 ? (report.revoked > 0 ? 'orange' : 'red') : 'teal';
  const title = report.failed > 0 || report.inDoubt > 0 ? 'Some grants were not revoked' : report.notStarted > 0 ? 'Stopped before every grant was revoked' : 'Revoked';
  return (
    <Stack gap="md" data-testid="revocation-results">
      <Alert color={color} variant="light" title={title} role="status">
        <Text size="sm">
          {plural(report.revoked, 'grant')} revoked, {formatCount(report.failed)} failed
          {skipped > 0 ? `, ${formatCount(skipped)} skipped` : ''}
          {report.notStarted > 0 ? `, ${formatCount(report.notStarted)} not started` : ''}.
          {report.inDoubt > 0 ? ` ${plural(report.inDoubt, 'call')} went out just before Consentry stopped and no answer was recorded: resume the job to find out whether they took effect.` : ''}
          {report.sessionsRevoked > 0 ? ` ${plural(report.sessionsRevoked, 'user')} signed out everywhere.` : ''}
          {unverified > 0 ? ` ${formatCount(unverified)} could not be confirmed gone by reading them back.` : ''}
        </Text>
      </Alert>
      <Group justify="space-between">
        <SegmentedControl
          aria-label="Show results"
          value={show}
          onChange={(value) => setShow(value as Show)}
          data={[
            { label: `All (${formatCount(report.items.length)})`, value: 'all' },
            { label: `Not revoked (${formatCount(notRevoked)})`, value: 'failed' },
            { label: `Not verified (${formatCount(unverified)})`, value: 'unverified' },
          ]}
        />
        <Button
          variant="default"
          size="xs"
          leftSection={<IconDownload size={14} />}
          onClick={() => saveTextFile(`consentry-revocation-${report.jobId}.csv`, revocationResultsCsv(report), 'text/csv;charset=utf-8')}
        >
          Save results as CSV
        </Button>
      </Group>
      <ScrollArea.Autosize mah={360} type="auto">
        <Table verticalSpacing={6} layout="fixed" striped data-testid="revocation-result-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="20%">App</Table.Th>
              <Table.Th w="22%">For</Table.Th>
              <Table.Th w={120}>Outcome</Table.Th>
              <Table.Th w={110}>Verified</Table.Th>
              <Table.Th>Message</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.slice(0, shownItems).map((item) => (
              <Table.Tr key={item.key}>
                <Table.Td>
                  <Text size="sm" truncate>
                    {item.appName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {providerNames[item.provider]}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <GrantHolder user={item.user} />
                </Table.Td>
                <Table.Td>
                  <Badge color={outcomeLooks[item.outcome].color} variant="light" tt="none">
                    {outcomeLooks[item.outcome].label}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {item.verified ? (
                    <Group gap={4} wrap="nowrap" c="teal.7">
                      <IconCircleCheck size={16} aria-hidden />
                      <Text size="sm">Verified</Text>
                    </Group>
                  ) : (
                    <Group gap={4} wrap="nowrap" c="dimmed">
                      <IconCircleDashed size={16} aria-hidden />
                      <Text size="sm">Not verified</Text>
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{item.message}</Text>
                  {item.errorCode && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {item.errorCode}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {items.length > shownItems && (
        <Text size="xs" c="dimmed">
          The first {formatCount(shownItems)} of {formatCount(items.length)} are shown; the CSV has every item.
        </Text>
      )}
    </Stack>
  );
}
