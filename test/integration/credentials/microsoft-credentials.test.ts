/**
 * The Microsoft credentials adapter against the simulated Entra tenant, signed in as its admin:
 * the inventory of every seeded secret and certificate, a secret and a certificate rotated and the
 * old ones removed, the limit on an app's secrets, and a refusal without the credentials scope.
 */
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReadCredential } from '../../../src-main/credentials/credentials-port';
import { AppError } from '../../../src-main/errors/app-error';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import { classifyGraphFailure } from '../../../src-main/providers/microsoft/graph-failure';
import { microsoftCredentials as credentials } from '../../../src-main/providers/microsoft/microsoft-credentials';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { simulatedEntraAccessToken } from '../../support/simulated-entra-sign-in';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const defaultCertificates = getCACertificates('default');
const day = 86_400_000;
const noProjects = { cloudProjects: [] };

function callContext(simulator: TenantSimulator, token: string): ProviderCallContext {
  return { apiBaseUrl: simulator.microsoft.graphBaseUrl, settings: { issuer: simulator.microsoft.authority }, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 6_000, classify: classifyGraphFailure }) };
}

const graphTime = (iso: string) => iso.replace(/\.000Z$/, 'Z');

async function refusal(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => null,
    (failure: unknown) => failure,
  );
  if (!(error instanceof AppError)) throw new Error(`Expected an AppError, got ${String(error)}`);
  return error;
}

