/**
 * The simulated Salesforce, Zendesk and Okta admin APIs, called over HTTP with plain fetch the way
 * Consentry calls the real ones (there is no official client library for these here).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSampleSaas, salesforceCaseSafeSuffix, type SampleSaas } from '../../../../src-main/sample/sample-saas';
import { buildSampleTenant, type SampleTenant } from '../../../../src-main/sample/sample-tenant';
import { createApiListener, type ApiErrorShapes, type ApiRoute, type ApiServerOptions } from '../../../../src-main/sample/simulator/api-router';
import { createFaultPlan } from '../../../../src-main/sample/simulator/fault-plan';
import {
  createOktaFaults,
  oktaErrors,
  oktaRoutes,
  salesforceErrors,
  salesforceFaults,
  salesforceRoutes,
  zendeskErrors,
  zendeskFaults,
  zendeskRoutes,
} from '../../../../src-main/sample/simulator/saas-api';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const day = 86_400_000;
let tenant: SampleTenant;
const servers: Server[] = [];

beforeAll(() => {
  // Big enough for more than 2,000 Salesforce OauthToken rows (one query batch).
  tenant = buildSampleTenant({ seed: 21, users: 1500, referenceTime });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** One simulated host on 127.0.0.1:0; the routes get its origin (for absolute links). */
async function serve(options: { routes(origin: string): ApiRoute[]; errors: ApiErrorShapes; tokens: Record<string, string[]>; beforeRoute?: ApiServerOptions['beforeRoute'] }): Promise<string> {
  let handler: ReturnType<typeof createApiListener> = () => undefined;
  const server = createServer((request, response) => handler(request, response));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = createApiListener({
    routes: options.routes(origin),
    errors: options.errors,
    authenticate: async (token) => (options.tokens[token] ? new Set(options.tokens[token]) : null),
    calls: [],
    ...(options.beforeRoute ? { beforeRoute: options.beforeRoute } : {}),
  });
  return origin;
}

