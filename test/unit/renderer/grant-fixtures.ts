/**
 * Contract-shaped answers for the Grants tests, each parsed through the contract's own schema so a
 * change to the contract breaks these before it misleads a test.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Envelope } from '../../../src-shared/contract/envelope';
import { GrantAppDetailSchema, GrantAppRowSchema, GrantAuditStatusSchema, GrantChangeListSchema, GrantRowSchema, RevocationPlanSchema, RevocationReportSchema, ScanProgressSchema, ScannedConnectionSchema, SnapshotSummarySchema, type GrantAppDetail, type GrantAppRow, type GrantAuditStatus, type GrantRow, type RevocationPlan, type RevocationReport, type ScanProgress, type ScannedConnection, type SnapshotSummary } from '../../../src-shared/contract/grants';
import { JobSummarySchema, type JobSummary } from '../../../src-shared/contract/jobs';
import { connectionView, consoleAnswering, ok } from './connection-fixtures';

export const gmailScope = 'https://mail.google.com/';
export const driveScope = 'https://www.googleapis.com/auth/drive';
export const profileScope = 'https://www.googleapis.com/auth/userinfo.profile';

export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

export function appRow(overrides: Partial<GrantAppRow> = {}): GrantAppRow {
  return GrantAppRowSchema.parse({
    key: 'google:conn-acme:inboxzen',
    provider: 'google',
    connectionId: 'conn-acme',
    connectionLabel: 'Acme Workspace',
    clientId: '1111-inboxzen.apps.googleusercontent.com',
    name: 'InboxZen',
    publisher: 'InboxZen Ltd',
    verifiedPublisher: false,
    internal: false,
    anonymous: false,
    risk: 'critical',
    scopeRisk: 'critical',
    factors: [{ code: 'unverified_publisher', text: 'The publisher is not verified by Google.', raises: false }],
    users: 42,
    grants: 42,
    consent: ['user'],
    access: ['delegated'],
    scopes: [gmailScope, profileScope],
    lastUsed: hoursAgo(3),
    isNew: false,
    ...overrides,
  });
}

export function grantRow(overrides: Partial<GrantRow> = {}): GrantRow {
  return GrantRowSchema.parse({
    key: 'google:conn-acme:inboxzen:alice',
    appKey: 'google:conn-acme:inboxzen',
    appName: 'InboxZen',
    provider: 'google',
    connectionId: 'conn-acme',
    user: 'alice@acme.example',
    scopes: [gmailScope, profileScope],
    risk: 'critical',
    consent: 'user',
    access: 'delegated',
    lastUsed: hoursAgo(3),
    isNew: false,
    ...overrides,
  });
}

/** Apps of every level, worst first, as main sorts them by default. */
export const appsByRisk: GrantAppRow[] = [
  appRow(),
  appRow({ key: 'google:conn-acme:drivesync', name: 'DriveSync', clientId: '2222-drivesync', publisher: 'Sync Co', verifiedPublisher: true, risk: 'high', scopeRisk: 'high', scopes: [driveScope], users: 12, grants: 12, factors: [] }),
  appRow({ key: 'google:conn-acme:calendly', name: 'MeetSlot', clientId: '3333-meetslot', publisher: 'MeetSlot Inc', verifiedPublisher: true, risk: 'medium', scopeRisk: 'medium', users: 7, grants: 7, factors: [], consent: ['tenant'] }),
  appRow({ key: 'google:conn-acme:grammar', name: 'Grammarly', clientId: '4444-grammar', publisher: null, verifiedPublisher: null, risk: 'low', scopeRisk: 'low', scopes: [profileScope], users: 3, grants: 3, factors: [] }),
];

export function scannedConnection(overrides: Partial<ScannedConnection> = {}): ScannedConnection {
  return ScannedConnectionSchema.parse({
    connectionId: 'conn-acme',
    label: 'Acme Workspace',
    provider: 'google',
    outcome: 'complete',
    completed: 120,
    total: 120,
    unit: 'users',
    incomplete: [],
    note: null,
    errorCode: null,
    readAt: hoursAgo(1),
    newerRead: null,
    ...overrides,
  });
}

export function snapshot(overrides: Partial<SnapshotSummary> = {}): SnapshotSummary {
  return SnapshotSummarySchema.parse({
    id: 'snap-2',
    takenAt: hoursAgo(1),
    partial: false,
    connections: [scannedConnection()],
    apps: 4,
    grants: 64,
    users: 50,
    appsByRisk: { critical: 1, high: 1, medium: 1, low: 1 },
    changes: { previousTakenAt: null, newApps: 0, newRiskyGrants: 0, goneGrants: 0 },
    scopes: [gmailScope, driveScope, profileScope],
    ...overrides,
  });
}

export const acmeScannable = { connectionId: 'conn-acme', label: 'Acme Workspace', provider: 'google', supported: true, ready: true, note: null } as const;

export function auditStatus(overrides: Partial<GrantAuditStatus> = {}): GrantAuditStatus {
  return GrantAuditStatusSchema.parse({ snapshot: snapshot(), scan: null, scannable: [acmeScannable], skippedScans: [], ...overrides });
}

export function scanProgress(overrides: Partial<ScanProgress> = {}): ScanProgress {
  return ScanProgressSchema.parse({
    scanId: 'scan-1',
    state: 'running',
    startedAt: hoursAgo(0.05),
    done: 0,
    total: 1,
    percent: 24,
    callsPerMinute: 420,
    etaSeconds: 540,
    connections: [{ connectionId: 'conn-acme', label: 'Acme Workspace', provider: 'google', phase: 'Reading users’ tokens', done: 1_200, total: 5_000, percent: 24 }],
    error: null,
    ...overrides,
  });
}

