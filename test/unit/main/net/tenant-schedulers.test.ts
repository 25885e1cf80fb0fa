import { describe, expect, test, vi } from 'vitest';
import { TenantSchedulers } from '../../../../src-main/net/tenant-schedulers';

const policies = { google: { classify: () => ({ kind: 'final' as const }), defaultQuotaPerMinute: 2_400 } };

/** A provider call that stays open until the test answers it. */
function heldCall() {
  let answer!: () => void;
  const call = vi.fn(() => new Promise<string>((resolve) => (answer = () => resolve('ok'))));
  return { call, answer: () => answer() };
}

describe('one scheduler per tenant', () => {
  test('hands every feature of a connection the same scheduler', () => {
    const schedulers = new TenantSchedulers(policies);
    expect(schedulers.for('a', 'google')).toBe(schedulers.for('a', 'google'));
    expect(schedulers.for('a', 'google')).not.toBe(schedulers.for('b', 'google'));
  });

  test('a changed quota setting retunes the connection’s scheduler instead of replacing it', () => {
    const schedulers = new TenantSchedulers(policies);
    const first = schedulers.for('a', 'google');
    expect(schedulers.for('a', 'google', 600)).toBe(first);
    expect(first.stats().quotaPerMinute).toBe(600);
    schedulers.retune('a', 'google', undefined);
    expect(first.stats().quotaPerMinute).toBe(2_400);
  });

  test('a quota lowered while calls are in flight keeps counting them', async () => {
    const schedulers = new TenantSchedulers(policies);
    const running = schedulers.for('a', 'google', 10);
    const held = Array.from({ length: 8 }, () => heldCall());
    const results = held.map(({ call }) => running.schedule(call));
    expect(held.every(({ call }) => call.mock.calls.length === 1)).toBe(true);

    // The admin lowers the quota to 5 while the 8 calls are out.
    const next = vi.fn(async () => 'ok');
    void schedulers.for('a', 'google', 5).schedule(next);
    await Promise.resolve();
    expect(next).not.toHaveBeenCalled();

    // Answered within the window they still count: 8 of 5 are used until the window rolls on.
    for (const { answer } of held) answer();
    await Promise.all(results);
    expect(next).not.toHaveBeenCalled();
    expect(running.stats()).toMatchObject({ quotaPerMinute: 5, quotaInUse: 8, queued: 1 });
  });

  test('a raised quota sends the calls that were waiting for it', async () => {
    const schedulers = new TenantSchedulers(policies);
    const held = Array.from({ length: 6 }, () => heldCall());
    const results = held.map(({ call }) => schedulers.for('a', 'google', 5).schedule(call));
    expect(held.filter(({ call }) => call.mock.calls.length === 1)).toHaveLength(5);
    schedulers.retune('a', 'google', 10);
    expect(held.filter(({ call }) => call.mock.calls.length === 1)).toHaveLength(6);
    for (const { answer } of held) answer();
    await Promise.all(results);
  });

  test('forgets a connection’s scheduler, and retuning one it never made makes none', () => {
    const schedulers = new TenantSchedulers(policies);
    schedulers.for('a', 'google');
    schedulers.forget('a');
    expect(schedulers.has('a')).toBe(false);
    schedulers.retune('b', 'google', 100);
    expect(schedulers.has('b')).toBe(false);
  });

  test('refuses a provider whose API Consentry does not call', () => {
    expect(() => new TenantSchedulers(policies).for('z', 'zoom')).toThrow(expect.objectContaining({ code: 'not_supported' }));
  });
});
