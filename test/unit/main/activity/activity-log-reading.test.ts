import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { sealingKey } from '../../../../src-main/activity/activity-chain';
import type { ActivityLogOptions } from '../../../../src-main/activity/activity-log';
import type { ActivityFilter } from '../../../../src-shared/contract/activity';
import { writeActivityLog } from '../../../support/activity-log-writer';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { copiedIntoMemory, openLog, vaultKey } from './activity-log-fixtures';

const start = Date.parse('2026-11-01T00:00:00Z');
const record = (seq: number) => ({
  action: seq % 3 === 0 ? 'grant.revoke' : 'settings.update',
  target: `target-${seq}`,
  result: seq % 7 === 0 ? ('failed' as const) : ('succeeded' as const),
  detail: `step ${seq}`,
});
const at = (seq: number) => new Date(start + seq * 60_000);

/** What a filter must return, newest first, worked out from the records rather than the log. */
function expected(count: number, keep: (seq: number) => boolean): number[] {
  const seqs: number[] = [];
  for (let seq = count; seq >= 1; seq -= 1) if (keep(seq)) seqs.push(seq);
  return seqs;
}

async function largeLog(count: number, options: ActivityLogOptions = {}, sealed = true) {
  const directory = await temporaryDirectory();
  const key = vaultKey();
  await writeActivityLog(directory, { count, key: sealed ? sealingKey(key.secret) : null, record, at });
  return { directory, key, path: join(directory, 'activity.jsonl'), open: (more: ActivityLogOptions = {}) => openLog(directory, { key, ...options, ...more }) };
}

