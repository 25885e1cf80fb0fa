import { notifications } from '@mantine/notifications';
import { asBridgeError } from '../bridge/bridge-failure';

/** A red notification with main's sentence and its next step. */
export function notifyFailure(title: string, error: unknown): void {
  const failure = asBridgeError(error);
  notifications.show({
    color: 'red',
    title,
    message: [failure.message, failure.nextStep].filter(Boolean).join(' '),
    autoClose: 10_000,
  });
}
