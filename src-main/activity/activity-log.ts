import type { KeyObject } from 'node:crypto';
import { basename, join } from 'node:path';
import type { ActivityEntry, ActivityFilter, ActivityIntegrity, ActivityResult, IntegrityProblem } from '../../src-shared/contract/activity';
import { AppError } from '../errors/app-error';
import { memoryActivityFiles, nodeActivityFiles, type ActivityFiles, type LogFileHandle } from './activity-files';
import {
  ChainWalk,
  ProblemList,
  extendSegments,
  genesisHash,
  joinSegments,
  readEntry,
  sealEntry,
  sealingKey,
  toPublicEntry,
  unkeyedAction,
  type KeySegment,
  type SealingKey,
  type StoredEntry,
  type UnsealedEntry,
} from './activity-chain';
import { ActivityCounts } from './activity-counts';
import { writeFailure } from './write-failure';
import { anchorText, readAnchor, type AnchorReading, type HeadAnchor } from './head-anchor';
import { describeKeying } from './keying-summary';
import { defaultLineReading, letOthersRun, linesBackward, linesForward, type LineReading } from './log-lines';
import { LogQueries, type EntriesPage } from './log-queries';

export interface ActivityRecord {
  action: string;
  target: string;
  result: ActivityResult;
  errorCode?: string | null;
  detail?: string | null;
}

/**
 * The vault's key for the log, or why there is none (what the vault's `keyFor` answers). `created`:
 * the vault made it just now; a key kept from an earlier start means the anchor must be sealed.
 */
export type ActivityLogKey = { available: true; secret: KeyObject; created?: boolean } | { available: false; reason: string };

export interface ActivityLogOptions {
  clock?: () => Date;
  /** Without a key the chain is plain SHA-256, and integrity says so. */
  key?: ActivityLogKey;
  files?: ActivityFiles;
  /** Bytes read at a time (tests make it tiny to cross chunk boundaries). */
  chunkBytes?: number;
  /** A log up to this size is verified whole before `open` returns; a larger one in the background. */
  verifyBeforeOpenBytes?: number;
  /** How far past its page a query reads to count matches before leaving the count to the background. */
  countBudgetBytes?: number;
}

/**
 * A file the log could not use when it opened, and where it was kept: the same fields as the other
 * damaged profile files, so the startup notice can show it with them.
 */
export interface SetAsideFile {
  /** Its name in the data folder: `activity/activity.jsonl` or `activity/activity.head.json`. */
  file: string;
  /** What is wrong with it, in a sentence. */
  problem: string;
  /** The full path it was moved to; `null` when it could not be moved. */
  keptAs: string | null;
  /** What starting without it means, and what to do. */
  consequence: string;
  /** ISO 8601, UTC. */
  foundAt: string;
}

const logFileName = 'activity.jsonl';
const anchorFileName = 'activity.head.json';
/** The unfiltered list jumps to every this-many-th entry. */
const indexStep = 1024;
/** Entries stay far below the readers' line limit. */
const fieldLimits = { action: 200, target: 2_000, detail: 16_000 };
const newline = 0x0a;

function capped(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EIO: 'an input/output error',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of its path is not a folder',
  };
  return (code && known[code]) ?? (code ? `error ${code}` : 'an unexpected error');
}

const appendFailure = {
  diskFull: {
    message: 'The disk is full: Consentry could not add this entry to its activity log, so the action was not recorded.',
    nextStep: 'Free some space on the disk that holds the Consentry data folder, then try again. The log was left as it was before this entry, and it still verifies.',
  },
  other: {
    message: 'Consentry could not add this entry to its activity log, so the action was not recorded.',
    nextStep: 'Check that your user can write to the Consentry data folder, then try again.',
  },
};

