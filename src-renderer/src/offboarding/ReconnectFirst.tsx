import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ConnectionStatus } from '../../../src-shared/contract/connections';
import type { RunSummary } from '../../../src-shared/contract/offboarding';
import { useConnectionList } from '../bridge/queries';

/** A connection in one of these states cannot be called until the admin reconnects it. */
const unusableStatuses = new Set<ConnectionStatus>(['needs_reconnect', 'expired', 'revoked']);

/**
 * The run's connections that cannot be called now (after a restart, the sample workspace's; a
 * token revoked meanwhile), named with why and the way to the Connections page: their steps would
 * only stop the run again on resume. Nothing when every connection can be called.
 */
export function ReconnectFirst({ run, testId }: { run: RunSummary; testId: string }) {
  const connections = useConnectionList().data?.connections;
  const unusable = run.connections.flatMap((part) => {
    const connection = connections?.find((candidate) => candidate.id === part.connectionId);
    return connection && unusableStatuses.has(connection.status) ? [connection] : [];
  });
  if (unusable.length === 0) return null;
  const why = [...new Set(unusable.map((connection) => connection.statusDetail).filter((detail) => detail !== ''))].join(' ');
  return (
    <Text size="sm" fw={500} data-testid={testId}>
      Reconnect {unusable.map((connection) => connection.label).join(' and ')} first: {unusable.length === 1 ? 'its' : 'their'} steps cannot go on until then.
      {why ? ` ${why}` : ''}{' '}
      <Anchor component={Link} to="/connections" size="sm">
        Open Connections
      </Anchor>
    </Text>
  );
}
