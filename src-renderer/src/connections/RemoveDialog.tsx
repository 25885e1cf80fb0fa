import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import type { ConnectionView } from '../../../src-shared/contract/connections';
import { useRemoveConnection } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { notifyFailure } from '../components/failure-notification';

function RemoveBody({ connection, onClose }: { connection: ConnectionView; onClose: () => void }) {
  const remove = useRemoveConnection();
  const confirm = () =>
    remove.mutate(connection.id, {
      onSuccess: () => {
        notifications.show({ color: 'teal', title: 'Removed from the list', message: `${connection.label} and what was stored for it on this computer are gone.` });
        onClose();
      },
      onError: (error) => notifyFailure(`${connection.label} not removed`, error),
    });
  return (
    <Stack gap="md">
      <Text size="sm">
        {connection.label} and anything still stored for it on this computer are deleted. Nothing is sent to {connection.providerLabel}; the
        activity log keeps the history. To use it again, connect it as a new tenant.
      </Text>
      {remove.error && <FailureAlert title="Not removed" error={remove.error} />}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose} disabled={remove.isPending}>
          Cancel
        </Button>
        <Button color="red" leftSection={<IconTrash size={16} />} onClick={confirm} loading={remove.isPending}>
          Remove
        </Button>
      </Group>
    </Stack>
  );
}

/** Removes a connection that no longer works (revoked, needs reconnect, error) from the list. */
export function RemoveDialog({ connection, onClose }: { connection: ConnectionView | null; onClose: () => void }) {
  return (
    <Modal opened={connection !== null} onClose={onClose} title={connection ? `Remove ${connection.label} from the list?` : ''} closeButtonProps={{ 'aria-label': 'Close' }}>
      {connection && <RemoveBody key={connection.id} connection={connection} onClose={onClose} />}
    </Modal>
  );
}
