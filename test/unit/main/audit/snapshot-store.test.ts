import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AuditedApp, AuditedGrant } from '../../../../src-main/audit/grant-model';
import { buildSnapshot, type BuiltSnapshot } from '../../../../src-main/audit/grant-snapshot';
import { newSnapshotId, SnapshotStore, type RevokedGrant, type SnapshotFiles, type StoredSnapshot } from '../../../../src-main/audit/snapshot-store';
import { temporaryDirectory } from '../../../support/temporary-directory';

const app: AuditedApp = { key: 'google:123-mail', provider: 'google', clientId: '123-mail', name: 'Mail Merge', publisher: null, verifiedPublisher: null, internal: false, anonymous: false };

/** A Google Directory token record, with text that takes more bytes than characters. */
function tokenRecord(user: string) {
  return { kind: 'admin#directory#token', clientId: app.clientId, displayText: 'Mail Merge — Zoë’s 日本語 edition', anonymous: false, nativeApp: false, scopes: ['https://mail.google.com/'], userKey: user, etag: `"etag-${user}"` };
}

function snapshot(id: string, users: readonly string[], takenAt = '2026-11-21T10:00:00.000Z'): BuiltSnapshot {
  const grants: AuditedGrant[] = users.map((user) => ({
    key: `${app.key}|${user}`,
    appKey: app.key,
    provider: 'google',
    user,
    scopes: ['https://mail.google.com/'],
    consent: 'user',
    access: 'delegated',
    lastUsed: null,
    evidence: tokenRecord(user),
    revocationHandle: app.clientId,
  }));
  return buildSnapshot({
    id,
    takenAt,
    scans: [{ connection: { connectionId: 'acme', label: 'Acme', provider: 'google', outcome: 'complete', note: null, errorCode: null, unit: 'users', tenantKey: 'google:acme.test', readAt: takenAt }, scan: { apps: [app], grants, incomplete: [], completed: users.length, total: users.length } }],
    previous: null,
    riskOfPrevious: () => 'low',
  });
}

const users = ['alice@acme.test', 'bob@acme.test', 'carol@acme.test', 'dave@acme.test'];
const ids = new Map<number, string>();
/** The snapshot id of a scan taken `minute` minutes after a fixed start (the same id each time asked). */
function idAt(minute: number): string {
  let id = ids.get(minute);
  if (!id) ids.set(minute, (id = newSnapshotId(new Date(Date.parse('2026-11-21T10:00:00Z') + minute * 60_000))));
  return id;
}

/** A grant revoked `minute` minutes after the same start. */
function revokedAt(key: string, minute: number): RevokedGrant {
  return { key, at: new Date(Date.parse('2026-11-21T10:00:00Z') + minute * 60_000).toISOString() };
}

async function storeIn() {
  const directory = join(await temporaryDirectory(), 'snapshots');
  return { directory, store: await SnapshotStore.open(directory) };
}

