import { createSecretKey, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ActivityLog, type ActivityLogKey, type ActivityLogOptions } from '../../../../src-main/activity/activity-log';
import { memoryActivityFiles, nodeActivityFiles, type ActivityFiles, type LogFileHandle } from '../../../../src-main/activity/activity-files';
import { temporaryDirectory } from '../../../support/temporary-directory';

export function steppingClock(start = Date.parse('2026-11-01T10:00:00Z')) {
  let now = start;
  return () => {
    now += 60_000;
    return new Date(now);
  };
}

/** A key as the vault hands it out; `created: false` as at every start after the first. */
export function vaultKey(bytes: Buffer = randomBytes(32), created = false): Extract<ActivityLogKey, { available: true }> & { bytes: Buffer } {
  return { available: true, secret: createSecretKey(bytes), created, bytes };
}

export const keychainUnavailable: ActivityLogKey = { available: false, reason: 'the keychain is unavailable (no keyring is running)' };

export async function openLog(directory: string, options: ActivityLogOptions = {}) {
  return ActivityLog.open(directory, { clock: steppingClock(), ...options });
}

/** A log with `count` entries: odd ones `settings.update`, even ones `grant.revoke`, #3 failed. */
export async function logWithEntries(count: number, options: ActivityLogOptions = {}) {
  const directory = await temporaryDirectory();
  const log = await openLog(directory, options);
  for (let index = 1; index <= count; index += 1) {
    await log.append({
      action: index % 2 ? 'settings.update' : 'grant.revoke',
      target: `target-${index}`,
      result: index === 3 ? 'failed' : 'succeeded',
      errorCode: index === 3 ? 'network' : null,
      detail: `step ${index}`,
    });
  }
  return { directory, log, path: join(directory, 'activity.jsonl'), anchorPath: join(directory, 'activity.head.json') };
}

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/**
 * Real files, except that appends fail the way a full disk fails: the first `bytesThatFit` bytes of
 * the next append are written, then ENOSPC. `fits` is how much room is left; `null`: room enough.
 */
export function fillingDisk(): { files: ActivityFiles; room: { bytes: number | null } } {
  const room: { bytes: number | null } = { bytes: null };
  const files: ActivityFiles = {
    ...nodeActivityFiles,
    openLog: async (path) => {
      const real = await nodeActivityFiles.openLog(path);
      const handle: LogFileHandle = {
        ...real,
        append: async (data) => {
          if (room.bytes === null || data.length <= room.bytes) {
            if (room.bytes !== null) room.bytes -= data.length;
            return real.append(data);
          }
          const fits = room.bytes;
          room.bytes = 0;
          await real.append(data.subarray(0, fits));
          throw systemError('ENOSPC');
        },
      };
      return handle;
    },
    replaceText: async (path, text) => {
      if (room.bytes !== null && Buffer.byteLength(text) > room.bytes) throw systemError('ENOSPC');
      return nodeActivityFiles.replaceText(path, text);
    },
  };
  return { files, room };
}

/** Real files, except that the log file found at start cannot be opened (as when permissions deny it; tests run as root). */
export function unreadableLog(code = 'EACCES'): ActivityFiles {
  let refused = false;
  return {
    ...nodeActivityFiles,
    openLog: async (path) => {
      if (refused) return nodeActivityFiles.openLog(path);
      refused = true;
      throw systemError(code);
    },
  };
}

/** Real files, except that nothing in the log folder can be opened or renamed. */
export function unwritableFolder(): ActivityFiles {
  return {
    ...nodeActivityFiles,
    openLog: async () => {
      throw systemError('EACCES');
    },
    rename: async () => {
      throw systemError('EACCES');
    },
  };
}

/** The log folder's files copied into memory: the same reading code, without a system call per chunk. */
export async function copiedIntoMemory(directory: string): Promise<ActivityFiles> {
  const files = memoryActivityFiles();
  const log = await files.openLog(join(directory, 'activity.jsonl'));
  await log.append(await readFile(join(directory, 'activity.jsonl')));
  const anchor = await nodeActivityFiles.readText(join(directory, 'activity.head.json'));
  if (anchor !== undefined) await files.replaceText(join(directory, 'activity.head.json'), anchor);
  return files;
}
