import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { GrantAuditService } from '../../../../src-main/audit/grant-audit-service';
import type { ProviderScan } from '../../../../src-main/audit/grant-model';
import type { ProviderAudit, RevocationOutcome, ScanContext } from '../../../../src-main/audit/provider-audit';
import { SnapshotStore } from '../../../../src-main/audit/snapshot-store';
import { ConnectionStore } from '../../../../src-main/connections/connection-record';
import { ConnectionService } from '../../../../src-main/connections/connection-service';
import { EventHub } from '../../../../src-main/events/event-hub';
import { TenantSchedulers } from '../../../../src-main/net/tenant-schedulers';
import { TenantGateway } from '../../../../src-main/connections/tenant-gateway';
import { JobKernel } from '../../../../src-main/jobs/job-kernel';
import type { OAuthClient, TokenGrant } from '../../../../src-main/oauth/oauth-client';
import { ProviderRegistry } from '../../../../src-main/providers/provider-registry';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import { SecretVault } from '../../../../src-main/vault/secret-vault';
import type { EventName } from '../../../../src-shared/contract/channels';
import type { GrantAppDetail, ScanProgress } from '../../../../src-shared/contract/grants';
import type { CapabilityId, ProviderId } from '../../../../src-shared/domain/ids';
import { createAesGcmCipher } from '../../../support/aes-gcm-cipher';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { app, grant } from './scan-harness';
import { providerDefinitions } from '../../../support/provider-definitions';

const tokenGrant: TokenGrant = {
  secrets: { accessToken: 'at-1', refreshToken: 'rt-1' },
  accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
  scopesGranted: null,
  account: 'admin@acme.test',
  tenant: 'acme.test',
};

const oauthClient: OAuthClient = { authorize: async () => tokenGrant, refresh: async () => tokenGrant, revoke: async () => 'revoked' };

/** A Google tenant with a mail reader used by two people and a harmless sign-in app. */
function tenantScan(): ProviderScan {
  return {
    apps: [app('mail-1', 'Mail Magic', { anonymous: true }), app('signin-1', 'Sign in with Google')],
    grants: [
      grant('mail-1', 'ana@acme.test', ['https://mail.google.com/']),
      grant('mail-1', 'bo@acme.test', ['https://mail.google.com/']),
      grant('signin-1', 'ana@acme.test', ['openid', 'email']),
    ],
    incomplete: [],
    completed: 2,
    total: 2,
  };
}

/** A provider adapter that answers from a list the test controls, and revokes from it. */
function listedAudit(scan: () => ProviderScan | Promise<ProviderScan>, extra: Partial<Omit<ProviderAudit, 'unit'>> = {}) {
  const revoked: string[] = [];
  const audit: ProviderAudit = {
    unit: 'users',
    scan: async () => {
      const result = await scan();
      return { ...result, grants: result.grants.filter((item) => !revoked.includes(item.key)) };
    },
    describeRevocation: ({ grant: target }) => `Delete ${target.user}'s tokens for this app`,
    revoke: vi.fn(async (_context, { grant: target }): Promise<RevocationOutcome> => {
      revoked.push(target.key);
      return { outcome: 'revoked', verified: true, message: 'Revoked.', errorCode: null };
    }),
    ...extra,
  };
  return { audit, revoked };
}

async function harness(audits: Partial<Record<ProviderId, ProviderAudit>>, directory?: string) {
  const folder = directory ?? (await temporaryDirectory());
  const events = new EventHub();
  const published: { event: EventName; payload: unknown }[] = [];
  events.subscribe((event, payload) => published.push({ event, payload }));
  const activityLog = await ActivityLog.open(`${folder}/activity`);
  const activity = new ActivityService(activityLog, events);
  const connections = new ConnectionService({
    definitions: providerDefinitions,
    store: new ConnectionStore(openConfKeyValueStore(folder, 'connections'), providerDefinitions),
    vault: new SecretVault(openConfKeyValueStore(folder, 'vault'), createAesGcmCipher(Buffer.alloc(32, 3))),
    clients: { google: oauthClient, microsoft: oauthClient, generic: oauthClient },
    openBrowser: async () => undefined,
    notify: () => undefined,
    activity,
    events,
  });
  await connections.start();
  const schedulers = new TenantSchedulers(Object.fromEntries(Object.keys(audits).map((provider) => [provider, { classify: () => ({ kind: 'final' as const }), defaultQuotaPerMinute: 600 }])));
  const jobs = new JobKernel({ directory: `${folder}/jobs`, activity, events });
  const service = new GrantAuditService({
    connections,
    audits,
    noGrantListings: new ProviderRegistry().noGrantListings(),
    gateway: new TenantGateway({ connections, definitions: providerDefinitions, schedulers, events, fetch }),
    jobs,
    store: await SnapshotStore.open(`${folder}/grant-snapshots`),
    events,
    activity,
  });
  await service.start();
  await jobs.start();
  /** Confirms a plan and waits for its job to end, then reads the per-grant report. */
  const revokeAll = async (request: Parameters<GrantAuditService['revoke']>[0]) => {
    const job = await service.revoke(request);
    await jobs.settled(job.id);
    return service.revocationReport(job.id);
  };
  const connect = (provider: ProviderId, label: string, capabilities: CapabilityId[] = []) =>
    connections.connect(crypto.randomUUID(), { provider, label, clientId: `${provider}-client`, clientSecret: 'secret', settings: provider === 'microsoft' ? { tenant: 'acme.test' } : {}, capabilities });
  const finished = async () => {
    await vi.waitFor(async () => expect((await service.status()).scan?.state).toMatch(/finished|cancelled|failed/));
    return service.status();
  };
  return { service, connections, activityLog, published, connect, finished, folder, revokeAll, jobs };
}

