import { open, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { replaceTextDurably, type ReplaceCalls } from '../../../../src-main/activity/activity-files';
import { temporaryDirectory } from '../../../support/temporary-directory';

/** The real file calls, each one noted as it is made. */
function recordingCalls(directory: string): { calls: ReplaceCalls; made: string[] } {
  const made: string[] = [];
  const name = (path: string) => (path === directory ? 'folder' : path.slice(directory.length + 1));
  return {
    made,
    calls: {
      open: async (path, flags, mode) => {
        made.push(`open ${name(path)}`);
        const handle = await open(path, flags, mode);
        return {
          writeFile: async (...args: Parameters<typeof handle.writeFile>) => {
            made.push(`write ${name(path)}`);
            await handle.writeFile(...args);
          },
          sync: async () => {
            made.push(`sync ${name(path)}`);
            await handle.sync();
          },
          close: async () => {
            made.push(`close ${name(path)}`);
            await handle.close();
          },
        };
      },
      rename: async (from, to) => {
        made.push(`rename ${name(from)} to ${name(to)}`);
        await rename(from, to);
      },
    },
  };
}

describe('replacing the activity log head anchor', () => {
  test('flushes the new text to disk before renaming it over the old one, then flushes the folder', async () => {
    const directory = await temporaryDirectory();
    const anchor = join(directory, 'activity.head');
    await writeFile(anchor, 'old anchor');
    const { calls, made } = recordingCalls(directory);

    await replaceTextDurably(anchor, 'new anchor', calls);

    expect(made).toEqual([
      'open activity.head.tmp',
      'write activity.head.tmp',
      'sync activity.head.tmp',
      'close activity.head.tmp',
      'rename activity.head.tmp to activity.head',
      'open folder',
      'sync folder',
      'close folder',
    ]);
    expect(await readFile(anchor, 'utf8')).toBe('new anchor');
    expect(await readdir(directory)).toEqual(['activity.head']);
  });
});
