import { Alert, Badge, Button, Group, ScrollArea, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import type { RevocationReport, RevocationResultItem } from '../../../src-shared/contract/grants';
import { useConsentry } from '../bridge/consentry-bridge';
import { notifyFailure } from '../components/failure-notification';
import { saveTextFile } from '../files/save-text-file';
import { formatCount, plural, providerNames } from './grant-format';
import { GrantHolder } from './GrantHolder';

const outcomeLooks: Record<RevocationResultItem['outcome'], { label: string; color: string }> = {
  revoked: { label: 'Revoked', color: 'teal' },
  already_gone: { label: 'Already gone', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  skipped: { label: 'Skipped', color: 'gray' },
  in_doubt: { label: 'Unknown', color: 'orange' },
  not_started: { label: 'Not started', color: 'gray' },
};

const notDone = new Set<RevocationResultItem['outcome']>(['failed', 'skipped', 'in_doubt', 'not_started']);

type Show = 'all' | 'failed' | 'unverified';

/**
 * What a revocation did, item by item: main sends the counts over every grant and the first items
 * (those not revoked first); the CSV, made by main, lists every grant.
 */
export function RevocationResults({ report }: { report: RevocationReport }) {
  const client = useConsentry();
  const [saving, setSaving] = useState(false);
  const { skipped, unverified } = report;
  const notRevoked = report.failed + skipped + report.inDoubt + report.notStarted;
  const [show, setShow] = useState<Show>(notRevoked > 0 ? 'failed' : 'all');
  const items = report.items.filter((item) => show === 'all' || (show === 'failed' ? notDone.has(item.outcome) : !item.verified && !notDone.has(item.outcome)));
  const listedOf = show === 'all' ? report.total : show === 'failed' ? notRevoked : unverified;
  const saveCsv = async () => {
    setSaving(true);
    try {
      const file = await client.call('grants.revocationCsv', { jobId: report.jobId });
      saveTextFile(file.fileName, file.content, 'text/csv;charset=utf-8');
    } catch (error) {
      notifyFailure('The results could not be saved', error);
    } finally {
      setSaving(false);
    }
  };
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
            { label: `All (${formatCount(report.total)})`, value: 'all' },
            { label: `Not revoked (${formatCount(notRevoked)})`, value: 'failed' },
            { label: `Not verified (${formatCount(unverified)})`, value: 'unverified' },
          ]}
        />
        <Button
          variant="default"
          size="xs"
          leftSection={<IconDownload size={14} />}
          loading={saving}
          onClick={() => void saveCsv()}
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
            {items.map((item) => (
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
      {items.length < listedOf && (
        <Text size="xs" c="dimmed">
          The first {formatCount(items.length)} of {formatCount(listedOf)} are shown; the CSV has every grant.
        </Text>
      )}
    </Stack>
  );
}
