import { Anchor, Badge, Card, List, Stack, Table, Text, Title } from '@mantine/core';
import { memo, useState } from 'react';
import type { ScannedConnection } from '../../../src-shared/contract/grants';
import { ConnectionCell } from './ConnectionCell';
import { formatInstant } from '../format/time';
import { formatCount, providerNames } from './grant-format';

const outcomeLooks: Record<ScannedConnection['outcome'], { label: string; color: string }> = {
  complete: { label: 'Complete', color: 'teal' },
  partial: { label: 'Partial', color: 'orange' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
  not_supported: { label: 'No admin listing', color: 'gray' },
};

/** Shown at first; the rest behind "Show all". */
const firstItems = 5;

function IncompleteItems({ connection }: { connection: ScannedConnection }) {
  const [all, setAll] = useState(false);
  if (connection.incomplete.length === 0) return null;
  const shown = all ? connection.incomplete : connection.incomplete.slice(0, firstItems);
  return (
    <Stack gap={2} mt={4}>
      <Text size="xs" fw={600}>
        Not read:
      </Text>
      <List size="xs" spacing={2}>
        {shown.map((item, index) => (
          <List.Item key={`${item.what}-${index}`}>
            <Text span size="xs" fw={500}>
              {item.what}
            </Text>{' '}
            — {item.reason}
          </List.Item>
        ))}
      </List>
      {connection.incomplete.length > firstItems && (
        <Anchor component="button" type="button" size="xs" onClick={() => setAll(!all)} w="fit-content">
          {all ? 'Show fewer' : `Show all ${formatCount(connection.incomplete.length)}`}
        </Anchor>
      )}
    </Stack>
  );
}

function ReadCount({ connection }: { connection: ScannedConnection }) {
  if (connection.outcome === 'not_supported') {
    return (
      <Text size="sm" c="dimmed">
        Not readable
      </Text>
    );
  }
  return (
    <>
      <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {formatCount(connection.completed)} of {formatCount(connection.total)} {connection.unit}
      </Text>
      <Text size="xs" c="dimmed">
        read {formatInstant(connection.readAt)}
      </Text>
    </>
  );
}

/**
 * What the last scan could read, per connection, with what was not read and why; a provider with
 * no admin listing is shown as such, never as "no apps".
 */
export const ScanCoverage = memo(function ScanCoverage({ connections }: { connections: ScannedConnection[] }) {
  return (
    <Card withBorder padding="lg" data-testid="scan-coverage">
      <Stack gap="md">
        <Title order={2} size="h4">
          What the scan covers
        </Title>
        <Table verticalSpacing="xs" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="26%">Connection</Table.Th>
              <Table.Th w={150}>Outcome</Table.Th>
              <Table.Th w={190}>Read in full</Table.Th>
              <Table.Th>Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {connections.map((connection) => {
              const look = outcomeLooks[connection.outcome];
              return (
                <Table.Tr key={connection.connectionId} data-testid={`coverage-${connection.connectionId}`}>
                  <ConnectionCell label={connection.label} provider={connection.provider} />
                  <Table.Td>
                    <Badge variant="light" color={look.color} tt="none">
                      {look.label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <ReadCount connection={connection} />
                  </Table.Td>
                  <Table.Td>
                    {connection.note && <Text size="sm">{connection.note}</Text>}
                    {!connection.note && connection.outcome === 'not_supported' && (
                      <Text size="sm">{providerNames[connection.provider]} offers no admin listing of third-party apps, so its grants cannot be read.</Text>
                    )}
                    {!connection.note && connection.outcome === 'complete' && (
                      <Text size="sm" c="dimmed">
                        Everything was read.
                      </Text>
                    )}
                    {connection.errorCode && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {connection.errorCode}
                      </Text>
                    )}
                    <IncompleteItems connection={connection} />
                    {connection.newerRead && (
                      <Text size="xs" c="dimmed" mt={4}>
                        A newer scan ({formatInstant(connection.newerRead.readAt)}, {outcomeLooks[connection.newerRead.outcome].label.toLowerCase()}) read less and is kept aside.
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
});
