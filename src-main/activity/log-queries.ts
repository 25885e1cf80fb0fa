import type { ActivityEntry, ActivityFilter } from '../../src-shared/contract/activity';
import { toPublicEntry, type StoredEntry } from './activity-chain';
import type { ActivityCounts } from './activity-counts';
import type { LogFileHandle } from './activity-files';
import { entryMatcher, type EntryMatcher } from './activity-filter';
import { letOthersRun, linesBackward, linesForward, type LineReading, type LogLine } from './log-lines';

export interface EntriesPage {
  entries: ActivityEntry[];
  total: number;
  /** False while a large log is still being counted in the background: `total` is the count so far. */
  totalExact: boolean;
}

/** What the queries read of the log when each starts. */
export interface QueriedLog {
  handle(): LogFileHandle | undefined;
  /** Bytes holding whole entries. */
  size(): number;
  /** Counts per action and result; not `exact` while a log without them is first read through. */
  counts(): { counts: ActivityCounts; exact: boolean };
  /** Where the unfiltered list's entry `offset` from the newest ends, when the index can say. */
  indexedPosition(offset: number): { position: number; newer: number } | undefined;
}

interface CountJob {
  matcher: EntryMatcher;
  count: number;
  /** Matches appended after the job started. */
  appended: number;
  done: boolean;
  cancelled: boolean;
}

/**
 * The Activity page's questions, answered from the file: pages read backwards from the end (or
 * from where the previous page of the same filter stopped), totals from the counts where they can
 * answer, else counted on past the page up to a budget, else counted in the background.
 */
export class LogQueries {
  readonly #log: QueriedLog;
  readonly #backward: LineReading;
  readonly #forward: LineReading;
  readonly #countBudgetBytes: number;
  /** Where a filtered scan stopped: `key|end` → [matches newer than the position, position]. */
  readonly #continuations = new Map<string, [number, number][]>();
  readonly #countJobs = new Map<string, { job: CountJob; running: Promise<void> }>();
  #closed = false;

  constructor(log: QueriedLog, options: { backward: LineReading; forward: LineReading; countBudgetBytes: number }) {
    this.#log = log;
    this.#backward = options.backward;
    this.#forward = options.forward;
    this.#countBudgetBytes = options.countBudgetBytes;
  }

