/** First retry after a transient refresh failure. */
export const firstRetryDelayMs = 30_000;
/** Never wait longer than this between tries. */
export const maxRetryDelayMs = 30 * 60_000;

/**
 * Exponential backoff with jitter: the ceiling doubles per failure up to the cap, and the delay is
 * drawn from its upper half so connections that failed together do not retry together.
 */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxRetryDelayMs, firstRetryDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
