import { describe, expect, test, vi } from 'vitest';
import { BackgroundScans, overdueScanDelayMs, type ScanTimer } from '../../../../src-main/audit/background-scans';
import type { ProviderScan } from '../../../../src-main/audit/grant-model';
import { app, grant, mailTenant, scanHarness, scriptedAudit } from './scan-harness';
import { defaultSettings } from '../../../../src-shared/contract/settings';

const users = ['ana@acme.test', 'bo@acme.test'];
const minute = 60_000;

/** Timers the test fires by hand, with the delay each was set for. */
function handTimer() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  const timer: ScanTimer = {
    set: (callback, ms) => {
      pending.set((next += 1), { callback, ms });
      return next;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  const planned = async () => {
    await vi.waitFor(() => expect(pending.size).toBe(1), { timeout: 5_000 });
    return [...pending.values()][0]!.ms;
  };
  const fire = async () => {
    const [handle, entry] = [...pending.entries()][0]!;
    pending.delete(handle);
    entry.callback();
  };
  return { timer, pending, planned, fire };
}

async function scheduled(tenant: () => ProviderScan, intervalMinutes: number) {
  let now = new Date('2026-12-01T09:00:00Z');
  const clock = () => now;
  const audit = scriptedAudit(async () => tenant());
  const harness = await scanHarness({ google: audit }, { clock });
  const settings = { backgroundScanIntervalMinutes: intervalMinutes };
  const notices: { title: string; body: string }[] = [];
  const timer = handTimer();
  const background = new BackgroundScans({ grants: harness.service, settings: { get: () => settings }, events: harness.events, notify: (notice) => notices.push(notice), timer: timer.timer, clock });
  const later = (ms: number) => (now = new Date(now.getTime() + ms));
  return { ...harness, audit, background, settings, notices, timer, later };
}

describe('background scans', () => {
  test('scan every interval after the last scan and tell the admin of new Critical grants, once', async () => {
    let round = 0;
    const { background, connections, scan, timer, later, notices, published, service } = await scheduled(() => {
      round += 1;
      const tenant = mailTenant(users);
      return round === 1 ? tenant : { ...tenant, apps: [...tenant.apps, app('drive-1', 'Drive Sync')], grants: [...tenant.grants, grant('drive-1', 'bo@acme.test', ['https://www.googleapis.com/auth/drive'])] };
    }, 60);
    connections.connect('Acme Google', 'acme.test');
    await scan();
    later(10 * minute);

    background.start();
    expect(await timer.planned()).toBe(50 * minute);
    later(50 * minute);
    await timer.fire();

    await vi.waitFor(() => expect(notices).toEqual([{ title: 'Consentry: new Critical grants', body: 'A background scan found a new Critical grant since the scan before. Review it on the Grants page.' }]));
    expect(published.filter(({ event }) => event === 'grants.alert').map(({ payload }) => payload)).toEqual([
      { snapshotId: (await service.status()).snapshot!.id, criticalGrants: 1, message: 'A background scan found a new Critical grant since the scan before. Review it on the Grants page.' },
    ]);
    expect(await timer.planned()).toBe(60 * minute);

    // The next scan finds nothing new: no second notice.
    later(60 * minute);
    await timer.fire();
    await vi.waitFor(async () => expect((await service.status()).snapshot!.changes.previousTakenAt).not.toBeNull());
    expect(await timer.planned()).toBe(60 * minute);
    expect(notices).toHaveLength(1);
    background.close();
  });

  test('a scan overdue at start waits a minute; none runs while the setting is 0', async () => {
    const { background, connections, timer, settings, events, scan } = await scheduled(() => mailTenant(users), 0);
    connections.connect('Acme Google', 'acme.test');
    await scan();

    background.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(timer.pending.size).toBe(0);

    settings.backgroundScanIntervalMinutes = 15;
    events.publish('settings.changed', { ...defaultSettings, backgroundScanIntervalMinutes: 15 });
    expect(await timer.planned()).toBe(15 * minute);
    background.close();
    expect(timer.pending.size).toBe(0);
    expect(overdueScanDelayMs).toBe(minute);
  });

  test('skips a scan while one runs and when no connection can be scanned', async () => {
    const { background, connections, timer, later, service, published, audit } = await scheduled(() => mailTenant(users), 15);
    const acme = connections.connect('Acme Google', 'acme.test');
    connections.disconnect(acme.id);

    background.start();
    expect(await timer.planned()).toBe(overdueScanDelayMs);
    await timer.fire();
    expect(await timer.planned()).toBe(15 * minute);
    expect(published.some(({ event }) => event === 'grants.scanProgress')).toBe(false);

    // A scan the admin started is still running when the next one is due.
    let release!: () => void;
    connections.connect('Busy Google', 'busy.test');
    const running = new Promise<void>((resolve) => (release = resolve));
    vi.spyOn(audit, 'scan').mockImplementation(async () => {
      await running;
      return mailTenant(users);
    });
    await service.startScan();
    const startScan = vi.spyOn(service, 'startScan');
    later(15 * minute);
    await timer.fire();
    expect(await timer.planned()).toBe(15 * minute);
    expect(startScan).not.toHaveBeenCalled();
    release();
    background.close();
    // The admin's scan saves its snapshot into the test's folder: it ends before the folder is removed.
    await vi.waitFor(async () => expect((await service.status()).scan?.state).toBe('finished'), { timeout: 10_000 });
    await service.close();
  });
});