async function call(origin: string, path: string, token: string | null, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(path.startsWith('http') ? path : `${origin}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
}

describe('sample SaaS data', () => {
  test('is the same for the same seed and different for another seed', () => {
    const again = buildSampleTenant({ seed: 21, users: 1500, referenceTime });
    expect(buildSampleSaas(again, 7)).toEqual(buildSampleSaas(tenant, 7));
    const other = buildSampleSaas(tenant, 8);
    expect(other.salesforce.oauthTokens.map((token) => token.DeleteToken)).not.toEqual(buildSampleSaas(tenant, 7).salesforce.oauthTokens.map((token) => token.DeleteToken));
  });

  test('holds the tenant’s own people, departed ones included in every service', () => {
    const saas = buildSampleSaas(tenant, 7);
    const emails = new Set(tenant.users.map((user) => user.primaryEmail));
    for (const email of [...saas.salesforce.users.map((user) => user.Email), ...saas.zendesk.users.map((user) => user.email), ...saas.okta.users.map((user) => user.profile.login)]) {
      expect(emails.has(email)).toBe(true);
    }
    const departed = tenant.users.filter((user) => user.departed).map((user) => user.primaryEmail);
    expect(departed.length).toBeGreaterThan(0);
    for (const email of departed) {
      expect(saas.salesforce.users.some((user) => user.Email === email)).toBe(true);
      expect(saas.zendesk.users.some((user) => user.email === email)).toBe(true);
      const oktaUser = saas.okta.users.find((user) => user.profile.login === email)!;
      expect(oktaUser.status).toBe('ACTIVE');
      expect(saas.okta.activeSessionUserIds).toContain(oktaUser.id);
    }
    expect(saas.okta.users).toHaveLength(tenant.users.length);
    expect(new Set(saas.okta.users.map((user) => user.status))).toEqual(new Set(['ACTIVE', 'SUSPENDED', 'DEPROVISIONED']));
    expect(new Set(saas.zendesk.users.map((user) => user.role))).toEqual(new Set(['admin', 'agent', 'end-user']));
  });

  test('has ids in each vendor’s format, unique DeleteTokens and grants unused for more than 90 days', () => {
    const saas = buildSampleSaas(tenant, 7);
    const sfId = (prefix: string) => new RegExp(`^${prefix}[0-9A-Za-z]{12}[A-Z0-5]{3}$`);
    for (const user of saas.salesforce.users) {
      expect(user.Id).toMatch(sfId('005'));
      expect(user.Id.slice(15)).toBe(salesforceCaseSafeSuffix(user.Id.slice(0, 15)));
    }
    for (const token of saas.salesforce.oauthTokens) {
      expect(token.key).toMatch(sfId('0CQ'));
      expect(token.AppMenuItemId).toMatch(sfId('0Pp'));
      expect(Date.parse(token.CreatedDate)).toBeLessThanOrEqual(Date.parse(token.LastUsedDate));
    }
    expect(new Set(saas.salesforce.oauthTokens.map((token) => token.DeleteToken)).size).toBe(saas.salesforce.oauthTokens.length);
    const stale = (iso: string | null) => iso !== null && Date.parse(iso) < referenceTime.getTime() - 90 * day;
    expect(saas.salesforce.oauthTokens.some((token) => stale(token.LastUsedDate))).toBe(true);
    expect(saas.salesforce.oauthTokens.some((token) => !stale(token.LastUsedDate))).toBe(true);
    expect(saas.zendesk.oauthTokens.some((token) => stale(token.used_at))).toBe(true);
    for (const token of saas.zendesk.oauthTokens) {
      expect(Number.isSafeInteger(token.id) && Number.isSafeInteger(token.client_id) && Number.isSafeInteger(token.user_id)).toBe(true);
      expect(token.token).toMatch(/^[0-9a-f]{10}$/);
      expect(token.expires_at).toBeNull();
    }
    for (const user of saas.okta.users) expect(user.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    for (const grant of saas.okta.grants) {
      expect(grant.id).toMatch(/^oag[0-9A-Za-z]{17}$/);
      expect(grant.clientId).toMatch(/^0oa[0-9A-Za-z]{17}$/);
      expect(grant.scopeId).toMatch(/^scp[0-9A-Za-z]{17}$/);
    }
    expect(new Set(saas.okta.grants.map((grant) => grant.source))).toEqual(new Set(['ADMIN', 'END_USER']));
  });
});

describe('Salesforce', () => {
  let saas: SampleSaas;
  let origin: string;
  const tokens = { 'sf-admin': ['api', 'refresh_token'], 'sf-user': ['api'], 'sf-no-api': ['refresh_token'] };
  let plainUserEmail: string;
  const query = (soql: string, token: string | null = 'sf-admin', headers: Record<string, string> = {}) =>
    call(origin, `/services/data/v60.0/query?q=${encodeURIComponent(soql)}`, token, { headers });
  type QueryResult = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Record<string, unknown>[] };
  const errorOf = (body: unknown) => (body as { message: string; errorCode: string }[])[0]!;

  beforeAll(async () => {
    saas = buildSampleSaas(tenant, 7);
    plainUserEmail = saas.salesforce.users.find((user) => !user.customizeApplication && saas.salesforce.oauthTokens.filter((token) => token.UserId === user.Id).length >= 2)!.Email;
    origin = await serve({
      routes: (url) => salesforceRoutes(saas, { instanceUrl: url, callerEmail: (token) => (token === 'sf-user' ? plainUserEmail : undefined), clock: () => referenceTime }),
      errors: salesforceErrors,
      tokens,
    });
  });

  test('pages every OauthToken through nextRecordsUrl in batches of 2,000', async () => {
    const total = saas.salesforce.oauthTokens.length;
    expect(total).toBeGreaterThan(2_000);
    const first = await query('SELECT AppName, UserId, LastUsedDate, UseCount, DeleteToken FROM OauthToken');
    expect(first.status).toBe(200);
    const page = first.body as QueryResult;
    expect(page.totalSize).toBe(total);
    expect(page.done).toBe(false);
    expect(page.records).toHaveLength(2_000);
    expect(page.nextRecordsUrl).toMatch(/^\/services\/data\/v60\.0\/query\/01g[0-9A-Za-z]{15}-2000$/);
    const record = page.records[0]!;
    expect(Object.keys(record)).toEqual(['attributes', 'AppName', 'UserId', 'LastUsedDate', 'UseCount', 'DeleteToken']);
    expect(record.attributes).toEqual({ type: 'OauthToken', url: expect.stringMatching(/^\/services\/data\/v60\.0\/sobjects\/OauthToken\/0CQ[0-9A-Za-z]{15}$/) });
    expect(record.LastUsedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);

    const deleteTokens = page.records.map((row) => row.DeleteToken);
    let next = page.nextRecordsUrl;
    let pages = 1;
    while (next) {
      const more = (await call(origin, next, 'sf-admin')).body as QueryResult;
      expect(more.totalSize).toBe(total);
      deleteTokens.push(...more.records.map((row) => row.DeleteToken));
      next = more.done ? undefined : more.nextRecordsUrl;
      pages += 1;
    }
    expect(pages).toBe(Math.ceil(total / 2_000));
    expect(deleteTokens).toHaveLength(total);
    expect(new Set(deleteTokens)).toEqual(new Set(saas.salesforce.oauthTokens.map((token) => token.DeleteToken)));
  });

  test('honours a smaller batch asked for with Sforce-Query-Options', async () => {
    const page = (await query('SELECT DeleteToken FROM OauthToken', 'sf-admin', { 'sforce-query-options': 'batchSize=500' })).body as QueryResult;
    expect(page.records).toHaveLength(500);
    expect(page.nextRecordsUrl).toMatch(/-500$/);
  });

  test("filters a user's tokens with WHERE UserId = '…', by 18- or 15-character id, and answers Id as null", async () => {
    const user = saas.salesforce.users.find((candidate) => saas.salesforce.oauthTokens.filter((token) => token.UserId === candidate.Id).length >= 2)!;
    const expected = saas.salesforce.oauthTokens.filter((token) => token.UserId === user.Id);
    for (const id of [user.Id, user.Id.slice(0, 15)]) {
      const result = (await query(`SELECT Id, AppName, DeleteToken, UserId FROM OauthToken WHERE UserId = '${id}'`)).body as QueryResult;
      expect(result).toMatchObject({ totalSize: expected.length, done: true });
      expect(result.records.map((row) => row.DeleteToken).sort()).toEqual(expected.map((token) => token.DeleteToken).sort());
      for (const row of result.records) {
        expect(row.Id).toBeNull();
        expect(row.UserId).toBe(user.Id);
      }
    }
    const app = expected[0]!.AppName;
    const both = (await query(`select AppName from oauthtoken where UserId = '${user.Id}' and AppName = '${app.toUpperCase()}'`)).body as QueryResult;
    expect(both.totalSize).toBe(expected.filter((token) => token.AppName === app).length);
    expect(both.records.every((row) => row.AppName === app)).toBe(true);
  });

  test('orders, limits, compares dates and follows the User relationship', async () => {
    const cutoff = new Date(referenceTime.getTime() - 90 * day).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const result = (await query(`SELECT AppName, LastUsedDate, UseCount, User.Email, User.IsActive FROM OauthToken WHERE LastUsedDate < ${cutoff} ORDER BY LastUsedDate ASC LIMIT 5`)).body as QueryResult;
    expect(result.totalSize).toBe(5);
    const dates = result.records.map((row) => Date.parse(String(row.LastUsedDate).replace('+0000', 'Z')));
    expect([...dates].sort((a, b) => a - b)).toEqual(dates);
    const oldest = Math.min(...saas.salesforce.oauthTokens.map((token) => Date.parse(token.LastUsedDate)));
    expect(dates[0]).toBe(oldest);
    for (const row of result.records) {
      expect(Date.parse(String(row.LastUsedDate).replace('+0000', 'Z'))).toBeLessThan(Date.parse(cutoff));
      const related = row.User as Record<string, unknown>;
      expect(related.attributes).toEqual({ type: 'User', url: expect.stringMatching(/^\/services\/data\/v60\.0\/sobjects\/User\/005/) });
      expect(tenant.users.some((user) => user.primaryEmail === related.Email)).toBe(true);
      expect(typeof related.IsActive).toBe('boolean');
    }
    const count = (await query(`SELECT COUNT() FROM OauthToken WHERE LastUsedDate < ${cutoff}`)).body as QueryResult;
    expect(count).toEqual({ totalSize: saas.salesforce.oauthTokens.filter((token) => Date.parse(token.LastUsedDate) < Date.parse(cutoff)).length, done: true, records: [] });
  });

  test('queries User rows', async () => {
    const result = (await query('SELECT Id, Username, Email, IsActive FROM User WHERE IsActive = false')).body as QueryResult;
    expect(result.totalSize).toBe(saas.salesforce.users.filter((user) => !user.IsActive).length);
    expect(result.records[0]!.attributes).toEqual({ type: 'User', url: `/services/data/v60.0/sobjects/User/${String(result.records[0]!.Id)}` });
  });

  test('shows a user without Customize Application only their own tokens', async () => {
    const own = saas.salesforce.users.find((user) => user.Email === plainUserEmail)!;
    const result = (await query('SELECT UserId FROM OauthToken', 'sf-user')).body as QueryResult;
    expect(result.totalSize).toBe(saas.salesforce.oauthTokens.filter((token) => token.UserId === own.Id).length);
    expect(result.records.every((row) => row.UserId === own.Id)).toBe(true);
  });

  test('revoking with a DeleteToken removes exactly that token', async () => {
    const before = saas.salesforce.oauthTokens.map((token) => token.DeleteToken);
    const target = saas.salesforce.oauthTokens[17]!;
    const revoked = await call(origin, '/services/oauth2/revoke', 'sf-admin', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: target.DeleteToken }).toString(),
    });
    expect(revoked.status).toBe(200);
    expect(saas.salesforce.oauthTokens.map((token) => token.DeleteToken)).toEqual(before.filter((token) => token !== target.DeleteToken));
    expect(saas.salesforce.revocations).toEqual([{ deleteToken: target.DeleteToken, appName: target.AppName, userId: target.UserId, at: referenceTime.toISOString() }]);
    const gone = (await query(`SELECT AppName FROM OauthToken WHERE DeleteToken = '${target.DeleteToken}'`)).body as QueryResult;
    expect(gone.totalSize).toBe(0);
    const total = (await query('SELECT COUNT() FROM OauthToken')).body as QueryResult;
    expect(total.totalSize).toBe(before.length - 1);

    const again = await call(origin, '/services/oauth2/revoke', 'sf-admin', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(target.DeleteToken)}` });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_token' } });
  });

  test('answers SOQL outside the supported subset with MALFORMED_QUERY', async () => {
    for (const soql of [
      'SELECT FROM OauthToken',
      "SELECT AppName FROM OauthToken WHERE AppName = 'a' OR AppName = 'b'",
      "SELECT AppName FROM OauthToken WHERE AppName LIKE 'Sales%'",
      'SELECT AppName FROM OauthToken GROUP BY AppName',
      'SELECT AppName FROM OauthToken LIMIT',
      'SELECT AppName FROM OauthToken LIMIT 10 OFFSET 5',
      "SELECT AppName FROM OauthToken WHERE AppName = 'unterminated",
      'SELECT AppName, AppName FROM OauthToken',
      'DELETE FROM OauthToken',
    ]) {
      const answer = await query(soql);
      expect(answer.status, soql).toBe(400);
      expect(Array.isArray(answer.body)).toBe(true);
      expect(errorOf(answer.body).errorCode, soql).toBe('MALFORMED_QUERY');
      expect(errorOf(answer.body).message, soql).toMatch(/ERROR at Row:1:Column:\d+/);
    }
    expect(errorOf((await call(origin, '/services/data/v60.0/query', 'sf-admin')).body)).toEqual({ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' });
  });

  test('names unknown fields, objects and mistyped filters the way Salesforce does', async () => {
    const field = errorOf((await query('SELECT Nope FROM OauthToken')).body);
    expect(field.errorCode).toBe('INVALID_FIELD');
    expect(field.message).toContain("No such column 'Nope' on entity 'OauthToken'");
    const object = errorOf((await query('SELECT Id FROM Account')).body);
    expect(object.errorCode).toBe('INVALID_TYPE');
    expect(object.message).toContain("sObject type 'Account' is not supported");
    expect(errorOf((await query('SELECT AppName FROM OauthToken WHERE UserId = 5')).body).errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(errorOf((await query("SELECT AppName FROM OauthToken WHERE UserId = 'abc'")).body).message).toContain('invalid ID field: abc');
    expect(errorOf((await query("SELECT AppName FROM OauthToken WHERE LastUsedDate < '2026-01-01'")).body).errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
  });

  test('rejects an unknown query locator', async () => {
    const answer = await call(origin, '/services/data/v60.0/query/01g8d0000ZZZZZZAAA-2000', 'sf-admin');
    expect(answer).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_QUERY_LOCATOR' }] });
  });

  test('answers a bad token and a token without the api scope with INVALID_SESSION_ID', async () => {
    expect(await query('SELECT AppName FROM OauthToken', 'expired')).toMatchObject({ status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] });
    expect(await query('SELECT AppName FROM OauthToken', 'sf-no-api')).toMatchObject({ status: 401, body: [{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' }] });
    expect(await call(origin, '/services/data/v60.0/sobjects/Nope', 'sf-admin')).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
  });

  test('over the API limit answers 403 REQUEST_LIMIT_EXCEEDED', async () => {
    const limited = await serve({
      routes: () => salesforceRoutes(buildSampleSaas(tenant, 7)),
      errors: salesforceErrors,
      tokens,
      beforeRoute: createFaultPlan(salesforceFaults, { quotaPerMinute: 1 }),
    });
    expect((await call(limited, `/services/data/v60.0/query?q=${encodeURIComponent('SELECT COUNT() FROM User')}`, 'sf-admin')).status).toBe(200);
    expect(await call(limited, `/services/data/v60.0/query?q=${encodeURIComponent('SELECT COUNT() FROM User')}`, 'sf-admin')).toMatchObject({
      status: 403,
      body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    });
  });
});

describe('Zendesk', () => {
  let saas: SampleSaas;
  let origin: string;
  let agentEmail: string;
  const tokens = { 'zd-admin': ['read', 'write', 'users:read'], 'zd-reader': ['read'], 'zd-agent': ['read', 'write'], 'zd-users': ['users:read'] };
  type TokenPage = { tokens: { id: number; token: string; url: string; user_id: number }[]; meta: { has_more: boolean; after_cursor: string | null }; links: { next: string | null; prev: string | null } };

  beforeAll(async () => {
    saas = buildSampleSaas(tenant, 7);
    const agent = saas.zendesk.users.find((user) => user.role === 'agent' && saas.zendesk.oauthTokens.some((token) => token.user_id === user.id))!;
    agentEmail = agent.email;
    origin = await serve({
      routes: (url) => zendeskRoutes(saas, { baseUrl: url, callerEmail: (token) => (token === 'zd-agent' ? agentEmail : undefined) }),
      errors: zendeskErrors,
      tokens,
    });
  });

  test('an admin lists every token with all=true across cursor pages, each token shown by its first 10 characters', async () => {
    const ids: number[] = [];
    let url: string | null = '/api/v2/oauth/tokens.json?all=true&page[size]=100';
    let pages = 0;
    while (url) {
      const answer = await call(origin, url, 'zd-admin');
      expect(answer.status).toBe(200);
      const page = answer.body as TokenPage;
      expect(page.tokens.length).toBeLessThanOrEqual(100);
      for (const token of page.tokens) {
        expect(token.token).toMatch(/^[0-9a-f]{10}$/);
        expect(token.url).toBe(`${origin}/api/v2/oauth/tokens/${token.id}.json`);
      }
      ids.push(...page.tokens.map((token) => token.id));
      pages += 1;
      if (page.meta.has_more) expect(page.links.next).toContain('all=true');
      else expect(page.links.next).toBeNull();
      url = page.meta.has_more ? page.links.next : null;
    }
    expect(pages).toBe(Math.ceil(saas.zendesk.oauthTokens.length / 100));
    expect(new Set(ids)).toEqual(new Set(saas.zendesk.oauthTokens.map((token) => token.id)));
    expect(ids).toHaveLength(saas.zendesk.oauthTokens.length);
  });

  test('also pages with offset pagination (per_page, next_page, count)', async () => {
    const first = (await call(origin, '/api/v2/oauth/tokens?all=true&per_page=50', 'zd-admin')).body as { tokens: unknown[]; next_page: string | null; previous_page: string | null; count: number };
    expect(first.count).toBe(saas.zendesk.oauthTokens.length);
    expect(first.tokens).toHaveLength(50);
    expect(first.previous_page).toBeNull();
    expect(first.next_page).toBe(`${origin}/api/v2/oauth/tokens.json?all=true&per_page=50&page=2`);
    const second = (await call(origin, first.next_page!, 'zd-admin')).body as { previous_page: string | null };
    expect(second.previous_page).toBe(`${origin}/api/v2/oauth/tokens.json?all=true&per_page=50&page=1`);
  });

  test("without all=true a caller sees only their own tokens, and only admins may ask for all", async () => {
    const agent = saas.zendesk.users.find((user) => user.email === agentEmail)!;
    const own = (await call(origin, '/api/v2/oauth/tokens', 'zd-agent')).body as { tokens: { user_id: number }[]; count: number };
    expect(own.count).toBe(saas.zendesk.oauthTokens.filter((token) => token.user_id === agent.id).length);
    expect(own.tokens.every((token) => token.user_id === agent.id)).toBe(true);
    expect(await call(origin, '/api/v2/oauth/tokens?all=true', 'zd-agent')).toMatchObject({ status: 403, body: { error: 'Forbidden' } });
  });

  test('shows one token, deletes it with 204, and then answers 404 RecordNotFound', async () => {
    const target = saas.zendesk.oauthTokens[3]!;
    const shown = await call(origin, `/api/v2/oauth/tokens/${target.id}.json`, 'zd-admin');
    expect(shown.status).toBe(200);
    expect((shown.body as { token: Record<string, unknown> }).token).toEqual({
      url: `${origin}/api/v2/oauth/tokens/${target.id}.json`,
      id: target.id,
      user_id: target.user_id,
      client_id: target.client_id,
      token: target.token,
      refresh_token: null,
      scopes: target.scopes,
      created_at: target.created_at,
      used_at: target.used_at,
      expires_at: null,
      refresh_token_expires_at: null,
    });
    const deleted = await call(origin, `/api/v2/oauth/tokens/${target.id}`, 'zd-admin', { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect(saas.zendesk.deletedTokenIds).toEqual([target.id]);
    expect(await call(origin, `/api/v2/oauth/tokens/${target.id}`, 'zd-admin')).toMatchObject({ status: 404, body: { error: 'RecordNotFound', description: 'Not found' } });
    expect((await call(origin, `/api/v2/oauth/tokens/${target.id}`, 'zd-admin', { method: 'DELETE' })).status).toBe(404);
  });

  test('deleting without the write scope answers 403 Forbidden and leaves the token', async () => {
    const target = saas.zendesk.oauthTokens[5]!;
    const answer = await call(origin, `/api/v2/oauth/tokens/${target.id}.json`, 'zd-reader', { method: 'DELETE' });
    expect(answer).toEqual({
      status: 403,
      headers: expect.any(Headers),
      body: { error: 'Forbidden', description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.' },
    });
    expect(saas.zendesk.oauthTokens).toContain(target);
  });

  test("answers a bad token with 401 Couldn't authenticate you", async () => {
    expect(await call(origin, '/api/v2/oauth/tokens', 'revoked')).toMatchObject({ status: 401, body: { error: "Couldn't authenticate you" } });
    expect(await call(origin, '/api/v2/nothing-here', 'zd-admin')).toMatchObject({ status: 404, body: { error: 'InvalidEndpoint' } });
  });

  test('lists users with users:read, filtered by role, across cursor pages', async () => {
    const agents: string[] = [];
    let url: string | null = '/api/v2/users?role=agent&page[size]=25';
    while (url) {
      const page = (await call(origin, url, 'zd-users')).body as { users: { email: string; role: string }[]; meta: { has_more: boolean }; links: { next: string | null } };
      expect(page.users.every((user) => user.role === 'agent')).toBe(true);
      agents.push(...page.users.map((user) => user.email));
      url = page.meta.has_more ? page.links.next : null;
    }
    expect(agents.sort()).toEqual(saas.zendesk.users.filter((user) => user.role === 'agent').map((user) => user.email).sort());
  });

  test('lists the account’s OAuth clients to admins only, with names and companies but no secret', async () => {
    const answer = await call(origin, '/api/v2/oauth/clients?page[size]=100', 'zd-admin');
    expect(answer.status).toBe(200);
    const page = answer.body as { clients: Record<string, unknown>[]; meta: { has_more: boolean } };
    expect(page.meta.has_more).toBe(false);
    expect(page.clients.map((client) => client.id)).toEqual(saas.zendesk.oauthClients.map((client) => client.id));
    expect(page.clients[0]).toMatchObject({ name: saas.zendesk.oauthClients[0]!.name, identifier: saas.zendesk.oauthClients[0]!.identifier, company: saas.zendesk.oauthClients[0]!.company, url: `${origin}/api/v2/oauth/clients/${saas.zendesk.oauthClients[0]!.id}.json` });
    expect(page.clients.every((client) => !('secret' in client))).toBe(true);
    expect((await call(origin, '/api/v2/oauth/clients', 'zd-agent')).status).toBe(403);
  });

  test('shows many users by id at once, leaving unknown ids out, and at most 100', async () => {
    const [first, second] = saas.zendesk.users;
    const answer = await call(origin, `/api/v2/users/show_many.json?ids=${first!.id},${second!.id},1`, 'zd-users');
    expect(answer.status).toBe(200);
    expect((answer.body as { users: { id: number; email: string }[] }).users.map((user) => [user.id, user.email])).toEqual([
      [first!.id, first!.email],
      [second!.id, second!.email],
    ]);
    const tooMany = Array.from({ length: 101 }, (_, index) => index + 1).join(',');
    expect(await call(origin, `/api/v2/users/show_many?ids=${tooMany}`, 'zd-users')).toMatchObject({ status: 400, body: { error: 'InvalidValue' } });
  });

  test('throttles with 429 and Retry-After', async () => {
    const limited = await serve({ routes: () => zendeskRoutes(buildSampleSaas(tenant, 7)), errors: zendeskErrors, tokens, beforeRoute: createFaultPlan(zendeskFaults, { quotaPerMinute: 1 }) });
    expect((await call(limited, '/api/v2/users', 'zd-admin')).status).toBe(200);
    const answer = await call(limited, '/api/v2/users', 'zd-admin');
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('Okta', () => {
  let saas: SampleSaas;
  let origin: string;
  const tokens = { 'okta-admin': ['okta.users.read', 'okta.users.manage'], 'okta-reader': ['okta.users.read'] };
  type OktaUserBody = { id: string; status: string; profile: { login: string }; _links: { self: { href: string } } };
  type GrantBody = { id: string; userId: string; issuer: string; status: string; source: string; scopeId: string; clientId: string; _links: Record<string, { href: string; title?: string }>; _embedded?: { scope: { name: string } } };
  const nextLink = (headers: Headers) => /<([^>]+)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1] ?? null;

  beforeAll(async () => {
    saas = buildSampleSaas(tenant, 7);
    origin = await serve({ routes: (url) => oktaRoutes(saas, { orgUrl: url, clock: () => referenceTime }), errors: oktaErrors, tokens });
  });

  test('pages users through Link rel="next", leaving DEPROVISIONED users out', async () => {
    const ids: string[] = [];
    let url: string | null = '/api/v1/users?limit=200';
    let first = true;
    while (url) {
      const answer = await call(origin, url, 'okta-reader');
      expect(answer.status).toBe(200);
      if (first) expect(answer.headers.get('link')).toContain(`<${origin}/api/v1/users?limit=200>; rel="self"`);
      first = false;
      const users = answer.body as OktaUserBody[];
      expect(users.length).toBeLessThanOrEqual(200);
      for (const user of users) {
        expect(user.status).not.toBe('DEPROVISIONED');
        expect(user._links.self.href).toBe(`${origin}/api/v1/users/${user.id}`);
      }
      ids.push(...users.map((user) => user.id));
      url = nextLink(answer.headers);
      if (url) expect(url).toMatch(/[?&]after=00u[0-9A-Za-z]{17}/);
    }
    const listed = saas.okta.users.filter((user) => user.status !== 'DEPROVISIONED');
    expect(ids).toHaveLength(listed.length);
    expect(new Set(ids)).toEqual(new Set(listed.map((user) => user.id)));
  });

  test('filters users by status and refuses a filter outside the supported subset', async () => {
    const answer = await call(origin, `/api/v1/users?filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`, 'okta-reader');
    expect((answer.body as OktaUserBody[]).map((user) => user.id).sort()).toEqual(saas.okta.users.filter((user) => user.status === 'DEPROVISIONED').map((user) => user.id).sort());
    expect(await call(origin, `/api/v1/users?filter=${encodeURIComponent('lastUpdated gt "2026-01-01T00:00:00.000Z"')}`, 'okta-reader')).toMatchObject({ status: 400, body: { errorCode: 'E0000031' } });
  });

  test("lists a user's grants, revokes one, then all", async () => {
    const userId = saas.okta.users.find((user) => saas.okta.grants.filter((grant) => grant.userId === user.id).length >= 3)!.id;
    const expected = saas.okta.grants.filter((grant) => grant.userId === userId);

    const listed = await call(origin, `/api/v1/users/${userId}/grants?expand=scope&limit=200`, 'okta-reader');
    expect(listed.status).toBe(200);
    const grants = listed.body as GrantBody[];
    expect(grants.map((grant) => grant.id).sort()).toEqual(expected.map((grant) => grant.id).sort());
    const grant = grants[0]!;
    const app = saas.okta.apps.find((candidate) => candidate.id === grant.clientId)!;
    expect(grant).toMatchObject({ status: 'ACTIVE', userId, issuer: `${origin}/oauth2/default`, source: expect.stringMatching(/^(ADMIN|END_USER)$/) });
    expect(grant._links.self!.href).toBe(`${origin}/api/v1/users/${userId}/grants/${grant.id}`);
    expect(grant._links.app).toEqual({ href: `${origin}/api/v1/apps/${app.id}`, title: app.label });
    expect(grant._embedded!.scope.name).toBe(saas.okta.scopes.find((scope) => scope.id === grant.scopeId)!.name);

    const firstPage = await call(origin, `/api/v1/users/${userId}/grants?limit=2`, 'okta-reader');
    expect(firstPage.body).toHaveLength(2);
    const rest = (await call(origin, nextLink(firstPage.headers)!, 'okta-reader')).body as GrantBody[];
    expect(rest).toHaveLength(Math.min(2, expected.length - 2));

    expect((await call(origin, `/api/v1/users/${userId}/grants/${grant.id}`, 'okta-admin', { method: 'DELETE' })).status).toBe(204);
    const after = (await call(origin, `/api/v1/users/${userId}/grants?limit=200`, 'okta-reader')).body as GrantBody[];
    expect(after.map((item) => item.id).sort()).toEqual(expected.filter((item) => item.id !== grant.id).map((item) => item.id).sort());
    expect(await call(origin, `/api/v1/users/${userId}/grants/${grant.id}`, 'okta-reader')).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });

    expect((await call(origin, `/api/v1/users/${userId}/grants`, 'okta-admin', { method: 'DELETE' })).status).toBe(204);
    expect((await call(origin, `/api/v1/users/${userId}/grants`, 'okta-reader')).body).toEqual([]);
    expect(saas.okta.grants.some((item) => item.userId === userId)).toBe(false);
  });

  test('clearing sessions with oauthTokens=true is recorded and ends the session', async () => {
    const userId = saas.okta.activeSessionUserIds[0]!;
    const answer = await call(origin, `/api/v1/users/${userId}/sessions?oauthTokens=true`, 'okta-admin', { method: 'DELETE' });
    expect(answer.status).toBe(204);
    expect(answer.body).toBeUndefined();
    expect(saas.okta.sessionClears).toEqual([{ userId, oauthTokens: true, forgetDevices: true, at: referenceTime.toISOString() }]);
    expect(saas.okta.activeSessionUserIds).not.toContain(userId);
  });

  test('answers with Okta error bodies: 404 E0000007, 401 E0000011, 403 E0000006', async () => {
    const missing = await call(origin, '/api/v1/users/00uDoesNotExist0h71/grants', 'okta-reader');
    expect(missing).toMatchObject({ status: 404, body: { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00uDoesNotExist0h71 (User)', errorLink: 'E0000007', errorCauses: [] } });
    expect((missing.body as { errorId: string }).errorId).toMatch(/^oae/);
    expect(await call(origin, '/api/v1/users', 'expired')).toMatchObject({ status: 401, body: { errorCode: 'E0000011', errorSummary: 'Invalid token provided' } });
    const userId = saas.okta.users.find((user) => user.status === 'ACTIVE')!.id;
    const forbidden = await call(origin, `/api/v1/users/${userId}/sessions`, 'okta-reader', { method: 'DELETE' });
    expect(forbidden).toMatchObject({ status: 403, body: { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' } });
    expect(forbidden.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  test('throttles with 429 E0000047 and X-Rate-Limit headers', async () => {
    const now = Date.parse('2026-11-21T09:00:00Z');
    const limited = await serve({
      routes: (url) => oktaRoutes(buildSampleSaas(tenant, 7), { orgUrl: url }),
      errors: oktaErrors,
      tokens,
      beforeRoute: createFaultPlan(createOktaFaults({ limitPerMinute: 1, clock: () => now }), { quotaPerMinute: 1, clock: () => now }),
    });
    expect((await call(limited, '/api/v1/users?limit=1', 'okta-reader')).status).toBe(200);
    const answer = await call(limited, '/api/v1/users?limit=1', 'okta-reader');
    expect(answer).toMatchObject({ status: 429, body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' } });
    expect(answer.headers.get('x-rate-limit-limit')).toBe('1');
    expect(answer.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(answer.headers.get('x-rate-limit-reset'))).toBe(now / 1_000 + 60);
  });
});
