import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import type { ConnectionView } from '../../../src-shared/contract/connections';
import { useConnectionList } from '../bridge/queries';
import { capabilityText } from '../connections/capability-text';
import { ReconnectDialog, type ReconnectIntent } from '../connections/ReconnectDialog';

/**
 * Allowing "Rotate keys and secrets" on a connection, through the same sign-in as anywhere else.
 * A dialog that offers it hides itself while `allowing` (one modal at a time); `onDone` follows the
 * sign-in, whether it was completed or given up.
 */
export function useAllowCredentialsCapability(onDone?: (connectionId: string) => void): { allowing: boolean; allow: (connectionId: string) => void; dialog: ReactNode } {
  const connections = useConnectionList();
  const [intent, setIntent] = useState<ReconnectIntent | null>(null);
  const allow = (connectionId: string) => {
    const connection = connections.data?.connections.find((candidate) => candidate.id === connectionId);
    if (connection) setIntent({ connection, capability: 'credentials' });
  };
  const dialog = (
    <ReconnectDialog
      intent={intent}
      onClose={() => {
        if (intent) onDone?.(intent.connection.id);
        setIntent(null);
      }}
    />
  );
  return { allowing: intent !== null, allow, dialog };
}

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
