import { jitteredBackoffMs } from '../net/jittered-backoff';

/** First retry after a transient refresh failure. */
export const firstRetryDelayMs = 30_000;
/** Never wait longer than this between tries. */
export const maxRetryDelayMs = 30 * 60_000;

/** When to try a failed refresh again: 30 s doubling per failure, at most 30 minutes. */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  return jitteredBackoffMs(failures, { firstMs: firstRetryDelayMs, maxMs: maxRetryDelayMs }, random);
}
