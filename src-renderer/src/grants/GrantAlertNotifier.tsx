import { Anchor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import { Link } from 'react-router';
import type { GrantAlert } from '../../../src-preload/contract';
import { useConsentryEvent } from '../bridge/consentry-bridge';

/** Shows main's 'grants.alert' (a background scan found new Critical grants) on whichever page is open. */
export function GrantAlertNotifier() {
  useConsentryEvent(
    'grants.alert',
    useCallback((alert: GrantAlert) => {
      const id = 'grants-alert';
      // The newest scan's word replaces the one before it.
      notifications.hide(id);
      notifications.show({
        id,
        color: 'red',
        title: alert.criticalGrants === 1 ? 'A new Critical grant' : `${alert.criticalGrants.toLocaleString()} new Critical grants`,
        message: (
          <>
            {alert.message}{' '}
            <Anchor component={Link} to="/grants" size="sm" onClick={() => notifications.hide(id)}>
              Open Grants
            </Anchor>
          </>
        ),
        // Something to act on stays until dismissed.
        autoClose: false,
      });
    }, []),
  );
  return null;
}