describe('snapshot store', () => {
  test('has no latest snapshot before the first save', async () => {
    const { store } = await storeIn();
    expect(await store.latest()).toBeNull();
  });

  test('reads back the saved snapshot as the latest, in a new store on the same folder', async () => {
    const { directory, store } = await storeIn();
    const built = snapshot(idAt(0), users);
    const saved = await store.save(built);

    const loaded = await (await SnapshotStore.open(directory)).latest();

    expect(loaded).toEqual(saved);
    expect(loaded!.data).toEqual(built.data);
    expect(loaded!.evidenceFile).toBe(`${built.data.id}.evidence.ndjson`);
    expect(loaded!.evidenceAt).toHaveLength(users.length);
  });

  test('returns the newest of several snapshots', async () => {
    const { store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    await store.save(snapshot(idAt(2), users.slice(0, 1)));
    await store.save(snapshot(idAt(1), users.slice(0, 2)));

    expect((await store.latest())!.data.id).toBe(idAt(2));
  });

  test('reads the evidence records asked for by grant index, in the order asked', async () => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    const stored = (await (await SnapshotStore.open(directory)).latest())!;

    expect(await store.evidence(stored, [3, 0, 2])).toEqual([tokenRecord('dave@acme.test'), tokenRecord('alice@acme.test'), tokenRecord('carol@acme.test')]);
    expect(await store.evidence(stored, [])).toEqual([]);
    // An index the snapshot does not have reads as nothing, not as a neighbour's record.
    expect(await store.evidence(stored, [1, 99])).toEqual([tokenRecord('bob@acme.test'), null]);
  });

  test('reads a record that is not JSON, cut short or whose file is gone as null, and the others as stored', async () => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    const stored = (await store.latest())!;
    const file = join(directory, stored.evidenceFile);
    const content = await readFile(file);
    // Bob's record no longer JSON, at the same length; the file cut short in the middle of Dave's.
    content[stored.evidenceAt[1]!] = '#'.charCodeAt(0);
    await writeFile(file, content.subarray(0, stored.evidenceAt[3]! + 5));

    expect(await store.evidence(stored, [0, 1, 2, 3])).toEqual([tokenRecord('alice@acme.test'), null, tokenRecord('carol@acme.test'), null]);
    await rm(file);
    expect(await store.evidence(stored, [0, 2])).toEqual([null, null]);
  });

  test('writes one evidence record per line, with the offsets pointing at each line', async () => {
    const { directory, store } = await storeIn();
    const saved = await store.save(snapshot(idAt(0), users.slice(0, 2)));
    const bytes = await readFile(join(directory, saved.evidenceFile));

    expect(bytes.toString('utf8').split('\n')).toEqual([JSON.stringify(tokenRecord('alice@acme.test')), JSON.stringify(tokenRecord('bob@acme.test')), '']);
    expect(saved.evidenceAt[1]).toBe(saved.evidenceLength[0]! + 1);
    expect(JSON.parse(bytes.subarray(saved.evidenceAt[1], saved.evidenceAt[1]! + saved.evidenceLength[1]!).toString('utf8'))).toEqual(tokenRecord('bob@acme.test'));
  });

  test('reads records unparsed, as stored, to carry them into a new snapshot', async () => {
    const { store } = await storeIn();
    const saved = await store.save(snapshot(idAt(0), users));

    const records = await store.evidenceBytes(saved, [0, 1, 3]);

    expect(records.map((record) => JSON.parse(record.bytes.toString('utf8')))).toEqual([tokenRecord('alice@acme.test'), tokenRecord('bob@acme.test'), tokenRecord('dave@acme.test')]);
    const carried = await store.save({ ...snapshot(idAt(1), ['alice@acme.test', 'bob@acme.test', 'dave@acme.test']), evidence: records });
    expect(await store.evidence(carried, [2, 0])).toEqual([tokenRecord('dave@acme.test'), tokenRecord('alice@acme.test')]);
  });

  test('skips a damaged newest snapshot and returns the one before', async () => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    await store.save(snapshot(idAt(1), users.slice(0, 1)));
    const newest = join(directory, `${idAt(1)}.snapshot.json`);
    const content = await readFile(newest, 'utf8');
    await writeFile(newest, content.slice(0, Math.floor(content.length / 2)));

    const loaded = await (await SnapshotStore.open(directory)).latest();

    expect(loaded!.data.id).toBe(idAt(0));
    expect(loaded!.data.grants.key).toHaveLength(users.length);
  });

  test('skips a snapshot of another format version or whose evidence index does not match its grants', async () => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    const saved = await store.save(snapshot(idAt(1), users));
    await store.save(snapshot(idAt(2), users));
    await writeFile(join(directory, `${idAt(1)}.snapshot.json`), JSON.stringify({ ...saved, evidenceAt: saved.evidenceAt.slice(1) }));
    await writeFile(join(directory, `${idAt(2)}.snapshot.json`), JSON.stringify({ ...saved, data: { ...saved.data, version: 99 } }));

    expect((await store.latest())!.data.id).toBe(idAt(0));
  });

  test('skips a snapshot with one index out of range, sets it aside in damaged/ and says what is wrong', async () => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    const newest = await store.save(snapshot(idAt(1), users, '2026-11-21T10:01:00.000Z'));
    await writeFile(join(directory, `${idAt(1)}.snapshot.json`), JSON.stringify({ ...newest, data: { ...newest.data, grants: { ...newest.data.grants, app: [0, 0, 3, 0] } } }));

    const loaded = await (await SnapshotStore.open(directory)).load();

    expect(loaded.latest!.data.id).toBe(idAt(0));
    expect(loaded.skipped).toEqual([
      { file: `${idAt(1)}.snapshot.json`, takenAt: '2026-11-21T10:01:00.000Z', problem: 'grant 2 names app 3, but the scan has 1 apps', keptAs: join(directory, 'damaged', `${idAt(1)}.snapshot.json`) },
    ]);
    expect((await readdir(join(directory, 'damaged'))).sort()).toEqual([`${idAt(1)}.evidence.ndjson`, `${idAt(1)}.snapshot.json`]);
  });

  test.each([
    ['a user index out of range', (data: StoredSnapshot['data']) => ({ ...data, grants: { ...data.grants, user: [0, 1, 2, 9] } }), 'grant 3 names user 9, but the scan has 4 users'],
    ['a scope set index out of range', (data: StoredSnapshot['data']) => ({ ...data, grants: { ...data.grants, scopeSet: [0, -1, 0, 0] } }), 'grant 1 names scope set -1, but the scan has 1'],
    ['a column shorter than the others', (data: StoredSnapshot['data']) => ({ ...data, grants: { ...data.grants, flags: [0, 0] } }), 'its grant column “flags” has 2 entries for 4 grants'],
    ['an app of a connection it does not list', (data: StoredSnapshot['data']) => ({ ...data, connections: [] }), 'app 0 belongs to a connection the scan does not list'],
    ['no recorded time', (data: StoredSnapshot['data']) => ({ ...data, takenAt: 'yesterday' }), 'it does not start like a saved scan (the file is empty, cut short or not a scan)'],
  ])('skips a snapshot with %s', async (_case, damage, problem) => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    const newest = await store.save(snapshot(idAt(1), users, '2026-11-21T10:01:00.000Z'));
    await writeFile(join(directory, `${idAt(1)}.snapshot.json`), JSON.stringify({ ...newest, data: damage(newest.data) }));

    const loaded = await store.load();

    expect(loaded.latest!.data.id).toBe(idAt(0));
    expect(loaded.skipped).toEqual([expect.objectContaining({ problem })]);
  });

  test('skips a snapshot whose evidence lies outside its evidence file', async () => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    const newest = await store.save(snapshot(idAt(1), users, '2026-11-21T10:01:00.000Z'));
    await writeFile(join(directory, `${idAt(1)}.snapshot.json`), JSON.stringify({ ...newest, evidenceAt: [0, 1, 2, 1_000_000] }));

    expect((await store.load()).skipped).toEqual([expect.objectContaining({ problem: 'grant 3’s evidence lies outside its evidence file' })]);
  });

  test('chooses the latest snapshot by the time recorded in it, not by the order of its id', async () => {
    const { store } = await storeIn();
    await store.save(snapshot('2026-11-21T09-00-00-000Z-aaaaaa', users, '2026-11-21T12:00:00.000Z'));
    await store.save(snapshot('2026-11-21T11-00-00-000Z-bbbbbb', users.slice(0, 1), '2026-11-21T08:00:00.000Z'));

    expect((await store.latest())!.data.id).toBe('2026-11-21T09-00-00-000Z-aaaaaa');
  });

  test('leaves a snapshot of a newer format where it is', async () => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    const newest = await store.save(snapshot(idAt(1), users, '2026-11-21T10:01:00.000Z'));
    await writeFile(join(directory, `${idAt(1)}.snapshot.json`), JSON.stringify({ ...newest, data: { ...newest.data, version: 99 } }));

    const loaded = await store.load();

    expect(loaded.skipped).toEqual([expect.objectContaining({ problem: 'it was written in format version 99, which this version of Consentry cannot read', keptAs: null })]);
    expect(await readdir(directory)).toContain(`${idAt(1)}.snapshot.json`);
  });

  test('cleans up temporary files of an interrupted save when it opens', async () => {
    const directory = join(await temporaryDirectory(), 'snapshots');
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, `${idAt(0)}.snapshot.json.0a1b2c3d.tmp`), '{"data":');
    await writeFile(join(directory, `${idAt(0)}.evidence.ndjson`), '{}\n');

    await SnapshotStore.open(directory);

    expect(await readdir(directory)).toEqual([]);
  });

  test('reads back the grants revoked since a scan, without a line a crash cut short', async () => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    await store.markRevoked(idAt(0), [revokedAt('acme/a', 1), revokedAt('acme/b', 1)]);
    await writeFile(join(directory, `${idAt(0)}.revoked.ndjson`), `${await readFile(join(directory, `${idAt(0)}.revoked.ndjson`), 'utf8')}{"key":"acme/c","at`);
    await store.markRevoked(idAt(0), [revokedAt('acme/d', 2)]);

    expect((await (await SnapshotStore.open(directory)).load()).revoked).toEqual([revokedAt('acme/a', 1), revokedAt('acme/b', 1), revokedAt('acme/d', 2)]);
  });

  test('reads a revocation file of bare keys, written before times were recorded, as revoked at a time not known', async () => {
    const { directory, store } = await storeIn();
    await store.save(snapshot(idAt(0), users));
    await writeFile(join(directory, `${idAt(0)}.revoked.ndjson`), '"acme/a"\n"acme/b"\n');
    await store.markRevoked(idAt(0), [revokedAt('acme/c', 1)]);

    expect((await (await SnapshotStore.open(directory)).load()).revoked).toEqual([
      { key: 'acme/a', at: null },
      { key: 'acme/b', at: null },
      revokedAt('acme/c', 1),
    ]);
  });

  test('a full disk fails the save with disk_full, removes what it wrote and keeps the scan before as the latest', async () => {
    let full = false;
    const files: SnapshotFiles = {
      write: async (handle, data) => {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await handle.writeFile(data);
      },
    };
    const directory = join(await temporaryDirectory(), 'snapshots');
    const store = await SnapshotStore.open(directory, { files });
    await store.save(snapshot(idAt(0), users));
    full = true;

    await expect(store.save(snapshot(idAt(1), users))).rejects.toMatchObject({ code: 'disk_full', message: 'The disk is full, so the scan could not be saved.' });
    await expect(store.markRevoked(idAt(0), [revokedAt('acme/a', 1)])).rejects.toMatchObject({ code: 'disk_full' });

    expect((await store.latest())!.data.id).toBe(idAt(0));
    expect((await readdir(directory)).sort()).toEqual([`${idAt(0)}.evidence.ndjson`, `${idAt(0)}.revoked.ndjson`, `${idAt(0)}.snapshot.json`]);
    expect(await store.revoked(idAt(0))).toEqual([]);
  });

  test('keeps only the ten newest snapshots with their evidence', async () => {
    const { directory, store } = await storeIn();
    for (let minute = 0; minute < 12; minute += 1) await store.save(snapshot(idAt(minute), users.slice(0, 1 + (minute % 4))));

    const names = (await readdir(directory)).sort();
    const kept = Array.from({ length: 10 }, (_, index) => idAt(index + 2));
    expect(names).toEqual(kept.flatMap((id) => [`${id}.evidence.ndjson`, `${id}.snapshot.json`]).sort());
    expect((await store.latest())!.data.id).toBe(idAt(11));
  });

  test('cleans up temporary files a crash left behind', async () => {
    const { directory, store } = await storeIn();
    await writeFile(join(directory, `${idAt(0)}.snapshot.json.0a1b2c3d.tmp`), '{"data":');
    await writeFile(join(directory, `${idAt(0)}.evidence.ndjson.4e5f6a7b.tmp`), '{}\n');

    await store.save(snapshot(idAt(1), users));

    expect((await readdir(directory)).sort()).toEqual([`${idAt(1)}.evidence.ndjson`, `${idAt(1)}.snapshot.json`]);
  });

  test('cleans up an evidence file whose snapshot was never committed', async () => {
    const { directory, store } = await storeIn();
    // A crash between writing the evidence and renaming the snapshot into place.
    await writeFile(join(directory, `${idAt(0)}.evidence.ndjson`), `${JSON.stringify(tokenRecord('alice@acme.test'))}\n`);

    await store.save(snapshot(idAt(1), users));

    expect((await readdir(directory)).sort()).toEqual([`${idAt(1)}.evidence.ndjson`, `${idAt(1)}.snapshot.json`]);
  });

  test.skipIf(process.platform === 'win32')('creates its folder and files readable by the user only', async () => {
    const { directory, store } = await storeIn();
    const saved = await store.save(snapshot(idAt(0), users));
    await store.markRevoked(idAt(0), [revokedAt('acme/a', 1)]);

    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    expect((await stat(join(directory, `${idAt(0)}.revoked.ndjson`))).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, `${idAt(0)}.snapshot.json`))).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, saved.evidenceFile))).mode & 0o777).toBe(0o600);
  });

  test('names snapshots so that they sort by the time they were taken', () => {
    const ids = [idAt(0), idAt(1), idAt(60 * 24 * 40), idAt(-1)];

    expect([...ids].sort()).toEqual([ids[3], ids[0], ids[1], ids[2]]);
    expect(ids[0]).toMatch(/^2026-11-21T10-00-00-000Z-[0-9a-f]{6}$/);
  });
});
