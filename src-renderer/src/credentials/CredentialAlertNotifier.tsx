import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRotateClockwise } from '@tabler/icons-react';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import type { CredentialAlert } from '../../../src-shared/contract/credentials';
import { useConsentryEvent } from '../bridge/consentry-bridge';
import { rotatePath } from './credential-links';

/**
 * Shows main's 'credentials.alert' on whichever page is open: one notification per credential that
 * entered the warning window or expired, with a button into its rotation wizard.
 */
export function CredentialAlertNotifier() {
  // Notifications render outside the router: the button navigates through this hook, not a <Link>.
  const navigate = useNavigate();
  useConsentryEvent(
    'credentials.alert',
    useCallback(
      ({ alerts }: { alerts: CredentialAlert[] }) => {
        for (const alert of alerts) {
          const id = `credential-alert:${alert.status}:${alert.credentialKey}`;
          notifications.show({
            id,
            color: alert.status === 'expired' ? 'red' : 'orange',
            title: alert.title,
            message: (
              <>
                {alert.message}
                <Button
                  display="block"
                  mt={6}
                  size="compact-sm"
                  variant="light"
                  leftSection={<IconRotateClockwise size={14} />}
                  onClick={() => {
                    notifications.hide(id);
                    void navigate(rotatePath(alert.credentialKey));
                  }}
                >
                  Rotate
                </Button>
              </>
            ),
            // Something to act on stays until dismissed.
            autoClose: false,
          });
        }
      },
      [navigate],
    ),
  );
  return null;
}
