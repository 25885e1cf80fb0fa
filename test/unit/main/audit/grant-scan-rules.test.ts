import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ProviderScan } from '../../../../src-main/audit/grant-model';
import type { ScanContext } from '../../../../src-main/audit/provider-audit';
import { mailTenant, scanHarness, scriptedAudit } from './scan-harness';

const users = ['ana@acme.test', 'bo@acme.test', 'cy@acme.test', 'di@acme.test'];

/** A scan that waits, once it has begun, until the test releases it or it is stopped. */
function pausedScan(result: (context: ScanContext) => ProviderScan) {
  let reached!: () => void;
  let release!: () => void;
  const started = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const scan = async (context: ScanContext) => {
    reached();
    await Promise.race([released, new Promise((resolve) => context.signal!.addEventListener('abort', resolve))]);
    return result(context);
  };
  return { scan, started, release };
}

/** A clock that moves on a second each time it is read, so every read and revocation has its own time. */
function steppingClock(): () => Date {
  let now = Date.parse('2026-12-01T09:00:00Z');
  return () => new Date((now += 1_000));
}

/** The first scan reads the whole tenant; every later one is `later`. */
function completeThen(later: (context: ScanContext) => Promise<ProviderScan>) {
  let round = 0;
  return scriptedAudit(async (context) => ((round += 1) === 1 ? mailTenant(users) : later(context)));
}

