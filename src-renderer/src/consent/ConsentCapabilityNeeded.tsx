import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useConnectionList } from '../bridge/queries';
import { ReconnectDialog, type ReconnectIntent } from '../connections/ReconnectDialog';

/**
 * Allowing the consent capability on a connection, through the same sign-in as anywhere else.
 * A dialog that offers it hides itself while `allowing` (one modal at a time), and plans again in
 * `onDone`, since main's plan says what is still missing.
 */
export function useAllowConsentCapability(onDone?: () => void): { allowing: boolean; allow: (connectionId: string) => void; dialog: ReactNode } {
  const connections = useConnectionList();
  const [intent, setIntent] = useState<ReconnectIntent | null>(null);
  const allow = (connectionId: string) => {
    const connection = connections.data?.connections.find((candidate) => candidate.id === connectionId);
    if (connection) setIntent({ connection, capability: 'consent' });
  };
  const dialog = (
    <ReconnectDialog
      intent={intent}
      onClose={() => {
        setIntent(null);
        onDone?.();
      }}
    />
  );
  return { allowing: intent !== null, allow, dialog };
}

/** What a tenant's connection lacks for consent work, and the button that allows it. */
export function ConsentCapabilityNeeded({
  label,
  missingScopes,
  onAllow,
  what = 'This change',
}: {
  label: string;
  missingScopes: string[];
  onAllow: () => void;
  what?: string;
}) {
  return (
    <Alert color="orange" variant="light" icon={<IconLockOpen size={18} />} title={`${label} needs the consent capability first`} data-testid="consent-capability-needed">
      <Stack gap="xs">
        <Text size="sm">
          {what} needs scopes the connection does not hold yet. Allowing “Manage admin consent” asks for them in your browser; nothing changes
          at the tenant until you confirm.
        </Text>
        {missingScopes.length > 0 && (
          <Group gap={6}>
            {missingScopes.map((scope) => (
              <Code key={scope}>{scope}</Code>
            ))}
          </Group>
        )}
        <Button size="xs" variant="light" color="orange" w="fit-content" leftSection={<IconLockOpen size={14} />} onClick={onAllow}>
          Allow managing admin consent for {label}
        </Button>
      </Stack>
    </Alert>
  );
}
