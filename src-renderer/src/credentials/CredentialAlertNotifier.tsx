import { Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRotateClockwise } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { CredentialAlert } from '../../../src-shared/contract/credentials';
import { useConsentry, useConsentryEvent } from '../bridge/consentry-bridge';
import { plural } from '../grants/grant-format';
import { notifyFailure } from '../components/failure-notification';
import { rotatePath } from './credential-links';

function RotateButton({ onClick }: { onClick: () => void }) {
  return (
    <Button size="compact-sm" variant="light" leftSection={<IconRotateClockwise size={14} />} onClick={onClick} style={{ flexShrink: 0 }}>
      Rotate
    </Button>
  );
}

/** One notification holds every alert shown: later ones join it rather than stack on the page. */
const notificationId = 'credential-alerts';
/** How long the notification stays on screen before it steps aside (the alerts stay pending in main). */
const visibleForMs = 20_000;
const alertId = (alert: CredentialAlert) => `${alert.status}|${alert.credentialKey}`;

function AlertList({ alerts, onRotate }: { alerts: CredentialAlert[]; onRotate: (alert: CredentialAlert) => void }) {
  const [only] = alerts;
  if (alerts.length === 1 && only) {
    return (
      <>
        {only.message}
        <Group mt={6}>
          <RotateButton onClick={() => onRotate(only)} />
        </Group>
      </>
    );
  }
  return (
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
            <RotateButton onClick={() => onRotate(alert)} />
          </Group>
        ))}
    </Stack>
  );
}

/** Whether a modal dialog or drawer is open anywhere in the window (Mantine renders them in portals). */
function useDialogOpen(): boolean {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const check = () => setOpen(document.querySelector('[role="dialog"][aria-modal="true"]') !== null);
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true });
    check();
    return () => observer.disconnect();
  }, []);
  return open;
}

/**
 * Shows main's expiry alerts on whichever page is open, with a button into each credential's
 * rotation wizard: those raised before this window listened (asked for once, when it mounts) and
 * those main announces after ('credentials.alert'), in one notification. One credential has its
 * own title; several are listed, so they do not cover the page. Closing the notification, or
 * rotating from it, tells main, which then stops offering that alert to a window opened later.
 * While a dialog is open (the rotation wizard it leads to, any other) the notification steps aside,
 * and comes back when it closes.
 */
export function CredentialAlertNotifier() {
  // Notifications render outside the router: the buttons navigate through this hook, not a <Link>.
  const navigate = useNavigate();
  const client = useConsentry();
  // A dialog's buttons (the wizard it opens, a confirmation) sit where the notification would cover them.
  const dialogOpen = useDialogOpen();
  /** The alerts listed, by credential key. */
  const shown = useRef(new Map<string, CredentialAlert>());
  /** Dismissed here: an answer sent before main heard of it does not bring one back. */
  const dismissed = useRef(new Set<string>());
  const open = useRef(false);
  const aside = useRef(false);
  const stepAside = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** It stepped aside after its time; only new alerts bring it back in this window. */
  const steppedAside = useRef(false);

  const dismiss = useCallback(
    (alerts: CredentialAlert[]) => {
      for (const alert of alerts) {
        dismissed.current.add(alertId(alert));
        shown.current.delete(alert.credentialKey);
      }
      if (alerts.length === 0) return;
      client.call('credentials.dismissAlerts', { credentialKeys: alerts.map((alert) => alert.credentialKey) }).catch((error: unknown) => notifyFailure('Alert not dismissed', error));
    },
    [client],
  );

  const show = useCallback(() => {
    const alerts = [...shown.current.values()];
    const [only] = alerts;
    if (!only || aside.current || steppedAside.current) {
      if (!open.current) return;
      // Hidden, not closed by the admin: what it lists is not dismissed.
      open.current = false;
      notifications.hide(notificationId);
      return;
    }
    const rotate = (alert: CredentialAlert) => {
      dismiss([alert]);
      void navigate(rotatePath(alert.credentialKey));
    };
    const notification = {
      id: notificationId,
      color: alerts.some((alert) => alert.status === 'expired') ? 'red' : 'orange',
      title: alerts.length === 1 ? only.title : `${plural(alerts.length, 'credential')} need rotating`,
      message: <AlertList alerts={alerts} onRotate={rotate} />,
    };
    // It steps aside after a while so it never sits over the page's own controls for long; hidden,
    // not dismissed: main keeps the alerts until the admin dismisses them or rotates.
    if (stepAside.current) clearTimeout(stepAside.current);
    stepAside.current = setTimeout(() => {
      steppedAside.current = true;
      if (!open.current) return;
      open.current = false;
      notifications.hide(notificationId);
    }, visibleForMs);
    if (open.current) {
      notifications.update(notification);
      return;
    }
    open.current = true;
    notifications.show({
      ...notification,
      // Hidden by the timer above, never closed by Mantine: its close counts as the admin's dismissal.
      autoClose: false,
      closeButtonProps: { 'aria-label': 'Dismiss' },
      onClose: () => {
        // Still open: the admin closed it (a hide of ours marked it closed first).
        if (!open.current) return;
        open.current = false;
        dismiss([...shown.current.values()]);
      },
    });
  }, [dismiss, navigate]);

  const merge = useCallback(
    ({ alerts }: { alerts: CredentialAlert[] }) => {
      let changed = false;
      for (const alert of alerts) {
        const listed = shown.current.get(alert.credentialKey);
        if (dismissed.current.has(alertId(alert)) || (listed && alertId(listed) === alertId(alert) && listed.message === alert.message)) continue;
        shown.current.set(alert.credentialKey, alert);
        changed = true;
      }
      if (changed) {
        steppedAside.current = false;
        show();
      }
    },
    [show],
  );

  useConsentryEvent('credentials.alert', merge);
  useEffect(() => {
    // Unanswered, the events still come: a window that cannot ask has nothing else to show.
    client.call('credentials.pendingAlerts', {}).then(merge, () => undefined);
  }, [client, merge]);
  useEffect(() => {
    aside.current = dialogOpen;
    show();
  }, [dialogOpen, show]);
  useEffect(() => () => {
    if (stepAside.current) clearTimeout(stepAside.current);
  }, []);
  return null;
}
