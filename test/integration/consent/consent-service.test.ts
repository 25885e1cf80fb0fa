/**
 * The consent service end to end in Node: the whole console on a profile folder, connected to the
 * sample workspace's simulated Entra tenant, with the consent capability allowed through a real
 * sign-in. Policies are read and fixed, Board Notes is approved keeping two of its four scopes, and
 * Survey Hub is denied with a reason.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConsoleServices } from '../../../src-main/app-services';
import { openNodeConsole } from '../../support/node-console';

describe('the consent service against the sample workspace', () => {
  let services: ConsoleServices;
  let connectionId: string;
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'consentry-consent-'));
    services = await openNodeConsole(dataDirectory);
    const connection = await services.sample.connect(randomUUID(), 'microsoft');
    connectionId = connection.id;
    const allowed = await services.connections.enableCapability(connectionId, randomUUID(), 'consent');
    expect(allowed.capabilities.find((capability) => capability.id === 'consent')).toMatchObject({ allowed: true, held: true });
  }, 60_000);
  afterAll(async () => {
    await services?.close();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const userConsentCheck = async () => {
    const { tenants } = await services.consent.policies([connectionId]);
    return tenants[0]!.checks.find((check) => check.controlId === 'MS.AAD.5.2v1')!;
  };

  test('the seeded legacy user consent fails; changed to none, it reads back and passes', async () => {
    expect(await userConsentCheck()).toMatchObject({ result: 'fail', fix: { kind: 'change', change: 'user_consent' } });
    const plan = await services.consent.planPolicyChange({ connectionId, change: { kind: 'user_consent', value: 'none' } });
    expect(plan.missingScopes).toEqual([]);
    const result = await services.consent.changePolicy({ planId: plan.planId, confirmation: '' });
    expect(result).toMatchObject({ applied: true, policy: { state: 'read', microsoft: { userConsent: 'none' } } });
    expect(await userConsentCheck()).toMatchObject({ result: 'pass', fix: null });
  });

  test('a request names the publisher of an app already in the tenant; Board Notes, not yet in it, has none', async () => {
    const { requests } = await services.consent.requests();
    expect(requests.find((request) => request.appName === 'Grammar Helper')).toMatchObject({ publisher: 'WriteRight', verifiedPublisher: true });
    expect(requests.find((request) => request.appName === 'Board Notes')).toMatchObject({ publisher: null, verifiedPublisher: null });
  });

  test('approves Board Notes keeping User.Read and Calendars.Read: the grant job settles and the tenant-wide consent lists exactly those', async () => {
    const { requests } = await services.consent.requests();
    const boardNotes = requests.find((request) => request.appName === 'Board Notes')!;
    expect(boardNotes.scopes.map((scope) => scope.scope)).toEqual(['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All']);
    const review = await services.consent.review({ connectionId, appId: boardNotes.appId, requestId: boardNotes.id, delegated: [], application: [] });
    expect(review.servicePrincipalId).toBeNull();
    const plan = services.consent.planGrant({ reviewId: review.reviewId, keepDelegated: ['User.Read', 'Calendars.Read'], keepApplication: [], method: 'graph' });
    expect(plan.droppedDelegated).toEqual(['Mail.Read', 'Files.Read.All']);
    const job = await services.consent.grant({ planId: plan.planId, confirmation: plan.confirmationText ?? '' });
    expect(await services.jobs.settled(job.id)).toMatchObject({ state: 'finished', failed: 0, inDoubt: 0 });
    const result = await services.consent.grantResult(job.id);
    expect(result.steps.map((step) => step.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(result.granted).toMatchObject({ application: [], missing: [], extra: [], matches: true });
    expect([...result.granted!.delegated].sort()).toEqual(['Calendars.Read', 'User.Read']);
    const pending = (await services.consent.requests()).requests.map((request) => request.appName);
    expect(pending).not.toContain('Board Notes');
    await expect.poll(async () => (await services.activity.list({ action: 'consent.granted' }, 0, 10)).entries.length).toBe(1);
  });

  test('denies Survey Hub with a reason: the activity log has it', async () => {
    const surveyHub = (await services.consent.requests()).requests.find((request) => request.appName === 'Survey Hub')!;
    const result = await services.consent.deny({ connectionId, requestId: surveyHub.id, reason: 'Sending mail as staff needs a data-protection review first.' });
    expect(result.atProvider).toBe('recorded');
    const [entry] = (await services.activity.list({ action: 'consent.denied' }, 0, 10)).entries;
    expect(entry).toMatchObject({ result: 'succeeded', target: expect.stringContaining('Survey Hub'), detail: expect.stringContaining('Sending mail as staff needs a data-protection review first.') });
    expect((await services.consent.requests()).requests.map((request) => request.appName)).not.toContain('Survey Hub');
  });
});
