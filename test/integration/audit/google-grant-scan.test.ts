import { afterEach, describe, expect, test } from 'vitest';
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

async function scan(sim: TenantSimulator, options: { signal?: AbortSignal } = {}) {
  const token = await sampleAccessToken(sim, 'audit');
  const scheduler = new RequestScheduler({ quotaPerMinute: 2_400, classify: classifyGoogleFailure });
  const progress: { done: number; total: number }[] = [];
  const result = await scanGoogleGrants({
    rootUrl: sim.google.apiRoot,
    accessToken: async () => token,
    scheduler,
    internalProjectNumbers: new Set([sim.tenant.cloudProjectNumber]),
    onProgress: (step) => progress.push(step),
    ...options,
  });
  return { result, progress, scheduler };
}

describe('scanning Google Workspace grants', () => {
  test('reads every user’s tokens into apps and grants, with last use from token activity', async () => {
    simulator = await startTenantSimulator({ seed: 7, users: 300, referenceTime: new Date('2026-11-21T09:00:00Z') });
    const { result, progress } = await scan(simulator);
    expect(result).toMatchObject({ total: 300, completed: 300, incomplete: [] });
    expect(result.grants).toHaveLength(simulator.tenant.googleTokens.length);
    expect(new Set(result.apps.map((app) => app.name))).toEqual(new Set(simulator.tenant.googleTokens.map((token) => token.displayText)));
    expect(result.apps.some((app) => app.anonymous)).toBe(true);
    expect(result.grants.filter((grant) => grant.lastUsed !== null).length).toBeGreaterThan(result.grants.length / 2);
    expect(result.grants[0]!.evidence).toMatchObject({ kind: 'admin#directory#token' });
    expect(progress.at(-1)).toEqual({ done: 300, total: 300 });
  });

  test('loses no user under injected failures: each is read after retries or listed as incomplete with the reason', async () => {
    simulator = await startTenantSimulator({ seed: 3, users: 200, referenceTime: new Date('2026-11-21T09:00:00Z'), faults: { errorRate: 0.2 } });
    const { result, scheduler } = await scan(simulator);
    const usersNotRead = result.incomplete.filter((item) => !item.what.startsWith('last use'));
    expect(result.completed + usersNotRead.length).toBe(200);
    for (const item of result.incomplete) expect(item.reason).toMatch(/Google answered 503/);
    expect(scheduler.stats().retries).toBeGreaterThan(10);
  });
});