/**
 * The console's append-only record of what it did. One JSON line per entry in `activity.jsonl`,
 * each carrying a seal of its content and of the entry before it: an HMAC-SHA-256 with a key held
 * in the vault, or plain SHA-256 when no key can be kept (and for entries written before the log was
 * keyed). A changed, inserted or removed entry breaks the chain; the head anchor beside the log
 * makes a cut-off tail visible too. Each append is flushed to disk before it is acknowledged, and a
 * failed one is cut back, so a full disk never leaves a broken chain.
 *
 * Memory and opening time do not grow with the log: only the last entry, counts per action and a
 * sparse index are held. Opening checks what was written after the head anchor; the whole chain is
 * verified in a background pass, pages are read by scanning the file backwards, and totals the
 * counts cannot answer are counted in the background.
 */
export class ActivityLog {
  readonly #directory: string;
  readonly #clock: () => Date;
  readonly #key: SealingKey | null;
  readonly #keyProblem: string | null;
  /** The vault held the key before this start, so an earlier start sealed an entry with it. */
  readonly #keyKeptBefore: boolean;
  #files: ActivityFiles;
  readonly #backward: LineReading;
  readonly #forward: LineReading;
  readonly #verifyBeforeOpenBytes: number;

  #handle: LogFileHandle | undefined;
  /** Bytes of the log that hold whole appends; a failed append is cut back to this. */
  #size = 0;
  /** The file ends in a line a crash cut off: the next entry starts on a line of its own. */
  #endsMidLine = false;
  /** A failed append could not be cut back; the next append tries again. */
  #tornWrite = false;
  #last: StoredEntry | undefined;
  #problems = new ProblemList();
  /** An anchor problem was found at open (it is recorded in the log, since the next anchor hides it). */
  #anchorProblems: IntegrityProblem[] = [];
  /** How the entries found at open after the anchor were sealed (the pass adds those before it). */
  #tailSegments: KeySegment[] = [];
  readonly #setAside: SetAsideFile[] = [];

  // The log in two stretches: [0, #passEnd) is checked by the background pass, the rest was checked
  // at open (written after the anchor) or written by this process.
  #passEnd = 0;
  /** Counts of the first stretch, when known (from the anchor, or once the pass ends). */
  #passCounts: ActivityCounts | null = null;
  #passSegments: KeySegment[] | null = null;
  #passLines: number | null = null;
  #passWalk: ChainWalk | undefined;
  #passProgress = new ActivityCounts();
  #passDone = true;
  #pass: Promise<void> = Promise.resolve();
  /** A first-format anchor names an entry that the pass checks when it reaches it. */
  #anchorToCheck: { seq: number; hash: string } | undefined;
  #recentCounts = new ActivityCounts();
  #recentSegments: KeySegment[] = [];
  #recentLines = 0;
  /** Entries after the pass's stretch whose seal or hash was checked (or that this process wrote). */
  #recentChecked = 0;
  #linesKnown = true;

  /** Offset just past the line of every `indexStep`-th entry, while the chain is intact. */
  readonly #seqIndex = new Map<number, number>();
  readonly #queries: LogQueries;
  #closed = false;
  #writeQueue: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<(entry: ActivityEntry) => void>();

  private constructor(directory: string, options: ActivityLogOptions) {
    this.#directory = directory;
    this.#clock = options.clock ?? (() => new Date());
    const key = options.key ?? { available: false, reason: 'the log was opened without a key' };
    this.#key = key.available ? sealingKey(key.secret) : null;
    this.#keyProblem = key.available ? null : key.reason;
    this.#keyKeptBefore = key.available && key.created === false;
    this.#files = options.files ?? nodeActivityFiles;
    const chunk = options.chunkBytes;
    this.#backward = { ...defaultLineReading, chunkBytes: chunk ?? 64 * 1024, largestChunkBytes: chunk ?? 1024 * 1024 };
    this.#forward = { ...defaultLineReading, chunkBytes: chunk ?? 1024 * 1024 };
    this.#verifyBeforeOpenBytes = options.verifyBeforeOpenBytes ?? 8 * 1024 * 1024;
    this.#queries = new LogQueries(
      {
        handle: () => this.#handle,
        size: () => this.#size,
        counts: () => this.#counts(),
        indexedPosition: (offset) => this.#indexedPosition(offset),
      },
      { backward: this.#backward, forward: this.#forward, countBudgetBytes: options.countBudgetBytes ?? 8 * 1024 * 1024 },
    );
  }

