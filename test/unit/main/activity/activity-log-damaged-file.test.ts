import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ActivityLogOptions } from '../../../../src-main/activity/activity-log';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { logWithEntries, openLog, unreadableLog, unwritableFolder, vaultKey } from './activity-log-fixtures';

/** A data folder with an `activity` folder, as the console lays it out. */
async function activityFolder() {
  const dataFolder = await temporaryDirectory();
  const directory = join(dataFolder, 'activity');
  await mkdir(directory);
  return { directory, logPath: join(directory, 'activity.jsonl') };
}

async function expectStartedOver(directory: string, options: ActivityLogOptions, problem: string) {
  const log = await openLog(directory, options);
  const [setAside] = log.setAsideFiles();
  expect(setAside).toEqual({
    file: 'activity/activity.jsonl',
    problem: `The activity log could not be used because ${problem}.`,
    keptAs: expect.stringMatching(/activity[/\\]activity\.damaged-2026-11-01T10-\d\d-00\.000Z\.jsonl$/),
    consequence: expect.stringContaining('A new log was started'),
    foundAt: expect.any(String),
  });
  const keptAs = setAside!.keptAs!.split(/[/\\]/).at(-1)!;
  expect(log.integrity()).toMatchObject({
    intact: false,
    problems: [{ kind: 'set_aside', at: '#1', message: `The activity log could not be used because ${problem}; it was set aside as ${keptAs}, and a new log was started.` }],
  });
  expect(await log.query({})).toEqual([
    expect.objectContaining({ seq: 1, action: 'activity.set_aside', target: 'activity/activity.jsonl', result: 'failed', detail: expect.stringContaining(keptAs) }),
  ]);
  expect(await log.append({ action: 'settings.update', target: 'settings', result: 'succeeded' })).toMatchObject({ seq: 2 });
  await log.close();
  return { log, keptAs: join(directory, keptAs) };
}

describe('damaged activity log file', () => {
  test('sets a log path that is a folder aside, never deleting it, and starts a new log that says why', async () => {
    const { directory, logPath } = await activityFolder();
    await mkdir(logPath);
    await writeFile(join(logPath, 'inside.txt'), 'kept');
    const { keptAs } = await expectStartedOver(directory, {}, 'it is a folder, not a file');
    expect(await readFile(join(keptAs, 'inside.txt'), 'utf8')).toBe('kept');
  });

  test('sets aside a log that cannot be read', async () => {
    const { directory, logPath } = await activityFolder();
    await writeFile(logPath, 'previous entries\n');
    const { keptAs } = await expectStartedOver(directory, { files: unreadableLog('EACCES') }, 'it cannot be read (permission denied)');
    expect(await readFile(keptAs, 'utf8')).toBe('previous entries\n');
  });

  test.each([
    ['random bytes', randomBytes(4_096)],
    ['text that is not entries', Buffer.from('hello\nthis is not a log\n{"seq": "one"}\n')],
  ])('sets aside a log of garbage (%s), keeping its bytes', async (_kind, garbage) => {
    const { directory, logPath } = await activityFolder();
    await writeFile(logPath, garbage);
    const { keptAs } = await expectStartedOver(directory, { key: vaultKey() }, 'it holds no readable activity entry');
    expect(await readFile(keptAs)).toEqual(garbage);
  });

  test('keeps the entries of the session in memory when the damaged log cannot even be moved', async () => {
    const { directory, logPath } = await activityFolder();
    await writeFile(logPath, 'previous entries\n');
    const log = await openLog(directory, { files: unwritableFolder() });
    expect(log.setAsideFiles()).toEqual([expect.objectContaining({ file: 'activity/activity.jsonl', keptAs: null, consequence: expect.stringContaining('kept in memory only') })]);
    expect(log.integrity().problems).toEqual([expect.objectContaining({ kind: 'set_aside', message: expect.stringContaining('could not be moved aside') })]);
    await log.append({ action: 'settings.update', target: 'settings', result: 'succeeded' });
    expect((await log.query({})).map((entry) => entry.action)).toEqual(['settings.update', 'activity.set_aside']);
    await log.close();
    expect(await readFile(logPath, 'utf8')).toBe('previous entries\n');
  });

  test('sets an unreadable head anchor aside and reports that a cut tail could not be seen', async () => {
    const { directory, log, anchorPath } = await logWithEntries(2);
    await log.close();
    await writeFile(anchorPath, '{"seq": 2, "ha');
    const reopened = await openLog(directory);
    expect(reopened.integrity().problems).toEqual([expect.objectContaining({ kind: 'anchor_missing', message: expect.stringContaining('it is not valid JSON; it was set aside as activity.head.damaged-') })]);
    expect(reopened.setAsideFiles()).toEqual([expect.objectContaining({ keptAs: expect.stringContaining('activity.head.damaged-') })]);
    await reopened.close();
    const names = await readdir(directory);
    const keptAnchor = names.find((name) => name.startsWith('activity.head.damaged-'))!;
    expect(await readFile(join(directory, keptAnchor), 'utf8')).toBe('{"seq": 2, "ha');
  });
});
