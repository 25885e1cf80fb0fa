import { Button, Card, EmptyState, Group, Modal, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFlask, IconPlugConnected, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { ConnectionView } from '../../../src-shared/contract/connections';
import { useConnectionList, useProviderCatalog, useRefreshConnection, useRemoveSampleWorkspace } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { notifyFailure } from '../components/failure-notification';
import { PageHeader } from '../components/PageHeader';
import { ConnectionDrawer } from '../connections/ConnectionDrawer';
import { ConnectionsTable, type ConnectionActions } from '../connections/ConnectionsTable';
import { connectionStatusLooks } from '../connections/ConnectionStatusBadge';
import { ConnectWizard } from '../connections/ConnectWizard';
import { DisconnectDialog } from '../connections/DisconnectDialog';
import { ReconnectDialog, type ReconnectIntent } from '../connections/ReconnectDialog';
import { RemoveDialog } from '../connections/RemoveDialog';
import { SampleWorkspaceDialog, SampleWorkspaceNotice } from '../connections/SampleWorkspaceDialog';
import { VaultNotice } from '../connections/VaultNotice';
import { formatRelative } from '../format/time';

function notifyRefreshed(connection: ConnectionView): void {
  if (connection.status === 'active' || connection.status === 'expiring_soon') {
    notifications.show({
      color: 'teal',
      title: `${connection.label} refreshed`,
      message: connection.nextRefreshAt ? `The access token was renewed; next renewal ${formatRelative(connection.nextRefreshAt)}.` : 'The access token was renewed.',
    });
    return;
  }
  // Main answers a failed renewal with the connection as it now stands, not with an error.
  notifications.show({
    color: connection.status === 'refresh_failing' ? 'orange' : 'red',
    title: `${connection.label}: ${connectionStatusLooks[connection.status].label.toLowerCase()}`,
    message: [connection.lastError?.message ?? connection.statusDetail, connection.lastError?.nextStep].filter(Boolean).join(' '),
  });
}

function NoConnections({ onConnect, onExplore }: { onConnect: () => void; onExplore: () => void }) {
  return (
    <Card withBorder padding="xl" data-testid="connections-empty">
      <EmptyState
        icon={<IconPlugConnected size={36} stroke={1.5} />}
        variant="light"
        size="lg"
        title="No tenants connected"
        description="Connect Google Workspace, Microsoft Entra ID or a SaaS provider with an OAuth client you register yourself. Consentry opens your system browser to sign in; tokens are encrypted on this computer and never reach this window. Consentry starts read-only; allow what it may change only when you first need it."
      >
        <EmptyState.Actions>
          <Button leftSection={<IconPlus size={16} />} onClick={onConnect}>
            Connect a tenant
          </Button>
          <Button variant="light" color="grape" leftSection={<IconFlask size={16} />} onClick={onExplore}>
            Explore the sample workspace
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

export function ConnectionsPage() {
  const list = useConnectionList();
  const catalog = useProviderCatalog();
  const refresh = useRefreshConnection();
  const [wizardOpen, setWizardOpen] = useState(false);
  const [detailsId, setDetailsId] = useState<string | null>(null);
  const [reconnect, setReconnect] = useState<ReconnectIntent | null>(null);
  const [disconnectId, setDisconnectId] = useState<string | null>(null);
  const [removeTarget, setRemoveTarget] = useState<ConnectionView | null>(null);
  const [sampleOpen, setSampleOpen] = useState(false);
  const [confirmingSampleRemoval, setConfirmingSampleRemoval] = useState(false);
  const removeSample = useRemoveSampleWorkspace();

  const connections = list.data?.connections ?? [];
  // Changes at every reload (every 30 s), even an unchanged one, so "in 4 minutes" moves on.
  const now = list.dataUpdatedAt;
  // Dialogs follow the live list, so a status change shows while they are open.
  const byId = (id: string | null) => connections.find((connection) => connection.id === id) ?? null;
  const disconnecting = byId(disconnectId);

  const actions: ConnectionActions = {
    details: (connection) => setDetailsId(connection.id),
    refresh: (connection) =>
      refresh.mutate(connection.id, {
        onSuccess: notifyRefreshed,
        onError: (error) => notifyFailure(`${connection.label} not refreshed`, error),
      }),
    reconnect: (connection, capability) => setReconnect(capability ? { connection, capability } : { connection }),
    disconnect: (connection) => setDisconnectId(connection.id),
    remove: setRemoveTarget,
  };

  const hasConnections = connections.length > 0;
  const sampleCount = connections.filter((connection) => connection.sample).length;
  const confirmRemoveSample = () =>
    removeSample.mutate(undefined, {
      onSettled: () => setConfirmingSampleRemoval(false),
      onSuccess: ({ removed }) => notifications.show({ color: 'grape', title: 'Sample workspace removed', message: `${removed} sample ${removed === 1 ? 'connection was' : 'connections were'} disconnected and removed.` }),
      onError: (error) => notifyFailure('Sample workspace not removed', error),
    });

  return (
    <>
      <PageHeader
        title="Connections"
        description="The tenants Consentry can read and manage, each connected with your own OAuth client in the system browser. Tokens stay encrypted on this computer."
        actions={
          hasConnections ? (
            <Group gap="sm" wrap="nowrap">
              {sampleCount < 2 && (
                <Button variant="light" color="grape" leftSection={<IconFlask size={16} />} onClick={() => setSampleOpen(true)}>
                  Explore the sample workspace
                </Button>
              )}
              <Button leftSection={<IconPlus size={16} />} onClick={() => setWizardOpen(true)}>
                Connect a tenant
              </Button>
            </Group>
          ) : undefined
        }
      />
      {list.data && <VaultNotice vault={list.data.vault} />}
      {sampleCount > 0 && <SampleWorkspaceNotice count={sampleCount} onRemove={() => setConfirmingSampleRemoval(true)} removing={removeSample.isPending} />}
      {list.error && !list.data ? (
        <FailureAlert title="The connections could not be loaded" error={list.error}>
          <Button variant="light" color="red" size="xs" w="fit-content" onClick={() => void list.refetch()}>
            Try again
          </Button>
        </FailureAlert>
      ) : !list.data ? (
        <Skeleton h={240} />
      ) : !hasConnections ? (
        <NoConnections onConnect={() => setWizardOpen(true)} onExplore={() => setSampleOpen(true)} />
      ) : (
        <Card withBorder padding="md">
          <ConnectionsTable connections={connections} actions={actions} now={now} />
          <Text size="xs" c="dimmed" mt="sm">
            Statuses and times are updated every 30 seconds and whenever a connection changes.
          </Text>
        </Card>
      )}

      <ConnectWizard opened={wizardOpen} onClose={() => setWizardOpen(false)} />
      <SampleWorkspaceDialog opened={sampleOpen} onClose={() => setSampleOpen(false)} />
      <Modal opened={confirmingSampleRemoval} onClose={() => setConfirmingSampleRemoval(false)} title="Remove the sample workspace?" closeButtonProps={{ 'aria-label': 'Close' }}>
        <Stack gap="md">
          <Text size="sm">
            {sampleCount === 1 ? 'Its connection is' : `Its ${sampleCount} connections are`} disconnected (their sample tokens revoked) and removed, and
            the sample workspace stops. Your real connections are not touched; the activity log keeps the history.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirmingSampleRemoval(false)} disabled={removeSample.isPending}>
              Cancel
            </Button>
            <Button color="grape" onClick={confirmRemoveSample} loading={removeSample.isPending}>
              Remove sample workspace
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConnectionDrawer connection={byId(detailsId)} now={now} onClose={() => setDetailsId(null)} onAllow={(connection, capability) => setReconnect({ connection, capability })} />
      <ReconnectDialog intent={reconnect} onClose={() => setReconnect(null)} />
      <DisconnectDialog
        connection={disconnecting}
        preset={catalog.data?.providers.find((preset) => preset.id === disconnecting?.provider)}
        onClose={() => setDisconnectId(null)}
      />
      <RemoveDialog connection={removeTarget} onClose={() => setRemoveTarget(null)} />
    </>
  );
}