describe('the Microsoft credentials adapter against the simulated Entra tenant', () => {
  let simulator: TenantSimulator;
  /** The audit's scopes only (Application.Read.All among them). */
  let audit: ProviderCallContext;
  /** With the credentials capability allowed (Application.ReadWrite.All). */
  let admin: ProviderCallContext;

  const registration = (name: string) => simulator.tenant.appRegistrations.find((app) => app.displayName === name)!;
  const servicePrincipalOf = (key: string) => simulator.tenant.apps.find((app) => app.key === key)!.servicePrincipalId;
  const inventory = async (context = admin) => (await credentials.read(context, noProjects)).credentials;
  const secretOf = async (appName: string) => (await inventory()).find((credential) => credential.kind === 'app_secret' && credential.ownerName === appName)!;

  beforeAll(async () => {
    simulator = await startTenantSimulator({ seed: 11, users: 40, referenceTime });
    setDefaultCACertificates([...defaultCertificates, simulator.microsoft.certificate]);
    audit = callContext(simulator, await simulatedEntraAccessToken(simulator, []));
    admin = callContext(simulator, await simulatedEntraAccessToken(simulator, ['credentials']));
  });
  afterAll(async () => {
    setDefaultCACertificates(defaultCertificates);
    await simulator?.close();
  });

  test('lists every seeded app secret and certificate and every service principal credential, with their dates, through the audit’s scopes', async () => {
    const reading = await credentials.read(audit, noProjects);
    expect(reading.problems).toEqual([]);
    const listed = new Map(reading.credentials.map((credential) => [`${credential.kind}|${credential.ownerId}|${credential.credentialId}`, credential]));

    for (const app of simulator.tenant.appRegistrations) {
      for (const secret of app.passwordCredentials) {
        expect(listed.get(`app_secret|${app.id}|${secret.keyId}`)).toMatchObject({
          ownerKind: 'application',
          ownerName: app.displayName,
          displayName: secret.displayName,
          hint: expect.stringMatching(/^.{3}$/),
          createdAt: graphTime(secret.startDateTime),
          expiresAt: graphTime(secret.endDateTime),
          lastUsedAt: null,
          lastUseKnown: false,
          lastUsedNote: expect.stringContaining('does not report'),
          rotation: { mode: 'api', note: null },
          revocable: true,
        });
      }
      for (const certificate of app.keyCredentials) {
        expect(listed.get(`app_certificate|${app.id}|${certificate.keyId}`)).toMatchObject({ displayName: certificate.displayName, hint: expect.stringMatching(/^[0-9A-F]{40}$/), expiresAt: graphTime(certificate.endDateTime), revocable: true });
      }
    }
    const payroll = reading.credentials.filter((credential) => credential.ownerName === 'Payroll Sync');
    expect(payroll).toHaveLength(1);
    expect(Date.parse(payroll[0]!.expiresAt!) - referenceTime.getTime()).toBe(10 * day);

    const ofServicePrincipal = reading.credentials.filter((credential) => credential.ownerKind === 'service_principal');
    const saml = simulator.tenant.servicePrincipalCredentials.find((entry) => entry.preferredTokenSigningKeyThumbprint !== null)!;
    // Sign, Verify and the PFX password are one certificate.
    expect(ofServicePrincipal.filter((credential) => credential.ownerId === servicePrincipalOf('teamchat'))).toEqual([
      expect.objectContaining({ kind: 'sp_certificate', ownerName: 'TeamChat', hint: saml.preferredTokenSigningKeyThumbprint, expiresAt: graphTime(saml.keyCredentials[0]!.endDateTime), rotation: { mode: 'guided', note: expect.stringContaining('Microsoft Entra admin center') }, revocable: false }),
    ]);
    expect(ofServicePrincipal.filter((credential) => credential.ownerId === servicePrincipalOf('backupvault'))).toEqual([
      expect.objectContaining({ kind: 'sp_secret', displayName: 'Backup Vault connector', rotation: { mode: 'none', note: expect.any(String) }, revocable: true }),
    ]);
    const seededCount = simulator.tenant.appRegistrations.reduce((sum, app) => sum + app.passwordCredentials.length + app.keyCredentials.length, 0) + 2;
    expect(reading.credentials).toHaveLength(seededCount);
  });

  test("rotates Payroll Sync's secret: created with the planned name and expiry, its value shown once, found again by name, the old one removed and read back gone", async () => {
    const old = await secretOf('Payroll Sync');
    const rotator = credentials.rotator('app_secret', {})!;
    expect(rotator).toMatchObject({ creates: 'api', removes: 'api', needsCertificate: false, disablesOldFirst: false });
    expect(await credentials.ownerCredentialIds(admin, old)).toEqual([old.credentialId]);
    const request = { displayName: 'Payroll Sync production (rotated 2026-11-21 by Consentry r:0c1d2e3f)', expiresAt: '2027-02-19T09:00:00Z' };

    const { created, secret } = await rotator.create!(admin, old, request);
    expect(secret).toMatchObject({ format: 'text', value: expect.stringMatching(/^.{40}$/) });
    const value = secret!.format === 'text' ? secret!.value : '';
    expect(created).toMatchObject({ kind: 'app_secret', ownerId: old.ownerId, displayName: request.displayName, hint: value.slice(0, 3), expiresAt: request.expiresAt });
    expect(JSON.stringify(created)).not.toContain(value);

    const intent = { displayName: request.displayName, sentAt: referenceTime.toISOString(), existingIds: [old.credentialId] };
    expect(await rotator.findCreated!(admin, old, intent)).toEqual(created);
    expect(await rotator.findCreated!(admin, old, { ...intent, displayName: 'a name nobody gave' })).toBeNull();
    // A credential that was there before the create is not the one it made, whatever its name.
    expect(await rotator.findCreated!(admin, old, { ...intent, existingIds: [old.credentialId, created.credentialId] })).toBeNull();
    expect(await credentials.readOne(admin, old)).toEqual(old);
    expect(await credentials.remove(admin, old)).toBe('removed');
    expect(await credentials.readOne(admin, old)).toBeNull();
    expect(await credentials.readOne(admin, created)).toEqual(created);
    expect(await credentials.remove(admin, old)).toBe('already_gone');
    expect(JSON.stringify(await inventory())).not.toContain(value);
  });

  test("rotates an app certificate: the admin's public certificate added with its thumbprint, the old one removed, the others kept", async () => {
    const app = simulator.tenant.appRegistrations.find((candidate) => candidate.keyCredentials.length > 0)!;
    const old = (await inventory()).find((credential) => credential.kind === 'app_certificate' && credential.ownerId === app.id)!;
    const rotator = credentials.rotator('app_certificate', {})!;
    expect(rotator).toMatchObject({ creates: 'api', needsCertificate: true });
    const pems = await generate([{ name: 'commonName', value: 'hr-sync-2027' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as never);
    const request = { displayName: 'CN=hr-sync-2027 (rotated 2026-11-21 by Consentry r:9f8e7d6c)', expiresAt: null, certificatePem: pems.cert };

    const { created, secret } = await rotator.create!(admin, old, request);
    expect(secret).toBeNull();
    expect(created).toMatchObject({ kind: 'app_certificate', displayName: request.displayName, hint: expect.stringMatching(/^[0-9A-F]{40}$/) });
    const again = await refusal(rotator.create!(admin, old, request));
    expect(again.code).toBe('invalid_request');

    expect(await credentials.remove(admin, old)).toBe('removed');
    expect(await credentials.readOne(admin, old)).toBeNull();
    expect(await credentials.readOne(admin, created)).toEqual(created);
    expect(await credentials.remove(admin, old)).toBe('already_gone');
  });

  test('a secret for an app at its limit is refused with the limit named and the next step; its secrets stay as they were', async () => {
    const portal = registration('Partner Portal');
    const before = portal.passwordCredentials.map((credential) => credential.keyId);
    const old = await secretOf('Partner Portal');
    const error = await refusal(credentials.rotator('app_secret', {})!.create!(admin, old, { displayName: 'Partner Portal (rotated)', expiresAt: '2027-02-19T09:00:00Z' }));
    expect(error.code).toBe('credential_limit_reached');
    expect(error.message).toContain('Partner Portal');
    expect(error.nextStep).toBe('Remove an unused secret of Partner Portal first, then retry.');
    expect(portal.passwordCredentials.map((credential) => credential.keyId)).toEqual(before);
  });

  test('an app that signs in personal Microsoft accounts only is held to two secrets too, as Entra documents', async () => {
    const portal = registration('Partner Portal');
    const before = portal.passwordCredentials.map((credential) => credential.keyId);
    portal.signInAudience = 'PersonalMicrosoftAccount';
    try {
      const old = await secretOf('Partner Portal');
      const error = await refusal(credentials.rotator('app_secret', {})!.create!(admin, old, { displayName: 'Partner Portal (rotated)', expiresAt: '2027-02-19T09:00:00Z' }));
      expect(error).toMatchObject({ code: 'credential_limit_reached', message: expect.stringContaining('the 2 secrets Microsoft Entra allows') });
      expect(portal.passwordCredentials.map((credential) => credential.keyId)).toEqual(before);
    } finally {
      portal.signInAudience = 'AzureADandPersonalMicrosoftAccount';
    }
  });

  test('two certificates of one app removed at once are both gone, and the app keeps its others', async () => {
    const app = simulator.tenant.appRegistrations.find((candidate) => candidate.keyCredentials.length > 0)!;
    const old = (await inventory()).find((credential) => credential.kind === 'app_certificate' && credential.ownerId === app.id)!;
    const rotator = credentials.rotator('app_certificate', {})!;
    const added: ReadCredential[] = [];
    for (const name of ['batch-a', 'batch-b']) {
      const pems = await generate([{ name: 'commonName', value: name }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as never);
      added.push((await rotator.create!(admin, old, { displayName: `CN=${name}`, expiresAt: null, certificatePem: pems.cert })).created);
    }
    const others = app.keyCredentials.map((key) => key.keyId).filter((keyId) => !added.some((credential) => credential.credentialId === keyId));
    // Each removal reads the whole collection and PATCHes it back. A PATCH is held while a read of
    // the app is unanswered, so two removals that both read before either writes would show it.
    let reading = 0;
    const released: (() => void)[] = [];
    const interleaving: ProviderCallContext = {
      ...admin,
      fetch: async (input, init) => {
        if (init?.method === 'PATCH') {
          while (reading > 0) await new Promise<void>((resolve) => released.push(resolve));
          return fetch(input, init);
        }
        reading += 1;
        try {
          return await fetch(input, init);
        } finally {
          reading -= 1;
          if (reading === 0) for (const resolve of released.splice(0)) resolve();
        }
      },
    };
    expect(await Promise.all(added.map((credential) => credentials.remove(interleaving, credential)))).toEqual(['removed', 'removed']);
    for (const credential of added) expect(await credentials.readOne(admin, credential)).toBeNull();
    expect(app.keyCredentials.map((key) => key.keyId)).toEqual(others);
  });

  test('a secret removal Graph answers with 400 is already gone when the secret is no longer listed, and refused while it still is', async () => {
    const untouched = new Set(['Payroll Sync', 'Partner Portal', 'Mailroom Automation']);
    const old = (await inventory()).find((credential) => credential.kind === 'app_secret' && !untouched.has(credential.ownerName))!;
    let refuseNext = false;
    // What Graph answers for a keyId it does not have is not documented: here a 400, whatever the simulator says.
    const answering400: ProviderCallContext = {
      ...admin,
      fetch: async (input, init) => {
        const removal = String(input).endsWith('/removePassword');
        if (removal && refuseNext) {
          refuseNext = false;
          return new Response(JSON.stringify({ error: { code: 'Request_BadRequest', message: 'Invalid value' } }), { status: 400, headers: { 'content-type': 'application/json' } });
        }
        const response = await fetch(input, init);
        if (!removal || response.status !== 404) return response;
        return new Response(JSON.stringify({ error: { code: 'Request_BadRequest', message: 'Invalid value' } }), { status: 400, headers: { 'content-type': 'application/json' } });
      },
    };
    refuseNext = true;
    expect((await refusal(credentials.remove(answering400, old))).code).toBe('invalid_request');
    expect(await credentials.readOne(admin, old)).toEqual(old);
    expect(await credentials.remove(answering400, old)).toBe('removed');
    expect(await credentials.remove(answering400, old)).toBe('already_gone');
  });

  test('without the credentials scope a rotation and a removal are refused naming Application.ReadWrite.All, and nothing changes', async () => {
    const old = await secretOf('Mailroom Automation');
    const keyIds = () => registration('Mailroom Automation').passwordCredentials.map((credential) => credential.keyId);
    const before = keyIds();
    for (const call of [credentials.rotator('app_secret', {})!.create!(audit, old, { displayName: 'not allowed', expiresAt: null }), credentials.remove(audit, old)]) {
      const error = await refusal(call);
      expect(error).toMatchObject({ code: 'permission_denied', message: expect.stringContaining('Application.ReadWrite.All'), nextStep: expect.stringContaining('Credentials capability') });
    }
    expect(keyIds()).toEqual(before);
  });

  test("removes a service principal's own password; a SAML signing certificate is not removed through the API", async () => {
    const listed = (await inventory()).filter((credential) => credential.ownerKind === 'service_principal');
    const password = listed.find((credential) => credential.kind === 'sp_secret')!;
    expect(await credentials.remove(admin, password)).toBe('removed');
    expect(await credentials.readOne(admin, password)).toBeNull();
    const saml = listed.find((credential) => credential.kind === 'sp_certificate') as ReadCredential;
    expect((await refusal(credentials.remove(admin, saml))).code).toBe('not_supported');
    expect(await credentials.readOne(admin, saml)).toEqual(saml);
  });
});
