import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { RequestScheduler, type FailureKind } from '../../../../src-main/net/request-scheduler';

class ProviderAnswer extends Error {
  constructor(readonly failure: FailureKind) {
    super(failure.kind);
  }
}
const classify = (error: unknown): FailureKind => (error instanceof ProviderAnswer ? error.failure : { kind: 'final' });

/** A call that stays open until the test settles it. */
function pendingCall() {
  let settle!: { resolve: (value: string) => void; reject: (error: unknown) => void };
  const call = vi.fn(() => new Promise<string>((resolve, reject) => (settle = { resolve, reject })));
  return { call, settle: () => settle };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-21T09:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('request scheduler', () => {
  test('runs no more calls at once than its concurrency', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 1_000, initialConcurrency: 3, classify });
    const calls = Array.from({ length: 5 }, () => pendingCall());
    const results = calls.map(({ call }) => scheduler.schedule(call));
    expect(calls.filter(({ call }) => call.mock.calls.length > 0)).toHaveLength(3);
    calls[0]!.settle().resolve('a');
    await results[0];
    expect(calls.filter(({ call }) => call.mock.calls.length > 0)).toHaveLength(4);
  });

  test('keeps the per-minute quota: the next calls wait for the rolling minute', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 5, initialConcurrency: 10, classify });
    const call = vi.fn(async () => 'ok');
    const results = Array.from({ length: 8 }, () => scheduler.schedule(call));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(call).toHaveBeenCalledTimes(5);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(call).toHaveBeenCalledTimes(8);
    expect(await Promise.all(results)).toHaveLength(8);
  });

  test('on a rate-limit answer halves its concurrency, waits for Retry-After, and retries', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 1_000, initialConcurrency: 8, classify });
    let first = true;
    const call = vi.fn(async () => {
      if (first) {
        first = false;
        throw new ProviderAnswer({ kind: 'rate_limited', retryAfterMs: 7_000 });
      }
      return 'ok';
    });
    const result = scheduler.schedule(call);
    await vi.advanceTimersByTimeAsync(10);
    expect(scheduler.stats()).toMatchObject({ concurrency: 4, rateLimited: 1 });
    const other = scheduler.schedule(async () => 'other');
    await vi.advanceTimersByTimeAsync(6_000);
    // Everyone waits out the provider's Retry-After, not only the call that got it.
    expect(call).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(await result).toBe('ok');
    expect(await other).toBe('other');
  });

  test('retries transient failures with growing backoff, then hands back the last failure', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 1_000, maxAttempts: 3, classify, random: () => 1 });
    const call = vi.fn(async () => {
      throw new ProviderAnswer({ kind: 'transient' });
    });
    const result = scheduler.schedule(call);
    result.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(499);
    expect(call).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2);
    expect(call).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call).toHaveBeenCalledTimes(3);
    await expect(result).rejects.toMatchObject({ failure: { kind: 'transient' } });
    expect(scheduler.stats()).toMatchObject({ calls: 3, retries: 2 });
  });

  test('does not retry a final failure', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 1_000, classify });
    const call = vi.fn(async () => {
      throw new ProviderAnswer({ kind: 'final' });
    });
    await expect(scheduler.schedule(call)).rejects.toMatchObject({ failure: { kind: 'final' } });
    expect(call).toHaveBeenCalledTimes(1);
  });

  test('grows its concurrency again after a run of successes', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 10_000, initialConcurrency: 2, maxConcurrency: 4, classify });
    await Promise.all(Array.from({ length: 45 }, () => scheduler.schedule(async () => 'ok')));
    expect(scheduler.stats().concurrency).toBe(4);
  });

  test('cancels queued calls and lets the ones in flight finish', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 1_000, initialConcurrency: 1, classify });
    const controller = new AbortController();
    const running = pendingCall();
    const first = scheduler.schedule(running.call, { signal: controller.signal });
    const queued = vi.fn(async () => 'never');
    const second = scheduler.schedule(queued, { signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    running.settle().resolve('done');
    expect(await first).toBe('done');
    expect(queued).not.toHaveBeenCalled();
  });
});
