/**
 * A job's durable journal: one JSON record per line in `<jobId>.journal.ndjson`, each batch of
 * records flushed to disk (fdatasync) before the promise that wrote it resolves. A job writes the
 * intent of a state-changing call before sending it and the outcome after, so a journal read back
 * after a crash tells exactly what was done, what may have been done, and what was not started.
 */
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { AppError } from '../errors/app-error';
import { nodeProfileFileSystem, setAsidePath } from '../storage/profile-file-opening';
import type { JobItemOutcome, JobState } from './job-model';

export type JournalRecord =
  /** The job as confirmed; its items follow, and `ready` commits them. */
  | { t: 'created'; at: string; job: { id: string; kind: string; title: string; subject: string; total: number } }
  | { t: 'item'; n: number; key: string; label: string; phase: number; chain?: string; payload: unknown }
  /** Written after the last item: a journal without it was never confirmed whole and is not run. */
  | { t: 'ready'; at: string }
  | { t: 'intent'; n: number; at: string }
  | { t: 'outcome'; n: number; at: string; outcome: JobItemOutcome }
  /** The call was refused before it could take effect (the connection needs a reconnect): the item waits again. */
  | { t: 'released'; n: number; at: string; reason: string }
  /** The item's activity entry is on disk. */
  | { t: 'logged'; n: number }
  /** The kind has applied the item's success to its own data (a revoked grant hidden from the scan). */
  | { t: 'applied'; n: number }
  | { t: 'state'; state: JobState; at: string; reason?: string };

const journalSuffix = '.journal.ndjson';

/** The file system calls the journal makes; tests inject failures such as a full disk. */
export interface JournalFiles {
  append(handle: FileHandle, text: string): Promise<void>;
}

const nodeJournalFiles: JournalFiles = {
  append: async (handle, text) => {
    await handle.appendFile(text);
  },
};

/** How a write failure is put to the admin: a job's words by default, a rotation's for its journal. */
export interface JournalWords {
  diskFull: { message: string; nextStep: string };
  unwritable: { message: string; nextStep: string };
}

const jobWords: JournalWords = {
  diskFull: {
    message: 'The disk is full: Consentry could not write the job’s journal, so it paused the job.',
    nextStep: 'Free some disk space, then resume the job. A call whose answer could not be recorded is shown as unknown, never as done.',
  },
  unwritable: { message: 'Consentry could not write the job journal.', nextStep: 'Check that your user can write to the Consentry data folder, then resume the job.' },
};

function writeFailure(error: unknown, words: JournalWords): AppError {
  const full = (error as NodeJS.ErrnoException).code === 'ENOSPC';
  const { message, nextStep } = full ? words.diskFull : words.unwritable;
  return new AppError(full ? 'disk_full' : 'storage_unavailable', message, { nextStep, cause: error });
}

/**
 * An open journal for appending. Records written while a flush is under way are grouped into the
 * next write, so many items in flight cost one fdatasync per batch rather than one each. A job's
 * records by default; rotations keep their own records in the same kind of file.
 */
export class JobJournal<Entry = JournalRecord> {
  readonly #handle: FileHandle;
  readonly #files: JournalFiles;
  readonly #words: JournalWords;
  /** Bytes known to be whole on disk; a failed write is cut back to this. */
  #length: number;
  #pending: { text: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #flushing: Promise<void> | null = null;

  private constructor(handle: FileHandle, length: number, files: JournalFiles, words: JournalWords) {
    this.#handle = handle;
    this.#length = length;
    this.#files = files;
    this.#words = words;
  }

  /** Opens a journal for appending, cutting off a last line a crash left half-written. */
  static async open<Entry = JournalRecord>(path: string, wholeLength: number | null, files: JournalFiles = nodeJournalFiles, words: JournalWords = jobWords): Promise<JobJournal<Entry>> {
    const handle = await open(path, 'a+', 0o600);
    const { size } = await handle.stat();
    const length = wholeLength ?? size;
    if (length < size) await handle.truncate(length);
    return new JobJournal<Entry>(handle, length, files, words);
  }

  write(...records: Entry[]): Promise<void> {
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    return new Promise((resolve, reject) => {
      this.#pending.push({ text, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    // Let the callers of this turn join the batch.
    await Promise.resolve();
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      const text = batch.map((entry) => entry.text).join('');
      try {
        await this.#files.append(this.#handle, text);
        await this.#handle.datasync();
        this.#length += Buffer.byteLength(text);
        for (const entry of batch) entry.resolve();
      } catch (error) {
        // Leave the journal as it was before this batch, so it reads back whole.
        await this.#handle.truncate(this.#length).catch(() => undefined);
        const failure = writeFailure(error, this.#words);
        for (const entry of batch) entry.reject(failure);
      }
    }
    this.#flushing = null;
  }

  async close(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    await this.#handle.close();
  }
}

export interface ReadJournal<Entry = JournalRecord> {
  records: Entry[];
  /** Bytes that hold whole records; anything after is a torn last line. */
  wholeLength: number;
  /** A line in the middle that is not a record: the journal was damaged, not merely cut short. */
  damagedAt: number | null;
}

/** Reads a journal line by line (it may be large), tolerating a last line a crash cut short. */
export async function readJournal<Entry = JournalRecord>(path: string): Promise<ReadJournal<Entry>> {
  const records: Entry[] = [];
  let wholeLength = 0;
  let damagedAt: number | null = null;
  let lineNumber = 0;
  let tornTail = false;
  let lastLength = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNumber += 1;
    if (tornTail) {
      // A bad line followed by more lines is damage, not a crash mid-write.
      damagedAt ??= lineNumber - 1;
      tornTail = false;
    }
    try {
      records.push(JSON.parse(line) as Entry);
      lastLength = Buffer.byteLength(line) + 1;
      wholeLength += lastLength;
    } catch {
      tornTail = true;
    }
  }
  // readline also yields a last line without its newline: a write the crash cut short.
  const { size } = await stat(path);
  if (wholeLength > size && records.length > 0) {
    records.pop();
    wholeLength -= lastLength;
  }
  return { records, wholeLength, damagedAt };
}

export function journalPath(directory: string, jobId: string): string {
  return join(directory, `${jobId}${journalSuffix}`);
}

export async function journalIds(directory: string): Promise<string[]> {
  const names = await readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names.filter((name) => name.endsWith(journalSuffix)).map((name) => name.slice(0, -journalSuffix.length));
}

/** Keeps a journal that cannot be replayed beside the others under a name that says so; never deletes it. */
export async function setJournalAside(directory: string, jobId: string, stamp: Date): Promise<string> {
  // Named as every damaged profile file is, by the same rule.
  const keptAs = setAsidePath(directory, jobId, stamp, nodeProfileFileSystem, '.ndjson');
  await rename(journalPath(directory, jobId), keptAs);
  return basename(keptAs);
}

/** A journal whose job never started (its confirmation could not be written whole): not evidence of anything. */
export async function removeUnstartedJournal(directory: string, jobId: string): Promise<void> {
  await rm(journalPath(directory, jobId), { force: true });
}

/** Moves a journal whose job ended long ago out of the way of the start-up replay; never deletes it. */
export async function archiveJournal(directory: string, jobId: string): Promise<void> {
  const finished = join(directory, 'finished');
  await mkdir(finished, { recursive: true, mode: 0o700 });
  await rename(journalPath(directory, jobId), join(finished, `${jobId}${journalSuffix}`));
}
