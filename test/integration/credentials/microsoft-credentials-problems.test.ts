/**
 * What the Microsoft credentials inventory says when Graph refuses part of it: the listing it could
 * not read is a problem naming the permission, and what it could read is still listed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import { classifyGraphFailure } from '../../../src-main/providers/microsoft/graph-failure';
import { microsoftCredentials as credentials } from '../../../src-main/providers/microsoft/microsoft-credentials';
import { createApiListener } from '../../../src-main/sample/simulator/api-router';
import { graphErrors, graphRoutes } from '../../../src-main/sample/simulator/graph-api';
import { simulatedTenant, type SimulatedTenant } from '../../../src-main/sample/simulator/simulated-tenant';

const tokens: Record<string, string[]> = { 'reader-token': ['Application.Read.All'], 'users-only-token': ['User.Read.All'] };

let tenant: SimulatedTenant;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  tenant = simulatedTenant({ seed: 11, users: 20, referenceTime: new Date('2026-11-21T09:00:00Z') });
  let handler: ReturnType<typeof createApiListener> = () => undefined;
  server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
  handler = createApiListener({
    routes: graphRoutes(tenant, { baseUrl }),
    errors: graphErrors,
    authenticate: async (token) => (tokens[token] ? new Set(tokens[token]) : null),
    calls: [],
    // A tenant where the service principal listing is refused to this admin, as a restricted role would.
    beforeRoute: async (route) => (route.name === 'graph.servicePrincipals.list' ? graphErrors.insufficientScopes() : undefined),
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const context = (token: string): ProviderCallContext => ({ apiBaseUrl: baseUrl, settings: {}, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 6_000, classify: classifyGraphFailure }) });

describe('the Microsoft credentials inventory when Graph refuses part of it', () => {
  test('lists the app registrations it could read and names the permission for the service principals it could not', async () => {
    const reading = await credentials.read(context('reader-token'), { cloudProjects: [] });
    const appCredentials = tenant.appRegistrations.reduce((sum, app) => sum + app.passwordCredentials.length + app.keyCredentials.length, 0);
    expect(reading.credentials).toHaveLength(appCredentials);
    expect(reading.credentials.every((credential) => credential.ownerKind === 'application')).toBe(true);
    expect(reading.problems).toEqual([
      { what: 'secrets and certificates of service principals', code: 'permission_denied', message: expect.stringContaining('Application.Read.All'), missingScopes: ['Application.Read.All'] },
    ]);
  });

  test('without an application read permission nothing is listed and both listings are named', async () => {
    const reading = await credentials.read(context('users-only-token'), { cloudProjects: [] });
    expect(reading.credentials).toEqual([]);
    expect(reading.problems.map((problem) => [problem.what, problem.code, problem.missingScopes])).toEqual([
      ['secrets and certificates of app registrations', 'permission_denied', ['Application.Read.All']],
      ['secrets and certificates of service principals', 'permission_denied', ['Application.Read.All']],
    ]);
  });
});
