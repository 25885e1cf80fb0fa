import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useState } from 'react';
import type { ConnectionView, DisconnectOutcome, ProviderPreset } from '../../../src-shared/contract/connections';
import { useDisconnectConnection } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { notifyFailure } from '../components/failure-notification';
import { OpenInBrowserButton } from '../components/OpenInBrowserButton';

const outcomeLooks: Record<DisconnectOutcome['revocation'], { title: string; color: string }> = {
  revoked: { title: 'Revoked at the provider', color: 'teal' },
  nothing_to_revoke: { title: 'Nothing left to revoke', color: 'teal' },
  not_supported: { title: 'Finish at the provider', color: 'orange' },
  failed: { title: 'Revocation at the provider failed', color: 'orange' },
};

/** What disconnecting will do, said before it is done. */
function Consequences({ connection, preset }: { connection: ConnectionView; preset: ProviderPreset | undefined }) {
  const provider = connection.providerLabel;
  return (
    <Stack gap="xs">
      <Text size="sm">Disconnecting {connection.label} will:</Text>
      <List size="sm" spacing={4}>
        <List.Item>
          {preset?.revocation === 'none'
            ? `Not end the grant at ${provider}: it offers no call that revokes an app’s tokens. You will be shown where to remove it by hand.`
            : `Ask ${provider} to revoke Consentry’s tokens, so they stop working there too.`}
        </List.Item>
        <List.Item>
          Delete the tokens{connection.hasClientSecret ? ' and the client secret' : ''} stored on this computer, even if {provider} cannot be
          reached.
        </List.Item>
        <List.Item>Keep {connection.label} in the list as Revoked, so you can reconnect it or remove it.</List.Item>
      </List>
      <Text size="sm" c="dimmed">
        Nothing else changes in your tenant. The activity log records the result.
      </Text>
    </Stack>
  );
}

function OutcomeReport({ outcome }: { outcome: DisconnectOutcome }) {
  const look = outcomeLooks[outcome.revocation];
  return (
    <Alert color={look.color} variant="light" title={look.title} data-testid="disconnect-outcome">
      <Stack gap="xs">
        <Text size="sm">{outcome.message}</Text>
        {outcome.manualRevocation && (
          <>
            <Text size="sm" fw={600}>
              Revoke by hand: {outcome.manualRevocation.where}
            </Text>
            {outcome.manualRevocation.url && (
              <OpenInBrowserButton url={outcome.manualRevocation.url} size="xs" w="fit-content">
                Open revocation page
              </OpenInBrowserButton>
            )}
          </>
        )}
      </Stack>
    </Alert>
  );
}

function DisconnectBody({ connection, preset, onClose }: { connection: ConnectionView; preset: ProviderPreset | undefined; onClose: () => void }) {
  const disconnect = useDisconnectConnection();
  const [outcome, setOutcome] = useState<DisconnectOutcome | null>(null);

  const confirm = () =>
    disconnect.mutate(connection.id, {
      onSuccess: (result) => {
        setOutcome(result);
        notifications.show({ color: outcomeLooks[result.revocation].color, title: `${connection.label} disconnected`, message: result.message });
      },
      onError: (error) => notifyFailure(`${connection.label} not disconnected`, error),
    });

  if (outcome) {
    return (
      <Stack gap="md">
        <OutcomeReport outcome={outcome} />
        <Group justify="flex-end">
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      <Consequences connection={connection} preset={preset} />
      {disconnect.error && <FailureAlert title="Not disconnected" error={disconnect.error} />}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose} disabled={disconnect.isPending}>
          Cancel
        </Button>
        <Button color="red" leftSection={<IconPlugConnectedX size={16} />} onClick={confirm} loading={disconnect.isPending}>
          Disconnect
        </Button>
      </Group>
    </Stack>
  );
}

/** Disconnect: revoke at the provider when it can, delete local tokens whatever happens, and say which. */
export function DisconnectDialog({ connection, preset, onClose }: { connection: ConnectionView | null; preset: ProviderPreset | undefined; onClose: () => void }) {
  return (
    <Modal opened={connection !== null} onClose={onClose} title={connection ? `Disconnect ${connection.label}?` : ''} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      {connection && <DisconnectBody key={connection.id} connection={connection} preset={preset} onClose={onClose} />}
    </Modal>
  );
}