describe('grant audit service', () => {
  test('scans every connection into one snapshot, says which provider cannot be listed, and opens on it after a restart', async () => {
    const { audit } = listedAudit(tenantScan);
    const { service, connect, finished, folder } = await harness({ google: audit });
    await connect('google', 'Acme Google');
    await connect('hubspot', 'Acme HubSpot');

    await service.startScan();
    const status = await finished();

    expect(status.snapshot).toMatchObject({ apps: 2, grants: 3, users: 2, partial: false, appsByRisk: { critical: 1, low: 1 } });
    expect(status.snapshot!.connections.map((connection) => [connection.label, connection.outcome])).toEqual([
      ['Acme Google', 'complete'],
      ['Acme HubSpot', 'not_supported'],
    ]);
    expect(status.snapshot!.connections[1]!.note).toMatch(/HubSpot offers no API/);
    expect((await service.apps({ filter: {}, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10 })).rows[0]).toMatchObject({ name: 'Mail Magic', risk: 'critical', users: 2 });

    const reopened = await harness({ google: audit }, folder);
    expect((await reopened.service.status()).snapshot?.id).toBe(status.snapshot!.id);
  });

  test('the second scan shows new apps, new risky grants and grants gone', async () => {
    let round = 0;
    const { audit } = listedAudit(() => {
      round += 1;
      const scan = tenantScan();
      if (round === 1) return scan;
      return {
        ...scan,
        apps: [...scan.apps, app('drive-1', 'Drive Sync')],
        grants: [...scan.grants.filter((item) => item.user !== 'bo@acme.test'), grant('drive-1', 'bo@acme.test', ['https://www.googleapis.com/auth/drive'])],
      };
    });
    const { service, connect, finished } = await harness({ google: audit });
    await connect('google', 'Acme Google');
    await service.startScan();
    expect((await finished()).snapshot!.changes).toMatchObject({ previousTakenAt: null, newApps: 0, goneGrants: 0 });

    await service.startScan();
    expect((await finished()).snapshot!.changes.previousTakenAt).not.toBeNull();
    const changes = await service.changes();
    expect(changes.newApps.map((row) => row.name)).toEqual(['Drive Sync']);
    expect(changes.newRiskyGrants.map((row) => [row.appName, row.user])).toEqual([['Drive Sync', 'bo@acme.test']]);
    expect(changes.goneGrants.map((row) => [row.appName, row.user, row.risk])).toEqual([['Mail Magic', 'bo@acme.test', 'critical']]);
  });

  test('streams progress, and a cancel stops the scan and keeps what was read', async () => {
    let reached!: () => void;
    const started = new Promise<void>((resolve) => (reached = resolve));
    const audit: ProviderAudit = {
      ...listedAudit(tenantScan).audit,
      scan: async (context: ScanContext) => {
        context.onProgress?.({ done: 1, total: 2, phase: 'tokens' });
        reached();
        await new Promise((resolve) => context.signal!.addEventListener('abort', resolve));
        const scan = tenantScan();
        return { ...scan, grants: scan.grants.filter((item) => item.user === 'ana@acme.test'), completed: 1, total: 2, incomplete: [{ what: 'bo@acme.test', reason: 'Cancelled before it was read.' }] };
      },
    };
    const { service, connect, finished, published } = await harness({ google: audit });
    await connect('google', 'Acme Google');
    const scan = await service.startScan();
    await started;
    await vi.waitFor(() => expect(published.some(({ event, payload }) => event === 'grants.scanProgress' && (payload as ScanProgress).connections[0]?.done === 1)).toBe(true));

    expect(service.cancelScan(scan.scanId)).toBe(true);
    const status = await finished();

    expect(status.scan).toMatchObject({ state: 'cancelled' });
    expect(status.snapshot).toMatchObject({ grants: 2, partial: true });
    expect(status.snapshot!.connections[0]).toMatchObject({ outcome: 'cancelled', completed: 1, total: 2, note: 'Cancelled: 1 of 2 read and kept.' });
  });

  test('a tenant that fails is reported with a code and a sentence; the others are kept', async () => {
    const failing: ProviderAudit = {
      ...listedAudit(tenantScan).audit,
      scan: async () => {
        throw Object.assign(new Error('GET https://graph.example/…?token=abc failed'), { status: 403 });
      },
      describeFailure: () => ({ code: 'permission_denied', message: 'Microsoft Graph answered 403 (Authorization_RequestDenied).' }),
    };
    const { service, connect, finished } = await harness({ google: listedAudit(tenantScan).audit, microsoft: failing });
    await connect('google', 'Acme Google');
    await connect('microsoft', 'Acme Entra');
    await service.startScan();
    const status = await finished();
    expect(status.snapshot).toMatchObject({ grants: 3, partial: true });
    expect(status.snapshot!.connections.find((connection) => connection.provider === 'microsoft')).toMatchObject({
      outcome: 'failed',
      errorCode: 'permission_denied',
      note: 'Microsoft Graph answered 403 (Authorization_RequestDenied).',
    });
  });

  test('refuses a second scan while one runs', async () => {
    const { audit } = listedAudit(() => new Promise<ProviderScan>((resolve) => setTimeout(() => resolve(tenantScan()), 50)));
    const { service, connect, finished } = await harness({ google: audit });
    await connect('google', 'Acme Google');
    await service.startScan();
    await expect(service.startScan()).rejects.toMatchObject({ code: 'scan_in_progress' });
    await finished();
  });

  test('an app opens with each scope explained and its evidence, with capabilities removed', async () => {
    const { service, connect, finished } = await harness({ google: listedAudit(tenantScan).audit });
    await connect('google', 'Acme Google');
    await service.startScan();
    await finished();
    const [mail] = (await service.apps({ filter: { risks: ['critical'] }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10 })).rows;
    const detail = await service.app(mail!.key);
    expect(detail.scopes).toEqual([expect.objectContaining({ scope: 'https://mail.google.com/', level: 'critical', unrated: false })]);
    expect(detail.grants.map((row) => row.user)).toEqual(['ana@acme.test', 'bo@acme.test']);
    expect(detail.evidence).toHaveLength(2);
    expect(detail.evidence[0]!.record).toContain('"clientId": "mail-1"');
    expect(detail.evidence[0]!.record).not.toContain('capability-123');
  });

  test('an app whose evidence records are damaged on disk still opens: each one that cannot be read says so, the others are shown', async () => {
    const { service, connect, finished, folder } = await harness({ google: listedAudit(tenantScan).audit });
    await connect('google', 'Acme Google');
    await service.startScan();
    await finished();
    const [mail] = (await service.apps({ filter: { risks: ['critical'] }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10 })).rows;
    const snapshots = join(folder, 'grant-snapshots');
    const evidenceFile = join(snapshots, (await readdir(snapshots)).find((name) => name.endsWith('.evidence.ndjson'))!);
    const lines = (await readFile(evidenceFile, 'utf8')).split('\n');
    const lineOf = (user: string) => lines.findIndex((line) => line.includes('"mail-1"') && line.includes(`"${user}"`));
    const unreadable = (detail: GrantAppDetail) => detail.evidence.map((entry) => entry.record.startsWith('Evidence unreadable'));

    // Not JSON any more, at the same length: the other records' offsets stay right.
    lines[lineOf('ana@acme.test')] = `#${lines[lineOf('ana@acme.test')]!.slice(1)}`;
    await writeFile(evidenceFile, lines.join('\n'));
    const corrupted = await service.app(mail!.key);
    expect(corrupted.grants.map((row) => row.user)).toEqual(['ana@acme.test', 'bo@acme.test']);
    expect(unreadable(corrupted)).toEqual([true, false]);
    expect(corrupted.evidence[1]!.record).toContain('"userKey": "bo@acme.test"');

    // Cut short in the middle of bo's record, as a crash or a full disk can leave it.
    await truncate(evidenceFile, lines.slice(0, lineOf('bo@acme.test')).join('\n').length + 10);
    const cut = await service.app(mail!.key);
    expect(cut.grants.map((row) => row.user)).toEqual(['ana@acme.test', 'bo@acme.test']);
    expect(unreadable(cut)).toEqual([true, true]);
  });

  test('revoking many needs the typed confirmation and the revoke_grants capability; then each grant is revoked, logged and gone from the scan', async () => {
    const { audit } = listedAudit(tenantScan);
    const { service, connections, connect, finished, activityLog, revokeAll } = await harness({ google: audit });
    const connection = await connect('google', 'Acme Google');
    await service.startScan();
    const status = await finished();
    const [mail] = (await service.apps({ filter: { risks: ['critical'] }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10 })).rows;

    const plan = await service.planRevocation({ snapshotId: status.snapshot!.id, appKeys: [mail!.key], grantKeys: [] });
    expect(plan).toMatchObject({ total: 2, apps: 1, users: 2, tenantWide: 0, confirmationText: 'revoke 2 grants' });
    expect(plan.connections).toEqual([expect.objectContaining({ label: 'Acme Google', grants: 2, needsRemediate: true, offersSessionRevocation: false })]);
    expect(plan.items.map((item) => item.action)).toEqual(["Delete ana@acme.test's tokens for this app", "Delete bo@acme.test's tokens for this app"]);

    await expect(service.revoke({ planId: plan.planId, revokeSessions: false, confirmation: 'revoke 3 grants' })).rejects.toMatchObject({ code: 'confirmation_mismatch' });
    await expect(service.revoke({ planId: plan.planId, revokeSessions: false, confirmation: 'revoke 2 grants' })).rejects.toMatchObject({ code: 'remediation_required' });
    expect(audit.revoke).not.toHaveBeenCalled();

    await connections.enableCapability(connection.id, crypto.randomUUID(), 'revoke_grants');
    const report = await revokeAll({ planId: plan.planId, revokeSessions: false, confirmation: 'Revoke 2 grants' });

    expect(report).toMatchObject({ revoked: 2, failed: 0 });
    expect(report.items.map((item) => [item.user, item.outcome, item.verified])).toEqual([
      ['ana@acme.test', 'revoked', true],
      ['bo@acme.test', 'revoked', true],
    ]);
    // Grants are revoked a few at a time, so the calls may come in either order.
    const sentToAna = vi.mocked(audit.revoke).mock.calls.map(([, target]) => target.grant).find((target) => target.user === 'ana@acme.test');
    expect(sentToAna).toMatchObject({ key: 'google:mail-1|ana@acme.test', revocationHandle: 'mail-1', user: 'ana@acme.test' });
    expect((await service.status()).snapshot).toMatchObject({ apps: 1, grants: 1 });
    expect((await activityLog.query({ action: 'grants.revoke' })).map((entry) => entry.target)).toEqual(
      expect.arrayContaining(['Mail Magic — ana@acme.test (Acme Google)', 'Mail Magic — bo@acme.test (Acme Google)']),
    );
    await expect(service.revoke({ planId: plan.planId, revokeSessions: false, confirmation: 'revoke 2 grants' })).rejects.toMatchObject({ code: 'plan_expired' });

    await service.startScan();
    // The next scan still says what went away: the two revoked grants.
    expect((await finished()).snapshot).toMatchObject({ apps: 1, grants: 1, changes: { goneGrants: 2 } });
  });

  test('a single grant needs no typed confirmation, and users can be signed out where the provider offers it', async () => {
    const signedOut: string[] = [];
    const { audit } = listedAudit(tenantScan, {
      revokeSignInSessions: async (_context, user) => {
        signedOut.push(user);
        return { outcome: 'revoked', verified: false, message: 'Signed out everywhere.', errorCode: null };
      },
    });
    const { service, connect, finished, revokeAll } = await harness({ google: audit });
    await connect('google', 'Acme Google', ['revoke_grants']);
    await service.startScan();
    const status = await finished();
    const plan = await service.planRevocation({ snapshotId: status.snapshot!.id, appKeys: [], grantKeys: [(await service.grants({ filter: { text: 'bo@' }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 1 })).rows[0]!.key] });
    expect(plan).toMatchObject({ total: 1, confirmationText: null });
    expect(plan.connections[0]).toMatchObject({ needsRemediate: false, offersSessionRevocation: true });

    const report = await revokeAll({ planId: plan.planId, revokeSessions: true, confirmation: '' });
    expect(report).toMatchObject({ revoked: 1, sessionsRevoked: 1 });
    expect(signedOut).toEqual(['bo@acme.test']);
  });

  test('a report counts every grant and lists what was not revoked first; the CSV made by main lists them all', async () => {
    const { audit } = listedAudit(tenantScan, {
      revoke: vi.fn(async (_context, { grant: target }): Promise<RevocationOutcome> =>
        target.user === 'bo@acme.test' ? { outcome: 'failed', verified: false, message: 'Google refused.', errorCode: 'permission_denied' } : { outcome: 'revoked', verified: false, message: 'Revoked.', errorCode: null },
      ),
    });
    const { service, connect, finished, revokeAll } = await harness({ google: audit });
    await connect('google', 'Acme Google', ['revoke_grants']);
    await service.startScan();
    const status = await finished();
    const all = await service.grants({ filter: {}, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10 });
    const plan = await service.planRevocation({ snapshotId: status.snapshot!.id, appKeys: [], grantKeys: all.rows.map((row) => row.key) });
    const report = await revokeAll({ planId: plan.planId, revokeSessions: false, confirmation: plan.confirmationText ?? '' });

    expect(report).toMatchObject({ total: 3, revoked: 2, failed: 1, skipped: 0, unverified: 2 });
    expect(report.items[0]).toMatchObject({ user: 'bo@acme.test', outcome: 'failed' });
    const csv = service.revocationCsv(report.jobId);
    expect(csv).toMatchObject({ rows: 3, fileName: `consentry-revocation-${report.jobId}.csv` });
    expect(csv.content.startsWith('\uFEFFapp,user,provider,outcome,verified,message,error_code\r\n')).toBe(true);
    expect(csv.content).toContain('Mail Magic,bo@acme.test,google,failed,no,Google refused.,permission_denied');
  });

  test('a revocation replayed at start stays applied to its scan, but does not hide a grant a later scan found granted again', async () => {
    const { audit, revoked } = listedAudit(tenantScan);
    const first = await harness({ google: audit });
    await first.connect('google', 'Acme Google', ['revoke_grants']);
    await first.service.startScan();
    const status = await first.finished();
    const bo = { filter: { text: 'bo@' }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10 } as const;
    const [grant] = (await first.service.grants(bo)).rows;
    const plan = await first.service.planRevocation({ snapshotId: status.snapshot!.id, appKeys: [], grantKeys: [grant!.key] });
    await first.revokeAll({ planId: plan.planId, revokeSessions: false, confirmation: '' });

    const second = await harness({ google: audit }, first.folder);
    expect((await second.service.grants(bo)).total).toBe(0);

    // Bo grants the app again; the next scan finds it.
    revoked.splice(0);
    await second.service.startScan();
    await second.finished();
    expect((await second.service.grants(bo)).total).toBe(1);

    const third = await harness({ google: audit }, first.folder);
    expect((await third.service.grants(bo)).total).toBe(1);
  });

  test('a grant an earlier plan already revoked is skipped by a later one, and named in the result', async () => {
    const { audit } = listedAudit(tenantScan);
    const { service, connect, finished, revokeAll } = await harness({ google: audit });
    await connect('google', 'Acme Google', ['revoke_grants']);
    await service.startScan();
    const status = await finished();
    const [bo] = (await service.grants({ filter: { text: 'bo@' }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 1 })).rows;
    const first = await service.planRevocation({ snapshotId: status.snapshot!.id, appKeys: [], grantKeys: [bo!.key] });
    const second = await service.planRevocation({ snapshotId: status.snapshot!.id, appKeys: [], grantKeys: [bo!.key] });
    await revokeAll({ planId: first.planId, revokeSessions: false, confirmation: '' });

    const report = await revokeAll({ planId: second.planId, revokeSessions: false, confirmation: '' });
    expect(report.items).toEqual([expect.objectContaining({ appName: 'Mail Magic', user: 'bo@acme.test', provider: 'google', outcome: 'skipped', errorCode: 'not_found' })]);
    expect(audit.revoke).toHaveBeenCalledOnce();
  });

  test('a plan made from a scan that has since been replaced is refused', async () => {
    const { service, connect, finished } = await harness({ google: listedAudit(tenantScan).audit });
    await connect('google', 'Acme Google');
    await service.startScan();
    const first = (await finished()).snapshot!.id;
    await service.startScan();
    expect((await finished()).snapshot!.id).not.toBe(first);
    await expect(service.planRevocation({ snapshotId: first, appKeys: ['x'], grantKeys: [] })).rejects.toMatchObject({ code: 'plan_expired' });
  });
});
