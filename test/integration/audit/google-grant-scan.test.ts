import { afterEach, describe, expect, test } from 'vitest';
import { AppError } from '../../../src-main/errors/app-error';
import { googleAppPasswordsApp, type ScanProgress } from '../../../src-main/audit/grant-model';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import { classifyGoogleFailure } from '../../../src-main/providers/google/google-failure';
import { scanGoogleGrants } from '../../../src-main/providers/google/google-grant-scanner';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { sampleAccessToken } from '../sample/sample-sign-in';

let simulator: TenantSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

const referenceTime = new Date('2026-11-21T09:00:00Z');

async function scan(sim: TenantSimulator, options: { signal?: AbortSignal; quotaPerMinute?: number; quotaWindowMs?: number; onProgress?: (step: ScanProgress) => void } = {}) {
  const token = await sampleAccessToken(sim, []);
  const scheduler = new RequestScheduler({
    quotaPerMinute: options.quotaPerMinute ?? 2_400,
    ...(options.quotaWindowMs === undefined ? {} : { quotaWindowMs: options.quotaWindowMs }),
    classify: classifyGoogleFailure,
  });
  const progress: ScanProgress[] = [];
  const result = scanGoogleGrants(
    {
      apiBaseUrl: sim.google.apiRoot,
      settings: {},
      accessToken: async () => token,
      scheduler,
      onProgress: (step) => {
        progress.push(step);
        options.onProgress?.(step);
      },
      ...(options.signal ? { signal: options.signal } : {}),
    },
    { internalProjectNumbers: new Set([sim.tenant.cloudProjectNumber]) },
  );
  return { result, progress, scheduler };
}

