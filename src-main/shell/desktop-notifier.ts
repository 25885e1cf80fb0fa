import { Notification } from 'electron';
import type { DesktopNotifier } from '../connections/connection-service';

/** Desktop notifications through the OS; silently skipped where the OS offers none. */
export function createDesktopNotifier(): DesktopNotifier {
  return ({ title, body }) => {
    if (!Notification.isSupported()) return;
    new Notification({ title, body, silent: false }).show();
  };
}
