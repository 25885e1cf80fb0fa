import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiListener } from '../../../src-main/sample/simulator/api-router';
import { oktaErrors, oktaRoutes, seededServiceAppScopes } from '../../../src-main/sample/simulator/saas-api';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { oktaAccessToken, sampleOktaOrgUrl } from './okta-sign-in';

let simulator: TenantSimulator;
const tokens = {} as Record<'audit' | 'consent', string>;

beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 14, users: 30, referenceTime: new Date('2026-11-21T09:00:00Z') });
  tokens.audit = await oktaAccessToken(simulator, []);
  tokens.consent = await oktaAccessToken(simulator, ['consent']);
});
afterAll(() => simulator?.close());

const get = (path: string, token: string) => fetch(`${simulator.saas.okta.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

interface AppRecord {
  id: string;
  label: string;
}

async function listApps(limit: number): Promise<{ apps: AppRecord[]; pages: number }> {
  const apps: AppRecord[] = [];
  let path: string | null = `/api/v1/apps?limit=${limit}`;
  let pages = 0;
  while (path) {
    const response = await get(path, tokens.audit);
    apps.push(...((await response.json()) as AppRecord[]));
    pages += 1;
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    path = next ? new URL(next).pathname + new URL(next).search : null;
  }
  return { apps, pages };
}

describe('the simulated Okta app integrations and their Application Grants', () => {
  test('lists app integrations a page at a time with Link headers', async () => {
    const { apps, pages } = await listApps(2);
    expect(apps.length).toBe(simulator.saasState.okta.apps.length + 1);
    expect(pages).toBe(Math.ceil(apps.length / 2));
    expect(new Set(apps.map((app) => app.id)).size).toBe(apps.length);
    expect(apps.map((app) => app.label)).toContain('Directory Sync Service');
  });

  test('lists the Okta API scopes granted to the service app, in the Application Grants shape', async () => {
    const service = (await listApps(200)).apps.find((app) => app.label === 'Directory Sync Service')!;
    const grants = (await (await get(`/api/v1/apps/${service.id}/grants`, tokens.consent)).json()) as Record<string, unknown>[];
    expect(grants.map((grant) => grant.scopeId).sort()).toEqual([...seededServiceAppScopes].sort());
    expect(grants[0]).toMatchObject({
      id: expect.stringMatching(/^oag\w{17}$/),
      status: 'ACTIVE',
      created: expect.any(String),
      createdBy: { id: expect.stringMatching(/^00u/), type: 'User' },
      lastUpdated: expect.any(String),
      issuer: simulator.saas.okta.apiBaseUrl,
      clientId: service.id,
      source: 'ADMIN',
      _links: { app: { title: 'Directory Sync Service' } },
    });
    const one = (await (await get(`/api/v1/apps/${service.id}/grants/${grants[0]!.id as string}`, tokens.consent)).json()) as { id: string };
    expect(one.id).toBe(grants[0]!.id);
    // A user-consent OIDC app holds no Okta API scope.
    expect(await (await get(`/api/v1/apps/${simulator.saasState.okta.apps[0]!.id}/grants`, tokens.consent)).json()).toEqual([]);
  });

  test('answers a token without okta.appGrants.read with Okta’s 403 E0000006, and an unknown app with 404', async () => {
    const service = (await listApps(200)).apps.find((app) => app.label === 'Directory Sync Service')!;
    const refused = await get(`/api/v1/apps/${service.id}/grants`, tokens.audit);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ errorCode: 'E0000006' });
    expect((await get('/api/v1/apps/0oaunknown/grants', tokens.consent)).status).toBe(404);
    // Revoking needs okta.appGrants.manage, which the consent capability does not ask for.
    const revoke = await fetch(`${simulator.saas.okta.apiBaseUrl}/api/v1/apps/${service.id}/grants/any`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.consent}` } });
    expect(revoke.status).toBe(403);
  });
});

describe('revoking an app grant', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    // A host of its own whose tokens name their scopes, as no preset asks for okta.appGrants.manage.
    server = createServer(createApiListener({ routes: oktaRoutes(simulator.saasState, { orgUrl: sampleOktaOrgUrl }), errors: oktaErrors, authenticate: async (token) => new Set(token.split(',')), calls: [] }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('deletes a grant with okta.appGrants.manage (204), after which it is gone (404)', async () => {
    const call = (path: string, method = 'GET') => fetch(`${baseUrl}${path}`, { method, headers: { authorization: 'Bearer okta.apps.read,okta.appGrants.manage' } });
    const service = ((await (await call('/api/v1/apps?limit=200')).json()) as AppRecord[]).find((app) => app.label === 'Directory Sync Service')!;
    const grants = (await (await call(`/api/v1/apps/${service.id}/grants`)).json()) as { id: string; scopeId: string }[];
    const managesUsers = grants.find((grant) => grant.scopeId === 'okta.users.manage')!;
    expect((await call(`/api/v1/apps/${service.id}/grants/${managesUsers.id}`, 'DELETE')).status).toBe(204);
    expect((await call(`/api/v1/apps/${service.id}/grants/${managesUsers.id}`)).status).toBe(404);
    expect((await call(`/api/v1/apps/${service.id}/grants/${managesUsers.id}`, 'DELETE')).status).toBe(404);
    expect(((await (await call(`/api/v1/apps/${service.id}/grants`)).json()) as unknown[]).length).toBe(grants.length - 1);
  });
});