const googleCalls = (sim: TenantSimulator) => sim.calls.filter((call) => call.name.startsWith('directory.') || call.name.startsWith('reports.'));
/** The most calls the simulator logged within any rolling window of this length. */
function busiestWindow(calls: { at: number }[], windowMs: number): number {
  const times = calls.map((call) => call.at).sort((a, b) => a - b);
  let busiest = 0;
  for (let first = 0, last = 0; last < times.length; last += 1) {
    while (times[first]! <= times[last]! - windowMs) first += 1;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}
const usersNotRead = (incomplete: { what: string }[]) => incomplete.filter((item) => !item.what.startsWith('last use'));

describe('scanning Google Workspace grants', () => {
  test('fails at once with needs_reconnect when the connection has no access token, retrying nothing', async () => {
    const sim = (simulator = await startTenantSimulator({ seed: 3, users: 20, referenceTime }));
    const scheduler = new RequestScheduler({ quotaPerMinute: 2_400, classify: classifyGoogleFailure });
    const accessToken = async (): Promise<string> => {
      throw new AppError('needs_reconnect', 'Acme Workspace has no valid access token.');
    };
    await expect(scanGoogleGrants({ apiBaseUrl: sim.google.apiRoot, settings: {}, accessToken, scheduler })).rejects.toMatchObject({ code: 'needs_reconnect' });
    expect(scheduler.stats().retries).toBe(0);
    expect(googleCalls(sim)).toHaveLength(0);
  });

  test('reads every user’s tokens into apps and grants, with last use from token activity, reporting each phase in order', async () => {
    simulator = await startTenantSimulator({ seed: 7, users: 300, referenceTime });
    const { result: scanning, progress } = await scan(simulator);
    const result = await scanning;
    expect(result).toMatchObject({ total: 300, completed: 300, incomplete: [] });
    const tokenGrants = result.grants.filter((grant) => grant.appKey !== googleAppPasswordsApp.key);
    expect(tokenGrants).toHaveLength(simulator.tenant.googleTokens.length);
    const tokenApps = result.apps.filter((app) => app.key !== googleAppPasswordsApp.key);
    expect(new Set(tokenApps.map((app) => app.name))).toEqual(new Set(simulator.tenant.googleTokens.map((token) => token.displayText)));
    expect(result.apps.some((app) => app.anonymous)).toBe(true);
    expect(tokenGrants.filter((grant) => grant.lastUsed !== null).length).toBeGreaterThan(tokenGrants.length / 2);
    expect(tokenGrants[0]!.evidence).toMatchObject({ kind: 'admin#directory#token' });

    const phases = progress.map((step) => step.phase).filter((phase, index, all) => phase !== all[index - 1]);
    expect(phases).toEqual(['users', 'tokens', 'app passwords', 'last use']);
    expect(progress.findLast((step) => step.phase === 'tokens')).toMatchObject({ phase: 'tokens', done: 300, total: 300 });
    expect(progress.findLast((step) => step.phase === 'app passwords')).toMatchObject({ phase: 'app passwords', done: 300, total: 300 });
    const lastStep = progress.at(-1)!;
    expect(lastStep.done).toBe(lastStep.total);
    // Each phase counts its own units from 0, but the scan's fraction only ever moves on, to the end.
    const fractions = progress.map((step) => step.fraction!);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(progress.some((step, index) => index > 0 && step.done < progress[index - 1]!.done)).toBe(true);
  });

  test('finds every app-specific password, as a grant of its own pseudo-app revoked by code id', async () => {
    simulator = await startTenantSimulator({ seed: 7, users: 300, referenceTime });
    const asps = simulator.tenant.asps.map((asp) => ({ ...asp, email: simulator!.tenant.users.find((user) => user.googleId === asp.userGoogleId)!.primaryEmail }));
    expect(asps.length).toBeGreaterThan(2);
    const result = await (await scan(simulator)).result;
    const found = result.grants.filter((grant) => grant.appKey === googleAppPasswordsApp.key);
    expect(found).toHaveLength(asps.length);
    for (const asp of asps) {
      const grant = found.find((candidate) => candidate.revocationHandle === `asp:${asp.codeId}` && candidate.user === asp.email);
      expect(grant).toMatchObject({ provider: 'google', scopes: [], consent: 'user', lastUsed: asp.lastTimeUsed, evidence: { codeId: asp.codeId, name: asp.name, note: expect.stringMatching(/app-specific password/) as string } });
      expect(grant!.key).toBe(`google:app-passwords|${asp.email}|${asp.codeId}`);
    }
    // All of them are grants of one pseudo-app, one row in the apps table.
    expect(result.apps.filter((app) => app.key === googleAppPasswordsApp.key)).toEqual([googleAppPasswordsApp]);
  });

  test('loses no user under injected failures: each is read after retries or listed as incomplete with the reason', async () => {
    simulator = await startTenantSimulator({ seed: 3, users: 200, referenceTime, faults: { errorRate: 0.2 } });
    const { result: scanning, scheduler } = await scan(simulator);
    const result = await scanning;
    expect(result.completed + usersNotRead(result.incomplete).length).toBe(200);
    for (const item of result.incomplete) expect(item.reason).toMatch(/Google answered 503/);
    expect(scheduler.stats().retries).toBeGreaterThan(10);
  });

  test('cancelling stops the scan cleanly: it sends nothing more and keeps what was read, listing every user not read in full', async () => {
    simulator = await startTenantSimulator({ seed: 5, users: 400, referenceTime, faults: { latencyMs: [20, 40] } });
    const controller = new AbortController();
    const { result, scheduler } = await scan(simulator, {
      signal: controller.signal,
      onProgress: (step) => {
        if (step.phase === 'tokens' && step.done >= 50) controller.abort();
      },
    });
    const kept = await result;
    expect(kept.total).toBeGreaterThan(0);
    expect(kept.completed).toBeLessThan(kept.total);
    const unread = kept.incomplete.filter((item) => item.user !== undefined);
    expect(kept.completed + unread.length).toBe(kept.total);
    expect(unread[0]).toMatchObject({ reason: 'Cancelled before it was read.' });
    // Every grant kept belongs to a user read in full or one whose tokens came back before the cancel.
    expect(kept.grants.length).toBeGreaterThan(0);
    // Settled only once nothing of the scan is queued or in flight.
    expect(scheduler.stats()).toMatchObject({ inFlight: 0, queued: 0 });
    const sent = scheduler.stats().calls;
    expect(sent).toBeLessThan(2 * 400);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(scheduler.stats().calls).toBe(sent);
    // The simulator answers the calls that were cut off too, but sees none sent afterwards.
    expect(googleCalls(simulator).length).toBeLessThanOrEqual(sent);
  });

  // A quota smaller than the scan needs means waiting for the window to roll, whoever keeps it. Both
  // sides count over a 2 s window instead of Google's minute, so the wait takes seconds, not minutes.
  test(
    'reads every user of a tenant whose quota is smaller than the scan needs, whether the scheduler knows the quota or meets it as 403s',
    async () => {
      const quotaPerMinute = 30;
      const quotaWindowMs = 2_000;
      const tenant = { seed: 11, users: 20, referenceTime, googleQuotaPerMinute: quotaPerMinute, googleQuotaWindowMs: quotaWindowMs };
      const [known, unknown] = await Promise.all([startTenantSimulator(tenant), startTenantSimulator(tenant)]);
      try {
        const [withQuota, withDefault] = await Promise.all([scan(known, { quotaPerMinute, quotaWindowMs }), scan(unknown)]);
        const [knownResult, unknownResult] = await Promise.all([withQuota.result, withDefault.result]);
        for (const result of [knownResult, unknownResult]) expect(result).toMatchObject({ total: 20, completed: 20, incomplete: [] });
        // Told the quota, the scheduler never runs into Google's limiter.
        expect(googleCalls(known).filter((call) => call.status === 403)).toHaveLength(0);
        expect(withQuota.scheduler.stats().rateLimited).toBe(0);
        // Not told, it meets 403 userRateLimitExceeded, waits and retries until every user is read.
        expect(withDefault.scheduler.stats().rateLimited).toBeGreaterThan(0);
        expect(googleCalls(known).length).toBeGreaterThan(quotaPerMinute);
        // It spends the quota in full, and never more than the quota in any window.
        expect(busiestWindow(googleCalls(known), quotaWindowMs)).toBe(quotaPerMinute);
      } finally {
        await Promise.all([known.close(), unknown.close()]);
      }
    },
  );
});
