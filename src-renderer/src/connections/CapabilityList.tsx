import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock, IconLockOpen } from '@tabler/icons-react';
import type { ConnectionView } from '../../../src-shared/contract/connections';
import { arrivesWith, isInThisBuild, type CapabilityId } from '../../../src-shared/domain/ids';
import { useDisableCapability } from '../bridge/queries';
import { notifyFailure } from '../components/failure-notification';
import { capabilityText } from './capability-text';
import { CapabilityScopeList } from './CapabilityScopeList';

type Capability = ConnectionView['capabilities'][number];

function StateBadge({ capability }: { capability: Capability }) {
  if (capability.held) return <Badge color="teal" variant="light" tt="none">Allowed</Badge>;
  if (capability.allowed) return <Badge color="orange" variant="light" tt="none">Allowed, not granted</Badge>;
  return <Badge color="gray" variant="light" tt="none">Off</Badge>;
}

function CapabilityRow({ connection, capability, onAllow }: { connection: ConnectionView; capability: Capability; onAllow: (capability: CapabilityId) => void }) {
  const disable = useDisableCapability();
  const text = capabilityText[capability.id];
  const inThisBuild = isInThisBuild(capability.id);
  const granted = new Set(connection.scopesGranted);
  const missing = capability.extraScopes.filter((added) => !granted.has(added.scope));
  // The provider may keep granting a stopped capability's scopes (Google, Entra) until removed there;
  // scopes another allowed capability uses are not left over.
  const inUse = new Set(connection.capabilities.filter((other) => other.allowed).flatMap((other) => other.extraScopes.map((added) => added.scope)));
  const stillGranted = !capability.allowed && capability.extraScopes.some((added) => granted.has(added.scope) && !inUse.has(added.scope));
  const stop = () =>
    disable.mutate(
      { connectionId: connection.id, capability: capability.id },
      {
        onSuccess: () => notifications.show({ color: 'gray', title: `${text.title}: stopped`, message: `Consentry no longer does this at ${connection.label}.` }),
        onError: (error) => notifyFailure(`${text.title} not stopped`, error),
      },
    );
  return (
    <Paper withBorder p="sm" radius="md" data-testid={`connection-capability-${capability.id}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap="xs">
            <Text fw={600} size="sm">
              {text.title}
            </Text>
            <StateBadge capability={capability} />
          </Group>
          {capability.allowed ? (
            <Button size="compact-sm" variant="default" leftSection={<IconLock size={14} />} onClick={stop} loading={disable.isPending}>
              Stop
            </Button>
          ) : inThisBuild ? (
            <Button size="compact-sm" variant="light" leftSection={<IconLockOpen size={14} />} onClick={() => onAllow(capability.id)}>
              Allow
            </Button>
          ) : null}
        </Group>
        {inThisBuild || capability.allowed ? (
          <CapabilityScopeList scopes={capability.extraScopes} empty="Adds no scope: the audit scopes already allow it." {...(capability.allowed ? { granted } : {})} />
        ) : null}
        {capability.allowed && !capability.held && inThisBuild && (
          <Group gap="xs">
            <Text size="sm" c="orange">
              {connection.providerLabel} did not grant {missing.map((added) => added.scope).join(', ')}.
            </Text>
            <Button size="compact-xs" variant="subtle" onClick={() => onAllow(capability.id)}>
              Ask again
            </Button>
          </Group>
        )}
        {!capability.allowed && !isInThisBuild(capability.id) && (
          <Text size="xs" c="dimmed">
            Arrives with {arrivesWith(capability.id)}.{' '}
            {capability.extraScopes.length === 0
              ? 'It adds no scope.'
              : capability.extraScopes.length === 1
                ? 'Until then the scope it adds is not asked for.'
                : `Until then none of the ${capability.extraScopes.length} scopes it adds is asked for.`}
          </Text>
        )}
        {stillGranted && (
          <Text size="xs" c="dimmed">
            Consentry does not use it. {connection.providerLabel} still grants some of its scopes until you remove them there (
            {connection.manualRevocation.where}){connection.family === 'generic' ? ' or reconnect, which no longer asks for them' : ''}.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** What Consentry may change at a connection's tenant: each capability allowed, granted, or off, with Allow and Stop. */
export function CapabilityList({ connection, onAllow }: { connection: ConnectionView; onAllow: (capability: CapabilityId) => void }) {
  return (
    <Stack gap="xs">
      <Text size="sm">
        Reading, with the audit scopes, always. Each change below is off until you allow it, and asks only for the scopes it adds.
      </Text>
      {connection.capabilities.length === 0 ? (
        <Text size="sm" c="dimmed">
          Read only: Consentry changes nothing at {connection.providerLabel}.
        </Text>
      ) : (
        connection.capabilities.map((capability) => <CapabilityRow key={capability.id} connection={connection} capability={capability} onAllow={onAllow} />)
      )}
    </Stack>
  );
}
