import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { memo } from 'react';
import type { ScannedConnection } from '../../../src-shared/contract/grants';
import { useShowNewerRead } from '../bridge/queries';
import { notifyFailure } from '../components/failure-notification';
import { formatInstant } from '../format/time';
import { formatCount, plural } from './grant-format';

const outcomeWords: Record<NonNullable<ScannedConnection['newerRead']>['outcome'], string> = {
  partial: 'read only part of it',
  cancelled: 'was stopped before it finished',
  failed: 'could not read it',
};

/**
 * A newer scan of a connection that read less than the read shown (cancelled, failed, partial,
 * disconnected meanwhile) never replaces it by itself: this says so, and lets the admin show the
 * newer read instead when it read anything.
 */
export const NewerReadsNotice = memo(function NewerReadsNotice({ connections }: { connections: ScannedConnection[] }) {
  const show = useShowNewerRead();
  const held = connections.filter((connection) => connection.newerRead !== null);
  if (held.length === 0) return null;
  return (
    <Alert color="blue" variant="light" icon={<IconHistory size={18} />} title="A newer scan read less than the one shown" data-testid="newer-reads">
      <Stack gap="xs">
        <Text size="sm">A scan that read less never replaces a better one on its own. The page shows each connection’s last read below; a newer read that read something is kept aside for you to choose.</Text>
        <List size="sm" spacing={6}>
          {held.map((connection) => {
            const newer = connection.newerRead!;
            return (
              <List.Item key={connection.connectionId}>
                <Group gap="sm" wrap="nowrap" align="flex-start" justify="space-between">
                  <Text size="sm">
                    <strong>{connection.label}</strong>: the scan of {formatInstant(newer.readAt)} {outcomeWords[newer.outcome]}
                    {newer.total > 0 ? ` (${formatCount(newer.completed)} of ${formatCount(newer.total)} ${connection.unit} read in full)` : ''}.
                    {/* Why it failed or stopped; a plain cancel needs no more words. */}
                    {newer.note && newer.errorCode !== 'cancelled' ? ` ${newer.note}` : ''} Shown: the {connection.outcome} read of {formatInstant(connection.readAt)}.
                  </Text>
                  {newer.grants > 0 && (
                    <Button
                      size="xs"
                      variant="default"
                      style={{ flexShrink: 0 }}
                      loading={show.isPending && show.variables === connection.connectionId}
                      onClick={() => show.mutate(connection.connectionId, { onError: (error) => notifyFailure('The newer scan was not shown', error) })}
                    >
                      Show the newer scan ({plural(newer.grants, 'grant')})
                    </Button>
                  )}
                </Group>
              </List.Item>
            );
          })}
        </List>
      </Stack>
    </Alert>
  );
});