  /** Entries matching `filter`, newest first: `limit` of them after skipping `offset`. */
  async page(filter: ActivityFilter, offset: number, limit: number): Promise<EntriesPage> {
    const handle = this.#log.handle();
    if (!handle) return { entries: [], total: 0, totalExact: true };
    const matcher = entryMatcher(filter);
    const end = this.#log.size();
    const counted = this.#exactCount(matcher);
    // Past the last match there is nothing to read.
    if (counted !== undefined && offset >= counted) return { entries: [], total: counted, totalExact: true };
    const start = this.#startingPoint(matcher, end, offset);
    const lines = linesBackward(handle, start.position, this.#backward);
    const entries: ActivityEntry[] = [];
    let toSkip = offset - start.newer;
    let seen = start.newer;
    let stoppedAt: number | undefined;
    try {
      for (let next = await lines.next(); !next.done; next = await lines.next()) {
        const entry = matcher.read(next.value);
        if (!entry) continue;
        seen += 1;
        if (toSkip > 0) {
          toSkip -= 1;
          continue;
        }
        entries.push(toPublicEntry(entry));
        if (entries.length === limit) {
          stoppedAt = next.value.start;
          break;
        }
      }
      if (stoppedAt !== undefined) this.#rememberContinuation(matcher, end, seen, stoppedAt);
      return { entries, ...(await this.#total(matcher, seen, stoppedAt, lines)) };
    } finally {
      await lines.return(undefined);
    }
  }

  /** Every entry matching `filter`, newest first, read as a stream. */
  async *entries(filter: ActivityFilter): AsyncGenerator<ActivityEntry> {
    const handle = this.#log.handle();
    if (!handle) return;
    const matcher = entryMatcher(filter);
    for await (const line of linesBackward(handle, this.#log.size(), this.#forward)) {
      const entry = matcher.read(line);
      if (entry) yield toPublicEntry(entry);
    }
  }

  /** Keeps what the queries hold in step with an entry just written. */
  appended(entry: StoredEntry): void {
    for (const { job } of this.#countJobs.values()) if (job.matcher.matches(entry)) job.appended += 1;
    this.#continuations.clear();
  }

  /** Stops the background counts and waits for them. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const { job } of this.#countJobs.values()) job.cancelled = true;
    await Promise.all([...this.#countJobs.values()].map(({ running }) => running));
  }

  /** Matches of a filter on action, action prefix and result only, when the counts are known. */
  #exactCount(matcher: EntryMatcher): number | undefined {
    const { counts, exact } = this.#log.counts();
    return exact ? matcher.countIn(counts) : undefined;
  }

  /** Where a page's scan starts: the end, a remembered position, or (unfiltered) an indexed entry. */
  #startingPoint(matcher: EntryMatcher, end: number, offset: number): { position: number; newer: number } {
    const indexed = matcher.empty ? this.#log.indexedPosition(offset) : undefined;
    if (indexed && indexed.position <= end) return indexed;
    let best: [number, number] | undefined;
    for (const point of this.#continuations.get(`${matcher.key}|${end}`) ?? []) {
      if (point[0] <= offset && (!best || point[0] > best[0])) best = point;
    }
    return best ? { position: best[1], newer: best[0] } : { position: end, newer: 0 };
  }

  #rememberContinuation(matcher: EntryMatcher, end: number, seen: number, position: number): void {
    const key = `${matcher.key}|${end}`;
    const points = this.#continuations.get(key) ?? [];
    if (!this.#continuations.has(key)) {
      if (this.#continuations.size >= 8) this.#continuations.delete(this.#continuations.keys().next().value!);
      this.#continuations.set(key, points);
    }
    if (points.length >= 64) points.shift();
    points.push([seen, position]);
  }

  async #total(matcher: EntryMatcher, seen: number, stoppedAt: number | undefined, lines: AsyncGenerator<LogLine>): Promise<{ total: number; totalExact: boolean }> {
    if (stoppedAt === undefined) return { total: seen, totalExact: true };
    const { counts, exact } = this.#log.counts();
    const fromCounts = matcher.countIn(counts);
    // The background pass is counting these already.
    if (fromCounts !== undefined) return { total: exact ? fromCounts : Math.max(seen, fromCounts), totalExact: exact };
    const running = this.#countJobs.get(matcher.key)?.job;
    if (running?.done) return { total: running.count + running.appended, totalExact: true };
    let counted = seen;
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      if (matcher.read(next.value)) counted += 1;
      if (stoppedAt - next.value.start > this.#countBudgetBytes) {
        // Too large to count now: count in the background and say what is known so far.
        const job = this.#countJob(matcher);
        return { total: Math.max(counted, job.count + job.appended), totalExact: false };
      }
    }
    return { total: counted, totalExact: true };
  }

  #countJob(matcher: EntryMatcher): CountJob {
    const existing = this.#countJobs.get(matcher.key);
    if (existing) return existing.job;
    const handle = this.#log.handle()!;
    const end = this.#log.size();
    const job: CountJob = { matcher, count: 0, appended: 0, done: false, cancelled: false };
    const run = async () => {
      let lines = 0;
      for await (const line of linesForward(handle, 0, end, this.#forward)) {
        if (job.cancelled || this.#closed) return;
        if (matcher.read(line)) job.count += 1;
        if (++lines % letOthersRun.everyLines === 0) await letOthersRun();
      }
      job.done = true;
    };
    this.#countJobs.set(matcher.key, { job, running: run().catch(() => undefined) });
    if (this.#countJobs.size > 4) {
      const [oldestKey, oldest] = this.#countJobs.entries().next().value!;
      oldest.job.cancelled = true;
      this.#countJobs.delete(oldestKey);
    }
    return job;
  }
}
