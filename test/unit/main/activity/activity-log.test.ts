import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { logWithEntries, openLog, vaultKey } from './activity-log-fixtures';

describe('activity log', () => {
  test('numbers entries and links each to the hash of the one before', async () => {
    const { log, path } = await logWithEntries(3);
    await log.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(lines[0].prevHash).toBe('0'.repeat(64));
    expect(lines[1].prevHash).toBe(lines[0].hash);
    expect(lines[2].prevHash).toBe(lines[1].hash);
  });

  test('keeps its entries across a restart and finds the chain intact', async () => {
    const { directory, log } = await logWithEntries(4);
    await log.close();
    const reopened = await openLog(directory);
    expect(reopened.integrity()).toMatchObject({ intact: true, checkedEntries: 4, totalEntries: 4, verification: 'complete', problems: [] });
    const next = await reopened.append({ action: 'settings.update', target: 'settings', result: 'succeeded' });
    expect(next.seq).toBe(5);
    await reopened.close();
  });

  test('reports an entry whose content was edited on disk', async () => {
    const { directory, log, path } = await logWithEntries(3);
    await log.close();
    await writeFile(path, (await readFile(path, 'utf8')).replace('step 2', 'step two'));
    const reopened = await openLog(directory);
    expect(reopened.integrity().intact).toBe(false);
    expect(reopened.integrity().problems).toEqual([expect.objectContaining({ kind: 'hash_mismatch', at: '#2' })]);
    await reopened.close();
  });

  test('reports an entry removed from the middle', async () => {
    const { directory, log, path } = await logWithEntries(4);
    await log.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.splice(1, 1);
    await writeFile(path, lines.join('\n'));
    const reopened = await openLog(directory);
    const kinds = reopened.integrity().problems.map((problem) => problem.kind);
    expect(kinds).toEqual(expect.arrayContaining(['sequence_gap', 'broken_chain']));
    await reopened.close();
  });

  test('reports entries cut from the end, which the chain alone cannot show, and records it in the log', async () => {
    const { directory, log, path } = await logWithEntries(4);
    await log.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    await writeFile(path, `${lines.slice(0, 2).join('\n')}\n`);
    const reopened = await openLog(directory);
    expect(reopened.integrity().problems).toEqual([expect.objectContaining({ kind: 'truncated', at: '#4' })]);
    // The next anchor would hide the cut: the log keeps it as an entry.
    expect(await reopened.query({ action: 'activity.integrity' })).toEqual([
      expect.objectContaining({ seq: 3, result: 'failed', detail: expect.stringContaining('entry #4 had been written') }),
    ]);
    await reopened.close();
  });

  test('reports a line cut off by a crash and keeps appending on a fresh line', async () => {
    const { directory, log, path } = await logWithEntries(2);
    await log.close();
    await writeFile(path, `${await readFile(path, 'utf8')}{"seq":3,"at":"2026-11-`);
    const reopened = await openLog(directory);
    expect(reopened.integrity().problems).toEqual([expect.objectContaining({ kind: 'unreadable_line', at: 'line 3' })]);
    const appended = await reopened.append({ action: 'settings.update', target: 'settings', result: 'succeeded' });
    expect(appended.seq).toBe(3);
    await reopened.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(JSON.parse(lines.at(-1)!).seq).toBe(3);
    const again = await openLog(directory);
    expect(again.integrity().problems).toEqual([expect.objectContaining({ kind: 'unreadable_line', at: 'line 3' })]);
    expect((await again.query({})).map((entry) => entry.seq)).toEqual([3, 2, 1]);
    await again.close();
  });

  test('writes concurrent appends one after another, in call order', async () => {
    const { log } = await logWithEntries(0);
    const written = await Promise.all(
      Array.from({ length: 20 }, (_, index) => log.append({ action: 'bulk', target: `item-${index}`, result: 'succeeded' })),
    );
    expect(written.map((entry) => entry.target)).toEqual(Array.from({ length: 20 }, (_, index) => `item-${index}`));
    expect(written.map((entry) => entry.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(log.integrity().intact).toBe(true);
    await log.close();
  });

  test('filters by action, result, text and period, newest first', async () => {
    const { log } = await logWithEntries(6);
    const seqs = async (filter: Parameters<typeof log.query>[0]) => (await log.query(filter)).map((entry) => entry.seq);
    expect(await seqs({ action: 'grant.revoke' })).toEqual([6, 4, 2]);
    expect(await seqs({ result: 'failed' })).toEqual([3]);
    expect(await seqs({ text: 'NETWORK' })).toEqual([3]);
    expect(await seqs({ text: 'target-5' })).toEqual([5]);
    // The clock steps a minute per entry from 10:00: entry n was written at 10:0n.
    expect(await seqs({ since: '2026-11-01T10:02:00Z', until: '2026-11-01T10:04:00Z' })).toEqual([4, 3, 2]);
    expect(log.actions()).toEqual(['grant.revoke', 'settings.update']);
    await log.close();
  });

  test('filters by the start of the action, alone and with the other filters', async () => {
    const { log } = await logWithEntries(4);
    await log.append({ action: 'consent.deny', target: 'tenant:contoso', result: 'succeeded', detail: 'Denied Board Notes.' });
    await log.append({ action: 'consent.grant', target: 'tenant:contoso', result: 'failed', errorCode: 'permission_denied' });
    // Starts with the prefix's letters, not with its dot: not a consent action.
    await log.append({ action: 'consentry.started', target: 'app', result: 'succeeded' });
    // A prefix JSON writes escaped (the quote) is found all the same.
    await log.append({ action: 'odd"name.x', target: 'app', result: 'succeeded' });
    const seqs = async (filter: Parameters<typeof log.query>[0]) => (await log.query(filter)).map((entry) => entry.seq);
    expect(await seqs({ actionPrefix: 'consent.' })).toEqual([6, 5]);
    expect(await seqs({ actionPrefix: 'consent' })).toEqual([7, 6, 5]);
    expect(await seqs({ actionPrefix: 'consent.', result: 'failed' })).toEqual([6]);
    expect(await seqs({ actionPrefix: 'consent.', text: 'board notes' })).toEqual([5]);
    expect(await seqs({ actionPrefix: 'consent.', action: 'consent.deny' })).toEqual([5]);
    expect(await seqs({ actionPrefix: 'consent.', action: 'grant.revoke' })).toEqual([]);
    expect(await seqs({ actionPrefix: 'odd"' })).toEqual([8]);
    expect(await seqs({ actionPrefix: 'CONSENT.' })).toEqual([]);
    await log.close();
  });

  test('finds text that JSON writes escaped, such as quotes and accents', async () => {
    const { log } = await logWithEntries(0);
    await log.append({ action: 'connection.connect', target: 'tenant:Zürich "north"', result: 'succeeded' });
    await log.append({ action: 'connection.connect', target: 'tenant:other', result: 'succeeded' });
    expect((await log.query({ text: 'ZÜRICH "NORTH"' })).map((entry) => entry.seq)).toEqual([1]);
    await log.close();
  });

  test('keeps the chain link and the key id out of the entries it hands out', async () => {
    const { log } = await logWithEntries(1, { key: vaultKey() });
    expect(Object.keys((await log.query({}))[0]!).sort()).toEqual(['action', 'at', 'detail', 'errorCode', 'hash', 'result', 'seq', 'target']);
    await log.close();
  });
});
