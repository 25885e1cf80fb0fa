/**
 * Zendesk's credentials adapter, as the registry hands it out, against the simulated Zendesk
 * account: signed in through Consentry's generic client with the Zendesk preset. Zendesk's
 * reference documents listing API tokens only, so a rotation guides the admin to add the new token
 * and delete the old one in Admin Center, Consentry reads back that it is gone, and revoking is refused.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ActivityLog } from '../../../src-main/activity/activity-log';
import { ActivityService } from '../../../src-main/activity/activity-service';
import { credentialKey } from '../../../src-main/credentials/credential-key';
import { RotationRunner } from '../../../src-main/credentials/rotation-runner';
import { AppError } from '../../../src-main/errors/app-error';
import { EventHub } from '../../../src-main/events/event-hub';
import { resolveConnection } from '../../../src-main/oauth/connection-resolution';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import { createExternalUrlPolicy } from '../../../src-main/security/external-url-policy';
import { classifyZendeskFailure } from '../../../src-main/providers/zendesk/zendesk-failure';
import { zendeskModule } from '../../../src-main/providers/zendesk/zendesk-module';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { fixedRedirectPortForTest } from '../../support/loopback-port';
import { genericOAuthClient } from '../../support/node-oauth-clients';
import { providerDefinitions } from '../../support/provider-definitions';
import { scriptedSignIn } from '../../support/scripted-sign-in';
import { temporaryDirectory } from '../../support/temporary-directory';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const settings = { subdomain: 'sample-company' };
const credentials = zendeskModule.credentials!;
let simulator: TenantSimulator;
let token: string;

beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 32, users: 30, referenceTime });
  const zendesk = simulator.saas.zendesk;
  const connection = resolveConnection(providerDefinitions, {
    provider: 'zendesk',
    clientId: zendesk.clientId,
    capabilities: ['credentials'],
    settings: { ...settings, issuer: zendesk.issuer, authorizationEndpoint: zendesk.authorizationEndpoint, tokenEndpoint: zendesk.tokenEndpoint, revocationEndpoint: zendesk.revocationEndpoint, redirectPort: fixedRedirectPortForTest() },
  });
  token = (await genericOAuthClient.authorize(connection, {}, scriptedSignIn())).secrets.accessToken!;
});
afterAll(() => simulator?.close());

function context(): ProviderCallContext {
  return { apiBaseUrl: simulator.saas.zendesk.apiBaseUrl, settings, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 10_000, classify: classifyZendeskFailure }) };
}

const read = () => credentials.read(context(), { cloudProjects: [] });
const state = () => simulator.saasState.zendesk;

describe('reading Zendesk API tokens', () => {
  test('lists each token of the account with its description, truncated token, dates and a guided rotation, in one scheduled call', async () => {
    const callContext = context();
    const reading = await credentials.read(callContext, { cloudProjects: [] });
    expect(callContext.scheduler.stats().calls).toBe(1);
    expect(reading.problems).toEqual([]);
    expect(reading.credentials).toEqual(
      state().apiTokens.map((seeded) => ({
        kind: 'zendesk_api_token',
        ownerKind: 'account',
        ownerId: 'sample-company',
        ownerName: 'Zendesk account sample-company.zendesk.com',
        credentialId: String(seeded.id),
        displayName: seeded.description,
        hint: seeded.visible_token,
        createdAt: seeded.created_at,
        expiresAt: null,
        lastUsedAt: seeded.last_used,
        lastUseKnown: true,
        lastUsedNote: null,
        restrictions: null,
        disabled: false,
        managedBy: 'admin',
        rotation: { mode: 'guided', note: expect.stringContaining('Admin Center › Apps and integrations › APIs › API tokens') },
        revocable: false,
      })),
    );
    expect(reading.credentials.map((credential) => credential.displayName)).toEqual(['Legacy ticket export', 'Status page integration']);
  });

  test('shows a deactivated token as disabled, and one never used as such', async () => {
    const [first] = state().apiTokens;
    const saved = { ...first! };
    Object.assign(first!, { active: false, last_used: null });
    try {
      const credential = (await read()).credentials.find((candidate) => candidate.credentialId === String(saved.id))!;
      expect(credential).toMatchObject({ disabled: true, lastUsedAt: null, lastUseKnown: true, lastUsedNote: 'Zendesk reports no use of this token.' });
    } finally {
      Object.assign(first!, saved);
    }
  });

  test('leaves the last use unknown when Zendesk’s answer carries no last_used', async () => {
    const [first] = state().apiTokens;
    const saved = { ...first! };
    Object.assign(first!, { last_used: undefined });
    try {
      const credential = (await read()).credentials.find((candidate) => candidate.credentialId === String(saved.id))!;
      expect(credential).toMatchObject({ lastUsedAt: null, lastUseKnown: false, lastUsedNote: 'Zendesk did not say when this token was last used.' });
    } finally {
      Object.assign(first!, saved);
    }
  });

  test('reads one token again from the list, and none once it was deleted in Admin Center', async () => {
    const credential = (await read()).credentials[1]!;
    expect(await credentials.readOne(context(), credential)).toEqual(credential);
    const removed = state().apiTokens.splice(1, 1);
    try {
      expect(await credentials.readOne(context(), credential)).toBeNull();
    } finally {
      state().apiTokens.splice(1, 0, ...removed);
    }
  });

  test('reports the tokens as not read, naming the admin role, when Zendesk refuses a non-admin', async () => {
    const admins = state().users.filter((user) => user.role === 'admin');
    for (const admin of admins) admin.role = 'agent';
    try {
      const reading = await read();
      expect(reading.credentials).toEqual([]);
      expect(reading.problems).toEqual([{ what: 'API tokens', code: 'permission_denied', message: expect.stringContaining('only an admin'), missingScopes: [] }]);
    } finally {
      for (const admin of admins) admin.role = 'admin';
    }
  });
});

describe('rotating and revoking a Zendesk API token', () => {
  test('rotation is guided to Admin Center for both the new token and the old one’s deletion, as Zendesk documents no create or delete call', () => {
    const rotator = credentials.rotator('zendesk_api_token', settings)!;
    expect(rotator).toMatchObject({ creates: 'manual', removes: 'manual', manualSteps: { where: 'Zendesk Admin Center › Apps and integrations › APIs › API tokens' } });
    expect(rotator.manualSteps!.steps.some((step) => step.includes('“{new}”'))).toBe(true);
    expect(rotator.manualSteps!.steps.some((step) => step.includes('“{old}”') && step.includes('delete'))).toBe(true);
    expect(rotator.create).toBeUndefined();
    expect(credentials.rotator('okta_api_token', settings)).toBeNull();
  });

  test('the guide opens the account’s API tokens page in Admin Center, which the external opener accepts; none without a subdomain', () => {
    const url = (subdomain: string | undefined) => credentials.rotator('zendesk_api_token', subdomain === undefined ? {} : { subdomain })!.manualSteps!.url;
    expect(url('sample-company')).toBe('https://sample-company.zendesk.com/admin/apps-integrations/apis/api-tokens');
    expect(url('Sample-Company.zendesk.com')).toBe('https://sample-company.zendesk.com/admin/apps-integrations/apis/api-tokens');
    expect(createExternalUrlPolicy()(url('sample-company'))).toMatchObject({ allowed: true });
    expect(url(undefined)).toBeNull();
  });

  test('finds the token the admin added under the planned description', async () => {
    const old = (await read()).credentials[0]!;
    const planned = `${old.displayName} (rotated 2026-11-21 by Consentry r:0a1b2c3d)`;
    const rotator = credentials.rotator('zendesk_api_token', settings)!;
    const existingIds = await credentials.ownerCredentialIds(context(), old);
    expect(existingIds).toEqual(state().apiTokens.map((token) => String(token.id)));
    const intent = { displayName: planned, sentAt: new Date().toISOString(), existingIds };
    expect(await rotator.findCreated!(context(), old, intent)).toBeNull();
    state().apiTokens.push({ ...state().apiTokens[0]!, id: 9_999_999_999_001, description: planned });
    try {
      expect(await rotator.findCreated!(context(), old, intent)).toMatchObject({ credentialId: '9999999999001', displayName: planned });
      expect(await rotator.findCreated!(context(), old, { ...intent, existingIds: [...existingIds, '9999999999001'] })).toBeNull();
    } finally {
      state().apiTokens.pop();
    }
  });

  test('revoking is refused as not_supported with where to delete it; once deleted there, it is already gone', async () => {
    const credential = (await read()).credentials[0]!;
    const error = await credentials.remove(context(), credential).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'not_supported', nextStep: expect.stringContaining('Admin Center › Apps and integrations › APIs › API tokens') });
    expect(simulator.calls.filter((call) => call.method === 'DELETE')).toEqual([]);
    expect(state().apiTokens.map((seeded) => String(seeded.id))).toContain(credential.credentialId);

    const deletedInAdminCenter = state().apiTokens.splice(0, 1);
    try {
      expect(await credentials.remove(context(), credential)).toBe('already_gone');
    } finally {
      state().apiTokens.unshift(...deletedInAdminCenter);
    }
  });
});

describe('a Zendesk API token rotated by the runner', () => {
  /** A runner over the simulated account, with its first token in the inventory. */
  async function rotationConsole() {
    const directory = await temporaryDirectory();
    const events = new EventHub();
    const old = (await read()).credentials[0]!;
    const key = credentialKey('zd', old.kind, old.ownerId, old.credentialId);
    const row = { ...old, key, connectionId: 'zd', tenantLabel: 'Sample Zendesk', provider: 'zendesk' as const, status: 'too_old' as const, findings: [], readAt: referenceTime.toISOString(), rotationId: null };
    const unexpected: string[] = [];
    const runner = new RotationRunner({
      directory: join(directory, 'rotations'),
      inventory: { credential: (wanted) => (wanted === key ? row : null), reread: async () => undefined },
      credentials: { zendesk: credentials },
      gateway: { context },
      connections: { replaceClientSecret: async () => undefined },
      settings: { get: () => ({ credentialMaxAgeDays: {}, keyAgePolicyDays: 90 }) },
      activity: new ActivityService(await ActivityLog.open(join(directory, 'activity')), events),
      events,
      reportUnexpected: (where, error) => void unexpected.push(`${where}: ${String(error)}`),
    });
    await runner.start();
    return { runner, key, old, unexpected };
  }

  test('fails with where to delete the old token while Zendesk still lists it, and finishes once it is deleted in Admin Center; Consentry changes nothing itself', async () => {
    const { runner, key, old, unexpected } = await rotationConsole();
    const saved = [...state().apiTokens];
    const changingCalls = () => simulator.calls.filter((call) => call.name.startsWith('zendesk.') && call.method !== 'GET');
    const changedBefore = changingCalls().length;
    try {
      const planned = await runner.startRotation(key);
      expect(planned.guide).toMatchObject({ where: 'Zendesk Admin Center › Apps and integrations › APIs › API tokens', url: 'https://sample-company.zendesk.com/admin/apps-integrations/apis/api-tokens' });
      expect(planned.guide!.steps.join('\n')).toContain(`“${planned.planned.displayName}”`);
      expect(planned.guide!.steps.join('\n')).toContain(`“${old.displayName}”`);

      // The admin adds the new token in Admin Center but has not deleted the old one yet.
      state().apiTokens.push({ ...saved[0]!, id: 9_999_999_999_002, description: planned.planned.displayName });
      const stillListed = await runner.advance(planned.id, { action: 'confirm_manual_create' });
      expect(stillListed).toMatchObject({
        state: 'failed',
        failure: { at: 'retiring', code: 'remediation_required', nextStep: `Delete the old API token “${old.displayName}” in Zendesk Admin Center › Apps and integrations › APIs › API tokens, then Retry: Consentry checks again.` },
      });

      state().apiTokens.splice(state().apiTokens.findIndex((token) => String(token.id) === old.credentialId), 1);
      const done = await runner.advance(planned.id, { action: 'retry' });
      expect(done).toMatchObject({ state: 'done', failure: null });
      expect(done.steps.every((step) => step.status === 'done')).toBe(true);
      expect(changingCalls().length).toBe(changedBefore);
      await runner.close();
      expect(unexpected).toEqual([]);
    } finally {
      state().apiTokens.splice(0, state().apiTokens.length, ...saved);
    }
  });
});
