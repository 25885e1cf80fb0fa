import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ActivityEntry,
  ActivityFilter,
  ActivityIntegrity,
  ActivityResult,
  IntegrityProblem,
} from '../../src-preload/contract';

export interface ActivityRecord {
  action: string;
  target: string;
  result: ActivityResult;
  errorCode?: string | null;
  detail?: string | null;
}

interface StoredEntry extends ActivityEntry {
  prevHash: string;
}

interface HeadAnchor {
  seq: number;
  hash: string;
}

const genesisHash = '0'.repeat(64);
const logFileName = 'activity.jsonl';
const anchorFileName = 'activity.head.json';

function entryHash(entry: Omit<StoredEntry, 'hash'>): string {
  // A fixed field order, so the hash does not depend on how an object happened to be built.
  const canonical = JSON.stringify([
    entry.seq,
    entry.at,
    entry.action,
    entry.target,
    entry.result,
    entry.errorCode,
    entry.detail,
    entry.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function isStoredEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.seq === 'number' &&
    typeof entry.at === 'string' &&
    typeof entry.action === 'string' &&
    typeof entry.target === 'string' &&
    (entry.result === 'succeeded' || entry.result === 'failed') &&
    (entry.errorCode === null || typeof entry.errorCode === 'string') &&
    (entry.detail === null || typeof entry.detail === 'string') &&
    typeof entry.prevHash === 'string' &&
    typeof entry.hash === 'string'
  );
}

/**
 * The console's append-only record of what it did. One JSON line per entry in `activity.jsonl`,
 * each carrying the SHA-256 of its content and of the entry before it, so an edited, inserted or
 * removed entry breaks the chain. A separate head anchor (last sequence number and hash) makes a
 * cut-off tail visible too. Each append is flushed to disk before it is acknowledged.
 */
export class ActivityLog {
  readonly #directory: string;
  readonly #clock: () => Date;
  #entries: StoredEntry[] = [];
  #problems: IntegrityProblem[] = [];
  #file: FileHandle | undefined;
  #writeQueue: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<(entry: ActivityEntry) => void>();

  private constructor(directory: string, clock: () => Date) {
    this.#directory = directory;
    this.#clock = clock;
  }

  /** Opens (or creates) the log in `directory` and checks the whole chain once. */
  static async open(directory: string, clock: () => Date = () => new Date()): Promise<ActivityLog> {
    const log = new ActivityLog(directory, clock);
    await mkdir(directory, { recursive: true });
    await log.#load();
    return log;
  }

  get #logPath() {
    return join(this.#directory, logFileName);
  }

  get #anchorPath() {
    return join(this.#directory, anchorFileName);
  }

  async #load(): Promise<void> {
    const text = await readFile(this.#logPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const { entries, problems } = verifyChain(text);
    const anchor = await this.#readAnchor();
    const last = entries.at(-1);
    if (anchor && (!last || last.seq < anchor.seq)) {
      problems.push({
        kind: 'truncated',
        at: `#${anchor.seq}`,
        message: `The log ends at ${last ? `entry #${last.seq}` : 'no entry'} but entry #${anchor.seq} had been written: entries were removed from its end.`,
      });
    }
    this.#entries = entries;
    this.#problems = problems;
    this.#file = await open(this.#logPath, 'a', 0o600);
    // A crash during an append can leave a partial last line; start the next entry on a line of its own.
    if (text.length > 0 && !text.endsWith('\n')) await this.#file.appendFile('\n');
  }

  async #readAnchor(): Promise<HeadAnchor | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.#anchorPath, 'utf8')) as Partial<HeadAnchor>;
      if (typeof parsed.seq === 'number' && typeof parsed.hash === 'string') return { seq: parsed.seq, hash: parsed.hash };
      return undefined;
    } catch {
      return undefined;
    }
  }

  /** Appends one entry; resolves once it is on disk. Appends are serialised. */
  append(record: ActivityRecord): Promise<ActivityEntry> {
    const next = this.#writeQueue.then(() => this.#appendNow(record));
    this.#writeQueue = next.catch(() => undefined);
    return next;
  }

  async #appendNow(record: ActivityRecord): Promise<ActivityEntry> {
    const file = this.#file;
    if (!file) throw new Error('The activity log is closed.');
    const previous = this.#entries.at(-1);
    const unsigned = {
      seq: previous ? previous.seq + 1 : 1,
      at: this.#clock().toISOString(),
      action: record.action,
      target: record.target,
      result: record.result,
      errorCode: record.errorCode ?? null,
      detail: record.detail ?? null,
      prevHash: previous ? previous.hash : genesisHash,
    };
    const stored: StoredEntry = { ...unsigned, hash: entryHash(unsigned) };
    await file.appendFile(`${JSON.stringify(stored)}\n`);
    await file.datasync();
    await this.#writeAnchor({ seq: stored.seq, hash: stored.hash });
    this.#entries.push(stored);
    const entry = toPublicEntry(stored);
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  async #writeAnchor(anchor: HeadAnchor): Promise<void> {
    const temporary = `${this.#anchorPath}.tmp`;
    await writeFile(temporary, JSON.stringify(anchor), { mode: 0o600 });
    await rename(temporary, this.#anchorPath);
  }

  onAppend(listener: (entry: ActivityEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  integrity(): ActivityIntegrity {
    return { intact: this.#problems.length === 0, checkedEntries: this.#entries.length, problems: [...this.#problems] };
  }

  /** Entries matching `filter`, newest first. */
  query(filter: ActivityFilter): ActivityEntry[] {
    const text = filter.text?.trim().toLowerCase();
    const since = filter.since ? Date.parse(filter.since) : undefined;
    const until = filter.until ? Date.parse(filter.until) : undefined;
    const matches: ActivityEntry[] = [];
    for (let index = this.#entries.length - 1; index >= 0; index -= 1) {
      const entry = this.#entries[index]!;
      if (filter.action && entry.action !== filter.action) continue;
      if (filter.result && entry.result !== filter.result) continue;
      const at = Date.parse(entry.at);
      if (since !== undefined && at < since) continue;
      if (until !== undefined && at > until) continue;
      if (text && ![entry.action, entry.target, entry.detail ?? '', entry.errorCode ?? ''].some((field) => field.toLowerCase().includes(text))) {
        continue;
      }
      matches.push(toPublicEntry(entry));
    }
    return matches;
  }

  actions(): string[] {
    return [...new Set(this.#entries.map((entry) => entry.action))].sort();
  }

  async close(): Promise<void> {
    await this.#writeQueue;
    await this.#file?.close();
    this.#file = undefined;
  }
}

function toPublicEntry(stored: StoredEntry): ActivityEntry {
  const { prevHash: _prevHash, ...entry } = stored;
  return entry;
}

/** Reads the log's lines and checks each entry's hash, its link to the one before, and the sequence. */
export function verifyChain(text: string): { entries: StoredEntry[]; problems: IntegrityProblem[] } {
  const entries: StoredEntry[] = [];
  const problems: IntegrityProblem[] = [];
  const lines = text.split('\n');
  let previous: StoredEntry | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (!isStoredEntry(parsed)) {
      problems.push({
        kind: 'unreadable_line',
        at: `line ${index + 1}`,
        message: `Line ${index + 1} is not a readable entry (cut off by a crash, or edited).`,
      });
      return;
    }
    const entry = parsed;
    const { hash, ...unsigned } = entry;
    if (entryHash(unsigned) !== hash) {
      problems.push({ kind: 'hash_mismatch', at: `#${entry.seq}`, message: `Entry #${entry.seq} was changed after it was written.` });
    }
    const expectedSeq = previous ? previous.seq + 1 : 1;
    if (entry.seq !== expectedSeq) {
      problems.push({
        kind: 'sequence_gap',
        at: `#${entry.seq}`,
        message: `Entry #${entry.seq} follows entry #${expectedSeq - 1}: entries are missing or out of order.`,
      });
    }
    const expectedPrevHash = previous ? previous.hash : genesisHash;
    if (entry.prevHash !== expectedPrevHash) {
      problems.push({
        kind: 'broken_chain',
        at: `#${entry.seq}`,
        message: `Entry #${entry.seq} does not link to the entry before it: an entry was removed, inserted or changed.`,
      });
    }
    entries.push(entry);
    previous = entry;
  });
  return { entries, problems };
}
