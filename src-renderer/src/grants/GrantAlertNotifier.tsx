import { Anchor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import type { GrantAlert } from '../../../src-shared/contract/grants';
import { useConsentryEvent } from '../bridge/consentry-bridge';

const notificationId = 'grants-alert';

/** Shows main's 'grants.alert' (a background scan found new Critical grants) on whichever page is open. */
export function GrantAlertNotifier() {
  // Notifications render outside the router: the link navigates through this hook, not a <Link>.
  const navigate = useNavigate();
  useConsentryEvent(
    'grants.alert',
    useCallback(
      (alert: GrantAlert) => {
        // The newest scan's word replaces the one before it.
        notifications.hide(notificationId);
        notifications.show({
          id: notificationId,
          color: 'red',
          title: alert.criticalGrants === 1 ? 'A new Critical grant' : `${alert.criticalGrants.toLocaleString()} new Critical grants`,
          message: (
            <>
              {alert.message}{' '}
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  notifications.hide(notificationId);
                  void navigate('/grants');
                }}
              >
                Open Grants
              </Anchor>
            </>
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