describe('which scan the Grants page shows', () => {
  test('a damaged newest scan is skipped with a notice naming it, the one before is shown, and a rescan works', async () => {
    const { scan, open, folder, shownUsers, connections } = await scanHarness({ google: scriptedAudit(async () => mailTenant(users)) });
    connections.connect('Acme Google', 'acme.test');
    const first = await scan();
    const second = await scan();
    const newest = join(folder, `${second.snapshot!.id}.snapshot.json`);
    const content = JSON.parse(await readFile(newest, 'utf8'));
    content.data.grants.app[2] = 57;
    await writeFile(newest, JSON.stringify(content));

    const reopened = await open();
    const status = await reopened.status();

    expect(status.snapshot?.id).toBe(first.snapshot!.id);
    expect(status.skippedScans).toEqual([
      expect.objectContaining({ file: `${second.snapshot!.id}.snapshot.json`, problem: 'grant 2 names app 57, but the scan has 1 apps', keptAs: join(folder, 'damaged', `${second.snapshot!.id}.snapshot.json`) }),
    ]);
    expect(await shownUsers(reopened)).toEqual(users);
    expect((await readdir(join(folder, 'damaged'))).sort()).toEqual([`${second.snapshot!.id}.evidence.ndjson`, `${second.snapshot!.id}.snapshot.json`]);

    const rescanned = await scan(reopened);
    expect(rescanned.scan?.state).toBe('finished');
    expect(rescanned.snapshot).toMatchObject({ grants: 4, changes: { newApps: 0, goneGrants: 0 } });
    expect(rescanned.skippedScans).toEqual([]);
  });

  test('a folder of saved scans that cannot be read leaves the page working, says so, and is reported', async () => {
    const { open, folder, reported, connections } = await scanHarness({ google: scriptedAudit(async () => mailTenant(users)) });
    connections.connect('Acme Google', 'acme.test');
    await rm(folder, { recursive: true });
    await writeFile(folder, 'not a folder');

    const service = await open();

    expect(await service.apps({ filter: {}, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10 })).toEqual({ snapshotId: null, total: 0, rows: [] });
    expect((await service.status()).skippedScans).toEqual([{ file: 'grant-snapshots', takenAt: null, problem: 'the folder of saved scans could not be read (ENOTDIR)', keptAs: null }]);
    expect(reported).toEqual([expect.objectContaining({ context: 'reading the last grant scan' })]);
  });

  test('reconnecting the same tenant under a new connection marks nothing new', async () => {
    const { scan, connections } = await scanHarness({ google: scriptedAudit(async () => mailTenant(users)) });
    const before = connections.connect('Acme Google', 'acme.test');
    await scan();
    connections.disconnect(before.id);
    connections.remove(before.id);
    connections.connect('Acme Google (again)', 'acme.test');

    const status = await scan();

    expect(status.snapshot).toMatchObject({ grants: 4, changes: { newApps: 0, newRiskyGrants: 0, goneGrants: 0 } });
  });

  test('removing a connection removes its grants from the page at once; its scans stay on disk', async () => {
    const { service, scan, connections, shownUsers, folder } = await scanHarness({ google: scriptedAudit(async () => mailTenant(users)) });
    const sample = connections.connect('Sample Google', 'sample.test');
    const status = await scan();

    connections.disconnect(sample.id);
    connections.remove(sample.id);

    await expect.poll(() => shownUsers()).toEqual([]);
    expect((await service.status()).snapshot).toMatchObject({ apps: 0, grants: 0, connections: [] });
    expect(await readdir(folder)).toContain(`${status.snapshot!.id}.snapshot.json`);
  });

  test('a cancelled scan does not replace a complete read; the admin can choose to show it', async () => {
    const paused = pausedScan(() => mailTenant(users, 1));
    const { service, scan, scanned, shownUsers, connections } = await scanHarness({ google: completeThen(paused.scan) });
    connections.connect('Acme Google', 'acme.test');
    await scan();

    const progress = await service.startScan();
    await paused.started;
    service.cancelScan(progress.scanId);
    const status = await scanned();

    expect(status.scan?.state).toBe('cancelled');
    expect(await shownUsers()).toEqual(users);
    const [shown] = status.snapshot!.connections;
    expect(shown).toMatchObject({ outcome: 'complete', completed: 4, total: 4, newerRead: { outcome: 'cancelled', completed: 1, total: 4, grants: 1 } });

    const chosen = await service.useNewerRead(shown!.connectionId);
    expect(chosen.connections[0]).toMatchObject({ outcome: 'cancelled', completed: 1, total: 4, newerRead: null });
    expect(await shownUsers()).toEqual(['ana@acme.test']);
    // A cancelled read cannot vouch that what it did not read is gone.
    expect(chosen.changes.goneGrants).toBe(0);
  });

  test('a failed read keeps the connection’s last complete read and says a newer scan failed', async () => {
    let round = 0;
    const { scan, shownUsers, connections } = await scanHarness({
      google: scriptedAudit(async (context) => {
        round += 1;
        if (context.settings.tenant === 'b') return mailTenant(['eve@b.test']);
        if (round > 2) throw new Error('socket hang up');
        return mailTenant(users);
      }),
    });
    connections.connect('Acme Google', 'acme.test');
    Object.assign(connections.connect('B Google', 'b.test').settings, { tenant: 'b' });
    await scan();

    const status = await scan();

    expect(status.scan?.state).toBe('finished');
    expect(await shownUsers()).toEqual([...users, 'eve@b.test']);
    expect(status.snapshot!.connections[0]).toMatchObject({ outcome: 'complete', newerRead: { outcome: 'failed', grants: 0, errorCode: 'provider_error' } });
  });

  test('a scan that read nothing leaves the scan shown as it was', async () => {
    const { scan, shownUsers, connections } = await scanHarness({
      google: completeThen(async () => {
        throw new Error('socket hang up');
      }),
    });
    connections.connect('Acme Google', 'acme.test');
    const first = await scan();

    const status = await scan();

    expect(status.scan?.state).toBe('failed');
    expect(status.snapshot!.id).toBe(first.snapshot!.id);
    expect(await shownUsers()).toEqual(users);
  });

  test('a partial read that read less does not replace a complete one', async () => {
    const { scan, shownUsers, connections } = await scanHarness({ google: completeThen(async () => ({ ...mailTenant(users, 2), incomplete: [{ what: 'cy@acme.test', user: 'cy@acme.test', reason: 'Rate limited.' }] })) });
    connections.connect('Acme Google', 'acme.test');
    await scan();

    const status = await scan();

    expect(await shownUsers()).toEqual(users);
    expect(status.snapshot!.connections[0]).toMatchObject({ outcome: 'complete', newerRead: { outcome: 'partial', completed: 2, grants: 2 } });
    expect(status.snapshot!.changes.goneGrants).toBe(0);
  });

  test('a disconnect during a scan stops that connection at once, and its partial read does not replace a complete one', async () => {
    let seenAbort = false;
    const paused = pausedScan((context) => {
      seenAbort = context.signal!.aborted;
      return mailTenant(users, 1);
    });
    const { scan, scanned, shownUsers, connections, service } = await scanHarness({ google: completeThen(paused.scan) });
    const acme = connections.connect('Acme Google', 'acme.test');
    await scan();

    await service.startScan();
    await paused.started;
    connections.disconnect(acme.id);
    const status = await scanned();

    expect(seenAbort).toBe(true);
    expect(await shownUsers()).toEqual(users);
    expect(status.snapshot!.connections[0]).toMatchObject({ outcome: 'complete', newerRead: { outcome: 'cancelled', errorCode: 'needs_reconnect' } });
    expect(status.snapshot!.connections[0]!.newerRead!.note).toMatch(/disconnected during the scan/);
  });

  test('a scan of one connection keeps the other connections’ reads as they were', async () => {
    const { scan, shownUsers, connections, service } = await scanHarness({ google: scriptedAudit(async (context) => mailTenant(context.settings.tenant === 'b' ? ['eve@b.test'] : users)) });
    connections.connect('Acme Google', 'acme.test');
    const other = connections.connect('B Google', 'b.test');
    Object.assign(other.settings, { tenant: 'b' });
    await scan();

    await scan(service, [other.id]);

    expect(await shownUsers()).toEqual([...users, 'eve@b.test']);
  });
});

