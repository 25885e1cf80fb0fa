/**
 * The simulated Okta and Zendesk API-token endpoints, called over HTTP with plain fetch. Each
 * access token names its scopes (`Bearer okta.apiTokens.read,…`), so a test says exactly what the
 * caller holds.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSampleSaas, type SampleSaas } from '../../../../src-main/sample/sample-saas';
import { buildSampleTenant } from '../../../../src-main/sample/sample-tenant';
import { createApiListener, type ApiErrorShapes, type ApiRoute } from '../../../../src-main/sample/simulator/api-router';
import { oktaErrors, oktaRoutes, zendeskErrors, zendeskRoutes } from '../../../../src-main/sample/simulator/saas-api';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const day = 86_400_000;
const servers: Server[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function serve(routes: (origin: string) => ApiRoute[], errors: ApiErrorShapes): Promise<string> {
  let handler: ReturnType<typeof createApiListener> = () => undefined;
  const server = createServer((request, response) => handler(request, response));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = createApiListener({ routes: routes(origin), errors, authenticate: async (token) => new Set(token.split(',')), calls: [] });
  return origin;
}

async function call(url: string, scopes: string, method = 'GET'): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${scopes}` } });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
}

const ageInDays = (iso: string) => (referenceTime.getTime() - Date.parse(iso)) / day;

function freshSaas(): SampleSaas {
  return buildSampleSaas(buildSampleTenant({ seed: 5, users: 40, referenceTime }), 5);
}

describe('Okta API tokens', () => {
  let saas: SampleSaas;
  let origin: string;
  const read = 'okta.apiTokens.read';
  const manage = 'okta.apiTokens.manage';
  type TokenRecord = { id: string; name: string; userId: string; expiresAt: string; network: { connection: string } };

  beforeAll(async () => {
    saas = freshSaas();
    origin = await serve((url) => oktaRoutes(saas, { orgUrl: url }), oktaErrors);
  });

  test('are seeded one older than 90 days, one fresh and one expiring within days, all owned by an active admin', () => {
    const tokens = saas.okta.apiTokens;
    expect(tokens).toHaveLength(3);
    expect(tokens.some((token) => ageInDays(token.created) > 90)).toBe(true);
    expect(tokens.some((token) => ageInDays(token.created) < 30)).toBe(true);
    expect(tokens.some((token) => -ageInDays(token.expiresAt) > 0 && -ageInDays(token.expiresAt) < 7)).toBe(true);
    const owners = new Set(tokens.map((token) => token.userId));
    for (const owner of owners) expect(saas.okta.users.find((user) => user.id === owner)?.status).toBe('ACTIVE');
  });

  test('lists every token in ApiToken’s shape, a page at a time with Link headers', async () => {
    const seen: TokenRecord[] = [];
    let url: string | null = `${origin}/api/v1/api-tokens?limit=1`;
    let pages = 0;
    while (url) {
      const answer = await call(url, read);
      expect(answer.status).toBe(200);
      seen.push(...(answer.body as TokenRecord[]));
      pages += 1;
      url = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(pages).toBe(3);
    expect(seen.map((token) => token.id).sort()).toEqual(saas.okta.apiTokens.map((token) => token.id).sort());
    expect(seen[0]).toEqual({
      id: expect.stringMatching(/^00T\w{17}$/),
      name: expect.any(String),
      userId: expect.stringMatching(/^00u/),
      clientName: 'Okta API',
      created: expect.any(String),
      lastUpdated: expect.any(String),
      expiresAt: expect.any(String),
      tokenWindow: 'P30D',
      network: expect.objectContaining({ connection: expect.stringMatching(/^(ANYWHERE|ZONE)$/) }),
      _link: { self: { href: `${origin}/api/v1/api-tokens/${seen[0]!.id}`, hints: { allow: ['GET', 'DELETE', 'PUT'] } } },
    });
    expect(seen.some((token) => token.network.connection === 'ZONE')).toBe(true);
  });

  test('gets one token by id, and answers an unknown id with 404 E0000007', async () => {
    const token = saas.okta.apiTokens[0]!;
    expect(await call(`${origin}/api/v1/api-tokens/${token.id}`, read)).toMatchObject({ status: 200, body: { id: token.id, name: token.name } });
    expect(await call(`${origin}/api/v1/api-tokens/00Tnothere`, read)).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });
  });

  test('refuses a caller without okta.apiTokens.read with 403 E0000006', async () => {
    expect(await call(`${origin}/api/v1/api-tokens`, 'okta.users.read')).toMatchObject({ status: 403, body: { errorCode: 'E0000006' } });
  });

  test('revokes a token only with okta.apiTokens.manage; after that it is gone (404) and no longer listed', async () => {
    const token = saas.okta.apiTokens[1]!;
    const url = `${origin}/api/v1/api-tokens/${token.id}`;
    expect(await call(url, read, 'DELETE')).toMatchObject({ status: 403, body: { errorCode: 'E0000006' } });
    expect((await call(url, manage, 'DELETE')).status).toBe(204);
    expect((await call(url, manage, 'DELETE')).status).toBe(404);
    expect((await call(url, read)).status).toBe(404);
    expect(((await call(`${origin}/api/v1/api-tokens`, read)).body as TokenRecord[]).map((listed) => listed.id)).not.toContain(token.id);
  });

  test('does not let an OAuth access token revoke "the current API token"', async () => {
    const before = saas.okta.apiTokens.length;
    expect(await call(`${origin}/api/v1/api-tokens/current`, manage, 'DELETE')).toMatchObject({ status: 403, body: { errorCode: 'E0000006' } });
    expect(saas.okta.apiTokens).toHaveLength(before);
  });
});

describe('Zendesk API tokens', () => {
  let saas: SampleSaas;
  let origin: string;
  type TokenRecord = { id: number; description: string; active: boolean; created_at: string; last_used: string | null; visible_token: string };

  beforeAll(async () => {
    saas = freshSaas();
    const agent = saas.zendesk.users.find((user) => user.role === 'agent')!;
    origin = await serve((url) => zendeskRoutes(saas, { baseUrl: url, callerEmail: (token) => (token.includes('as-agent') ? agent.email : undefined) }), zendeskErrors);
  });

  test('are seeded an old one and a fresh one, created by an admin', () => {
    const tokens = saas.zendesk.apiTokens;
    expect(tokens.map((token) => Math.round(ageInDays(token.created_at)) > 90)).toEqual([true, false]);
    for (const token of tokens) expect(saas.zendesk.users.find((user) => user.id === token.user_id)?.role).toBe('admin');
  });

  test('an admin lists them in one unpaginated api_tokens array, with the truncated token only', async () => {
    const answer = await call(`${origin}/api/v2/api_tokens.json`, 'read');
    expect(answer.status).toBe(200);
    const body = answer.body as { api_tokens: TokenRecord[] } & Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['api_tokens']);
    expect(body.api_tokens.map((token) => token.id)).toEqual(saas.zendesk.apiTokens.map((token) => token.id));
    expect(body.api_tokens[0]).toEqual({
      id: expect.any(Number),
      user_id: expect.any(Number),
      description: 'Legacy ticket export',
      active: true,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: expect.any(String),
      last_used: expect.any(String),
      visible_token: expect.stringMatching(/^\w{4}$/),
    });
  });

  test('refuses an agent, and a token without the read scope, with 403 Forbidden', async () => {
    expect(await call(`${origin}/api/v2/api_tokens.json`, 'read,as-agent')).toMatchObject({ status: 403, body: { error: 'Forbidden' } });
    expect(await call(`${origin}/api/v2/api_tokens.json`, 'users:read')).toMatchObject({ status: 403, body: { error: 'Forbidden' } });
  });

  test('has no call to create or delete one, as the reference documents none: both are an unknown endpoint', async () => {
    const id = saas.zendesk.apiTokens[0]!.id;
    expect(await call(`${origin}/api/v2/api_tokens.json`, 'read,write', 'POST')).toMatchObject({ status: 404, body: { error: 'InvalidEndpoint' } });
    expect(await call(`${origin}/api/v2/api_tokens/${id}.json`, 'read,write', 'DELETE')).toMatchObject({ status: 404, body: { error: 'InvalidEndpoint' } });
    expect(saas.zendesk.apiTokens.map((token) => token.id)).toContain(id);
  });
});
