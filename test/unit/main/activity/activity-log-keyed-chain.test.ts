import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { EventHub } from '../../../../src-main/events/event-hub';
import { fillingDisk, keychainUnavailable, logWithEntries, openLog, vaultKey } from './activity-log-fixtures';

/**
 * Rewrites the log from entry `fromSeq` on as anyone could who knows the format: edits an entry,
 * drops the key id and recomputes every later SHA-256 hash and link, then writes an anchor to match.
 */
async function forgeWithSha256(path: string, anchorPath: string, fromSeq: number, edit: (entry: Record<string, unknown>) => void) {
  const entries = (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const [index, entry] of entries.entries()) {
    if ((entry.seq as number) < fromSeq) continue;
    if (entry.seq === fromSeq) edit(entry);
    delete entry.key;
    entry.prevHash = index === 0 ? '0'.repeat(64) : entries[index - 1]!.hash;
    const canonical = JSON.stringify([entry.seq, entry.at, entry.action, entry.target, entry.result, entry.errorCode, entry.detail, entry.prevHash]);
    entry.hash = createHash('sha256').update(canonical).digest('hex');
  }
  await writeFile(path, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  const last = entries.at(-1)!;
  await writeFile(anchorPath, JSON.stringify({ seq: last.seq, hash: last.hash }));
}

describe('keyed activity chain', () => {
  test('detects an entry forged with recomputed SHA-256 hashes after the entries sealed before it', async () => {
    const key = vaultKey();
    const { directory, log, path, anchorPath } = await logWithEntries(4, { key });
    await log.close();
    await forgeWithSha256(path, anchorPath, 2, (entry) => {
      entry.detail = 'nothing happened here';
    });
    const reopened = await openLog(directory, { key });
    expect(reopened.integrity().intact).toBe(false);
    expect(reopened.integrity().problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'not_sealed', at: '#2' })]));
    await reopened.close();
  });

  test('detects a whole log rewritten with valid SHA-256 hashes, since a start with the key left a sealed entry', async () => {
    const key = vaultKey();
    const { directory, log, path, anchorPath } = await logWithEntries(4, { key });
    await log.close();
    await forgeWithSha256(path, anchorPath, 1, (entry) => {
      entry.target = 'someone-else';
    });
    const reopened = await openLog(directory, { key });
    expect(reopened.integrity().intact).toBe(false);
    expect(reopened.integrity().problems).toEqual([expect.objectContaining({ kind: 'not_sealed', message: expect.stringContaining('the log was replaced') })]);
    await reopened.close();
  });

  test('detects an entry whose seal was recomputed with SHA-256 instead of the key', async () => {
    const key = vaultKey();
    const { directory, log, path } = await logWithEntries(3, { key });
    await log.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    const entry = JSON.parse(lines[2]!);
    entry.detail = 'edited';
    const canonical = JSON.stringify([entry.seq, entry.at, entry.action, entry.target, entry.result, entry.errorCode, entry.detail, entry.prevHash, entry.key]);
    entry.hash = createHash('sha256').update(canonical).digest('hex');
    lines[2] = JSON.stringify(entry);
    await writeFile(path, `${lines.join('\n')}\n`);
    const reopened = await openLog(directory, { key });
    expect(reopened.integrity().problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'hash_mismatch', at: '#3' })]));
    await reopened.close();
  });

  test('reports a deleted head anchor as an alert, not as intact', async () => {
    const key = vaultKey();
    const { directory, log, anchorPath } = await logWithEntries(3, { key });
    await log.close();
    await rm(anchorPath);
    const reopened = await openLog(directory, { key });
    expect(reopened.integrity().intact).toBe(false);
    expect(reopened.integrity().problems).toEqual([expect.objectContaining({ kind: 'anchor_missing' })]);
    await reopened.close();
  });

  test('reports a cut tail even when the anchor is rewritten to match the cut log', async () => {
    const key = vaultKey();
    const { directory, log, path, anchorPath } = await logWithEntries(5, { key });
    await log.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    const kept = lines.slice(0, 3);
    await writeFile(path, `${kept.join('\n')}\n`);
    const last = JSON.parse(kept.at(-1)!);
    await writeFile(anchorPath, JSON.stringify({ seq: last.seq, hash: last.hash }));
    const reopened = await openLog(directory, { key });
    expect(reopened.integrity().intact).toBe(false);
    await reopened.close();
  });

  test('opens a log written with plain SHA-256, continues it keyed from a marked entry, and says which part is keyed', async () => {
    const { directory, log, anchorPath } = await logWithEntries(3);
    await log.close();
    const anchor = JSON.parse(await readFile(anchorPath, 'utf8'));
    // The anchor as the version before keying wrote it.
    await writeFile(anchorPath, JSON.stringify({ seq: anchor.seq, hash: anchor.hash }));
    // The first start with keying: the vault makes the key now.
    const key = vaultKey();
    const firstKeyed = await openLog(directory, { key: { ...key, created: true } });
    expect(firstKeyed.integrity()).toMatchObject({ intact: true, problems: [] });
    await firstKeyed.append({ action: 'settings.update', target: 'settings', result: 'succeeded' });
    expect((await firstKeyed.query({})).map((entry) => [entry.seq, entry.action])).toEqual([
      [5, 'settings.update'],
      [4, 'activity.keyed'],
      [3, 'settings.update'],
      [2, 'grant.revoke'],
      [1, 'settings.update'],
    ]);
    await firstKeyed.close();

    const later = await openLog(directory, { key });
    expect(later.integrity()).toMatchObject({
      intact: true,
      keying: { state: 'partly_keyed', note: expect.stringMatching(/Entries #1–#3 are chained with plain SHA-256.*Entries #4–#5 are sealed with the vault's key/) },
    });
    await later.close();
  });

  test('says the log is not keyed when the keychain is unavailable, and marks where keying stopped', async () => {
    const key = vaultKey();
    // With the key, a new log starts with a sealed entry saying so: #1, then #2 and #3.
    const { directory, log } = await logWithEntries(2, { key });
    await log.close();
    const withoutKeychain = await openLog(directory, { key: keychainUnavailable });
    await withoutKeychain.append({ action: 'settings.update', target: 'settings', result: 'succeeded' });
    const integrity = withoutKeychain.integrity();
    expect(integrity.intact).toBe(true);
    // Sealed entries cannot be checked without the key: they are not claimed as verified.
    expect(integrity).toMatchObject({ checkedEntries: 2, totalEntries: 5 });
    expect(integrity.keying.state).toBe('not_keyed');
    expect(integrity.keying.note).toContain('New entries are not keyed: the keychain is unavailable (no keyring is running).');
    expect(integrity.keying.note).toContain('Entries #1–#3 are sealed with a key that cannot be read now, so they cannot be checked.');
    expect((await withoutKeychain.query({})).map((entry) => [entry.seq, entry.action])).toEqual([
      [5, 'settings.update'],
      [4, 'activity.unkeyed'],
      [3, 'grant.revoke'],
      [2, 'settings.update'],
      [1, 'activity.keyed'],
    ]);
    await withoutKeychain.close();

    const keyBack = await openLog(directory, { key });
    expect(keyBack.integrity()).toMatchObject({ intact: true, keying: { state: 'partly_keyed' } });
    expect(keyBack.integrity().keying.note).toMatch(/Entries #1–#3 are sealed with the vault's key.*Entries #4–#5 are chained with plain SHA-256.*Entry #6 is sealed/);
    await keyBack.close();
  });

  test('reports entries sealed with a key the vault does not hold as one stretch', async () => {
    const { directory, log } = await logWithEntries(4, { key: vaultKey() });
    await log.close();
    const reopened = await openLog(directory, { key: vaultKey() });
    const problems = reopened.integrity().problems;
    expect(problems.filter((problem) => problem.kind === 'unknown_key')).toEqual([expect.objectContaining({ at: '#1', message: expect.stringContaining('Entries #1–#5') })]);
    await reopened.close();
  });

  test('never lets the key appear in the log, its anchor, an error or anything handed to the window', async () => {
    const key = vaultKey();
    const disk = fillingDisk();
    const { directory, log, path, anchorPath } = await logWithEntries(3, { key, files: disk.files });
    const activity = new ActivityService(log, new EventHub());
    disk.room.bytes = 10;
    const failure = await log.append({ action: 'settings.update', target: 'settings', result: 'succeeded' }).catch((error: unknown) => error);
    disk.room.bytes = null;
    const handedOut = JSON.stringify([await activity.list({}, 0, 50), await activity.exportCsv({}), failure, (failure as Error).message, (failure as { nextStep?: string }).nextStep]);
    await log.close();
    const reopened = await openLog(directory, { key });
    const seen = [await readFile(path, 'utf8'), await readFile(anchorPath, 'utf8'), handedOut, JSON.stringify(reopened.integrity())].join('\n');
    for (const form of [key.bytes.toString('hex'), key.bytes.toString('base64'), key.bytes.toString('base64url')]) expect(seen).not.toContain(form);
    await reopened.close();
  });
});