describe('how a scan ends', () => {
  test('a scan that could read nothing fails and says why', async () => {
    const { scan, connections } = await scanHarness({
      google: scriptedAudit(async () => {
        throw new Error('403');
      }),
    });
    connections.connect('Acme Google', 'acme.test');

    const status = await scan();

    expect(status.scan).toMatchObject({ state: 'failed', error: { code: 'provider_error', message: 'Nothing could be read. Acme Google: Acme Google could not be scanned.' } });
    expect(status.snapshot).toBeNull();
  });

  test('a full disk fails the scan with disk_full and keeps the scan before usable', async () => {
    let full = false;
    const { scan, connections, shownUsers, reported, service } = await scanHarness(
      { google: scriptedAudit(async () => mailTenant(users)) },
      {
        files: {
          write: async (handle, data) => {
            if (full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            await handle.writeFile(data);
          },
        },
      },
    );
    connections.connect('Acme Google', 'acme.test');
    const first = await scan();
    full = true;

    const status = await scan();

    expect(status.scan).toMatchObject({ state: 'failed', error: { code: 'disk_full', message: 'The disk is full, so the scan could not be saved.' } });
    expect(status.snapshot!.id).toBe(first.snapshot!.id);
    expect(await shownUsers()).toEqual(users);
    expect(reported).toEqual([]);
    full = false;
    expect((await scan(service)).scan?.state).toBe('finished');
  });

  test('an unexpected error fails the scan as internal and is reported', async () => {
    const { scan, connections, reported } = await scanHarness({
      google: scriptedAudit(async () => ({ ...mailTenant(users), apps: null as unknown as [] })),
    });
    connections.connect('Acme Google', 'acme.test');

    const status = await scan();

    expect(status.scan).toMatchObject({ state: 'failed', error: { code: 'internal' } });
    expect(reported).toEqual([expect.objectContaining({ context: 'grant scan', error: expect.any(TypeError) })]);
  });

  test('progress never goes back when a connection’s next phase starts at 0', async () => {
    const paused = pausedScan(() => mailTenant(users));
    const { service, scanned, connections, published } = await scanHarness({
      google: scriptedAudit(async (context) => {
        context.onProgress?.({ phase: 'users', done: 4, total: 4 });
        await new Promise((resolve) => setTimeout(resolve, 40));
        context.onProgress?.({ phase: 'tokens', done: 0, total: 4 });
        await new Promise((resolve) => setTimeout(resolve, 40));
        return paused.scan(context);
      }),
    });
    connections.connect('Acme Google', 'acme.test');
    connections.connect('Acme Google 2', 'acme2.test');

    await service.startScan();
    await paused.started;
    paused.release();
    await scanned();

    const percents = published.filter(({ event }) => event === 'grants.scanProgress').map(({ payload }) => (payload as { percent: number }).percent);
    expect(percents.length).toBeGreaterThan(1);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBe(100);
  });
});

describe('grants revoked since a scan (markRevoked)', () => {
  const keyOf = async (service: Awaited<ReturnType<typeof scanHarness>>['service'], user: string) =>
    (await service.grants({ filter: { text: user }, sort: { column: 'user', direction: 'asc' }, offset: 0, limit: 1 })).rows[0]!.key;

  test('hides them from every question at once and after a restart, without rewriting the scan', async () => {
    const { service, scan, open, connections, shownUsers, folder } = await scanHarness({ google: scriptedAudit(async () => mailTenant(users)) });
    connections.connect('Acme Google', 'acme.test');
    const status = await scan();
    const bo = await keyOf(service, 'bo@acme.test');

    await service.markRevoked([bo]);

    expect(await shownUsers()).toEqual(['ana@acme.test', 'cy@acme.test', 'di@acme.test']);
    expect((await service.status()).snapshot).toMatchObject({ id: status.snapshot!.id, grants: 3, users: 3 });
    expect((await service.apps({ filter: {}, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10 })).rows[0]).toMatchObject({ users: 3 });
    expect((await service.exportCsv('grants', {})).content).not.toContain('bo@acme.test');
    expect(await shownUsers(await open())).toEqual(['ana@acme.test', 'cy@acme.test', 'di@acme.test']);
    expect(await readFile(join(folder, `${status.snapshot!.id}.snapshot.json`), 'utf8')).toContain('bo@acme.test');
  });

  test('called again with the same grants changes nothing', async () => {
    const { service, scan, connections, folder } = await scanHarness({ google: scriptedAudit(async () => mailTenant(users)) });
    connections.connect('Acme Google', 'acme.test');
    const status = await scan();
    const bo = await keyOf(service, 'bo@acme.test');

    await service.markRevoked([bo, bo]);
    await service.markRevoked([bo, 'not/a-grant']);

    const lines = (await readFile(join(folder, `${status.snapshot!.id}.revoked.ndjson`), 'utf8')).split('\n');
    expect(lines.map((line) => (line === '' ? line : JSON.parse(line)))).toEqual([{ key: bo, at: expect.any(String) }, '']);
  });

  test('the next scan lists them as gone', async () => {
    let revoked = false;
    const { service, scan, connections } = await scanHarness({ google: scriptedAudit(async () => mailTenant(revoked ? users.filter((user) => user !== 'bo@acme.test') : users)) });
    connections.connect('Acme Google', 'acme.test');
    await scan();
    await service.markRevoked([await keyOf(service, 'bo@acme.test')]);
    revoked = true;

    await scan();

    expect((await service.changes()).goneGrants.map((gone) => gone.user)).toEqual(['bo@acme.test']);
  });

  test('a grant revoked while a scan runs stays hidden in its result, and is not new', async () => {
    const paused = pausedScan(() => mailTenant(users));
    const { service, scanned, scan, connections, shownUsers } = await scanHarness({ google: completeThen(paused.scan) });
    connections.connect('Acme Google', 'acme.test');
    await scan();
    const bo = await keyOf(service, 'bo@acme.test');

    await service.startScan();
    await paused.started;
    await service.markRevoked([bo]);
    paused.release();
    const status = await scanned();

    expect(await shownUsers()).toEqual(['ana@acme.test', 'cy@acme.test', 'di@acme.test']);
    expect(status.snapshot!.changes).toMatchObject({ newRiskyGrants: 0, newApps: 0 });
  });

  describe('when the admin shows a newer read kept aside', () => {
    const [ana, bo] = users;
    /** Every scan after the first reads only ana and bo: partial, so it is kept aside. */
    const partlyReadLater = () => completeThen(async () => mailTenant(users, 2));

    test('a grant revoked before a newer read that found it again is shown when the admin shows that read', async () => {
      const { service, scan, open, connections, shownUsers } = await scanHarness({ google: partlyReadLater() }, { clock: steppingClock() });
      connections.connect('Acme Google', 'acme.test');
      await scan();
      await service.markRevoked([await keyOf(service, bo!)]);
      // The user granted it again; the next read, partial, finds it.
      const status = await scan();
      expect(await shownUsers()).toEqual(['ana@acme.test', 'cy@acme.test', 'di@acme.test']);

      // After a restart too: when each revocation was made is read back from disk.
      const reopened = await open();
      await reopened.useNewerRead(status.snapshot!.connections[0]!.connectionId);

      expect(await shownUsers(reopened)).toEqual([ana, bo]);
    });

    test('a grant revoked after the newer read stays hidden when the admin shows it', async () => {
      const { service, scan, connections, shownUsers } = await scanHarness({ google: partlyReadLater() }, { clock: steppingClock() });
      connections.connect('Acme Google', 'acme.test');
      await scan();
      const status = await scan();
      await service.markRevoked([await keyOf(service, bo!)]);

      await service.useNewerRead(status.snapshot!.connections[0]!.connectionId);

      expect(await shownUsers()).toEqual([ana]);
    });

    test('a grant revoked while the newer read was being taken stays hidden when the admin shows it', async () => {
      const paused = pausedScan(() => mailTenant(users, 2));
      const { service, scan, scanned, connections, shownUsers } = await scanHarness({ google: completeThen(paused.scan) }, { clock: steppingClock() });
      connections.connect('Acme Google', 'acme.test');
      await scan();
      await service.startScan();
      await paused.started;
      // The read may have found it before it went.
      await service.markRevoked([await keyOf(service, bo!)]);
      paused.release();
      const status = await scanned();

      await service.useNewerRead(status.snapshot!.connections[0]!.connectionId);

      expect(await shownUsers()).toEqual([ana]);
    });

    test('a revocation file of bare keys, written before times were recorded, still hides its grants, even once the newer read is shown', async () => {
      const { service, scan, open, connections, shownUsers, folder } = await scanHarness({ google: partlyReadLater() }, { clock: steppingClock() });
      connections.connect('Acme Google', 'acme.test');
      await scan();
      const key = await keyOf(service, bo!);
      const status = await scan();
      await writeFile(join(folder, `${status.snapshot!.id}.revoked.ndjson`), `${JSON.stringify(key)}\n`);

      const reopened = await open();
      expect(await shownUsers(reopened)).toEqual(['ana@acme.test', 'cy@acme.test', 'di@acme.test']);
      await reopened.useNewerRead(status.snapshot!.connections[0]!.connectionId);

      expect(await shownUsers(reopened)).toEqual([ana]);
    });
  });
});