export function appDetail(app: GrantAppRow = appRow()): GrantAppDetail {
  return GrantAppDetailSchema.parse({
    app,
    scopes: [
      { scope: gmailScope, level: 'critical', reason: 'Reads, sends and permanently deletes all of the user’s mail.', unrated: false },
      { scope: profileScope, level: 'low', reason: 'Sees the user’s name and profile picture.', unrated: false },
    ],
    grants: [grantRow(), grantRow({ key: 'google:conn-acme:inboxzen:bob', user: 'bob@acme.example' })],
    evidence: [{ grantKey: 'google:conn-acme:inboxzen:alice', record: JSON.stringify({ kind: 'admin#directory#token', clientId: app.clientId, displayText: app.name, scopes: app.scopes }) }],
  });
}

export function revocationPlan(overrides: Partial<RevocationPlan> = {}): RevocationPlan {
  return RevocationPlanSchema.parse({
    planId: 'plan-1',
    items: [
      { key: 'google:conn-acme:inboxzen:alice', connectionId: 'conn-acme', provider: 'google', appName: 'InboxZen', user: 'alice@acme.example', scopes: [gmailScope], action: 'Delete the user’s tokens for this client' },
      { key: 'google:conn-acme:inboxzen:bob', connectionId: 'conn-acme', provider: 'google', appName: 'InboxZen', user: 'bob@acme.example', scopes: [gmailScope], action: 'Delete the user’s tokens for this client' },
    ],
    total: 42,
    apps: 1,
    users: 42,
    tenantWide: 0,
    connections: [{ connectionId: 'conn-acme', label: 'Acme Workspace', provider: 'google', grants: 42, needsRemediate: false, offersSessionRevocation: false }],
    warnings: ['Access tokens already issued stay valid until they expire (up to an hour).'],
    confirmationText: null,
    ...overrides,
  });
}

export function revocationReport(overrides: Partial<RevocationReport> = {}): RevocationReport {
  return RevocationReportSchema.parse({
    jobId: 'job-1',
    items: [
      { key: 'google:conn-acme:inboxzen:alice', appName: 'InboxZen', user: 'alice@acme.example', provider: 'google', outcome: 'revoked', verified: true, message: 'Revoked and confirmed gone.', errorCode: null },
      { key: 'google:conn-acme:inboxzen:bob', appName: 'InboxZen', user: 'bob@acme.example', provider: 'google', outcome: 'failed', verified: false, message: 'Google refused: the admin lacks the right to manage this user’s tokens.', errorCode: 'permission_denied' },
    ],
    total: 2,
    revoked: 1,
    failed: 1,
    skipped: 0,
    inDoubt: 0,
    notStarted: 0,
    unverified: 0,
    sessionsRevoked: 0,
    ...overrides,
  });
}

/** A revocation job as main reports it in `jobs.progress` and `jobs.list`. */
export function revocationJob(overrides: Partial<JobSummary> = {}): JobSummary {
  return JobSummarySchema.parse({
    id: 'job-1',
    kind: 'grants.revoke',
    title: 'Revoke 42 grants',
    state: 'finished',
    reason: null,
    total: 42,
    succeeded: 41,
    failed: 1,
    skipped: 0,
    inDoubt: 0,
    notStarted: 0,
    createdAt: '2026-11-21T09:00:00.000Z',
    updatedAt: '2026-11-21T09:01:00.000Z',
    etaSeconds: null,
    ...overrides,
  });
}

export const noChanges = GrantChangeListSchema.parse({ newApps: [], newRiskyGrants: [], goneGrants: [], limit: 50 });

type Handler = (request: unknown) => Envelope | Promise<Envelope>;

/** A page of rows as main pages them: the window [offset, offset + limit) of `rows`. */
export function pageOf<Row>(rows: Row[], request: unknown, snapshotId = 'snap-2'): Envelope {
  const { offset = 0, limit = 200 } = request as { offset?: number; limit?: number };
  return ok({ snapshotId, total: rows.length, rows: rows.slice(offset, offset + limit) });
}

/** A console with one Google connection and a last scan, answering the grant channels; tests override any. */
export function grantConsole(handlers: Record<string, Handler> = {}, status: GrantAuditStatus = auditStatus()) {
  return consoleAnswering(
    {
      'grants.status': () => ok(status),
      'grants.apps': (request) => pageOf(appsByRisk, request),
      'grants.list': (request) => pageOf([grantRow()], request),
      'grants.app': () => ok(appDetail()),
      'grants.changes': () => ok(noChanges),
      'jobs.list': () => ok({ jobs: [] }),
      'grants.revocationReport': () => ok(revocationReport()),
      ...handlers,
    },
    { connections: [connectionView()] },
  );
}

/**
 * jsdom lays nothing out, so a virtualised table would see a 0-pixel viewport and draw no rows.
 * Gives the tables' scroll containers the height of a real window for the tests in this file.
 */
export function layOutVirtualTables(height = 800) {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
      configurable: true,
      get(this: HTMLElement) {
        return this.hasAttribute('data-virtual-scroller') ? height : 0;
      },
    });
  });
  afterAll(() => {
    if (original) Object.defineProperty(HTMLElement.prototype, 'clientHeight', original);
  });
}
