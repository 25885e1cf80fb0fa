import { describe, expect, test } from 'vitest';
import type { ProviderScan } from '../../../../src-main/audit/grant-model';
import { GrantRescanQueue } from '../../../../src-main/consent/grant-rescan-queue';
import type { ConnectionView } from '../../../../src-shared/contract/connections';
import { grant, mailTenant, scanHarness, scriptedAudit } from '../audit/scan-harness';

/** Two Google tenants; the first scan of each waits until the test lets it end. Acme gains a grant meanwhile (a consent grant). */
async function busyTenants() {
  let letFirstScanEnd = () => undefined as void;
  const firstScanHeld = new Promise<void>((resolve) => (letFirstScanEnd = resolve));
  /** The tenants read, one entry per read. */
  const reads: string[] = [];
  let granted = false;
  const audit = scriptedAudit(async (scanContext) => {
    // The tenant gateway hands each scan its connection.
    const { label } = (scanContext as typeof scanContext & { connection: ConnectionView }).connection;
    reads.push(label);
    if (reads.length <= 2) await firstScanHeld;
    const tenant: ProviderScan = mailTenant(['ana@acme.test']);
    return granted && label === 'Acme Google' ? { ...tenant, grants: [...tenant.grants, grant('mail-1', 'bo@acme.test')] } : tenant;
  });
  const harness = await scanHarness({ google: audit });
  const acme = harness.connections.connect('Acme Google', 'acme.test');
  harness.connections.connect('Beta Google', 'beta.test');
  const queue = new GrantRescanQueue({ grants: harness.service, events: harness.events });
  return { ...harness, acme, queue, reads, letFirstScanEnd, grant: () => (granted = true) };
}

describe('reading the grants again after a consent grant', () => {
  test('two grants ending while a scan runs wait for it, then one scan reads their connection and shows the new grant', async () => {
    const { service, acme, queue, reads, letFirstScanEnd, grant: grantInTenant, reported, shownUsers, scanned } = await busyTenants();
    const running = await service.startScan();
    grantInTenant();
    const first = queue.rescan([acme.id]);
    const second = queue.rescan([acme.id]);
    expect((await service.status()).scan).toMatchObject({ scanId: running.scanId, state: 'running' });

    letFirstScanEnd();
    const [started, joined] = await Promise.all([first, second]);
    expect(started!.scanId).not.toBe(running.scanId);
    expect(joined).toEqual(started);
    expect(started!.connections.map((connection) => connection.label)).toEqual(['Acme Google']);
    expect((await scanned()).scan).toMatchObject({ scanId: started!.scanId, state: 'finished' });
    expect(reads.toSorted()).toEqual(['Acme Google', 'Acme Google', 'Beta Google']);
    expect(await shownUsers()).toEqual(['ana@acme.test', 'ana@acme.test', 'bo@acme.test']);
    expect(reported).toEqual([]);
  });

  test('with no scan running, it scans the connection at once', async () => {
    const { acme, queue, letFirstScanEnd, reads, scanned } = await busyTenants();
    letFirstScanEnd();
    const started = await queue.rescan([acme.id]);
    expect(started).toMatchObject({ state: 'running', connections: [{ label: 'Acme Google' }] });
    expect((await scanned()).scan).toMatchObject({ scanId: started!.scanId, state: 'finished' });
    expect(reads).toEqual(['Acme Google']);
  });

  test('a rescan still waiting when the console closes starts no scan', async () => {
    const { service, acme, queue, letFirstScanEnd, reads } = await busyTenants();
    await service.startScan();
    const waiting = queue.rescan([acme.id]);
    queue.close();
    expect(await waiting).toBeNull();
    letFirstScanEnd();
    await service.close();
    expect(reads.toSorted()).toEqual(['Acme Google', 'Beta Google']);
  });
});
