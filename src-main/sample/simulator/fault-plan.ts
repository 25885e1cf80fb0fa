/**
 * What can go wrong on the way to a simulated API, decided per call before the route runs:
 * latency drawn from a range, an error rate, a timed outage, and the provider's quota (Google:
 * queries per minute per project → 403 userRateLimitExceeded; Graph: 429 with Retry-After).
 */
import { SeededRandom } from '../seeded-random';
import type { ApiResponse, ApiRoute, ApiRequest } from './api-router';

/** How a provider says "slow down" and "try again later". */
export interface ApiFaultShapes {
  rateLimited(retryAfterSeconds: number): ApiResponse;
  /** `retryAfterSeconds` overrides the wait the provider's own answer names, where it names one. */
  unavailable(retryAfterSeconds?: number): ApiResponse;
}

export interface FaultPlanOptions {
  /** Share of calls answered with a transient error (0–1). */
  errorRate?: number;
  /** Each call waits a uniformly drawn time in this range, in milliseconds. */
  latencyMs?: readonly [number, number];
  /**
   * The Retry-After of an unavailable answer, for providers that send one (Graph: 2 s). Clients
   * wait it out in real time, so fault tests set 0 and run in a second rather than minutes.
   */
  unavailableRetryAfterSeconds?: number;
  /** Every call in this window (ms after the plan starts) fails as unavailable. */
  outage?: { startsAfterMs: number; lastsMs: number };
  /** Calls allowed per rolling window (a minute unless `quotaWindowMs` says otherwise); more are rate-limited. */
  quotaPerMinute?: number;
  /** Length of the quota window: a minute as at the provider; tests shorten it so a quota run takes seconds. */
  quotaWindowMs?: number;
  seed?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createFaultPlan(shapes: ApiFaultShapes, options: FaultPlanOptions = {}): (route: ApiRoute, request: ApiRequest) => Promise<ApiResponse | undefined> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = new SeededRandom(options.seed ?? 1);
  const windowMs = options.quotaWindowMs ?? 60_000;
  const startedAt = clock();
  /** Start times of the calls counted in the current rolling window. */
  const window: number[] = [];
  return async () => {
    const [low, high] = options.latencyMs ?? [0, 0];
    const delay = low + random.next() * Math.max(0, high - low);
    if (delay > 0) await sleep(delay);
    const now = clock();
    if (options.outage) {
      const elapsed = now - startedAt;
      if (elapsed >= options.outage.startsAfterMs && elapsed < options.outage.startsAfterMs + options.outage.lastsMs) return shapes.unavailable(options.unavailableRetryAfterSeconds);
    }
    if (options.quotaPerMinute !== undefined) {
      while (window.length > 0 && window[0]! <= now - windowMs) window.shift();
      if (window.length >= options.quotaPerMinute) {
        return shapes.rateLimited(Math.max(1, Math.ceil((window[0]! + windowMs - now) / 1_000)));
      }
      window.push(now);
    }
    if (options.errorRate && random.chance(options.errorRate)) return shapes.unavailable(options.unavailableRetryAfterSeconds);
    return undefined;
  };
}
