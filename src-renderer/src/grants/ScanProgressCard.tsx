import { Button, Card, Group, Progress, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconPlayerStop } from '@tabler/icons-react';
import type { ScanProgress } from '../../../src-shared/contract/grants';
import { CardHeading } from './CardHeading';
import { ConnectionCell } from './ConnectionCell';
import { formatCount, formatDuration, plural } from './grant-format';

/**
 * A scan under way: how far it is (a share that never goes back, whichever phase each connection
 * is in), how fast, how long still, per connection what it is reading, and a Cancel that stops
 * it cleanly (what was read is kept).
 */
export function ScanProgressCard({ progress, onCancel, cancelRequested }: { progress: ScanProgress; onCancel: () => void; cancelRequested: boolean }) {
  const cancelling = progress.state === 'cancelling' || cancelRequested;
  const rate = `${formatCount(Math.round(progress.callsPerMinute))} calls/min`;
  const eta = progress.etaSeconds === null ? 'estimating time left…' : `${formatDuration(progress.etaSeconds)} left`;
  return (
    <Card withBorder padding="lg" data-testid="scan-progress">
      <Stack gap="sm">
        <CardHeading
          title={cancelling ? 'Cancelling the scan…' : 'Scanning third-party grants…'}
          description={
            cancelling
              ? 'Stopping after the calls under way. What was read so far is kept and shown as a partial scan.'
              : 'You can keep working; the page updates when the scan ends. Cancelling keeps what was read so far.'
          }
        >
          <Button variant="default" color="red" leftSection={<IconPlayerStop size={16} />} onClick={onCancel} loading={cancelling} disabled={cancelling}>
            Cancel scan
          </Button>
        </CardHeading>
        <Progress value={progress.percent} animated={!cancelling} size="lg" aria-label="Scan progress" />
        <Group gap="lg" data-testid="scan-figures">
          <Text size="sm" fw={600}>
            {Math.floor(progress.percent)}% done
          </Text>
          <Text size="sm">
            {formatCount(progress.done)} of {plural(progress.total, 'connection')} finished
          </Text>
          <Text size="sm">{rate}</Text>
          <Text size="sm">{eta}</Text>
        </Group>
        {progress.connections.length > 0 && (
          <Table verticalSpacing={6} layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Connection</Table.Th>
                <Table.Th>Doing</Table.Th>
                <Table.Th w={140}>This phase</Table.Th>
                <Table.Th w={160}>
                  <VisuallyHidden>Progress</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {progress.connections.map((connection) => (
                <Table.Tr key={connection.connectionId}>
                  <ConnectionCell label={connection.label} provider={connection.provider} truncate />
                  <Table.Td>
                    <Text size="sm">{connection.phase}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {connection.total > 0 ? `${formatCount(connection.done)} of ${formatCount(connection.total)}` : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Progress value={connection.percent} size="sm" aria-label={`${connection.label} progress`} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
