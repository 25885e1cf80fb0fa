import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';
import type { ConnectionView } from '../../../src-shared/contract/connections';
import { useConnectionList } from '../bridge/queries';
import { capabilityText } from '../connections/capability-text';

/** Those of the connections that support the credentials capability and have not been granted it. */
export function useLackingCredentialsCapability(connectionIds: readonly string[]): ConnectionView[] {
  const connections = useConnectionList().data?.connections ?? [];
  return connections.filter((connection) => connectionIds.includes(connection.id) && connection.capabilities.some((capability) => capability.id === 'credentials' && !capability.held));
}

/** What a tenant's connection lacks before Consentry may change its credentials, and the button that allows it. */
export function CredentialsCapabilityNeeded({ connection, what, onAllow }: { connection: ConnectionView; what: string; onAllow: () => void }) {
  return (
    <Alert color="orange" variant="light" icon={<IconLockOpen size={18} />} title={`First allow “${capabilityText.credentials.title}”`} data-testid="credentials-capability-needed">
      <Stack gap="xs">
        <Text size="sm">
          {what} needs permissions the connection to {connection.label} does not hold yet. You allow them in your browser; nothing changes at the tenant until you go on here.
        </Text>
        <Button size="xs" variant="light" color="orange" w="fit-content" leftSection={<IconLockOpen size={14} />} onClick={onAllow}>
          Allow {capabilityText.credentials.activity} for {connection.label}
        </Button>
      </Stack>
    </Alert>
  );
}
