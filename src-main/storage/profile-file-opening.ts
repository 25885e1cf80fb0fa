/**
 * The rule for opening a store file of the profile folder: a file the stores cannot use (empty,
 * cut off, not JSON, the wrong shape, a folder, unreadable) never stops the console. It is named,
 * moved aside under a name that says what it is (`settings.damaged-2026-12-04T10-11-12Z.json`, never
 * deleted), and that store starts empty. Writes and reads that fail later fail their one action
 * with an error that names the file.
 *
 * conf (and electron-store, built on it) would not do this: it throws on a file that is not JSON or
 * not a file, and reads JSON of the wrong shape as an empty store, which its next write then
 * replaces. Its `clearInvalidConfig` option overwrites the damaged file, so it is not used.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors/app-error';
import type { KeyValueStore } from './key-value-store';
import { createMemoryKeyValueStore } from './memory-key-value-store';

/** A profile file that could not be used as it was found. */
export interface ProfileFileProblem {
  /** The file's name in the profile folder, e.g. `settings.json`. */
  file: string;
  /** What is wrong with it, in a sentence an admin understands. Never its content. */
  problem: string;
  /** The full path the damaged file was moved to, or null when it could not be moved. */
  keptAs: string | null;
  /** What starting without it means, and what to do. */
  consequence: string;
  /** When it was found: ISO 8601, UTC. */
  foundAt: string;
}

/** One of the console's store files and what losing it means. */
export interface ProfileFileSpec {
  /** The store's name: `settings` is `settings.json`. */
  name: string;
  /** What starting this store empty means for the admin. */
  consequence: string;
  /** What the stores could not read in a parsed file, or undefined when they can read all of it. */
  shapeProblem(content: Record<string, unknown>): string | undefined;
}

/** The file operations the check makes, injectable so tests can fail them as root never sees (EACCES). */
export interface ProfileFileSystem {
  /** undefined when nothing is at the path. */
  kind(path: string): 'file' | 'directory' | 'other' | undefined;
  readFile(path: string): Buffer;
  rename(from: string, to: string): void;
}

export const nodeProfileFileSystem: ProfileFileSystem = {
  kind(path) {
    const stats = fs.statSync(path, { throwIfNoEntry: false });
    if (!stats) return undefined;
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  },
  readFile: (path) => fs.readFileSync(path),
  rename: (from, to) => fs.renameSync(from, to),
};

/** Opens the store of one file: conf in Node, electron-store in the app. */
export type StoreFileOpener = (directory: string, name: string) => KeyValueStore;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Why a file operation failed, as a clause: "the disk is full". */
function fileFailureReason(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'your user is not allowed to (permission denied)';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'your disk quota is used up';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EIO':
      return 'the disk reported an error';
    case 'EISDIR':
      return 'a folder is where the file should be';
    case 'EBUSY':
      return 'another program holds it open';
    default: {
      const code = errorCode(error);
      return code ? `the system refused (${code})` : 'of an unexpected error';
    }
  }
}

function nextStepFor(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'Free some disk space, then try again.';
    case 'EBUSY':
      return 'Close the program that has it open (a backup or sync tool, an editor), then try again.';
    default:
      return 'Check that your user can write to the Consentry data folder and the disk has space, then try again.';
  }
}

/** What JSON.parse found, without its message (which quotes the file). */
function syntaxProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  const atEnd = /end of JSON input|Unterminated/.test(message) || (position !== undefined && Number(position) >= text.trimEnd().length);
  return atEnd ? 'It ends part-way through, as if saving it was cut off.' : 'It is not valid JSON (damaged, or edited by hand).';
}

/** What a JSON value is, in words: "a list", "text". */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'string' ? 'text' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** What is wrong with the file at `path`, or undefined when the stores can use it (or it is not there yet). */
function inspect(path: string, spec: ProfileFileSpec, files: ProfileFileSystem): string | undefined {
  let kind: ReturnType<ProfileFileSystem['kind']>;
  try {
    kind = files.kind(path);
  } catch (error) {
    return `It could not be looked at, because ${fileFailureReason(error)}.`;
  }
  if (kind === undefined) return undefined;
  if (kind === 'directory') return 'It is a folder, not a file.';
  if (kind === 'other') return 'It is not a regular file.';
  let bytes: Buffer;
  try {
    bytes = files.readFile(path);
  } catch (error) {
    return `It could not be read, because ${fileFailureReason(error)}.`;
  }
  // A byte order mark is what an editor may add; conf skips it too.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (bytes.length === 0) return 'It is empty (0 bytes).';
  // NUL bytes where the content was are what a power cut during a save can leave.
  if (text.includes('\u0000')) return 'It holds binary data instead of text, as a crash or power cut during a save can leave it.';
  if (text.trim() === '') return 'It holds nothing but blank space.';
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    return syntaxProblem(text, error);
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    return `It is valid JSON, but it holds ${describeValue(content)} where Consentry keeps an object.`;
  }
  const shape = spec.shapeProblem(content as Record<string, unknown>);
  return shape === undefined ? undefined : `It is valid JSON, but ${shape}`;
}

