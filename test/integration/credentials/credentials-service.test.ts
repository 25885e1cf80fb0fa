/**
 * The credentials service end to end in Node: the whole console on a profile folder, connected to
 * the sample workspace's simulated Entra tenant and Google Cloud projects through real sign-ins.
 * The inventory lists the seeded credentials with their status, expiring ones are announced once,
 * a project out of reach and a missing permission are named, and compromised keys are revoked as
 * a job with per-item results, read back at the provider.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConsoleServices } from '../../../src-main/app-services';
import type { Credential, CredentialAlert } from '../../../src-shared/contract/credentials';
import { openNodeConsole } from '../../support/node-console';

describe('the credentials service against the sample workspace', () => {
  let services: ConsoleServices;
  let dataDirectory: string;
  let microsoftId: string;
  let googleId: string;
  const alerts: CredentialAlert[] = [];

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'consentry-credentials-'));
    services = await openNodeConsole(dataDirectory);
    services.events.subscribe((event, payload) => {
      if (event === 'credentials.alert') alerts.push(...(payload as { alerts: CredentialAlert[] }).alerts);
    });
    microsoftId = (await services.sample.connect(randomUUID(), 'microsoft')).id;
    googleId = (await services.sample.connect(randomUUID(), 'google')).id;
  }, 60_000);
  afterAll(async () => {
    await services?.close();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const byName = (credentials: readonly Credential[], name: string) => credentials.find((credential) => credential.displayName === name);

  test('lists every seeded credential once with its status and reasons, and how each tenant was read', async () => {
    const { credentials, sources } = await services.credentials.read();
    expect(new Set(credentials.map((credential) => credential.key)).size).toBe(credentials.length);
    expect(sources.find((source) => source.connectionId === microsoftId)).toMatchObject({ state: 'read', provider: 'microsoft' });
    // The sample Google connection names the sample company's Cloud projects itself.
    expect(await services.credentials.cloudProjects()).toEqual([{ connectionId: googleId, projects: ['sample-company-2026', 'sample-data-2026'] }]);
    expect(sources.find((source) => source.connectionId === googleId)!.count).toBeGreaterThan(0);

    expect(byName(credentials, 'Payroll Sync production')).toMatchObject({
      key: expect.stringMatching(new RegExp(`^${microsoftId}\\|app_secret\\|`)),
      ownerName: 'Payroll Sync',
      status: 'expiring',
      findings: expect.arrayContaining([{ status: 'expiring', reason: expect.stringMatching(/^Expires in 10 days \(on .+\); the warning window is 30 days\.$/) }]),
      rotation: { mode: 'api', note: null },
      revocable: true,
    });
    expect(credentials.filter((credential) => credential.connectionId === microsoftId && credential.status === 'expired').length).toBeGreaterThan(0);
    expect(credentials.find((credential) => credential.kind === 'sp_certificate' && credential.ownerName === 'TeamChat')).toBeDefined();

    const googleRows = credentials.filter((credential) => credential.connectionId === googleId);
    expect(byName(googleRows, 'Old mobile app key')!.findings.map((finding) => finding.status)).toEqual(['too_old', 'unrestricted']);
    expect(byName(googleRows, 'Maps on the website')).toMatchObject({ status: 'ok', restrictions: expect.arrayContaining([expect.any(String)]) });
    const systemManaged = googleRows.filter((credential) => credential.kind === 'service_account_key' && credential.managedBy === 'provider');
    expect(systemManaged.length).toBeGreaterThan(0);
    expect(systemManaged.every((credential) => credential.status === 'ok' && !credential.revocable)).toBe(true);
    const userKeys = googleRows.filter((credential) => credential.kind === 'service_account_key' && credential.managedBy === 'admin');
    expect(userKeys.some((credential) => credential.findings.some((finding) => finding.status === 'unused'))).toBe(true);
    expect(userKeys.some((credential) => credential.disabled && credential.findings.some((finding) => finding.status === 'disabled'))).toBe(true);
  });

  test('announces each expiring or expired credential once, Payroll Sync among them', async () => {
    await expect.poll(() => alerts.some((alert) => alert.title === 'Payroll Sync production expires soon')).toBe(true);
    const count = alerts.length;
    await services.credentials.read();
    expect(alerts).toHaveLength(count);
    expect(new Set(alerts.map((alert) => `${alert.credentialKey}|${alert.status}`)).size).toBe(alerts.length);
  });

  test('a project out of reach is named with the permission it needs, and the rest is still listed', async () => {
    const projects = ['sample-company-2026', 'sample-data-2026'];
    await services.credentials.setCloudProjects({ connectionId: googleId, projects: [...projects, 'someone-elses-project'] });
    await services.credentials.read([googleId]);
    const { sources, credentials } = await services.credentials.inventory();
    const source = sources.find((candidate) => candidate.connectionId === googleId)!;
    expect(source).toMatchObject({ state: 'partial', message: expect.stringContaining('someone-elses-project') });
    expect(source.missingScopes.length).toBeGreaterThan(0);
    expect(byName(credentials, 'Old mobile app key')).toBeDefined();
    await services.credentials.setCloudProjects({ connectionId: googleId, projects });
    await services.credentials.read([googleId]);
  });

  test('revoking without the credentials permission is refused, naming the scopes it needs; nothing is sent', async () => {
    const { credentials } = await services.credentials.inventory();
    const payroll = byName(credentials, 'Payroll Sync production')!;
    expect(() => services.credentials.planRevoke({ keys: [payroll.key] })).toThrow(expect.objectContaining({ code: 'not_supported', message: expect.stringContaining('Application.ReadWrite.All') }));
    expect((await services.credentials.read([microsoftId])).credentials.some((credential) => credential.key === payroll.key)).toBe(true);
  });

  test('revokes a compromised service-account key and an unrestricted API key as one job: per-item results, read back, gone from the inventory, in their history', async () => {
    const allowed = await services.connections.enableCapability(googleId, randomUUID(), 'credentials');
    expect(allowed.capabilities.find((capability) => capability.id === 'credentials')).toMatchObject({ held: true });
    const { credentials } = await services.credentials.read([googleId]);
    const key = credentials.find((credential) => credential.kind === 'service_account_key' && credential.managedBy === 'admin' && credential.ownerName.includes('backup') && credential.status === 'too_old' && !credential.disabled)!;
    const apiKey = byName(credentials, 'Translation batch job')!;
    const systemKey = credentials.find((credential) => credential.managedBy === 'provider')!;

    const plan = services.credentials.planRevoke({ keys: [key.key, apiKey.key, systemKey.key] });
    expect(plan.items.map((item) => [item.key, item.action])).toEqual([
      [key.key, 'Disables, then deletes the key'],
      [apiKey.key, 'Deletes the key'],
    ]);
    expect(plan.items[0]!.breaks).toMatch(/^Anything authenticating as .+ with this key file fails at once/);
    expect(plan.refused).toEqual([expect.objectContaining({ key: systemKey.key, reason: expect.stringContaining('itself') })]);
    expect(plan.confirmationText).toBe('revoke 2 credentials');

    const job = await services.credentials.revoke({ planId: plan.planId, typed: 'revoke 2 credentials' });
    expect(await services.jobs.settled(job.id)).toMatchObject({ kind: 'credentials.revoke', state: 'finished', succeeded: 2, failed: 0 });
    const report = services.credentials.revokeReport(job.id);
    expect(report.items).toEqual([
      expect.objectContaining({ key: key.key, status: 'succeeded', verified: true, message: 'Disabled: it stopped working at once. Revoked. Read back: gone.' }),
      expect.objectContaining({ key: apiKey.key, status: 'succeeded', verified: true, message: 'Revoked. Read back: gone.' }),
    ]);
    await expect.poll(async () => (await services.credentials.inventory()).credentials.some((credential) => credential.key === key.key || credential.key === apiKey.key)).toBe(false);
    const history = await services.credentials.history(apiKey.key);
    expect(history.entries).toEqual([expect.objectContaining({ action: 'credentials.revoke', result: 'succeeded', detail: expect.stringContaining('Verified by reading back') })]);
  });

  test('exports the inventory as CSV, one row per credential and no secret', async () => {
    const { credentials } = await services.credentials.inventory();
    const csv = await services.credentials.exportCsv();
    expect(csv.rows).toBe(credentials.length);
    expect(csv.content.split('\r\n').filter((line) => line !== '')).toHaveLength(credentials.length + 1);
    expect(csv.content).toContain('Payroll Sync production');
  });
});
