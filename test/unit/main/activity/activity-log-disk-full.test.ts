import { readFile, stat } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { nodeActivityFiles, type ActivityFiles } from '../../../../src-main/activity/activity-files';
import { AppError } from '../../../../src-main/errors/app-error';
import { fillingDisk, logWithEntries, openLog, vaultKey } from './activity-log-fixtures';

const record = { action: 'settings.update', target: 'settings', result: 'succeeded' as const, detail: 'key-age policy (days): 90 → 60' };

describe('activity log on a full disk', () => {
  test('refuses an entry with disk_full when only part of it could be written, and leaves a log that verifies', async () => {
    const key = vaultKey();
    const disk = fillingDisk();
    const { directory, log, path } = await logWithEntries(3, { key, files: disk.files });
    const before = await readFile(path);
    disk.room.bytes = 40;
    const failure = await log.append(record).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'disk_full', message: expect.stringContaining('The disk is full'), nextStep: expect.stringContaining('Free some space') });
    // The 40 bytes that fitted were cut back off.
    expect(await readFile(path)).toEqual(before);
    expect(log.integrity()).toMatchObject({ intact: true, problems: [] });

    disk.room.bytes = null;
    expect(await log.append(record)).toMatchObject({ seq: 5 });
    await log.close();
    const reopened = await openLog(directory, { key });
    expect(reopened.integrity()).toMatchObject({ intact: true, checkedEntries: 5, problems: [] });
    await reopened.close();
  });

  test('cuts an entry back when the disk reports full only at the flush', async () => {
    let failFlush = false;
    const files: ActivityFiles = {
      ...nodeActivityFiles,
      openLog: async (path) => {
        const real = await nodeActivityFiles.openLog(path);
        return {
          ...real,
          sync: async () => {
            if (failFlush) throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
            return real.sync();
          },
        };
      },
    };
    const { directory, log, path } = await logWithEntries(2, { files });
    const size = (await stat(path)).size;
    failFlush = true;
    await expect(log.append(record)).rejects.toMatchObject({ code: 'disk_full' });
    expect((await stat(path)).size).toBe(size);
    failFlush = false;
    await log.close();
    const reopened = await openLog(directory);
    expect(reopened.integrity()).toMatchObject({ intact: true, problems: [] });
    await reopened.close();
  });

  test('reports a write refused for another reason as storage_unavailable, without the system message', async () => {
    const files: ActivityFiles = {
      ...nodeActivityFiles,
      openLog: async (path) => ({
        ...(await nodeActivityFiles.openLog(path)),
        append: async () => {
          throw Object.assign(new Error('EIO: i/o error, write /secret/path'), { code: 'EIO' });
        },
      }),
    };
    const { log } = await logWithEntries(0, { files });
    const failure = (await log.append(record).catch((error: unknown) => error)) as AppError;
    expect(failure.toFailure()).toEqual({
      code: 'storage_unavailable',
      message: 'Consentry could not add this entry to its activity log, so the action was not recorded.',
      nextStep: 'Check that your user can write to the Consentry data folder, then try again.',
    });
    await log.close();
  });

  test('starts the next entry on a line of its own when a failed write could not be cut back', async () => {
    const disk = fillingDisk();
    const cannotCut: ActivityFiles = {
      ...disk.files,
      openLog: async (path) => ({
        ...(await disk.files.openLog(path)),
        truncate: async () => {
          throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
        },
      }),
    };
    const { directory, log } = await logWithEntries(2, { files: cannotCut });
    disk.room.bytes = 30;
    await expect(log.append(record)).rejects.toMatchObject({ code: 'disk_full' });
    disk.room.bytes = null;
    expect(await log.append(record)).toMatchObject({ seq: 3 });
    await log.close();
    // The torn bytes stay (they could not be cut) and show as one unreadable line; the chain holds.
    const reopened = await openLog(directory);
    expect(reopened.integrity().problems).toEqual([expect.objectContaining({ kind: 'unreadable_line' })]);
    expect((await reopened.query({})).map((entry) => entry.seq)).toEqual([3, 2, 1]);
    await reopened.close();
  });
});
