/**
 * The one outbound request scheduler of a tenant, shared by every feature that calls its provider:
 * it keeps the provider's quota over a rolling minute, adapts how many calls run at once (halving
 * on a rate-limit answer, growing again after a run of successes), honours Retry-After, and retries
 * transient failures with capped exponential backoff and jitter. A call that still fails is handed
 * back to its caller with the reason, never dropped silently.
 */
import { jitteredBackoffMs } from './jittered-backoff';

/** What a failed call means for the schedule. */
export type FailureKind =
  | { kind: 'rate_limited'; retryAfterMs: number | null }
  | { kind: 'transient' }
  | { kind: 'final' };

export interface RequestSchedulerOptions {
  /** Calls allowed per rolling minute (Google's Directory API default: 2,400). */
  quotaPerMinute: number;
  initialConcurrency?: number;
  maxConcurrency?: number;
  /** Tries for transient failures, the first included. */
  maxAttempts?: number;
  /** Rate-limit answers tolerated for one call before it is given up. */
  maxRateLimitRetries?: number;
  /** How a thrown error should be treated. */
  classify(error: unknown): FailureKind;
  clock?: () => number;
  random?: () => number;
}

export interface SchedulerStats {
  calls: number;
  retries: number;
  rateLimited: number;
  concurrency: number;
  inFlight: number;
  queued: number;
}

interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  attempts: number;
  rateLimits: number;
  /** Not before this time (a backoff or Retry-After of its own). */
  notBefore: number;
  signal: AbortSignal | undefined;
}

const minuteMs = 60_000;
const successesToGrow = 20;
const baseBackoffMs = 500;
const maxBackoffMs = 30_000;

export class SchedulerCancelled extends Error {
  constructor() {
    super('The call was cancelled before it was sent.');
    this.name = 'AbortError';
  }
}

export class RequestScheduler {
  readonly #options: Required<Omit<RequestSchedulerOptions, 'classify'>> & Pick<RequestSchedulerOptions, 'classify'>;
  readonly #queue: Job[] = [];
  /** Start times of the calls sent in the rolling minute. */
  readonly #sent: number[] = [];
  #concurrency: number;
  #inFlight = 0;
  #successStreak = 0;
  /** Nothing is sent before this time (a provider-wide Retry-After). */
  #pausedUntil = 0;
  #wake: NodeJS.Timeout | undefined;
  readonly #stats = { calls: 0, retries: 0, rateLimited: 0 };

  constructor(options: RequestSchedulerOptions) {
    this.#options = {
      initialConcurrency: 8,
      maxConcurrency: 64,
      maxAttempts: 6,
      maxRateLimitRetries: 20,
      clock: Date.now,
      random: Math.random,
      ...options,
    };
    this.#concurrency = Math.min(this.#options.initialConcurrency, this.#options.maxConcurrency);
  }

  /** Runs `call` under the schedule; resolves with its result or rejects with its last failure. */
  schedule<T>(call: () => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new SchedulerCancelled());
        return;
      }
      const job: Job = { run: call, resolve: resolve as (value: unknown) => void, reject, attempts: 0, rateLimits: 0, notBefore: 0, signal: options.signal };
      options.signal?.addEventListener(
        'abort',
        () => {
          const index = this.#queue.indexOf(job);
          if (index !== -1) {
            this.#queue.splice(index, 1);
            reject(new SchedulerCancelled());
          }
        },
        { once: true },
      );
      this.#queue.push(job);
      this.#pump();
    });
  }

  stats(): SchedulerStats {
    return { ...this.#stats, concurrency: this.#concurrency, inFlight: this.#inFlight, queued: this.#queue.length };
  }

  #pump(): void {
    clearTimeout(this.#wake);
    this.#wake = undefined;
    const now = this.#options.clock();
    while (this.#sent.length > 0 && this.#sent[0]! <= now - minuteMs) this.#sent.shift();
    let nextWake = Number.POSITIVE_INFINITY;
    while (this.#inFlight < this.#concurrency && this.#queue.length > 0) {
      if (now < this.#pausedUntil) {
        nextWake = Math.min(nextWake, this.#pausedUntil);
        break;
      }
      if (this.#sent.length >= this.#options.quotaPerMinute) {
        nextWake = Math.min(nextWake, this.#sent[0]! + minuteMs);
        break;
      }
      const index = this.#queue.findIndex((job) => job.notBefore <= now);
      if (index === -1) {
        nextWake = Math.min(nextWake, ...this.#queue.map((job) => job.notBefore));
        break;
      }
      const [job] = this.#queue.splice(index, 1);
      this.#sent.push(now);
      void this.#send(job!);
    }
    if (Number.isFinite(nextWake) && this.#queue.length > 0) {
      this.#wake = setTimeout(() => this.#pump(), Math.max(1, nextWake - now));
      this.#wake.unref?.();
    }
  }

  async #send(job: Job): Promise<void> {
    this.#inFlight += 1;
    job.attempts += 1;
    this.#stats.calls += 1;
    try {
      const value = await job.run();
      this.#succeeded();
      job.resolve(value);
    } catch (error) {
      this.#failed(job, error);
    } finally {
      this.#inFlight -= 1;
      this.#pump();
    }
  }

  #succeeded(): void {
    this.#successStreak += 1;
    if (this.#successStreak >= successesToGrow && this.#concurrency < this.#options.maxConcurrency) {
      this.#concurrency += 1;
      this.#successStreak = 0;
    }
  }

  #failed(job: Job, error: unknown): void {
    this.#successStreak = 0;
    const failure = this.#options.classify(error);
    const now = this.#options.clock();
    if (job.signal?.aborted) {
      job.reject(error);
      return;
    }
    if (failure.kind === 'rate_limited') {
      this.#stats.rateLimited += 1;
      this.#concurrency = Math.max(1, Math.floor(this.#concurrency / 2));
      job.rateLimits += 1;
      if (job.rateLimits > this.#options.maxRateLimitRetries) {
        job.reject(error);
        return;
      }
      const wait = failure.retryAfterMs ?? this.#backoff(job.rateLimits);
      // The provider asked everyone to slow down, not just this call.
      this.#pausedUntil = Math.max(this.#pausedUntil, now + wait);
      this.#retry(job, now + wait);
      return;
    }
    if (failure.kind === 'transient' && job.attempts < this.#options.maxAttempts) {
      this.#retry(job, now + this.#backoff(job.attempts));
      return;
    }
    job.reject(error);
  }

  #retry(job: Job, notBefore: number): void {
    this.#stats.retries += 1;
    job.notBefore = notBefore;
    // Retries go first: the oldest work finishes before new work starts.
    this.#queue.unshift(job);
  }

  #backoff(attempt: number): number {
    return jitteredBackoffMs(attempt, { firstMs: baseBackoffMs, maxMs: maxBackoffMs }, this.#options.random);
  }
}
