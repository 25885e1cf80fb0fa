/**
 * The one outbound request scheduler of a tenant, shared by every feature that calls its provider:
 * it keeps the provider's quota over a rolling minute, adapts how many calls run at once (halving
 * on a rate-limit answer, growing again after a run of successes), honours Retry-After, and retries
 * transient failures with capped exponential backoff and jitter. A call that still fails is handed
 * back to its caller with the reason, never dropped silently.
 *
 * Two details keep a long run at the quota without tripping the provider's own limiter:
 * - A call holds its quota slot from when it is sent until a minute after its answer. The provider
 *   counts a call when it arrives, which is somewhere in between; freeing the slot a minute after
 *   the send instead would let a replacement reach the provider before the old call left its
 *   window whenever latency varies, and be refused.
 * - Past a first burst, calls are paced evenly (one per minute ÷ quota) instead of spending the
 *   whole quota at once and then stalling until the window rolls over, minute after minute.
 */
import { AppError } from '../errors/app-error';
import { jitteredBackoffMs } from './jittered-backoff';

/** What a failed call means for the schedule. */
export type FailureKind =
  | { kind: 'rate_limited'; retryAfterMs: number | null }
  | { kind: 'transient' }
  | { kind: 'final' };

export interface RequestSchedulerOptions {
  /** Calls allowed per rolling window, a minute unless `quotaWindowMs` says otherwise (Google's Directory API default: 2,400). */
  quotaPerMinute: number;
  /**
   * Length of the rolling quota window. Providers count per minute, the default; tests shorten it
   * (with the simulator's window) to run a quota-bound schedule in seconds instead of minutes.
   */
  quotaWindowMs?: number;
  /**
   * Calls that may go out back to back, before the rest are paced evenly over the minute: small
   * jobs finish at once, long ones run smoothly. Default: a quarter of the quota, at least 50,
   * at most the quota.
   */
  burst?: number;
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

export interface ScheduleOptions {
  signal?: AbortSignal;
  /**
   * Goes ahead of the calls already waiting (due retries still go first): for a call that unlocks
   * more work, such as the next page of a listing, while thousands of per-item calls are queued.
   */
  urgent?: boolean;
  /**
   * Quota units the call uses, for a batch whose inner calls each count against the provider's
   * quota (default 1). A call costing more than the whole quota still goes, alone.
   */
  cost?: number;
}

export interface SchedulerStats {
  /** Calls allowed per window now (changed by `setQuota`). */
  quotaPerMinute: number;
  /** Calls sent, retries included. */
  calls: number;
  retries: number;
  rateLimited: number;
  concurrency: number;
  inFlight: number;
  queued: number;
  /** Quota units held now: calls in flight, and calls answered within the last minute. */
  quotaInUse: number;
}

interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  attempts: number;
  rateLimits: number;
  cost: number;
  /** Not before this time (a backoff or Retry-After of its own). */
  notBefore: number;
  signal: AbortSignal | undefined;
  /** queued: in a queue; waiting: a retry in its backoff; running: sent; settled: resolved or rejected. */
  state: 'queued' | 'waiting' | 'running' | 'settled';
}

