/**
 * The simulated APIs' HTTP side losing an answer after the route ran: the change is applied and
 * logged with its effects, and the client gets the provider's unavailable answer or a dropped
 * connection, as when a gateway or the network fails after the provider acted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createApiListener, type ApiCall, type ApiRoute } from '../../../../src-main/sample/simulator/api-router';
import { createLostAnswerPlan, type FaultPlanOptions } from '../../../../src-main/sample/simulator/fault-plan';

const errors = {
  unauthenticated: () => ({ status: 401 }),
  insufficientScopes: () => ({ status: 403 }),
  notFound: () => ({ status: 404 }),
  badRequest: () => ({ status: 400 }),
};
const shapes = { rateLimited: () => ({ status: 429 }), unavailable: () => ({ status: 503, body: { error: 'unavailable' } }) };

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A counter API: POST /count adds one (an effect), GET /count reads it. */
async function counterApi(options: FaultPlanOptions) {
  const state = { count: 0 };
  const calls: ApiCall[] = [];
  const routes: ApiRoute[] = [
    { method: 'POST', pattern: /^\/count$/, anyOfScopes: ['s'], name: 'count.add', handle: () => ({ status: 200, body: { count: (state.count += 1) }, effects: [`count.add:${state.count}`] }) },
    { method: 'GET', pattern: /^\/count$/, anyOfScopes: ['s'], name: 'count.get', handle: () => ({ status: 200, body: { count: state.count } }) },
  ];
  server = createServer(createApiListener({ routes, errors, authenticate: async () => new Set(['s']), calls, afterRoute: createLostAnswerPlan(shapes, options) }));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/count`;
  const call = (method: string) => fetch(url, { method, headers: { authorization: 'Bearer t' } });
  return { state, calls, call };
}

describe('a lost answer', () => {
  test('(unavailable) answers the provider’s 5xx after the change was applied, and the log keeps the change', async () => {
    const api = await counterApi({ lostAnswerRate: 1, lostAnswerAs: 'unavailable' });
    const response = await api.call('POST');
    expect([response.status, await response.json()]).toEqual([503, { error: 'unavailable' }]);
    expect(api.state.count).toBe(1);
    expect(api.calls).toEqual([expect.objectContaining({ name: 'count.add', status: 200, effects: ['count.add:1'], lostAnswer: 'unavailable' })]);
  });

  test('(dropped) closes the connection unanswered after the change was applied, and the log keeps the change', async () => {
    const api = await counterApi({ lostAnswerRate: 1, lostAnswerAs: 'dropped' });
    await expect(api.call('POST')).rejects.toThrow(TypeError);
    expect(api.state.count).toBe(1);
    expect(api.calls).toEqual([expect.objectContaining({ name: 'count.add', status: 200, effects: ['count.add:1'], lostAnswer: 'dropped' })]);
  });

  test('never befalls a call that changed nothing: reads are answered', async () => {
    const api = await counterApi({ lostAnswerRate: 1, lostAnswerAs: 'dropped' });
    const response = await api.call('GET');
    expect([response.status, await response.json()]).toEqual([200, { count: 0 }]);
    expect(api.calls[0]!.lostAnswer).toBeUndefined();
  });
});