describe('activity log reading', () => {
  test('pages newest first through a log many times its read chunk, lines crossing chunk boundaries', async () => {
    const count = 2_600;
    const { open, directory } = await largeLog(count);
    // Entry lines are about 250 bytes: each spans two chunks or more.
    const log = await open({ chunkBytes: 97, files: await copiedIntoMemory(directory) });
    expect(log.integrity()).toMatchObject({ intact: true, verification: 'complete', checkedEntries: count });
    const cases: { filter: ActivityFilter; keep: (seq: number) => boolean }[] = [
      { filter: {}, keep: () => true },
      { filter: { action: 'grant.revoke' }, keep: (seq) => seq % 3 === 0 },
      { filter: { result: 'failed' }, keep: (seq) => seq % 7 === 0 },
      { filter: { actionPrefix: 'grant.' }, keep: (seq) => seq % 3 === 0 },
      { filter: { actionPrefix: 'settings.', result: 'failed' }, keep: (seq) => seq % 3 !== 0 && seq % 7 === 0 },
      { filter: { text: 'STEP 12' }, keep: (seq) => `step ${seq}`.includes('step 12') },
      { filter: { since: at(1_000).toISOString(), until: at(1_100).toISOString(), action: 'settings.update' }, keep: (seq) => seq >= 1_000 && seq <= 1_100 && seq % 3 !== 0 },
    ];
    for (const { filter, keep } of cases) {
      const all = expected(count, keep);
      // Consecutive pages (as the Activity page asks), then jumps far in and past the end.
      for (const offset of [0, 50, 100, 1_000, 1_024, all.length - 10, all.length]) {
        const page = await log.page(filter, offset, 50);
        expect(page.entries.map((entry) => entry.seq), `${JSON.stringify(filter)} from ${offset}`).toEqual(all.slice(offset, offset + 50));
        expect(page).toMatchObject({ total: all.length, totalExact: true });
      }
    }
    await log.close();
  });

  test('opens a large log at once and verifies its whole chain in the background, finding an entry edited before the anchor', async () => {
    const count = 3_000;
    const { open, path } = await largeLog(count);
    // Same length, so the anchor still points at the right place: only the full pass can see it.
    await writeFile(path, (await readFile(path, 'utf8')).replace('"step 10"', '"step 1O"'));
    const log = await open({ verifyBeforeOpenBytes: 0, chunkBytes: 4_096 });
    expect(log.integrity()).toMatchObject({ verification: 'checking', totalEntries: count });
    // The page and its total are there while the pass runs: the total comes from the anchor.
    const first = await log.page({}, 0, 50);
    expect(first.entries[0]?.seq).toBe(count);
    expect(first).toMatchObject({ total: count, totalExact: true });
    await log.whenVerified();
    expect(log.integrity()).toMatchObject({ verification: 'complete', checkedEntries: count, intact: false });
    expect(log.integrity().problems).toEqual([expect.objectContaining({ kind: 'hash_mismatch', at: '#10' })]);
    await log.close();
  });

  test('counts a total it cannot answer at once in the background, and says it is not exact until then', async () => {
    const count = 3_000;
    const { open } = await largeLog(count);
    const log = await open({ countBudgetBytes: 2_000 });
    const filter = { text: 'step 2' };
    const all = expected(count, (seq) => `step ${seq}`.includes('step 2'));
    const first = await log.page(filter, 0, 20);
    expect(first.entries.map((entry) => entry.seq)).toEqual(all.slice(0, 20));
    expect(first.totalExact).toBe(false);
    expect(first.total).toBeGreaterThanOrEqual(20);
    expect(first.total).toBeLessThan(all.length);
    await vi.waitFor(async () => expect(await log.page(filter, 0, 20)).toMatchObject({ total: all.length, totalExact: true }));
    // Entries written after the count began are counted too.
    await log.append({ action: 'settings.update', target: 'settings', result: 'succeeded', detail: 'step 2 again' });
    expect(await log.page(filter, 0, 20)).toMatchObject({ total: all.length + 1, totalExact: true });
    await log.close();
  });

  test('totals a filter on the start of the action from the counts at once, where a text filter must be counted', async () => {
    const count = 3_000;
    const { open } = await largeLog(count);
    const log = await open({ countBudgetBytes: 2_000 });
    const all = expected(count, (seq) => seq % 3 === 0);
    const first = await log.page({ actionPrefix: 'grant.' }, 0, 20);
    expect(first.entries.map((entry) => entry.seq)).toEqual(all.slice(0, 20));
    expect(first).toMatchObject({ total: all.length, totalExact: true });
    // The same entries asked for by text overrun the budget: the counts cannot answer that.
    expect(await log.page({ text: 'grant.' }, 0, 20)).toMatchObject({ totalExact: false });
    expect(await log.page({ actionPrefix: 'nothing.' }, 0, 20)).toMatchObject({ entries: [], total: 0, totalExact: true });
    await log.close();
  });

  test('opens a log written before keying, with a first-format anchor, and counts it in the background', async () => {
    const count = 2_000;
    const { open, directory, key } = await largeLog(count, {}, false);
    const anchor = JSON.parse(await readFile(join(directory, 'activity.head.json'), 'utf8'));
    // The first format: sequence number and hash only.
    await writeFile(join(directory, 'activity.head.json'), JSON.stringify({ seq: anchor.seq, hash: anchor.hash }));
    // The first start with keying: the vault makes the key now.
    const log = await open({ verifyBeforeOpenBytes: 0, key: { ...key, created: true } });
    const page = await log.page({ action: 'grant.revoke' }, 0, 10);
    expect(page.entries).toHaveLength(10);
    await log.whenVerified();
    // Opening with the key marked where the keyed part starts.
    expect(log.integrity()).toMatchObject({ intact: true, checkedEntries: count + 1, keying: { state: 'partly_keyed' } });
    expect(log.integrity().keying.note).toContain(`Entries #1–#${count} are chained with plain SHA-256`);
    expect(await log.page({ action: 'grant.revoke' }, 0, 10)).toMatchObject({ total: expected(count, (seq) => seq % 3 === 0).length, totalExact: true });
    expect(log.actions()).toEqual(['activity.keyed', 'grant.revoke', 'settings.update']);
    await log.close();
  });

  test('streams every matching entry, newest first, for an export', async () => {
    const count = 1_500;
    const { open, directory } = await largeLog(count);
    const log = await open({ chunkBytes: 333, files: await copiedIntoMemory(directory) });
    const seqs: number[] = [];
    for await (const entry of log.entries({ result: 'failed' })) seqs.push(entry.seq);
    expect(seqs).toEqual(expected(count, (seq) => seq % 7 === 0));
    await log.close();
  });
});
