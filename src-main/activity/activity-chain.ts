import { createHash, createHmac, type KeyObject } from 'node:crypto';
import type { ActivityEntry, IntegrityProblem } from '../../src-shared/contract/activity';
import type { LogLine } from './log-lines';

/** An entry as it is stored: the public entry plus its link to the one before. */
export interface StoredEntry extends ActivityEntry {
  prevHash: string;
  /**
   * The id of the vault key that sealed it (its `hash` is then an HMAC-SHA-256). Absent on entries
   * chained with plain SHA-256: those written before the log was keyed, or while no key could be read.
   */
  key?: string;
}

export type UnsealedEntry = Omit<StoredEntry, 'hash' | 'key'>;

/** The vault's key for the log. Its id is public and names which key sealed an entry. */
export interface SealingKey {
  id: string;
  secret: KeyObject;
}

/** Entries from `from` on (until the next segment) were sealed with `key`, or plain SHA-256 when `null`. */
export interface KeySegment {
  from: number;
  key: string | null;
}

export const genesisHash = '0'.repeat(64);

/** The action of the entry that marks where the chain goes on without a key. */
export const unkeyedAction = 'activity.unkeyed';

export function sealingKey(secret: KeyObject): SealingKey {
  // A one-way label of the key: says which key sealed an entry without revealing anything of it.
  const id = createHmac('sha256', secret).update('consentry activity-log key id').digest('hex').slice(0, 16);
  return { id, secret };
}

function canonical(entry: Omit<StoredEntry, 'hash'>): string {
  // A fixed field order, so the hash does not depend on how an object happened to be built. The key
  // id is part of what is sealed, so it cannot be stripped to pass an entry off as unkeyed.
  const fields: unknown[] = [entry.seq, entry.at, entry.action, entry.target, entry.result, entry.errorCode, entry.detail, entry.prevHash];
  if (entry.key !== undefined) fields.push(entry.key);
  return JSON.stringify(fields);
}

function digest(entry: Omit<StoredEntry, 'hash'>, key: SealingKey | null): string {
  if (entry.key === undefined) return createHash('sha256').update(canonical(entry)).digest('hex');
  if (!key || key.id !== entry.key) throw new Error('An entry sealed with a key can only be checked with that key.');
  return createHmac('sha256', key.secret).update(canonical(entry)).digest('hex');
}

export function sealEntry(unsealed: UnsealedEntry, key: SealingKey | null): StoredEntry {
  const entry: Omit<StoredEntry, 'hash'> = key ? { ...unsealed, key: key.id } : unsealed;
  return { ...entry, hash: digest(entry, key) };
}

/** Seals any small record with the log's key (the head anchor uses it). */
export function sealText(text: string, key: SealingKey): string {
  return createHmac('sha256', key.secret).update(text).digest('hex');
}

export function toPublicEntry(stored: StoredEntry): ActivityEntry {
  const { prevHash: _prevHash, key: _key, ...entry } = stored;
  return entry;
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
    typeof entry.hash === 'string' &&
    (entry.key === undefined || typeof entry.key === 'string')
  );
}

