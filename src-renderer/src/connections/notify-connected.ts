import { notifications } from '@mantine/notifications';
import type { ConnectionView } from '../../../src-shared/contract/connections';
import { scopeCoverage } from './scope-coverage';

/** The result of a sign-in; orange when the provider granted less than was asked. */
export function notifyConnected(title: string, connection: ConnectionView): void {
  const coverage = scopeCoverage(connection);
  const who = connection.account ? ` as ${connection.account}` : '';
  notifications.show({
    color: coverage.notGranted.length > 0 ? 'orange' : 'teal',
    title,
    message:
      coverage.notGranted.length > 0
        ? `${connection.label} is connected${who}, but ${connection.providerLabel} granted ${coverage.grantedOfRequested} of the ${coverage.requested} scopes asked for. The connection's details list the missing ones.`
        : `${connection.label} is connected${who} with ${coverage.requested} scopes.`,
  });
}
