import { describe, expect, test } from 'vitest';
import type { ApiRequest, ApiResponse, ApiRoute } from '../../../../src-main/sample/simulator/api-router';
import { createFaultPlan, createLostAnswerPlan, type ApiFaultShapes } from '../../../../src-main/sample/simulator/fault-plan';
import { googleFaults } from '../../../../src-main/sample/simulator/google-directory-api';
import { graphFaults } from '../../../../src-main/sample/simulator/graph-api';

const shapes: ApiFaultShapes = {
  rateLimited: (retryAfter) => ({ status: 429, headers: { 'retry-after': String(retryAfter) } }),
  unavailable: () => ({ status: 503 }),
};
const route = {} as ApiRoute;
const request = {} as ApiRequest;

function clockAt(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('fault plan', () => {
  test('lets calls through when nothing is planned', async () => {
    const plan = createFaultPlan(shapes);
    expect(await plan(route, request)).toBeUndefined();
  });

  test('waits a latency drawn from the range', async () => {
    const waits: number[] = [];
    const plan = createFaultPlan(shapes, { latencyMs: [80, 150], sleep: async (ms) => void waits.push(ms) });
    for (let i = 0; i < 50; i += 1) await plan(route, request);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...waits)).toBeLessThanOrEqual(150);
    expect(new Set(waits.map(Math.round)).size).toBeGreaterThan(10);
  });

  test('fails about the planned share of calls, the same ones for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const plan = createFaultPlan(shapes, { errorRate: 0.1, seed });
      const results: (number | undefined)[] = [];
      for (let i = 0; i < 2_000; i += 1) results.push((await plan(route, request))?.status);
      return results;
    };
    const first = await outcomes(3);
    const failures = first.filter((status) => status === 503).length;
    expect(failures).toBeGreaterThan(140);
    expect(failures).toBeLessThan(260);
    expect(await outcomes(3)).toEqual(first);
  });

  test('is unavailable during the outage window only', async () => {
    const clock = clockAt();
    const plan = createFaultPlan(shapes, { outage: { startsAfterMs: 1_000, lastsMs: 500 }, clock: clock.now });
    expect(await plan(route, request)).toBeUndefined();
    clock.advance(1_200);
    expect((await plan(route, request))?.status).toBe(503);
    clock.advance(400);
    expect(await plan(route, request)).toBeUndefined();
  });

  test('rate-limits calls beyond the per-minute quota and says when to retry', async () => {
    const clock = clockAt();
    const plan = createFaultPlan(shapes, { quotaPerMinute: 3, clock: clock.now });
    for (let i = 0; i < 3; i += 1) expect(await plan(route, request)).toBeUndefined();
    clock.advance(20_000);
    expect(await plan(route, request)).toMatchObject({ status: 429, headers: { 'retry-after': '40' } });
    clock.advance(40_000);
    expect(await plan(route, request)).toBeUndefined();
  });

  test('rate-limits over a shorter quota window when given one', async () => {
    const clock = clockAt();
    const plan = createFaultPlan(shapes, { quotaPerMinute: 3, quotaWindowMs: 2_000, clock: clock.now });
    for (let i = 0; i < 3; i += 1) expect(await plan(route, request)).toBeUndefined();
    clock.advance(500);
    expect(await plan(route, request)).toMatchObject({ status: 429, headers: { 'retry-after': '2' } });
    clock.advance(1_500);
    expect(await plan(route, request)).toBeUndefined();
  });

  test('asks for the planned Retry-After in an unavailable answer, else the provider’s own, or none when planned so', async () => {
    expect((await createFaultPlan(graphFaults, { errorRate: 1, unavailableRetryAfterSeconds: 0 })(route, request))?.headers).toMatchObject({ 'retry-after': '0' });
    expect((await createFaultPlan(graphFaults, { errorRate: 1 })(route, request))?.headers).toMatchObject({ 'retry-after': '2' });
    expect((await createFaultPlan(graphFaults, { errorRate: 1, unavailableRetryAfterSeconds: null })(route, request))?.headers).not.toHaveProperty('retry-after');
  });

  test("words Google's quota error as userRateLimitExceeded in the usageLimits domain", () => {
    expect(googleFaults.rateLimited(10)).toMatchObject({ status: 403, body: { error: { code: 403, errors: [{ reason: 'userRateLimitExceeded', domain: 'usageLimits' }] } } });
  });
});

describe('lost answers (after the route ran)', () => {
  const changed: ApiResponse = { status: 200, effects: ['thing.change:1'] };
  const routeNamed = (name: string) => ({ name }) as ApiRoute;

  test('are not planned without a rate', () => {
    expect(createLostAnswerPlan(shapes)).toBeUndefined();
    expect(createLostAnswerPlan(shapes, { errorRate: 0.5 })).toBeUndefined();
  });

  test('lose about the planned share of the answers of calls that applied a change, the same ones for the same seed', () => {
    const outcomes = (seed: number) => {
      const plan = createLostAnswerPlan(shapes, { lostAnswerRate: 0.2, seed })!;
      return Array.from({ length: 2_000 }, () => plan(route, changed, true)?.as ?? 'answered');
    };
    const first = outcomes(5);
    const lost = first.filter((outcome) => outcome !== 'answered').length;
    expect(lost).toBeGreaterThan(320);
    expect(lost).toBeLessThan(480);
    // Either way, drawn per call.
    expect(first.filter((outcome) => outcome === 'dropped').length).toBeGreaterThan(lost / 4);
    expect(first.filter((outcome) => outcome === 'unavailable').length).toBeGreaterThan(lost / 4);
    expect(outcomes(5)).toEqual(first);
  });

  test('never lose the answer of a call that changed nothing, nor of a route not named', () => {
    const plan = createLostAnswerPlan(shapes, { lostAnswerRate: 1, lostAnswerRoutes: ['thing.change'] })!;
    expect(plan(routeNamed('thing.change'), { status: 204 }, true)).toBeUndefined();
    expect(plan(routeNamed('thing.change'), { status: 200, effects: [] }, true)).toBeUndefined();
    expect(plan(routeNamed('other.change'), changed, true)).toBeUndefined();
    expect(plan(routeNamed('thing.change'), changed, true)).toBeDefined();
  });

  test('answer unavailable or drop the connection as asked, and answer unavailable where the connection cannot be dropped', () => {
    expect(createLostAnswerPlan(graphFaults, { lostAnswerRate: 1, lostAnswerAs: 'unavailable', unavailableRetryAfterSeconds: 0 })!(route, changed, true)).toMatchObject({ as: 'unavailable', answer: { status: 503, headers: { 'retry-after': '0' } } });
    const dropping = createLostAnswerPlan(shapes, { lostAnswerRate: 1, lostAnswerAs: 'dropped' })!;
    expect(dropping(route, changed, true)).toEqual({ as: 'dropped' });
    expect(dropping(route, changed, false)).toMatchObject({ as: 'unavailable', answer: { status: 503 } });
  });
});

