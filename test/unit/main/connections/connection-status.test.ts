import { describe, expect, test } from 'vitest';
import type { ConnectionRecord } from '../../../../src-main/connections/connection-record';
import { computeStatus, refreshDueAt } from '../../../../src-main/connections/connection-status';
import { firstRetryDelayMs, maxRetryDelayMs, retryDelayMs } from '../../../../src-main/connections/refresh-backoff';

const now = new Date('2026-11-21T12:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000).toISOString();

function record(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    id: 'c1', label: 'Contoso', provider: 'custom', clientId: 'client', hasClientSecret: false, settings: {}, capabilities: [], state: 'connected',
    account: 'alice@example.test', tenant: 'example.test', scopesRequested: ['openid'], scopesGranted: ['openid'], storage: 'encrypted',
    createdAt: minutes(-120), connectedAt: minutes(-120), accessTokenIssuedAt: minutes(-10), accessTokenExpiresAt: minutes(50), lastRefreshAt: null,
    lastError: null, failedRefreshes: 0, nextRetryAt: null, msalHomeAccountId: null, sample: false, ...overrides,
  };
}

describe('connection status', () => {
  test('is active well before expiry, with the refresh planned five minutes ahead', () => {
    const status = computeStatus(record(), now, false);
    expect(status.status).toBe('active');
    expect(status.nextRefreshAt?.toISOString()).toBe(minutes(45));
  });

  test('refreshes short-lived tokens a quarter of their lifetime ahead', () => {
    expect(refreshDueAt({ accessTokenIssuedAt: minutes(0), accessTokenExpiresAt: minutes(4) })?.toISOString()).toBe(minutes(3));
  });

  test('is expiring soon when the planned refresh is near', () => {
    expect(computeStatus(record({ accessTokenExpiresAt: minutes(8) }), now, false).status).toBe('expiring_soon');
  });

  test('is expired once the access token has expired', () => {
    expect(computeStatus(record({ accessTokenExpiresAt: minutes(-1) }), now, false).status).toBe('expired');
  });

  test('is refreshing while a renewal runs', () => {
    expect(computeStatus(record(), now, true).status).toBe('refreshing');
  });

  test('shows refresh failing with the next retry', () => {
    const status = computeStatus(record({ failedRefreshes: 2, nextRetryAt: minutes(1) }), now, false);
    expect(status.status).toBe('refresh_failing');
    expect(status.detail).toContain('2 times in a row');
    expect(status.nextRefreshAt?.toISOString()).toBe(minutes(1));
  });

  test('reports needs reconnect, revoked and error from the stored state, ahead of the clock', () => {
    expect(computeStatus(record({ state: 'needs_reconnect', accessTokenExpiresAt: minutes(-5) }), now, false).status).toBe('needs_reconnect');
    expect(computeStatus(record({ state: 'revoked' }), now, true).status).toBe('revoked');
    expect(computeStatus(record({ state: 'error' }), now, false).status).toBe('error');
  });

  test('is active with no planned refresh when the provider gave no expiry', () => {
    expect(computeStatus(record({ accessTokenExpiresAt: null }), now, false)).toMatchObject({ status: 'active', nextRefreshAt: null });
  });
});

describe('refresh backoff', () => {
  test('doubles per failure from the first delay, within the upper half of the ceiling', () => {
    expect(retryDelayMs(1, () => 0)).toBe(firstRetryDelayMs / 2);
    expect(retryDelayMs(1, () => 1)).toBe(firstRetryDelayMs);
    expect(retryDelayMs(3, () => 1)).toBe(firstRetryDelayMs * 4);
  });

  test('never waits longer than the cap', () => {
    expect(retryDelayMs(50, () => 1)).toBe(maxRetryDelayMs);
  });

  test('spreads connections that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
