/**
 * What can go wrong on the way to a simulated API. Decided per call before the route runs:
 * latency drawn from a range, an error rate, a timed outage, and the provider's quota (Google:
 * queries per minute per project → 403 userRateLimitExceeded; Graph: 429 with Retry-After).
 * Decided after it ran: a lost answer, where the provider applied the change but the client never
 * hears so (a 5xx from a gateway, or the connection dropped), so a client that sends the call
 * again blindly applies it twice.
 */
import { SeededRandom } from '../seeded-random';
import type { ApiResponse, ApiRoute, ApiRequest, LostAnswer } from './api-router';

/** How a provider says "slow down" and "try again later". */
export interface ApiFaultShapes {
  rateLimited(retryAfterSeconds: number): ApiResponse;
  /** `retryAfterSeconds` overrides the wait the provider's own answer names, where it names one; null: it names none. */
  unavailable(retryAfterSeconds?: number | null): ApiResponse;
}

export interface FaultPlanOptions {
  /** Share of calls answered with a transient error (0–1). */
  errorRate?: number;
  /** Each call waits a uniformly drawn time in this range, in milliseconds. */
  latencyMs?: readonly [number, number];
  /**
   * The Retry-After of an unavailable answer, for providers that send one (Graph: 2 s). Clients
   * wait it out in real time, so fault tests set 0 and run in a second rather than minutes. Null:
   * none is sent (Graph's reference says it may be left out), a plain transient failure.
   */
  unavailableRetryAfterSeconds?: number | null;
  /** Every call in this window (ms after the plan starts) fails as unavailable. */
  outage?: { startsAfterMs: number; lastsMs: number };
  /** Calls allowed per rolling window (a minute unless `quotaWindowMs` says otherwise); more are rate-limited. */
  quotaPerMinute?: number;
  /** Length of the quota window: a minute as at the provider; tests shorten it so a quota run takes seconds. */
  quotaWindowMs?: number;
  /**
   * Share (0–1) of the calls that applied a change (their handler named effects) whose answer is
   * then lost: the change stays applied and its effects stay in the request log, but the client
   * gets an unavailable answer or a dropped connection instead. Calls that changed nothing are
   * always answered.
   */
  lostAnswerRate?: number;
  /** Only calls of these routes (their request-log names, e.g. `okta.users.suspend`) may lose their answer; every route when absent. */
  lostAnswerRoutes?: readonly string[];
  /**
   * How an answer is lost: `unavailable` (the provider's 5xx), `dropped` (the connection closes
   * unanswered) or `either`, drawn per call (the default). A call inside a batch cannot drop the
   * batch's connection: it is answered unavailable.
   */
  lostAnswerAs?: 'unavailable' | 'dropped' | 'either';
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

/** A seed of its own, so planning lost answers leaves the draws of the other faults as they were. */
const lostAnswerSeedOffset = 7_919;

/**
 * The post-handler half of the plan: given a route's answer, whether it is lost (see
 * `lostAnswerRate`); undefined when no answer is ever lost.
 */
export function createLostAnswerPlan(shapes: ApiFaultShapes, options: FaultPlanOptions = {}): ((route: ApiRoute, answer: ApiResponse, canDrop: boolean) => LostAnswer | undefined) | undefined {
  const rate = options.lostAnswerRate ?? 0;
  if (rate <= 0) return undefined;
  const random = new SeededRandom((options.seed ?? 1) + lostAnswerSeedOffset);
  const routes = options.lostAnswerRoutes ? new Set(options.lostAnswerRoutes) : null;
  const as = options.lostAnswerAs ?? 'either';
  return (route, answer, canDrop) => {
    if (!answer.effects?.length || (routes && !routes.has(route.name)) || !random.chance(rate)) return undefined;
    const dropped = canDrop && (as === 'dropped' || (as === 'either' && random.chance(0.5)));
    return dropped ? { as: 'dropped' } : { as: 'unavailable', answer: shapes.unavailable(options.unavailableRetryAfterSeconds) };
  };
}
