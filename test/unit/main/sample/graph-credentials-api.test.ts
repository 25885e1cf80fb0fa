/**
 * The simulated Graph's app and service principal credentials, called over the wire as Consentry
 * and admins' scripts call the real one: the secret shown once, certificates replaced whole by
 * PATCH, the limit on an app's secrets, and 403 without the permission.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiListener } from '../../../../src-main/sample/simulator/api-router';
import { graphErrors, graphRoutes } from '../../../../src-main/sample/simulator/graph-api';
import { simulatedTenant, type SimulatedTenant } from '../../../../src-main/sample/simulator/simulated-tenant';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const now = new Date('2026-11-21T10:30:00Z');

const tokens: Record<string, string[]> = {
  'admin-token': ['Application.ReadWrite.All'],
  'auditor-token': ['Directory.Read.All', 'Application.Read.All'],
  'user-reader-token': ['User.Read.All'],
};

let tenant: SimulatedTenant;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  tenant = simulatedTenant({ seed: 11, users: 20, referenceTime });
  let handler: ReturnType<typeof createApiListener> = () => undefined;
  server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
  handler = createApiListener({ routes: graphRoutes(tenant, { baseUrl, clock: () => now }), errors: graphErrors, authenticate: async (token) => (tokens[token] ? new Set(tokens[token]) : null), calls: [] });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Answer {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph JSON, checked field by field
  body: any;
}

async function call(method: string, pathOrUrl: string, body?: unknown, token = 'admin-token'): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${baseUrl}${pathOrUrl}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, text, body: text === '' ? undefined : JSON.parse(text) };
}

const registration = (name: string) => tenant.appRegistrations.find((candidate) => candidate.displayName === name)!;
const servicePrincipalOf = (key: string) => tenant.apps.find((app) => app.key === key)!.servicePrincipalId;

async function publicCertificate(commonName: string): Promise<{ der: string; thumbprint: Buffer; validTo: string }> {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as never);
  const certificate = new X509Certificate(pems.cert);
  return { der: certificate.raw.toString('base64'), thumbprint: createHash('sha1').update(certificate.raw).digest(), validTo: new Date(certificate.validTo).toISOString().replace(/\.000Z$/, 'Z') };
}

describe('application credentials', () => {
  test('pages the credential listing with $top and @odata.nextLink, every app once, with no secret and no certificate key', async () => {
    const seen: string[] = [];
    let next: string | undefined = '/applications?$select=id,appId,displayName,passwordCredentials,keyCredentials&$top=4';
    while (next) {
      const page = await call('GET', next, undefined, 'auditor-token');
      expect(page.status).toBe(200);
      expect(page.body.value.length).toBeLessThanOrEqual(4);
      for (const app of page.body.value) {
        seen.push(app.id);
        for (const secret of app.passwordCredentials) expect(secret.secretText).toBeNull();
        for (const certificate of app.keyCredentials) expect(certificate.key).toBeNull();
      }
      next = page.body['@odata.nextLink'];
    }
    expect(seen).toEqual(tenant.appRegistrations.map((app) => app.id));
    const payroll = registration('Payroll Sync');
    expect(payroll.passwordCredentials).toHaveLength(1);
    expect(Date.parse(payroll.passwordCredentials[0]!.endDateTime) - referenceTime.getTime()).toBe(10 * 86_400_000);
  });

  test('addPassword honours the name and end date and shows the secret once; no later read has it', async () => {
    const app = registration('Finance Reporting Bot');
    const added = await call('POST', `/applications/${app.id}/addPassword`, { passwordCredential: { displayName: 'Finance bot (rotated 2026-11-21 by Consentry r:1a2b3c4d)', endDateTime: '2027-02-19T10:30:00Z' } });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ displayName: 'Finance bot (rotated 2026-11-21 by Consentry r:1a2b3c4d)', startDateTime: '2026-11-21T10:30:00Z', endDateTime: '2027-02-19T10:30:00Z' });
    const secret: string = added.body.secretText;
    expect(secret).toMatch(/^[A-Za-z0-9~._-]{40}$/);
    expect(added.body.hint).toBe(secret.slice(0, 3));

    const reads = [
      await call('GET', `/applications/${app.id}`),
      await call('GET', `/applications/${app.id}?$select=passwordCredentials,keyCredentials`),
      await call('GET', `/applications(appId='${app.appId}')`),
      await call('GET', '/applications?$select=id,passwordCredentials&$top=999'),
    ];
    for (const read of reads) {
      expect(read.status).toBe(200);
      expect(read.text).not.toContain(secret);
    }
    expect(reads[0]!.body.passwordCredentials.find((credential: { keyId: string }) => credential.keyId === added.body.keyId)).toMatchObject({ hint: secret.slice(0, 3), secretText: null });
    expect(JSON.stringify(tenant)).not.toContain(secret);
  });

  test('an app that takes personal accounts holds two secrets at most; after removing one, another can be added', async () => {
    const portal = registration('Partner Portal');
    expect(portal.signInAudience).toBe('AzureADandPersonalMicrosoftAccount');
    expect(portal.passwordCredentials).toHaveLength(2);
    const refused = await call('POST', `/applications/${portal.id}/addPassword`, { passwordCredential: { displayName: 'one too many' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('You can only add a maximum of 2 encrypted credentials.');
    expect(portal.passwordCredentials).toHaveLength(2);

    const [oldest] = portal.passwordCredentials;
    expect((await call('POST', `/applications/${portal.id}/removePassword`, { keyId: oldest!.keyId })).status).toBe(204);
    expect((await call('POST', `/applications/${portal.id}/addPassword`, { passwordCredential: { displayName: 'replacement' } })).status).toBe(200);
    expect((await call('POST', `/applications/${portal.id}/removePassword`, { keyId: oldest!.keyId })).status).toBe(404);
  });

  test('returns a certificate key only on a $select=keyCredentials read of one app', async () => {
    const app = tenant.appRegistrations.find((candidate) => candidate.keyCredentials.length > 0)!;
    expect((await call('GET', `/applications/${app.id}`)).body.keyCredentials[0].key).toBeNull();
    const selected = await call('GET', `/applications/${app.id}?$select=keyCredentials`);
    expect(Object.keys(selected.body).filter((key) => !key.startsWith('@'))).toEqual(['keyCredentials']);
    expect(selected.body.keyCredentials[0]).toMatchObject({ keyId: app.keyCredentials[0]!.keyId, key: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/), type: 'AsymmetricX509Cert', usage: 'Verify' });
  });

  test('PATCH keyCredentials replaces the whole collection: a new certificate gets its thumbprint and dates, kept ones must be sent back with their key', async () => {
    const app = tenant.appRegistrations.find((candidate) => candidate.keyCredentials.length > 0 && candidate.displayName !== 'HR Sync Connector')!;
    const existing = (await call('GET', `/applications/${app.id}?$select=keyCredentials`)).body.keyCredentials;
    const certificate = await publicCertificate('mailroom-2027');
    const added = { type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate.der, displayName: 'CN=mailroom-2027' };

    const withoutKey = await call('PATCH', `/applications/${app.id}`, { keyCredentials: [...existing.map((entry: Record<string, unknown>) => ({ ...entry, key: null })), added] });
    expect([withoutKey.status, withoutKey.body.error.message]).toEqual([400, 'Update to existing credential with KeyId is not allowed.']);
    const badUsage = await call('PATCH', `/applications/${app.id}`, { keyCredentials: [{ ...added, usage: 'Encrypt' }] });
    expect(badUsage.body.error.message).toBe('The value for the property "usage" in one of your credentials is invalid. Acceptable values are Sign, Verify.');
    expect((await call('PATCH', `/applications/${app.id}`, { keyCredentials: [{ ...added, key: 'bm90IGEgY2VydGlmaWNhdGU=' }] })).status).toBe(400);

    expect((await call('PATCH', `/applications/${app.id}`, { keyCredentials: [...existing, added] })).status).toBe(204);
    const both = (await call('GET', `/applications/${app.id}`)).body.keyCredentials;
    expect(both.map((entry: { keyId: string }) => entry.keyId)).toContain(existing[0].keyId);
    const created = both.find((entry: { displayName: string }) => entry.displayName === 'CN=mailroom-2027');
    expect(created).toMatchObject({ customKeyIdentifier: certificate.thumbprint.toString('base64'), endDateTime: certificate.validTo, key: null, type: 'AsymmetricX509Cert', usage: 'Verify' });

    // Sending only the new one removes the others.
    const kept = (await call('GET', `/applications/${app.id}?$select=keyCredentials`)).body.keyCredentials.filter((entry: { keyId: string }) => entry.keyId === created.keyId);
    expect((await call('PATCH', `/applications/${app.id}`, { keyCredentials: kept })).status).toBe(204);
    expect((await call('GET', `/applications/${app.id}`)).body.keyCredentials.map((entry: { keyId: string }) => entry.keyId)).toEqual([created.keyId]);
  });

  test('refuses writes without Application.ReadWrite.All and reads without an application read permission', async () => {
    const app = registration('Payroll Sync');
    for (const [method, path, body] of [
      ['POST', `/applications/${app.id}/addPassword`, {}],
      ['POST', `/applications/${app.id}/removePassword`, { keyId: app.passwordCredentials[0]!.keyId }],
      ['PATCH', `/applications/${app.id}`, { keyCredentials: [] }],
      ['POST', `/servicePrincipals/${servicePrincipalOf('backupvault')}/removePassword`, { keyId: '00000000-0000-4000-8000-000000000000' }],
    ] as const) {
      const denied = await call(method, path, body, 'auditor-token');
      expect([denied.status, denied.body.error.code]).toEqual([403, 'Authorization_RequestDenied']);
    }
    for (const path of ['/applications?$select=id,passwordCredentials', `/applications/${app.id}`, '/servicePrincipals?$select=id,keyCredentials']) {
      const denied = await call('GET', path, undefined, 'user-reader-token');
      expect([denied.status, denied.body.error.code]).toEqual([403, 'Authorization_RequestDenied']);
    }
    expect(app.passwordCredentials).toHaveLength(1);
  });
});

describe('service principal credentials', () => {
  test("lists a SAML app's token-signing certificate as Sign and Verify halves and the PFX password, with one identifier and the preferred thumbprint", async () => {
    const listed = await call('GET', '/servicePrincipals?$select=id,displayName,keyCredentials,passwordCredentials,preferredTokenSigningKeyThumbprint&$top=999', undefined, 'auditor-token');
    const teamChat = listed.body.value.find((sp: { id: string }) => sp.id === servicePrincipalOf('teamchat'));
    const thumbprint: string = teamChat.preferredTokenSigningKeyThumbprint;
    expect(thumbprint).toMatch(/^[0-9A-F]{40}$/);
    const identifier = Buffer.from(thumbprint, 'hex').toString('base64');
    expect(teamChat.keyCredentials.map((key: { usage: string }) => key.usage).sort()).toEqual(['Sign', 'Verify']);
    for (const key of teamChat.keyCredentials) expect(key).toMatchObject({ type: 'AsymmetricX509Cert', customKeyIdentifier: identifier, key: null });
    const sign = teamChat.keyCredentials.find((key: { usage: string }) => key.usage === 'Sign');
    expect(teamChat.passwordCredentials).toEqual([expect.objectContaining({ keyId: sign.keyId, customKeyIdentifier: identifier, secretText: null })]);
    const others = listed.body.value.filter((sp: { id: string }) => sp.id !== teamChat.id && sp.id !== servicePrincipalOf('backupvault'));
    for (const sp of others) expect([sp.keyCredentials, sp.passwordCredentials, sp.preferredTokenSigningKeyThumbprint]).toEqual([[], [], null]);
  });

  test("removes a service principal's own password, once", async () => {
    const id = servicePrincipalOf('backupvault');
    const before = (await call('GET', `/servicePrincipals/${id}?$select=passwordCredentials`)).body.passwordCredentials;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ displayName: 'Backup Vault connector', hint: expect.stringMatching(/^.{3}$/), secretText: null });
    expect((await call('POST', `/servicePrincipals/${id}/removePassword`, { keyId: before[0].keyId })).status).toBe(204);
    expect((await call('GET', `/servicePrincipals/${id}`)).body.passwordCredentials).toEqual([]);
    expect((await call('POST', `/servicePrincipals/${id}/removePassword`, { keyId: before[0].keyId })).status).toBe(404);
  });
});
