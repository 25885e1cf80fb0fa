/** How the benchmarks time a step and print their figures, the same way in each. */

export type Row = [string, string];

export const count = (value: number) => value.toLocaleString('en-GB');
export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-GB')} ms`;
export const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
/** The process's peak resident memory so far, in bytes. */
export const peakRss = () => process.resourceUsage().maxRSS * 1_024;

/** Runs `work`, adds a row with its time (and `detail` of its result), and hands both back. */
export async function timed<T>(rows: Row[], label: string, work: () => T | Promise<T>, detail: (result: T) => string = () => ''): Promise<{ result: T; elapsed: number }> {
  const started = performance.now();
  const result = await work();
  const elapsed = performance.now() - started;
  const note = detail(result);
  rows.push([label, `${ms(elapsed)}${note ? `   ${note}` : ''}`]);
  return { result, elapsed };
}