  /**
   * Opens (or creates) the log in `directory`. Never fails on a damaged log: a file that cannot be
   * used is set aside under a clear name and a new log starts with an entry saying why.
   */
  static async open(directory: string, options: ActivityLogOptions = {}): Promise<ActivityLog> {
    const log = new ActivityLog(directory, options);
    await log.#start();
    return log;
  }

  get #logPath() {
    return join(this.#directory, logFileName);
  }

  get #anchorPath() {
    return join(this.#directory, anchorFileName);
  }

  #inDataFolder(name: string): string {
    return `${basename(this.#directory)}/${name}`;
  }

  #stamp(): string {
    return this.#clock().toISOString().replaceAll(':', '-');
  }

  // ---------- opening ----------

  async #start(): Promise<void> {
    let damage: string | undefined;
    try {
      await this.#files.ensureDirectory(this.#directory);
      const kind = await this.#files.kind(this.#logPath);
      if (kind === 'directory') damage = 'it is a folder, not a file';
      else if (kind === 'other') damage = 'it is not a regular file';
      else {
        this.#handle = await this.#files.openLog(this.#logPath);
        damage = await this.#load(this.#handle);
      }
    } catch (error) {
      damage = `it cannot be read (${describeFileError(error)})`;
    }
    if (damage !== undefined) {
      await this.#startOver(damage);
      return;
    }
    if (this.#anchorProblems.length > 0) {
      // The next anchor written would hide these; the log itself keeps them (and writes a sealed anchor).
      await this.#appendNow({
        action: 'activity.integrity',
        target: 'activity log',
        result: 'failed',
        detail: `Found when the log was opened: ${this.#anchorProblems.map((problem) => problem.message).join(' ')}`,
      }).catch(() => undefined);
    }
    await this.#markSealing();
  }

  /**
   * Marks in the chain where its sealing changes: a key now, or none any longer. With a key even an
   * empty log gets a sealed first entry, so a log holding none after a start with the key was replaced.
   */
  async #markSealing(): Promise<void> {
    const last = this.#last;
    const changes = this.#key ? last?.key !== this.#key.id : last !== undefined && last.key !== undefined;
    if (changes) await this.#appendNow(undefined).catch(() => undefined);
  }

  /** Reads what opening needs; returns why the file is not a log at all, if it is not. */
  async #load(handle: LogFileHandle): Promise<string | undefined> {
    const size = await handle.size();
    this.#size = size;
    const reading = await this.#readAnchorFile();
    if (size === 0) {
      if (reading.state === 'found' && reading.anchor.seq > 0) this.#noteTruncation(reading.anchor.seq, undefined);
      this.#resetState();
      return undefined;
    }
    const lastByte = Buffer.alloc(1);
    await handle.read(lastByte, size - 1);
    this.#endsMidLine = lastByte[0] !== newline;
    const trusted = reading.state === 'found' ? await this.#trustedAnchor(handle, reading) : undefined;
    if (trusted) {
      await this.#checkSinceAnchor(handle, trusted.anchor, trusted.entry);
    } else {
      const last = await this.#findLastEntry(handle, size);
      if (last === 'not a log') return 'it holds no readable activity entry';
      this.#last = last;
      this.#passEnd = size;
      this.#linesKnown = true;
      this.#noteAnchorProblems(reading, last);
    }
    this.#startPass(handle);
    if (size <= this.#verifyBeforeOpenBytes) await this.#pass;
    return undefined;
  }

  async #readAnchorFile(): Promise<AnchorReading> {
    let reading: AnchorReading;
    try {
      const kind = await this.#files.kind(this.#anchorPath);
      reading = kind === 'missing' || kind === 'file' ? readAnchor(await this.#files.readText(this.#anchorPath)) : { state: 'unreadable', reason: 'it is not a file' };
    } catch (error) {
      reading = { state: 'unreadable', reason: `it cannot be read (${describeFileError(error)})` };
    }
    if (reading.state !== 'unreadable') return reading;
    const keptAs = `activity.head.damaged-${this.#stamp()}.json`;
    const moved = await this.#files.rename(this.#anchorPath, join(this.#directory, keptAs)).then(
      () => true,
      () => false,
    );
    this.#setAside.push({
      file: this.#inDataFolder(anchorFileName),
      problem: `The activity log's head anchor could not be used because ${reading.reason}.`,
      keptAs: moved ? join(this.#directory, keptAs) : null,
      consequence: 'The log opened without it, so entries cut from its end before now would not show; the Activity page reports it. A new anchor is written with the next entry.',
      foundAt: this.#clock().toISOString(),
    });
    this.#noteAnchorProblem({
      kind: 'anchor_missing',
      at: 'head anchor',
      message: `The head anchor (${anchorFileName}) could not be used because ${reading.reason}${moved ? `; it was set aside as ${keptAs}` : ''}. Entries cut from the end of the log would not show.`,
    });
    return reading;
  }

  #noteAnchorProblem(problem: IntegrityProblem): void {
    this.#problems.add(problem);
    this.#anchorProblems.push(problem);
  }

  #noteTruncation(anchoredSeq: number, last: StoredEntry | undefined): void {
    this.#noteAnchorProblem({
      kind: 'truncated',
      at: `#${anchoredSeq}`,
      message: `The log ends at ${last ? `entry #${last.seq}` : 'no entry'} but entry #${anchoredSeq} had been written: entries were removed from its end.`,
    });
  }

  /** The anchor and its entry, when the anchor is sealed as it should be and its entry is where it says. */
  async #trustedAnchor(handle: LogFileHandle, reading: Extract<AnchorReading, { state: 'found' }>): Promise<{ anchor: HeadAnchor & { offset: number }; entry: StoredEntry } | undefined> {
    const { anchor } = reading;
    const offset = anchor.offset;
    if (offset === null || offset > this.#size) return undefined;
    if (reading.sealedBy !== null && this.#key && !reading.sealHolds(this.#key)) {
      this.#noteAnchorProblem({
        kind: 'anchor_mismatch',
        at: 'head anchor',
        message:
          reading.sealedBy === this.#key.id
            ? 'The head anchor was changed after Consentry wrote it.'
            : "The head anchor is sealed with a key this vault does not hold: it was forged, or the vault's key was replaced.",
      });
      return undefined;
    }
    const { value: line } = await linesBackward(handle, offset, this.#backward).next();
    const entry = line && line.terminated && line.next === offset ? readEntry(line.text) : undefined;
    if (!entry || entry.seq !== anchor.seq || entry.hash !== anchor.hash) return undefined;
    // Only a start without the key writes an anchor unsealed, and its last entry is then unsealed too.
    if (reading.sealedBy === null && this.#key && entry.key !== undefined) {
      this.#noteUnsealedAnchor();
      return undefined;
    }
    return { anchor: { ...anchor, offset }, entry };
  }

  #noteUnsealedAnchor(): void {
    this.#noteAnchorProblem({
      kind: 'anchor_mismatch',
      at: 'head anchor',
      message: 'The head anchor is not sealed although the entry it names is: it was not written by Consentry, and entries may have been cut from the end.',
    });
  }

  /** Checks what was written after the anchored entry: after a normal stop, nothing or one entry. */
  async #checkSinceAnchor(handle: LogFileHandle, anchor: HeadAnchor & { offset: number }, anchored: StoredEntry): Promise<void> {
    const walk = new ChainWalk({ key: this.#key, problems: this.#problems, previous: anchored });
    let lineNumber = anchor.lines;
    for await (const line of linesForward(handle, anchor.offset, this.#size, this.#forward)) {
      if (lineNumber !== null) lineNumber += 1;
      this.#recentLines += 1;
      const entry = walk.line(line, () => (lineNumber !== null ? `line ${lineNumber}` : `the line at byte ${line.start}`));
      if (entry) this.#counted(entry, line.next);
    }
    walk.finish();
    this.#last = walk.previous;
    this.#recentSegments = walk.segments;
    this.#tailSegments = [...walk.segments];
    this.#recentChecked = walk.entries - walk.unchecked;
    this.#passEnd = anchor.offset;
    this.#passCounts = anchor.counts;
    this.#passSegments = anchor.segments;
    this.#passLines = anchor.lines;
    this.#linesKnown = anchor.lines !== null;
  }

  /** The last readable entry, read backwards from the end; 'not a log' when no line is one. */
  async #findLastEntry(handle: LogFileHandle, size: number): Promise<StoredEntry | undefined | 'not a log'> {
    let sawText = false;
    for await (const line of linesBackward(handle, size, this.#backward)) {
      if (line.text !== null && line.text.trim() === '') continue;
      sawText = true;
      const entry = readEntry(line.text);
      if (entry) return entry;
    }
    return sawText ? 'not a log' : undefined;
  }

  #noteAnchorProblems(reading: AnchorReading, last: StoredEntry | undefined): void {
    if (this.#anchorProblems.length > 0) return;
    if (reading.state === 'missing') {
      if (last) {
        this.#noteAnchorProblem({
          kind: 'anchor_missing',
          at: 'head anchor',
          message: `The head anchor (${anchorFileName}) is missing although the log has entries: entries cut from the end of the log would not show.`,
        });
      }
      return;
    }
    if (reading.state !== 'found') return;
    const { anchor } = reading;
    if (reading.sealedBy === null && this.#key && last?.key !== undefined) {
      this.#noteUnsealedAnchor();
    } else if (!last || last.seq < anchor.seq) {
      this.#noteTruncation(anchor.seq, last);
    } else if (last.seq === anchor.seq && last.hash !== anchor.hash) {
      this.#noteAnchorProblem({ kind: 'anchor_mismatch', at: `#${anchor.seq}`, message: `Entry #${anchor.seq} is not the entry that was written as #${anchor.seq}: the end of the log was replaced.` });
    } else if (last.seq > anchor.seq) {
      this.#anchorToCheck = { seq: anchor.seq, hash: anchor.hash };
    }
    // Otherwise the anchored entry is the last one, but not where the anchor put it: what changed
    // before it breaks the chain, which the pass verifies.
  }

  /** Verifies the whole chain before the anchor as a stream, in the background. */
  #startPass(handle: LogFileHandle): void {
    const end = this.#passEnd;
    const walk = new ChainWalk({ key: this.#key, problems: this.#problems });
    const counts = new ActivityCounts();
    this.#passWalk = walk;
    this.#passProgress = counts;
    this.#passDone = false;
    const run = async () => {
      let lineNumber = 0;
      for await (const line of linesForward(handle, 0, end, this.#forward)) {
        if (this.#closed) return;
        lineNumber += 1;
        if (lineNumber % letOthersRun.everyLines === 0) await letOthersRun();
        const entry = walk.line(line, () => `line ${lineNumber}`);
        if (!entry) continue;
        counts.add(entry);
        this.#indexEntry(entry, line.next);
        const anchored = this.#anchorToCheck;
        if (anchored?.seq === entry.seq && anchored.hash !== entry.hash) {
          this.#problems.add({ kind: 'anchor_mismatch', at: `#${entry.seq}`, message: `Entry #${entry.seq} is not the entry that was written as #${entry.seq}: it was replaced.` });
        }
      }
      walk.finish();
      this.#passCounts = counts;
      this.#passSegments = walk.segments;
      this.#passLines = lineNumber;
      const sealedBefore = joinSegments(walk.segments, this.#tailSegments).some((segment) => segment.key !== null);
      if (this.#keyKeptBefore && end > 0 && !sealedBefore) {
        this.#problems.add({
          kind: 'not_sealed',
          at: 'log',
          message: "No entry of the log is sealed, although the vault has held the log's key since an earlier start: the log was replaced by one written without the key.",
        });
      }
    };
    this.#pass = run()
      .catch((error: unknown) => {
        this.#problems.add({ kind: 'unreadable_line', at: 'log', message: `The log could not be read to its end to check it (${describeFileError(error)}).` });
      })
      .finally(() => {
        this.#passDone = true;
      });
  }

  /** Resolves once the whole chain has been verified (at once for a small log). */
  whenVerified(): Promise<void> {
    return this.#pass;
  }

  /** Starts a new log after setting the unusable one aside (never deleting it). */
  async #startOver(problem: string): Promise<void> {
    await this.#handle?.close().catch(() => undefined);
    this.#handle = undefined;
    const stamp = this.#stamp();
    const keptAs = `activity.damaged-${stamp}.jsonl`;
    const moved = await this.#files.rename(this.#logPath, join(this.#directory, keptAs)).then(
      () => true,
      () => false,
    );
    // The anchor describes the log set aside: it goes with it.
    await this.#files.rename(this.#anchorPath, join(this.#directory, `activity.head.damaged-${stamp}.json`)).catch(() => undefined);
    if (moved) this.#handle = await this.#files.openLog(this.#logPath).catch(() => undefined);
    const inMemory = !this.#handle;
    if (!this.#handle) {
      // The folder cannot be written: keep this session's entries in memory rather than stop the console.
      this.#files = memoryActivityFiles();
      this.#handle = await this.#files.openLog(this.#logPath);
    }
    const file = this.#inDataFolder(logFileName);
    const outcome = moved
      ? `it was set aside as ${keptAs}${inMemory ? ', and since no new log can be written there, entries of this session are kept in memory only' : ', and a new log was started'}`
      : 'it could not be moved aside, so entries of this session are kept in memory only';
    this.#setAside.push({
      file,
      problem: `The activity log could not be used because ${problem}.`,
      keptAs: moved ? join(this.#directory, keptAs) : null,
      consequence: inMemory
        ? 'Entries of this session are kept in memory only. Check that your user can write to the Consentry data folder, then restart Consentry.'
        : 'A new log was started; its first entry says what was set aside. The old entries are in the file set aside.',
      foundAt: this.#clock().toISOString(),
    });
    this.#resetState();
    // What was wrong with the log set aside no longer describes this one.
    this.#problems = new ProblemList();
    this.#anchorProblems = [];
    this.#problems.add({ kind: 'set_aside', at: '#1', message: `The activity log could not be used because ${problem}; ${outcome}.` });
    await this.#appendNow({
      action: 'activity.set_aside',
      target: file,
      result: 'failed',
      errorCode: 'storage_unavailable',
      detail: `The previous activity log could not be used because ${problem}; ${outcome}. This log starts here.`,
    }).catch(() => undefined);
  }

  #resetState(): void {
    this.#size = 0;
    this.#endsMidLine = false;
    this.#last = undefined;
    this.#passEnd = 0;
    this.#passCounts = new ActivityCounts();
    this.#passSegments = [];
    this.#passLines = 0;
    this.#passDone = true;
    this.#passWalk = undefined;
    this.#recentCounts = new ActivityCounts();
    this.#recentSegments = [];
    this.#recentLines = 0;
    this.#recentChecked = 0;
    this.#linesKnown = true;
  }

  /** Files this log could not use at start, and where they were kept. */
  setAsideFiles(): readonly SetAsideFile[] {
    return [...this.#setAside];
  }

  // ---------- appending ----------

  /** Appends one entry; resolves once it is on disk. Appends are serialised. */
  append(record: ActivityRecord): Promise<ActivityEntry> {
    const next = this.#writeQueue.then(() => this.#appendNow(record));
    this.#writeQueue = next.catch(() => undefined);
    return next;
  }

  /** Appends `record`, after the entry marking a change of sealing when one is due (alone when `record` is undefined). */
  async #appendNow(record: ActivityRecord): Promise<ActivityEntry>;
  async #appendNow(record: undefined): Promise<ActivityEntry | undefined>;
  async #appendNow(record: ActivityRecord | undefined): Promise<ActivityEntry | undefined> {
    const handle = this.#handle;
    if (!handle || this.#closed) throw new AppError('storage_unavailable', 'The activity log is closed.');
    const previous = this.#last;
    // A change of sealing is marked in the chain itself, so integrity can say which part is keyed.
    const sealingChanges = previous ? (previous.key ?? null) !== (this.#key?.id ?? null) : this.#key !== null && record === undefined;
    if (sealingChanges) await this.#write(handle, this.#transition(previous));
    return record ? toPublicEntry(await this.#write(handle, record)) : undefined;
  }

  #transition(previous: StoredEntry | undefined): ActivityRecord {
    if (!this.#key) {
      return {
        action: unkeyedAction,
        target: 'activity log',
        result: 'failed',
        detail: `From this entry on, entries are chained with plain SHA-256 only, which anyone who can edit the file can recompute: ${this.#keyProblem ?? 'no key is available'}.`,
      };
    }
    return {
      action: 'activity.keyed',
      target: 'activity log',
      result: 'succeeded',
      detail: !previous
        ? 'Each entry of this log is sealed with a key held in the vault (HMAC-SHA-256), so nobody without the key can change, add or remove one unnoticed.'
        : previous.key === undefined
          ? `From this entry on, each entry is sealed with a key held in the vault (HMAC-SHA-256). Entries up to #${previous.seq} are chained with plain SHA-256.`
          : 'From this entry on, entries are sealed with a new key held in the vault: the key that sealed the entries before it is not in the vault.',
    };
  }

  async #write(handle: LogFileHandle, record: ActivityRecord): Promise<StoredEntry> {
    if (this.#tornWrite) await this.#repairTornWrite(handle);
    const previous = this.#last;
    const unsealed: UnsealedEntry = {
      seq: previous ? previous.seq + 1 : 1,
      at: this.#clock().toISOString(),
      action: capped(record.action, fieldLimits.action),
      target: capped(record.target, fieldLimits.target),
      result: record.result,
      errorCode: record.errorCode ?? null,
      detail: record.detail === undefined || record.detail === null ? null : capped(record.detail, fieldLimits.detail),
      prevHash: previous ? previous.hash : genesisHash,
    };
    const stored = sealEntry(unsealed, this.#key);
    const bytes = Buffer.from(`${this.#endsMidLine ? '\n' : ''}${JSON.stringify(stored)}\n`, 'utf8');
    try {
      await handle.append(bytes);
      await handle.sync();
    } catch (error) {
      // Leave the log as it was before this entry, so it still verifies.
      await handle.truncate(this.#size).catch(() => {
        this.#tornWrite = true;
      });
      throw writeFailure(error, appendFailure);
    }
    this.#size += bytes.length;
    this.#endsMidLine = false;
    this.#last = stored;
    this.#recentLines += 1;
    this.#recentChecked += 1;
    this.#counted(stored, this.#size);
    extendSegments(this.#recentSegments, stored);
    this.#queries.appended(stored);
    await this.#writeAnchor(stored);
    const entry = toPublicEntry(stored);
    for (const listener of this.#listeners) listener(entry);
    return stored;
  }

  /** A failed append could not be cut back then; try again, or start after the torn bytes. */
  async #repairTornWrite(handle: LogFileHandle): Promise<void> {
    try {
      await handle.truncate(this.#size);
    } catch {
      this.#size = await handle.size();
      const lastByte = Buffer.alloc(1);
      await handle.read(lastByte, this.#size - 1);
      this.#endsMidLine = lastByte[0] !== newline;
      this.#linesKnown = false;
    }
    this.#tornWrite = false;
  }

  #counted(entry: StoredEntry, next: number): void {
    this.#recentCounts.add(entry);
    this.#indexEntry(entry, next);
  }

  #indexEntry(entry: StoredEntry, next: number): void {
    // Only while nothing is wrong: then sequence numbers are the entries' positions.
    if (entry.seq % indexStep === 0 && this.#problems.count === 0) this.#seqIndex.set(entry.seq, next);
  }

  async #writeAnchor(last: StoredEntry): Promise<void> {
    const lines = this.#linesKnown && this.#passLines !== null ? this.#passLines + this.#recentLines : null;
    const anchor: HeadAnchor = {
      seq: last.seq,
      hash: last.hash,
      offset: this.#size,
      lines,
      counts: this.#passCounts ? this.#passCounts.plus(this.#recentCounts) : null,
      segments: this.#passSegments ? joinSegments(this.#passSegments, this.#recentSegments) : null,
    };
    try {
      await this.#files.replaceText(this.#anchorPath, anchorText(anchor, this.#key));
    } catch {
      // The entry is on disk. The next append writes the anchor again; until then, opening checks
      // everything written after the previous anchor.
    }
  }

  onAppend(listener: (entry: ActivityEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  // ---------- reading ----------

  integrity(): ActivityIntegrity {
    const passSegments = this.#passSegments ?? this.#passWalk?.segments ?? [];
    // Entries sealed with a key that cannot be read now were not checked, and are not counted.
    const checked = (this.#passWalk ? this.#passWalk.entries - this.#passWalk.unchecked : 0) + this.#recentChecked;
    return {
      intact: this.#problems.count === 0,
      checkedEntries: checked,
      totalEntries: this.#passCounts ? this.#passCounts.total + this.#recentCounts.total : Math.max(this.#last?.seq ?? 0, checked),
      verification: this.#passDone ? 'complete' : 'checking',
      keying: describeKeying({ segments: joinSegments(passSegments, this.#recentSegments), lastSeq: this.#last?.seq ?? 0, key: this.#key, keyProblem: this.#keyProblem }),
      problems: this.#problems.list(),
    };
  }

  #counts(): { counts: ActivityCounts; exact: boolean } {
    const first = this.#passCounts ?? this.#passProgress;
    return { counts: first.plus(this.#recentCounts), exact: this.#passCounts !== null };
  }

  /** Every action recorded (while a large log without an anchor is first checked: those seen so far). */
  actions(): string[] {
    return this.#counts().counts.actions().sort();
  }

  /** Entries matching `filter`, newest first: `limit` of them after skipping `offset`. */
  page(filter: ActivityFilter, offset: number, limit: number): Promise<EntriesPage> {
    return this.#queries.page(filter, offset, limit);
  }

  /** The newest entries matching `filter` (at most `limit`). */
  async query(filter: ActivityFilter, limit = 1_000): Promise<ActivityEntry[]> {
    return (await this.#queries.page(filter, 0, limit)).entries;
  }

  /** Every entry matching `filter`, newest first, read as a stream. */
  entries(filter: ActivityFilter): AsyncGenerator<ActivityEntry> {
    return this.#queries.entries(filter);
  }

  /** Where the unfiltered list's entry `offset` from the newest ends, while the chain is intact. */
  #indexedPosition(offset: number): { position: number; newer: number } | undefined {
    const last = this.#last;
    if (!last || !this.#passDone || this.#problems.count > 0) return undefined;
    const indexed = Math.ceil((last.seq - offset) / indexStep) * indexStep;
    const position = indexed > 0 && indexed <= last.seq ? this.#seqIndex.get(indexed) : undefined;
    return position === undefined ? undefined : { position, newer: last.seq - indexed };
  }

  async close(): Promise<void> {
    await this.#writeQueue;
    this.#closed = true;
    await Promise.all([this.#pass, this.#queries.close()]);
    await this.#handle?.close();
    this.#handle = undefined;
  }
}