/** The path a damaged entry moves to: next to it, stamped with the time it was found (`extension` after the stamp). */
export function setAsidePath(directory: string, name: string, at: Date, files: ProfileFileSystem, extension = '.json'): string {
  const stamp = `${at.toISOString().slice(0, 19).replaceAll(':', '-')}Z`;
  for (let attempt = 1; ; attempt += 1) {
    const candidate = join(directory, `${name}.damaged-${stamp}${attempt === 1 ? '' : `-${attempt}`}${extension}`);
    if (files.kind(candidate) === undefined) return candidate;
  }
}

/**
 * A store whose failures name its file: reads and writes of conf throw library errors (a
 * SyntaxError that quotes the path, ENOSPC), which would reach the admin as "unexpected error".
 */
function namingFailures(store: KeyValueStore, file: string): KeyValueStore {
  const translate = (error: unknown, doing: 'read' | 'save to'): AppError => {
    if (error instanceof AppError) return error;
    if (error instanceof SyntaxError) {
      return new AppError('profile_file_damaged', `${file} was damaged while Consentry was running: it is no longer valid JSON.`, {
        nextStep: 'Quit and start Consentry again: it keeps the damaged file aside and starts that part afresh.',
        cause: error,
      });
    }
    const full = errorCode(error) === 'ENOSPC' || errorCode(error) === 'EDQUOT';
    return new AppError(full ? 'disk_full' : 'storage_unavailable', `Consentry could not ${doing} ${file}, because ${fileFailureReason(error)}.`, {
      nextStep: nextStepFor(error),
      cause: error,
    });
  };
  const guarded =
    <A extends unknown[], R>(doing: 'read' | 'save to', action: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return action(...args);
      } catch (error) {
        throw translate(error, doing);
      }
    };
  return {
    get: guarded('read', (key: string) => store.get(key)),
    set: guarded('save to', (key: string, value: unknown) => store.set(key, value)),
    delete: guarded('save to', (key: string) => store.delete(key)),
  };
}

/**
 * A store that opened but could not be saved while the console started (a full disk): not a reason
 * to stop, but the admin is told, since each change to it will fail until it can be saved.
 */
export function unsavedAtStartProblem(spec: ProfileFileSpec, error: unknown, at: Date): ProfileFileProblem {
  const file = `${spec.name}.json`;
  return {
    file,
    problem: error instanceof AppError ? error.message : `Consentry could not save to ${file}, because ${fileFailureReason(error)}.`,
    keptAs: null,
    consequence: `It is left as it was. Changes to it fail until it can be saved: ${error instanceof AppError && error.nextStep ? error.nextStep : nextStepFor(error)}`,
    foundAt: at.toISOString(),
  };
}

export interface ProfileFolderOptions {
  /** conf in Node hosts, electron-store in the app. */
  openStoreFile: StoreFileOpener;
  fileSystem?: ProfileFileSystem;
  clock?: () => Date;
}

/**
 * The profile folder (Electron's userData; a folder of their own for tests and the browser bridge),
 * whose store files are opened by the rule above. Every host opens its stores through one of these,
 * so the rule lives here once; what it found is in `problems`.
 */
export class ProfileFolder {
  readonly directory: string;
  readonly #open: StoreFileOpener;
  readonly #files: ProfileFileSystem;
  readonly #clock: () => Date;
  readonly #problems: ProfileFileProblem[] = [];

  constructor(directory: string, options: ProfileFolderOptions) {
    this.directory = directory;
    this.#open = options.openStoreFile;
    this.#files = options.fileSystem ?? nodeProfileFileSystem;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** What was wrong with the files opened so far, in the order they were opened. */
  get problems(): readonly ProfileFileProblem[] {
    return this.#problems;
  }

  /** The store of `spec`'s file; never throws for what the file holds. */
  open(spec: ProfileFileSpec): KeyValueStore {
    const file = `${spec.name}.json`;
    const path = join(this.directory, file);
    let problem = inspect(path, spec, this.#files);
    if (problem === undefined) {
      try {
        return namingFailures(this.#open(this.directory, spec.name), file);
      } catch (error) {
        // Changed between the check and the open, or a damage the check does not know.
        problem = error instanceof SyntaxError ? 'It is not valid JSON (damaged, or edited by hand).' : `It could not be opened, because ${fileFailureReason(error)}.`;
      }
    }
    return namingFailures(this.#setAside(spec, file, path, problem), file);
  }

  #setAside(spec: ProfileFileSpec, file: string, path: string, problem: string): KeyValueStore {
    const foundAt = this.#clock();
    let keptAs: string;
    try {
      keptAs = setAsidePath(this.directory, spec.name, foundAt, this.#files);
      this.#files.rename(path, keptAs);
    } catch (error) {
      // A store over the file would write over it: keep this run's changes in memory, and the evidence on disk.
      this.#problems.push({
        file,
        problem,
        keptAs: null,
        consequence: `${spec.consequence} Consentry could not move the file aside, because ${fileFailureReason(error)}, so it leaves it as it is: changes you make now last until Consentry quits. Move or repair ${file} in the data folder, then start Consentry again.`,
        foundAt: foundAt.toISOString(),
      });
      return createMemoryKeyValueStore();
    }
    this.#problems.push({ file, problem, keptAs, consequence: spec.consequence, foundAt: foundAt.toISOString() });
    try {
      return this.#open(this.directory, spec.name);
    } catch {
      // The file is aside, so nothing at the path should fail; if the folder itself fails, keep going in memory.
      return createMemoryKeyValueStore();
    }
  }
}
