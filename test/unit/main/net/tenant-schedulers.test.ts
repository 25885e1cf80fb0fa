import { describe, expect, test } from 'vitest';
import { TenantSchedulers } from '../../../../src-main/net/tenant-schedulers';

const policies = { google: { classify: () => ({ kind: 'final' as const }), defaultQuotaPerMinute: 2_400 } };

describe('one scheduler per tenant', () => {
  test('hands every feature of a connection the same scheduler', () => {
    const schedulers = new TenantSchedulers(policies);
    expect(schedulers.for('a', 'google')).toBe(schedulers.for('a', 'google'));
    expect(schedulers.for('a', 'google')).not.toBe(schedulers.for('b', 'google'));
  });

  test('a changed quota setting gives the connection a scheduler with that quota', () => {
    const schedulers = new TenantSchedulers(policies);
    const first = schedulers.for('a', 'google');
    const slower = schedulers.for('a', 'google', 600);
    expect(slower).not.toBe(first);
    expect(schedulers.for('a', 'google', 600)).toBe(slower);
  });

  test('refuses a provider whose API Consentry does not call', () => {
    expect(() => new TenantSchedulers(policies).for('z', 'zoom')).toThrow(expect.objectContaining({ code: 'not_supported' }));
  });
});