/** A first-in first-out queue with O(1) take from the front. */
class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#head += 1;
    if (this.#head > 1_024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

const successesToGrow = 20;

/** A quarter of the quota, at least 50, at most the quota. */
function defaultBurst(quota: number): number {
  return Math.min(quota, Math.max(50, Math.round(quota / 4)));
}
const baseBackoffMs = 500;
const maxBackoffMs = 30_000;
/** How far paced sends may catch up after the event loop was held up. */
const pacingCatchUpMs = 1_000;

export class SchedulerCancelled extends Error {
  constructor() {
    super('The call was cancelled before it was sent.');
    this.name = 'AbortError';
  }
}

export class RequestScheduler {
  readonly #options: Required<Omit<RequestSchedulerOptions, 'classify'>> & Pick<RequestSchedulerOptions, 'classify'>;
  /** Retries waiting for their backoff; few at a time. */
  readonly #retries: Job[] = [];
  readonly #urgent = new Fifo<Job>();
  readonly #normal = new Fifo<Job>();
  /** Jobs queued or waiting (cancelled ones leave the FIFOs lazily). */
  #queued = 0;
  /** Answered calls still holding their quota slot, oldest first. */
  readonly #answered = new Fifo<{ at: number; cost: number }>();
  #answeredCost = 0;
  #inFlightCost = 0;
  /** Paced calls are not sent before this time. */
  #nextPacedAt = 0;
  #concurrency: number;
  #inFlight = 0;
  #successStreak = 0;
  /** Nothing is sent before this time (a provider-wide Retry-After). */
  #pausedUntil = 0;
  #wake: NodeJS.Timeout | undefined;
  /** One abort listener per signal, however many calls share it. */
  readonly #watched = new Map<AbortSignal, { jobs: Set<Job>; onAbort: () => void }>();
  readonly #stats = { calls: 0, retries: 0, rateLimited: 0 };
  /** The burst the caller asked for; without one it follows the quota. */
  readonly #burstGiven: number | undefined;

  constructor(options: RequestSchedulerOptions) {
    const quota = Math.max(1, options.quotaPerMinute);
    this.#burstGiven = options.burst;
    this.#options = {
      initialConcurrency: 8,
      maxConcurrency: 64,
      maxAttempts: 6,
      maxRateLimitRetries: 20,
      clock: Date.now,
      random: Math.random,
      quotaWindowMs: 60_000,
      burst: defaultBurst(quota),
      ...options,
      quotaPerMinute: quota,
    };
    this.#concurrency = Math.min(this.#options.initialConcurrency, this.#options.maxConcurrency);
  }

  /**
   * Changes the quota from now on. The window's accounting stays: calls in flight and calls
   * answered within the window still count against the new quota, so lowering it while a scan
   * runs never lets more through than the provider allows, and raising it sends waiting calls.
   */
  setQuota(quotaPerMinute: number): void {
    const quota = Math.max(1, quotaPerMinute);
    if (quota === this.#options.quotaPerMinute) return;
    this.#options.quotaPerMinute = quota;
    this.#options.burst = this.#burstGiven ?? defaultBurst(quota);
    this.#pump();
  }

  /** Runs `call` under the schedule; resolves with its result or rejects with its last failure. */
  schedule<T>(call: () => Promise<T>, options: ScheduleOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new SchedulerCancelled());
        return;
      }
      const job: Job = {
        run: call,
        resolve: resolve as (value: unknown) => void,
        reject,
        attempts: 0,
        rateLimits: 0,
        cost: Math.max(1, options.cost ?? 1),
        notBefore: 0,
        signal: options.signal,
        state: 'queued',
      };
      if (options.signal) this.#watch(options.signal, job);
      (options.urgent ? this.#urgent : this.#normal).push(job);
      this.#queued += 1;
      this.#pump();
    });
  }

  stats(): SchedulerStats {
    this.#releaseSlots(this.#options.clock());
    return { ...this.#stats, quotaPerMinute: this.#options.quotaPerMinute, concurrency: this.#concurrency, inFlight: this.#inFlight, queued: this.#queued, quotaInUse: this.#inFlightCost + this.#answeredCost };
  }

  #watch(signal: AbortSignal, job: Job): void {
    let entry = this.#watched.get(signal);
    if (!entry) {
      const jobs = new Set<Job>();
      const onAbort = () => this.#cancel(signal);
      signal.addEventListener('abort', onAbort, { once: true });
      entry = { jobs, onAbort };
      this.#watched.set(signal, entry);
    }
    entry.jobs.add(job);
  }

  /** Rejects the signal's calls that were not sent yet; the ones in flight finish on their own. */
  #cancel(signal: AbortSignal): void {
    const entry = this.#watched.get(signal);
    if (!entry) return;
    for (const job of entry.jobs) {
      if (job.state !== 'queued' && job.state !== 'waiting') continue;
      if (job.state === 'waiting') this.#retries.splice(this.#retries.indexOf(job), 1);
      this.#queued -= 1;
      this.#settle(job);
      job.reject(new SchedulerCancelled());
    }
    this.#pump();
  }

  #settle(job: Job): void {
    job.state = 'settled';
    if (!job.signal) return;
    const entry = this.#watched.get(job.signal);
    if (!entry) return;
    entry.jobs.delete(job);
    if (entry.jobs.size === 0) {
      job.signal.removeEventListener('abort', entry.onAbort);
      this.#watched.delete(job.signal);
    }
  }

  #releaseSlots(now: number): void {
    for (let slot = this.#answered.peek(); slot && slot.at <= now - this.#options.quotaWindowMs; slot = this.#answered.peek()) {
      this.#answered.shift();
      this.#answeredCost -= slot.cost;
    }
  }

  /** The next job to send: a due retry, else an urgent call, else the oldest call. */
  #next(now: number): Job | undefined {
    let due = -1;
    for (let index = 0; index < this.#retries.length; index += 1) {
      if (this.#retries[index]!.notBefore <= now && (due === -1 || this.#retries[index]!.notBefore < this.#retries[due]!.notBefore)) due = index;
    }
    if (due !== -1) return this.#retries[due];
    for (const queue of [this.#urgent, this.#normal]) {
      while (queue.length > 0 && queue.peek()!.state !== 'queued') queue.shift();
      if (queue.length > 0) return queue.peek();
    }
    return undefined;
  }

  #take(job: Job): void {
    if (job.state === 'waiting') this.#retries.splice(this.#retries.indexOf(job), 1);
    else (this.#urgent.peek() === job ? this.#urgent : this.#normal).shift();
    this.#queued -= 1;
  }

  #pump(): void {
    clearTimeout(this.#wake);
    this.#wake = undefined;
    const now = this.#options.clock();
    this.#releaseSlots(now);
    const { quotaPerMinute: quota, quotaWindowMs: windowMs, burst } = this.#options;
    let nextWake = Number.POSITIVE_INFINITY;
    while (this.#inFlight < this.#concurrency && this.#queued > 0) {
      if (now < this.#pausedUntil) {
        nextWake = this.#pausedUntil;
        break;
      }
      const job = this.#next(now);
      if (!job) {
        nextWake = Math.min(...this.#retries.map((waiting) => waiting.notBefore));
        break;
      }
      const inUse = this.#inFlightCost + this.#answeredCost;
      if (inUse > 0 && inUse + job.cost > quota) {
        // Wait for the oldest answer to leave the window; with every slot in flight, an answer pumps.
        const oldest = this.#answered.peek();
        if (oldest) nextWake = oldest.at + windowMs;
        break;
      }
      if (inUse >= burst && now < this.#nextPacedAt) {
        nextWake = this.#nextPacedAt;
        break;
      }
      this.#take(job);
      const step = (job.cost * windowMs) / quota;
      // Paced sends keep to their own grid, so timers firing a little late do not add up to a
      // slower rate; a send out of the burst owes nothing to the grid.
      this.#nextPacedAt = inUse < burst ? now + step : Math.max(this.#nextPacedAt, now - pacingCatchUpMs) + step;
      void this.#send(job);
    }
    if (Number.isFinite(nextWake) && this.#queued > 0) {
      this.#wake = setTimeout(() => this.#pump(), Math.max(1, nextWake - now));
      this.#wake.unref?.();
    }
  }

  async #send(job: Job): Promise<void> {
    job.state = 'running';
    this.#inFlight += 1;
    this.#inFlightCost += job.cost;
    job.attempts += 1;
    this.#stats.calls += 1;
    try {
      const value = await job.run();
      this.#succeeded();
      this.#settle(job);
      job.resolve(value);
    } catch (error) {
      this.#failed(job, error);
    } finally {
      this.#inFlight -= 1;
      this.#inFlightCost -= job.cost;
      this.#answered.push({ at: this.#options.clock(), cost: job.cost });
      this.#answeredCost += job.cost;
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
    // An AppError is our own verdict (a connection that needs a reconnect, say), not the provider's
    // answer: trying again cannot change it, so it goes back to the caller at once.
    const failure: FailureKind = error instanceof AppError ? { kind: 'final' } : this.#options.classify(error);
    const now = this.#options.clock();
    if (job.signal?.aborted) {
      this.#settle(job);
      job.reject(error);
      return;
    }
    if (failure.kind === 'rate_limited') {
      this.#stats.rateLimited += 1;
      this.#concurrency = Math.max(1, Math.floor(this.#concurrency / 2));
      job.rateLimits += 1;
      if (job.rateLimits > this.#options.maxRateLimitRetries) {
        this.#settle(job);
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
    this.#settle(job);
    job.reject(error);
  }

  /** Retries go first once due: the oldest work finishes before new work starts. */
  #retry(job: Job, notBefore: number): void {
    this.#stats.retries += 1;
    job.notBefore = notBefore;
    job.state = 'waiting';
    this.#retries.push(job);
    this.#queued += 1;
  }

  #backoff(attempt: number): number {
    return jitteredBackoffMs(attempt, { firstMs: baseBackoffMs, maxMs: maxBackoffMs }, this.#options.random);
  }
}
