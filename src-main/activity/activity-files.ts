import { mkdir, open, readFile, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The open log file: reads at any position, writes at the end. */
export interface LogFileHandle {
  size(): Promise<number>;
  /** Reads up to `buffer.length` bytes from `position`; returns how many were read. */
  read(buffer: Buffer, position: number): Promise<number>;
  /** Writes at the end of the file. On failure (a full disk) part of `data` may already be written. */
  append(data: Buffer): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export type PathKind = 'file' | 'directory' | 'missing' | 'other';

/**
 * The file system calls the activity log makes, behind one port so that tests can make them fail
 * the way disks do (a full disk after a partial write, a file that cannot be read).
 */
export interface ActivityFiles {
  ensureDirectory(path: string): Promise<void>;
  kind(path: string): Promise<PathKind>;
  /** Opens the log for reading and appending, creating it when missing. */
  openLog(path: string): Promise<LogFileHandle>;
  /** A small file's text, or `undefined` when there is none. */
  readText(path: string): Promise<string | undefined>;
  /** Replaces a small file whole: written beside it and flushed, then renamed over it. */
  replaceText(path: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

/** The file calls a durable replace makes, injectable so a test can see they come in a safe order. */
export interface ReplaceCalls {
  open(path: string, flags: 'w' | 'r', mode?: number): Promise<Pick<FileHandle, 'writeFile' | 'sync' | 'close'>>;
  rename(from: string, to: string): Promise<void>;
}

const nodeReplaceCalls: ReplaceCalls = { open, rename };

/**
 * Replaces a small file so that a crash or power cut leaves the old content or the new one, never
 * an empty file: the new text is written beside it and flushed to disk before the rename, and the
 * folder is flushed after it so the rename itself survives.
 */
export async function replaceTextDurably(path: string, text: string, calls: ReplaceCalls = nodeReplaceCalls): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await calls.open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await calls.rename(temporary, path);
  try {
    const folder = await calls.open(dirname(path), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    // Windows cannot open a folder; its rename is durable enough there.
  }
}

export const nodeActivityFiles: ActivityFiles = {
  ensureDirectory: async (path) => {
    await mkdir(path, { recursive: true });
  },
  kind: async (path) => {
    try {
      const found = await stat(path);
      if (found.isFile()) return 'file';
      return found.isDirectory() ? 'directory' : 'other';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw error;
    }
  },
  openLog: async (path) => {
    const handle = await open(path, 'a+', 0o600);
    return {
      size: async () => (await handle.stat()).size,
      read: async (buffer, position) => (await handle.read(buffer, 0, buffer.length, position)).bytesRead,
      append: async (data) => {
        // The file is open for appending: every write lands at its end, whatever position is given.
        let written = 0;
        while (written < data.length) written += (await handle.write(data, written, data.length - written)).bytesWritten;
      },
      sync: () => handle.datasync(),
      truncate: (length) => handle.truncate(length),
      close: () => handle.close(),
    };
  },
  readText: async (path) => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  replaceText: (path, text) => replaceTextDurably(path, text),
  rename: (from, to) => rename(from, to),
};

/**
 * Files held in memory. The log falls back to it for the session when its folder cannot be written
 * at all, so that the console still starts and every other capability keeps working.
 */
export function memoryActivityFiles(): ActivityFiles {
  const files = new Map<string, Buffer>();
  return {
    ensureDirectory: async () => undefined,
    kind: async (path) => (files.has(path) ? 'file' : 'missing'),
    openLog: async (path) => {
      if (!files.has(path)) files.set(path, Buffer.alloc(0));
      const content = () => files.get(path)!;
      return {
        size: async () => content().length,
        read: async (buffer, position) => (position >= content().length ? 0 : content().copy(buffer, 0, position, Math.min(content().length, position + buffer.length))),
        append: async (data) => {
          files.set(path, Buffer.concat([content(), data]));
        },
        sync: async () => undefined,
        truncate: async (length) => {
          files.set(path, content().subarray(0, length));
        },
        close: async () => undefined,
      };
    },
    readText: async (path) => files.get(path)?.toString('utf8'),
    replaceText: async (path, text) => {
      files.set(path, Buffer.from(text, 'utf8'));
    },
    rename: async (from, to) => {
      const moved = files.get(from);
      if (moved === undefined) throw Object.assign(new Error(`ENOENT: ${from}`), { code: 'ENOENT' });
      files.set(to, moved);
      files.delete(from);
    },
  };
}
