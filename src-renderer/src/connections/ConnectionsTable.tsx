import { ActionIcon, Badge, Group, Menu, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import {
  IconAlertTriangle,
  IconDots,
  IconEye,
  IconPlugConnected,
  IconPlugConnectedX,
  IconRefresh,
  IconTrash,
} from '@tabler/icons-react';
import type { ConnectionStatus, ConnectionView } from '../../../src-shared/contract/connections';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { RelativeTime } from '../components/RelativeTime';
import { capabilityText } from './capability-text';
import { SampleBadge } from './SampleWorkspaceDialog';
import { ConnectionStatusBadge, statusesNeedingAttention } from './ConnectionStatusBadge';
import { scopeCoverage } from './scope-coverage';

/** Main renews tokens only for connections it still holds tokens for. */
const refreshable: readonly ConnectionStatus[] = ['active', 'expiring_soon', 'expired', 'refreshing', 'refresh_failing'];
/** Main removes only connections that no longer work. */
const removable: readonly ConnectionStatus[] = ['revoked', 'needs_reconnect', 'error'];

export interface ConnectionActions {
  details: (connection: ConnectionView) => void;
  refresh: (connection: ConnectionView) => void;
  /** With a capability: allow it (a sign-in only when it adds scopes). */
  reconnect: (connection: ConnectionView, capability?: CapabilityId) => void;
  disconnect: (connection: ConnectionView) => void;
  remove: (connection: ConnectionView) => void;
}

function ScopeCount({ connection }: { connection: ConnectionView }) {
  const coverage = scopeCoverage(connection);
  const text = `${coverage.grantedOfRequested} of ${coverage.requested}`;
  if (coverage.notGranted.length === 0) return <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{text}</Text>;
  const missing = `${coverage.notGranted.length} requested scope${coverage.notGranted.length === 1 ? ' was' : 's were'} not granted`;
  return (
    <Tooltip label={`${missing}: ${coverage.notGranted.join(', ')}`} multiline w={320} withArrow>
      <Group gap={4} wrap="nowrap" c="orange.8" style={{ whiteSpace: 'nowrap' }}>
        <IconAlertTriangle size={16} aria-hidden />
        <Text size="sm" fw={600} aria-label={`${text}; ${missing}`}>
          {text}
        </Text>
        <Text size="xs" aria-hidden>
          ({coverage.notGranted.length} missing)
        </Text>
      </Group>
    </Tooltip>
  );
}

/** What Consentry may change there now; "Read only" when nothing. */
function HeldCapabilities({ connection }: { connection: ConnectionView }) {
  const held = connection.capabilities.filter((capability) => capability.held);
  if (held.length === 0) {
    return (
      <Badge variant="light" color="blue" tt="none">
        Read only
      </Badge>
    );
  }
  return held.map((capability) => (
    <Tooltip key={capability.id} label={capabilityText[capability.id].title} withArrow>
      <Badge variant="light" color="orange" tt="none">
        {capabilityText[capability.id].short}
      </Badge>
    </Tooltip>
  ));
}

function RowMenu({ connection, actions }: { connection: ConnectionView; actions: ConnectionActions }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${connection.label}`}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconEye size={16} />} onClick={() => actions.details(connection)}>
          Details
        </Menu.Item>
        <Menu.Item leftSection={<IconRefresh size={16} />} disabled={!refreshable.includes(connection.status)} onClick={() => actions.refresh(connection)}>
          Refresh now
        </Menu.Item>
        <Menu.Item leftSection={<IconPlugConnected size={16} />} onClick={() => actions.reconnect(connection)}>
          Reconnect
        </Menu.Item>
        <Menu.Divider />
        {connection.status !== 'revoked' && (
          <Menu.Item color="red" leftSection={<IconPlugConnectedX size={16} />} onClick={() => actions.disconnect(connection)}>
            Disconnect
          </Menu.Item>
        )}
        {removable.includes(connection.status) && (
          <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => actions.remove(connection)}>
            Remove from list
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

/** One row per connection: who, how healthy, what it may do, when its token is renewed. */
export function ConnectionsTable({ connections, actions, now }: { connections: ConnectionView[]; actions: ConnectionActions; now: number }) {
  return (
    <Table.ScrollContainer minWidth={940}>
      <Table highlightOnHover verticalSpacing="sm" data-testid="connections-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Connection</Table.Th>
            <Table.Th>Account and tenant</Table.Th>
            <Table.Th w={210}>Status</Table.Th>
            <Table.Th w={100}>Scopes granted</Table.Th>
            <Table.Th w={115}>Last refresh</Table.Th>
            <Table.Th w={115}>Next refresh</Table.Th>
            <Table.Th w={150}>May change</Table.Th>
            <Table.Th w={60}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {connections.map((connection) => (
            <Table.Tr key={connection.id} data-testid={`connection-row-${connection.id}`}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {connection.label}
                </Text>
                <Text size="xs" c="dimmed">
                  {connection.providerLabel}
                </Text>
                {connection.sample && (
                  <Group mt={4}>
                    <SampleBadge />
                  </Group>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{connection.account ?? '—'}</Text>
                {connection.tenant && (
                  <Text size="xs" c="dimmed">
                    {connection.tenant}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Stack gap={4} align="flex-start">
                  <ConnectionStatusBadge status={connection.status} />
                  {statusesNeedingAttention.includes(connection.status) && (
                    <>
                      <Text size="xs">{connection.statusDetail}</Text>
                      {connection.lastError?.nextStep && (
                        <Text size="xs" fw={600}>
                          Next step: {connection.lastError.nextStep}
                        </Text>
                      )}
                    </>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>
                <ScopeCount connection={connection} />
              </Table.Td>
              <Table.Td>
                <RelativeTime iso={connection.lastRefreshAt} now={now} />
              </Table.Td>
              <Table.Td>
                <RelativeTime iso={connection.nextRefreshAt} now={now} />
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <HeldCapabilities connection={connection} />
                  {connection.storage === 'session-only' && (
                    <Badge variant="outline" color="yellow" tt="none">
                      Session only
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <RowMenu connection={connection} actions={actions} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
