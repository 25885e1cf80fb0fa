import { describe, expect, test } from 'vitest';
import { RequestScheduler } from '../../../../src-main/net/request-scheduler';
import { maxGraphBatchRequests, runGraphBatch, type GraphBatchRequest } from '../../../../src-main/providers/microsoft/graph-batch';
import { classifyGraphFailure, describeGraphFailure } from '../../../../src-main/providers/microsoft/graph-failure';
import type { GraphEndpoint } from '../../../../src-main/providers/microsoft/graph-request';

interface SentItem {
  id: string;
  method: string;
  url: string;
}
interface AnswerItem {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A fake Graph $batch endpoint: `answer` decides each batch's responses; every batch sent is recorded. */
function fakeGraph(answer: (items: SentItem[], batchNumber: number) => AnswerItem[] | Response, scheduler = new RequestScheduler({ quotaPerMinute: 10_000, classify: classifyGraphFailure, random: () => 0 })) {
  const batches: SentItem[][] = [];
  const seen: { url: string; authorization: string | null }[] = [];
  const endpoint: GraphEndpoint = {
    baseUrl: 'https://graph.example/v1.0',
    accessToken: async () => 'test-token',
    scheduler,
    fetch: async (input, init) => {
      const items = (JSON.parse(String(init?.body)) as { requests: SentItem[] }).requests;
      batches.push(items);
      seen.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
      const answered = answer(items, batches.length);
      return answered instanceof Response ? answered : Response.json({ responses: answered });
    },
  };
  return { endpoint, batches, seen, scheduler };
}

const requests = (count: number): GraphBatchRequest[] => Array.from({ length: count }, (_, index) => ({ method: 'GET', url: `/servicePrincipals/sp-${index}/appRoleAssignments` }));
const ok = (item: SentItem): AnswerItem => ({ id: item.id, status: 200, body: { value: [{ url: item.url }] } });

describe('Graph JSON batching', () => {
  test('splits 45 requests into batches of at most 20, posted to $batch with the token', async () => {
    const { endpoint, batches, seen } = fakeGraph((items) => items.map(ok));
    const results = await runGraphBatch(endpoint, requests(45));
    expect(batches.map((batch) => batch.length)).toEqual([maxGraphBatchRequests, 20, 5]);
    expect(seen.every((call) => call.url === 'https://graph.example/v1.0/$batch' && call.authorization === 'Bearer test-token')).toBe(true);
    expect(new Set(batches.flat().map((item) => item.id)).size).toBe(45);
    expect(results).toHaveLength(45);
  });

  test('matches answers to requests by id, whatever order Graph answers in', async () => {
    const { endpoint } = fakeGraph((items) => items.map(ok).reverse());
    const results = await runGraphBatch(endpoint, requests(7));
    expect(results.map((result) => (result.ok ? (result.body as { value: { url: string }[] }).value[0]!.url : null))).toEqual(requests(7).map((request) => request.url));
  });

  test('sends an item answered 429 again after its Retry-After, alone, and loses nothing', async () => {
    const { endpoint, batches, scheduler } = fakeGraph((items, batchNumber) =>
      items.map((item) => (batchNumber === 1 && (item.id === '2' || item.id === '5') ? { id: item.id, status: 429, headers: { 'Retry-After': '0' }, body: { error: { code: 'TooManyRequests' } } } : ok(item))),
    );
    const results = await runGraphBatch(endpoint, requests(6));
    expect(batches.map((batch) => batch.map((item) => item.id))).toEqual([['0', '1', '2', '3', '4', '5'], ['2', '5']]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(scheduler.stats().rateLimited).toBe(1);
  });

  test('retries an item failing transiently (503) but not one refused (404)', async () => {
    const { endpoint, batches } = fakeGraph((items, batchNumber) =>
      items.map((item) => {
        if (item.id === '0') return { id: item.id, status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'Resource sp-0 does not exist.' } } };
        if (item.id === '1' && batchNumber === 1) return { id: item.id, status: 503, headers: { 'Retry-After': '0' } };
        return ok(item);
      }),
    );
    const results = await runGraphBatch(endpoint, requests(3));
    expect(batches.map((batch) => batch.map((item) => item.id))).toEqual([['0', '1', '2'], ['1']]);
    expect(results[0]).toMatchObject({ ok: false });
    expect(!results[0]!.ok && describeGraphFailure(results[0]!.error)).toBe('Microsoft Graph answered 404 (Request_ResourceNotFound).');
    expect(results[1]!.ok && results[2]!.ok).toBe(true);
  });

  test('an item throttled beyond the scheduler’s patience comes back as its 429, not dropped', async () => {
    const scheduler = new RequestScheduler({ quotaPerMinute: 10_000, classify: classifyGraphFailure, random: () => 0, maxRateLimitRetries: 2 });
    const { endpoint, batches } = fakeGraph((items) => items.map((item) => (item.id === '1' ? { id: item.id, status: 429, headers: { 'Retry-After': '0' } } : ok(item))), scheduler);
    const results = await runGraphBatch(endpoint, requests(2));
    expect(batches).toHaveLength(3);
    expect(results[0]!.ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false, error: { status: 429 } });
  });

  test('a batch Graph refuses as a whole gives each of its requests that failure', async () => {
    const { endpoint } = fakeGraph(() => Response.json({ error: { code: 'BadRequest', message: 'Invalid batch payload format.' } }, { status: 400 }));
    const results = await runGraphBatch(endpoint, requests(3));
    expect(results.map((result) => !result.ok && describeGraphFailure(result.error))).toEqual(Array(3).fill('Microsoft Graph answered 400 (BadRequest).'));
  });

  test('an item missing from the answer is asked for again', async () => {
    const { endpoint, batches } = fakeGraph((items, batchNumber) => items.filter((item) => batchNumber > 1 || item.id !== '1').map(ok));
    const results = await runGraphBatch(endpoint, requests(3));
    expect(batches.map((batch) => batch.map((item) => item.id))).toEqual([['0', '1', '2'], ['1']]);
    expect(results.every((result) => result.ok)).toBe(true);
  });

  test('reports progress as each batch settles', async () => {
    const { endpoint } = fakeGraph((items) => items.map(ok));
    const settled: number[] = [];
    await runGraphBatch(endpoint, requests(41), (count) => settled.push(count));
    expect(settled).toEqual([20, 40, 41]);
  });
});
