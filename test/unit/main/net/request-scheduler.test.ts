import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { AppError } from '../../../../src-main/errors/app-error';
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
  vi.restoreAllMocks();
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

  test('keeps the quota over a shorter window when given one, and paces over that window', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 5, quotaWindowMs: 2_000, initialConcurrency: 10, classify });
    const call = vi.fn(async () => 'ok');
    const results = Array.from({ length: 8 }, () => scheduler.schedule(call));
    await vi.advanceTimersByTimeAsync(1_900);
    expect(call).toHaveBeenCalledTimes(5);
    await vi.advanceTimersByTimeAsync(200);
    expect(call).toHaveBeenCalledTimes(8);
    await Promise.all(results);

    // Past a burst of 10, 60 calls per 6 s go one per 100 ms.
    const paced = new RequestScheduler({ quotaPerMinute: 60, quotaWindowMs: 6_000, burst: 10, initialConcurrency: 64, classify });
    const pacedCall = vi.fn(async () => 'ok');
    const pacedResults = Array.from({ length: 30 }, () => paced.schedule(pacedCall));
    await vi.advanceTimersByTimeAsync(10);
    expect(pacedCall).toHaveBeenCalledTimes(10);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pacedCall).toHaveBeenCalledTimes(20);
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(pacedResults);
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

  test('hands back an AppError at once, even when the classifier would call it transient', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 1_000, classify: () => ({ kind: 'transient' }) });
    const call = vi.fn(async () => {
      throw new AppError('needs_reconnect', 'Acme has no valid access token.');
    });
    const result = scheduler.schedule(call);
    result.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(result).rejects.toMatchObject({ code: 'needs_reconnect' });
    expect(call).toHaveBeenCalledTimes(1);
    expect(scheduler.stats()).toMatchObject({ calls: 1, retries: 0 });
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

  test('past its burst, paces calls evenly over the minute instead of spending the quota at once and stalling', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 60, burst: 10, initialConcurrency: 64, classify });
    const call = vi.fn(async () => 'ok');
    const results = Array.from({ length: 30 }, () => scheduler.schedule(call));
    await vi.advanceTimersByTimeAsync(10);
    expect(call).toHaveBeenCalledTimes(10);
    // One a second (60 a minute) from then on.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(call).toHaveBeenCalledTimes(15);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(call).toHaveBeenCalledTimes(30);
    await Promise.all(results);
  });

  test('keeps its paced rate when its timers fire late', async () => {
    const onTime = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((handler: () => void, ms?: number) => onTime(handler, (ms ?? 0) + 7)) as typeof setTimeout);
    // One call per 100 ms once past a burst of one.
    const scheduler = new RequestScheduler({ quotaPerMinute: 600, burst: 1, initialConcurrency: 8, classify });
    const call = vi.fn(async () => 'ok');
    const results = Array.from({ length: 120 }, () => scheduler.schedule(call));
    await vi.advanceTimersByTimeAsync(10_050);
    // 7 ms late each time would make it one call per 107 ms (94 in 10 s) if the lateness added up.
    expect(call.mock.calls.length).toBeGreaterThanOrEqual(100);
    await vi.advanceTimersByTimeAsync(3_000);
    await Promise.all(results);
  });

  test('defaults its burst to a quarter of the quota, so short jobs are not paced at all', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 2_400, initialConcurrency: 64, classify });
    const call = vi.fn(async () => 'ok');
    const results = Array.from({ length: 700 }, () => scheduler.schedule(call));
    await vi.advanceTimersByTimeAsync(10);
    expect(call).toHaveBeenCalledTimes(600);
    await vi.advanceTimersByTimeAsync(100 * 25);
    expect(call).toHaveBeenCalledTimes(700);
    await Promise.all(results);
  });

  test('holds a call’s quota slot until a minute after its answer, as the provider counts it on arrival', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 2, initialConcurrency: 8, classify });
    const slow = vi.fn(() => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), 5_000)));
    const results = Array.from({ length: 3 }, () => scheduler.schedule(slow));
    await vi.advanceTimersByTimeAsync(61_000);
    // Sent at 0 s and answered at 5 s: the third may not go before 65 s.
    expect(slow).toHaveBeenCalledTimes(2);
    expect(scheduler.stats().quotaInUse).toBe(2);
    await vi.advanceTimersByTimeAsync(4_100);
    expect(slow).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(results);
  });

  test('counts a call’s cost against the quota, for batches whose inner calls each count', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 100, initialConcurrency: 8, classify });
    const batch = vi.fn(async () => 'batch');
    const single = vi.fn(async () => 'single');
    const results = [scheduler.schedule(batch, { cost: 80 }), scheduler.schedule(batch, { cost: 30 }), scheduler.schedule(single)];
    await vi.advanceTimersByTimeAsync(10);
    // 80 + 30 is over the quota: the second batch waits for the minute, and the single call behind it too.
    expect(batch).toHaveBeenCalledTimes(1);
    expect(scheduler.stats().quotaInUse).toBe(80);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(batch).toHaveBeenCalledTimes(2);
    expect(single).toHaveBeenCalledTimes(1);
    await Promise.all(results);
  });

  test('sends an urgent call ahead of those already waiting', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 1_000, initialConcurrency: 1, maxConcurrency: 1, classify });
    const order: string[] = [];
    const named = (name: string) => async () => {
      order.push(name);
      return name;
    };
    const running = pendingCall();
    const first = scheduler.schedule(running.call);
    const waiting = ['a', 'b', 'c'].map((name) => scheduler.schedule(named(name)));
    const nextPage = scheduler.schedule(named('next page'), { urgent: true });
    running.settle().resolve('first');
    await Promise.all([first, ...waiting, nextPage]);
    expect(order).toEqual(['next page', 'a', 'b', 'c']);
  });

  test('sends calls in the order they were scheduled, however many wait', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 100_000, initialConcurrency: 4, maxConcurrency: 4, classify });
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 5_000 }, (_, index) =>
        scheduler.schedule(async () => {
          order.push(index);
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 5_000 }, (_, index) => index));
  });

  test('listens once per abort signal however many calls share it, and lets go once they are settled', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 1_000, initialConcurrency: 2, classify });
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, 'addEventListener');
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    await Promise.all(Array.from({ length: 50 }, () => scheduler.schedule(async () => 'ok', { signal: controller.signal })));
    expect(added).toHaveBeenCalledTimes(1);
    expect(removed).toHaveBeenCalledTimes(1);
  });

  test('cancels a retry waiting for its backoff', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 1_000, classify, random: () => 1 });
    const controller = new AbortController();
    const call = vi.fn(async () => {
      throw new ProviderAnswer({ kind: 'transient' });
    });
    const result = scheduler.schedule(call, { signal: controller.signal });
    result.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    expect(scheduler.stats()).toMatchObject({ queued: 1, retries: 1 });
    controller.abort();
    await expect(result).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call).toHaveBeenCalledTimes(1);
    expect(scheduler.stats()).toMatchObject({ queued: 0, inFlight: 0 });
  });
});
