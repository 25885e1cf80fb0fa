import { Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRotateClockwise } from '@tabler/icons-react';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import type { CredentialAlert } from '../../../src-shared/contract/credentials';
import { useConsentryEvent } from '../bridge/consentry-bridge';
import { plural } from '../grants/grant-format';
import { rotatePath } from './credential-links';

function RotateButton({ onClick }: { onClick: () => void }) {
  return (
    <Button size="compact-sm" variant="light" leftSection={<IconRotateClockwise size={14} />} onClick={onClick} style={{ flexShrink: 0 }}>
      Rotate
    </Button>
  );
}

/**
 * Shows main's 'credentials.alert' on whichever page is open, with a button into each credential's
 * rotation wizard. One credential, one notification; several at once (the first read of a tenant
 * finds them all) come as one notification listing each, so they do not cover the page.
 */
export function CredentialAlertNotifier() {
  // Notifications render outside the router: the buttons navigate through this hook, not a <Link>.
  const navigate = useNavigate();
  useConsentryEvent(
    'credentials.alert',
    useCallback(
      ({ alerts }: { alerts: CredentialAlert[] }) => {
        const [only] = alerts;
        if (!only) return;
        const id = alerts.length === 1 ? `credential-alert:${only.status}:${only.credentialKey}` : `credential-alerts:${alerts.map((alert) => alert.credentialKey).join(',')}`;
        const rotate = (alert: CredentialAlert) => () => {
          notifications.hide(id);
          void navigate(rotatePath(alert.credentialKey));
        };
        const expired = alerts.filter((alert) => alert.status === 'expired').length;
        notifications.show({
          id,
          color: expired > 0 ? 'red' : 'orange',
          title: alerts.length === 1 ? only.title : `${plural(alerts.length, 'credential')} need rotating`,
          message:
            alerts.length === 1 ? (
              <>
                {only.message}
                <Group mt={6}>
                  <RotateButton onClick={rotate(only)} />
                </Group>
              </>
            ) : (
              // Mantine clips a notification at 200 pixels: the list scrolls inside what is left (a plain
              // box: a ScrollArea's content grows to its widest line, pushing the buttons out of view).
              <Stack gap={4} mt={4} mah={128} pr={4} style={{ overflowY: 'auto' }} data-testid="credential-alert-list">
                {[...alerts]
                  .sort((a, b) => (a.status === b.status ? 0 : a.status === 'expired' ? -1 : 1))
                  .map((alert) => (
                    <Group key={alert.credentialKey} gap="xs" wrap="nowrap" justify="space-between" title={alert.message} data-testid="credential-alert">
                      <Text size="sm" c={alert.status === 'expired' ? 'red' : undefined} truncate style={{ flex: 1, minWidth: 0 }}>
                        {alert.title}
                      </Text>
                      <RotateButton onClick={rotate(alert)} />
                    </Group>
                  ))}
              </Stack>
            ),
          // Something to act on stays until dismissed.
          autoClose: false,
        });
      },
      [navigate],
    ),
  );
  return null;
}
