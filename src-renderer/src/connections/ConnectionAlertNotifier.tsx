import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import type { ConnectionAlert } from '../../../src-shared/contract/connections';
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import { useConsentryEvent } from '../bridge/consentry-bridge';

/** Failures Consentry retries on its own; the others wait for the admin. */
const transientCodes: readonly ErrorCode[] = ['network', 'timeout'];

/** Shows main's 'connections.alert' (refresh failing, reconnect needed) on whichever page is open. */
export function ConnectionAlertNotifier() {
  useConsentryEvent(
    'connections.alert',
    useCallback((alert: ConnectionAlert) => {
      const transient = transientCodes.includes(alert.code);
      const id = `connection-alert-${alert.connectionId}`;
      // The newest word on a connection replaces the one before it.
      notifications.hide(id);
      notifications.show({
        id,
        color: transient ? 'orange' : 'red',
        title: `${alert.label} needs attention`,
        message: [alert.message, alert.nextStep].filter(Boolean).join(' '),
        // What the admin must act on stays until dismissed.
        autoClose: transient ? 15_000 : false,
      });
    }, []),
  );
  return null;
}
