import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConsoleServices } from '../../../src-main/app-services';
import { SeededRandom } from '../../../src-main/sample/seeded-random';
import { ownGoogleClient, startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { runKillableScript } from '../../support/killable-script';
import { openNodeConsole } from '../../support/node-console';
import { temporaryDirectory } from '../../support/temporary-directory';

const runScript = fileURLToPath(new URL('./revocation-process.ts', import.meta.url));
const kills = 4;

/** The console in a process of its own, which the test can kill at any moment. */
const runConsole = (dataDirectory: string, mode: 'revoke' | 'resume') => runKillableScript(runScript, [dataDirectory, mode]);

describe('a bulk revocation under crashes', () => {
  let sim: TenantSimulator;
  beforeAll(async () => {
    // Latency makes the revocation take a few seconds, so the kills land in the middle of it.
    sim = await startTenantSimulator({ seed: 21, users: 60, referenceTime: new Date('2026-11-21T09:00:00Z'), faults: { latencyMs: [30, 90] } });
  });
  afterAll(() => sim?.close());

  test('killed at random points and restarted, it ends with the journal, the activity log, the snapshot and the tenant in agreement', { timeout: 120_000 }, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const random = new SeededRandom(seed);
    const dataDirectory = await temporaryDirectory();

    let services: ConsoleServices = await openNodeConsole(dataDirectory);
    await services.connections.connect(randomUUID(), {
      provider: 'google',
      label: 'Acme Google',
      clientId: ownGoogleClient.clientId,
      clientSecret: ownGoogleClient.clientSecret,
      settings: { issuer: sim.google.issuer, authorizationEndpoint: sim.google.authorizationEndpoint, tokenEndpoint: sim.google.tokenEndpoint, revocationEndpoint: sim.google.revocationEndpoint, apiBaseUrl: sim.google.apiRoot },
      capabilities: ['revoke_grants'],
    });
    await services.grants.startScan();
    await expect.poll(async () => (await services.grants.status()).scan?.state, { timeout: 30_000 }).toBe('finished');
    const scanned = (await services.grants.status()).snapshot!;
    await services.close();
    const grantsAtStart = sim.tenant.googleTokens.length + sim.tenant.asps.length;
    expect(scanned.grants).toBeGreaterThan(100);

    // Killed again and again, each time at a random moment of the run.
    const killedAfter: number[] = [];
    for (let round = 0; round < kills; round += 1) {
      const run = runConsole(dataDirectory, round === 0 ? 'revoke' : 'resume');
      await run.started;
      const wait = Math.floor(random.next() * 1_200);
      killedAfter.push(wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
      run.kill();
      await run.exited;
    }
    const last = runConsole(dataDirectory, 'resume');
    expect(await last.exited, `seed ${seed}, kills after ${killedAfter.join(', ')} ms`).toBe(0);

    services = await openNodeConsole(dataDirectory);
    try {
      const [job, ...others] = services.jobs.list();
      expect(others).toEqual([]);
      expect(job, `seed ${seed}`).toMatchObject({ state: 'finished', failed: 0, inDoubt: 0, notStarted: 0, succeeded: scanned.grants });
      const report = services.grants.revocationReport(job!.id);
      expect(report.items).toHaveLength(scanned.grants);
      expect(new Set(report.items.map((item) => item.outcome))).toEqual(new Set(report.items.some((item) => item.outcome === 'already_gone') ? ['revoked', 'already_gone'] : ['revoked']));

      // The tenant: every OAuth token and app password of the scan is gone, and nothing else.
      expect(sim.tenant.googleTokens).toHaveLength(0);
      expect(sim.tenant.asps).toHaveLength(0);
      expect(grantsAtStart).toBe(scanned.grants);

      // The activity log: exactly one entry per grant, none missing, none twice, and it verifies.
      const page = await services.activity.list({ action: 'grants.revoke' }, 0, 1_000);
      const refs = page.entries.map((entry) => /\[job \S+ item (\d+)\]/.exec(entry.detail ?? '')?.[1]);
      expect(refs.filter((ref) => ref === undefined)).toEqual([]);
      expect(new Set(refs).size, `seed ${seed}`).toBe(refs.length);
      expect(refs).toHaveLength(scanned.grants);
      expect(page.entries.every((entry) => entry.result === 'succeeded')).toBe(true);
      // The kills did land mid-job, and the log still verifies end to end.
      const interruptions = await services.activity.list({ action: 'job.interrupted' }, 0, 100);
      expect(interruptions.total, `seed ${seed}`).toBeGreaterThan(0);
      expect(page.integrity, `seed ${seed}`).toMatchObject({ intact: true, problems: [] });

      // The snapshot: none of them is shown as live any more.
      const shown = await services.grants.grants({ filter: { providers: ['google'] }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10 });
      expect(shown.total).toBe(0);
    } finally {
      await services.close();
    }
  });
});