/** The entry on a line, or `undefined` when the line is not one (cut off, edited, garbage). */
export function readEntry(text: string | null): StoredEntry | undefined {
  if (text === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isStoredEntry(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Problems in the order found; past a limit only counted, so a ruined log cannot fill memory. */
export class ProblemList {
  readonly #limit: number;
  readonly #problems: IntegrityProblem[] = [];
  #unlisted = 0;

  constructor(limit = 100) {
    this.#limit = limit;
  }

  add(problem: IntegrityProblem): void {
    if (this.#problems.length < this.#limit) this.#problems.push(problem);
    else this.#unlisted += 1;
  }

  get count(): number {
    return this.#problems.length + this.#unlisted;
  }

  list(): IntegrityProblem[] {
    if (this.#unlisted === 0) return [...this.#problems];
    return [
      ...this.#problems,
      { kind: 'more_problems', at: 'log', message: `${this.#unlisted} more problems were found; the first ${this.#limit} are listed.` },
    ];
  }
}

/** Appends `entry` to segments, starting a new segment where the sealing changes. */
export function extendSegments(segments: KeySegment[], entry: StoredEntry): void {
  const key = entry.key ?? null;
  if (segments.at(-1)?.key !== key || segments.length === 0) segments.push({ from: entry.seq, key });
}

/** Joins the segments of two consecutive stretches of the log. */
export function joinSegments(first: readonly KeySegment[], second: readonly KeySegment[]): KeySegment[] {
  const joined = [...first];
  for (const segment of second) if (joined.at(-1)?.key !== segment.key || joined.length === 0) joined.push(segment);
  return joined;
}

/**
 * Follows the chain line by line in file order: each entry's hash (or seal), its link to the entry
 * before, the sequence, and that an entry after a sealed one is sealed too (unless it is the entry
 * that says why the chain goes on without the key).
 */
export class ChainWalk {
  readonly #key: SealingKey | null;
  readonly #problems: ProblemList;
  #previous: StoredEntry | undefined;
  readonly segments: KeySegment[] = [];
  /** Readable entries seen. */
  entries = 0;
  /** Sealed entries that could not be checked because no key is at hand. */
  unchecked = 0;
  #foreignRun: { from: number; to: number; key: string } | undefined;

  constructor(options: { key: SealingKey | null; problems: ProblemList; previous?: StoredEntry | undefined }) {
    this.#key = options.key;
    this.#problems = options.problems;
    this.#previous = options.previous;
  }

  get previous(): StoredEntry | undefined {
    return this.#previous;
  }

  /** Checks the next line; `where` names it in a problem (`line 12`). Returns its entry when it is one. */
  line(line: LogLine, where: () => string): StoredEntry | undefined {
    if (line.text !== null && line.text.trim() === '') return undefined;
    const entry = readEntry(line.text);
    if (!entry) {
      const at = where();
      this.#problems.add({ kind: 'unreadable_line', at, message: `${at.charAt(0).toUpperCase()}${at.slice(1)} is not a readable entry (cut off by a crash, or edited).` });
      return undefined;
    }
    this.#checkSeal(entry);
    const previous = this.#previous;
    const expectedSeq = previous ? previous.seq + 1 : 1;
    if (entry.seq !== expectedSeq) {
      this.#problems.add({
        kind: 'sequence_gap',
        at: `#${entry.seq}`,
        message: `Entry #${entry.seq} follows entry #${expectedSeq - 1}: entries are missing or out of order.`,
      });
    }
    if (entry.prevHash !== (previous ? previous.hash : genesisHash)) {
      this.#problems.add({
        kind: 'broken_chain',
        at: `#${entry.seq}`,
        message: `Entry #${entry.seq} does not link to the entry before it: an entry was removed, inserted or changed.`,
      });
    }
    if (previous?.key !== undefined && entry.key === undefined && entry.action !== unkeyedAction) {
      this.#problems.add({
        kind: 'not_sealed',
        at: `#${entry.seq}`,
        message: `Entry #${entry.seq} is not sealed with the vault's key although the entry before it is: it was not written by Consentry.`,
      });
    }
    extendSegments(this.segments, entry);
    this.#previous = entry;
    this.entries += 1;
    return entry;
  }

  #checkSeal(entry: StoredEntry): void {
    if (entry.key !== undefined && this.#key?.id !== entry.key) {
      if (this.#key) this.#noteForeignKey(entry.seq, entry.key);
      else this.unchecked += 1;
      return;
    }
    this.#endForeignRun();
    const { hash, ...rest } = entry;
    if (digest(rest, this.#key) !== hash) {
      this.#problems.add({ kind: 'hash_mismatch', at: `#${entry.seq}`, message: `Entry #${entry.seq} was changed after it was written.` });
    }
  }

  /** Consecutive entries sealed with a key the vault does not hold make one problem, not one each. */
  #noteForeignKey(seq: number, key: string): void {
    const run = this.#foreignRun;
    if (run && run.key === key && run.to === seq - 1) {
      run.to = seq;
      return;
    }
    this.#endForeignRun();
    this.#foreignRun = { from: seq, to: seq, key };
  }

  #endForeignRun(): void {
    const run = this.#foreignRun;
    if (!run) return;
    this.#foreignRun = undefined;
    const which = run.from === run.to ? `Entry #${run.from} is` : `Entries #${run.from}–#${run.to} are`;
    this.#problems.add({
      kind: 'unknown_key',
      at: `#${run.from}`,
      message: `${which} sealed with a key this vault does not hold: they were forged, or the vault's key was replaced.`,
    });
  }

  /** Reports what is still pending at the end of the stretch walked. */
  finish(): void {
    this.#endForeignRun();
  }
}
