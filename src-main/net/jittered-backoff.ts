/**
 * Exponential backoff with jitter: the ceiling doubles per attempt from `firstMs` up to `maxMs`,
 * and the delay is drawn from its upper half, so work that failed together does not retry together.
 */
export function jitteredBackoffMs(attempt: number, limits: { firstMs: number; maxMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(limits.maxMs, limits.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
