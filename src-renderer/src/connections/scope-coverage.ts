import type { ConnectionView } from '../../../src-shared/contract/connections';

/**
 * Requested scopes the provider did not grant, and granted ones nobody asked for here (earlier
 * consents some providers keep). Compared as exact strings: OAuth scopes are case-sensitive
 * (RFC 6749 §3.3).
 */
export function scopeCoverage(connection: Pick<ConnectionView, 'scopesRequested' | 'scopesGranted'>) {
  const granted = new Set(connection.scopesGranted);
  const requested = new Set(connection.scopesRequested);
  const notGranted = connection.scopesRequested.filter((scope) => !granted.has(scope));
  return {
    requested: connection.scopesRequested.length,
    grantedOfRequested: connection.scopesRequested.length - notGranted.length,
    notGranted,
    alsoGranted: connection.scopesGranted.filter((scope) => !requested.has(scope)),
  };
}
