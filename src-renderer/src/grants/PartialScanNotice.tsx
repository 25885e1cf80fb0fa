import { Alert, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { memo } from 'react';
import type { ScannedConnection } from '../../../src-shared/contract/grants';
import { plural } from './grant-format';

/** Listed here; the rest are in the coverage table, per connection. */
const listed = 10;

/** A scan that could not read everything says so, and what and why, before any number is read as the whole. */
export const PartialScanNotice = memo(function PartialScanNotice({ connections }: { connections: ScannedConnection[] }) {
  const unread = connections.filter((connection) => connection.outcome === 'failed' || connection.outcome === 'cancelled');
  const incomplete = connections.flatMap((connection) => connection.incomplete.map((item) => ({ ...item, label: connection.label })));
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="This scan is partial" data-testid="partial-scan">
      <Text size="sm" mb={unread.length + incomplete.length > 0 ? 'xs' : 0}>
        Some things could not be read, so the numbers on this page are a floor, not the whole. Scan again once the cause is fixed.
      </Text>
      <List size="sm" spacing={2}>
        {unread.map((connection) => (
          <List.Item key={connection.connectionId}>
            <strong>{connection.label}</strong>: {connection.outcome === 'cancelled' ? 'the scan was cancelled before it finished' : 'could not be read'}
            {connection.note ? ` — ${connection.note}` : ''}
          </List.Item>
        ))}
        {incomplete.slice(0, listed).map((item, index) => (
          <List.Item key={`${item.label}-${item.what}-${index}`}>
            <strong>{item.label}</strong>: {item.what} — {item.reason}
          </List.Item>
        ))}
      </List>
      {incomplete.length > listed && (
        <Text size="sm" mt={4}>
          And {plural(incomplete.length - listed, 'more item')}, listed per connection under “What the scan covers”.
        </Text>
      )}
    </Alert>
  );
});
