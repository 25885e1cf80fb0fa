import type { ConnectionStatus } from '../../src-shared/contract/connections';
import type { ConnectionRecord } from './connection-record';

/** Refresh this long before expiry at most… */
const maxRefreshLead = 5 * 60_000;
/** …or a quarter of the token's lifetime when that is shorter (short-lived tokens). */
const refreshLeadShare = 0.25;

/** When the access token should be renewed: ahead of expiry, by at most five minutes. */
export function refreshDueAt(record: Pick<ConnectionRecord, 'accessTokenIssuedAt' | 'accessTokenExpiresAt'>): Date | null {
  if (!record.accessTokenExpiresAt) return null;
  const expires = Date.parse(record.accessTokenExpiresAt);
  const issued = record.accessTokenIssuedAt ? Date.parse(record.accessTokenIssuedAt) : expires - 60 * 60_000;
  const lead = Math.min(maxRefreshLead, Math.max(0, (expires - issued) * refreshLeadShare));
  return new Date(expires - lead);
}

export interface ComputedStatus {
  status: ConnectionStatus;
  detail: string;
  nextRefreshAt: Date | null;
}

/** The status shown for a connection at `now`. Pure: the same record and clock give the same answer. */
export function computeStatus(record: ConnectionRecord, now: Date, refreshing: boolean): ComputedStatus {
  switch (record.state) {
    case 'revoked':
      return { status: 'revoked', detail: 'Disconnected: tokens were revoked or deleted. Reconnect to use it again.', nextRefreshAt: null };
    case 'needs_reconnect':
      return { status: 'needs_reconnect', detail: record.lastError?.message ?? 'The provider no longer accepts this sign-in. Reconnect.', nextRefreshAt: null };
    case 'error':
      return { status: 'error', detail: record.lastError?.message ?? 'The connection failed.', nextRefreshAt: null };
    case 'connected':
      break;
  }
  if (refreshing) return { status: 'refreshing', detail: 'Renewing the access token now.', nextRefreshAt: null };
  const due = refreshDueAt(record);
  if (record.failedRefreshes > 0) {
    const retry = record.nextRetryAt ? new Date(record.nextRetryAt) : null;
    return {
      status: 'refresh_failing',
      detail: `Renewal failed ${record.failedRefreshes === 1 ? 'once' : `${record.failedRefreshes} times in a row`}${retry ? '; Consentry tries again at the next refresh time shown' : ''}.`,
      nextRefreshAt: retry,
    };
  }
  if (!record.accessTokenExpiresAt) return { status: 'active', detail: 'Connected. The provider gave no expiry for the access token.', nextRefreshAt: null };
  const expires = new Date(record.accessTokenExpiresAt);
  if (expires.getTime() <= now.getTime()) return { status: 'expired', detail: 'The access token has expired; Consentry renews it now.', nextRefreshAt: now };
  if (due && now.getTime() >= due.getTime() - (expires.getTime() - due.getTime())) {
    return { status: 'expiring_soon', detail: 'The access token expires soon; its renewal is scheduled.', nextRefreshAt: due };
  }
  return { status: 'active', detail: 'Connected. The access token is renewed automatically before it expires.', nextRefreshAt: due };
}
