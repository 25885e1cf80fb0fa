import { describe, expect, test } from 'vitest';
import type { GrantFilter, ScannedConnection } from '../../../../src-shared/contract/grants';
import type { AuditedApp, AuditedGrant } from '../../../../src-main/audit/grant-model';
import { GrantIndex } from '../../../../src-main/audit/grant-index';
import { buildSnapshot, shownSnapshot, type ConnectionScan, type SnapshotData } from '../../../../src-main/audit/grant-snapshot';

const now = new Date('2026-11-21T12:00:00Z');
const g = (name: string) => `https://www.googleapis.com/auth/${name}`;
const mail = 'https://mail.google.com/';

function app(key: string, name: string, extra: Partial<AuditedApp> = {}): AuditedApp {
  const [provider, clientId] = key.split(':') as [AuditedApp['provider'], string];
  return { key, provider, clientId, name, publisher: null, verifiedPublisher: null, internal: false, anonymous: false, ...extra };
}

function grant(of: AuditedApp, user: string | null, scopes: string[], extra: Partial<AuditedGrant> = {}): AuditedGrant {
  return {
    key: `${of.key}|${user ?? '*'}${extra.access === 'application' ? '|application' : ''}`,
    appKey: of.key,
    provider: of.provider,
    user,
    scopes,
    consent: user === null ? 'tenant' : 'user',
    access: 'delegated',
    lastUsed: null,
    evidence: {},
    revocationHandle: of.clientId,
    ...extra,
  };
}

const mailMerge = app('google:111-mail.apps.googleusercontent.com', 'Mail Merge Pro');
const quickScript = app('google:222-quick.apps.googleusercontent.com', 'Quick Script', { anonymous: true });
const signIn = app('google:333-signin.apps.googleusercontent.com', 'Sign-in Helper', { anonymous: true });
const oldNotes = app('google:444-notes.apps.googleusercontent.com', 'Old Notes');
const crm = app('microsoft:aaaa-crm', 'Pipeline CRM', { publisher: 'Contoso Ltd', verifiedPublisher: true });
const backup = app('microsoft:bbbb-backup', 'Backup Daemon', { publisher: 'Backup Inc', verifiedPublisher: false });

const googleGrants = [
  grant(mailMerge, 'alice@acme.test', [mail, 'openid'], { lastUsed: '2026-11-01T08:00:00Z' }),
  grant(mailMerge, 'bob@acme.test', ['openid', mail], { lastUsed: '2026-11-10T08:00:00Z' }),
  grant(quickScript, 'carol@acme.test', [g('calendar.readonly')], { lastUsed: '2026-06-01T08:00:00Z' }),
  grant(signIn, 'erin@acme.test', ['openid', 'email']),
];
const microsoftGrants = [
  grant(crm, null, ['User.Read', 'Files.Read']),
  grant(crm, 'dave@acme.test', ['Mail.Read'], { lastUsed: '2026-11-20T08:00:00Z' }),
  grant(backup, null, ['Mail.ReadWrite'], { access: 'application' }),
];

function connection(connectionId: string, provider: ScannedConnection['provider'], apps: AuditedApp[], grants: AuditedGrant[], outcome: ScannedConnection['outcome'] = 'complete'): ConnectionScan {
  return {
    connection: { connectionId, label: connectionId === 'g' ? 'Acme Google' : 'Acme Entra', provider, outcome, note: null, errorCode: null, unit: 'users', tenantKey: `${provider}:${connectionId}`, readAt: '2026-11-21T10:00:00.000Z' },
    scan: { apps, grants, incomplete: outcome === 'partial' ? [{ what: 'zoe@acme.test', reason: 'Rate limited.' }] : [], completed: grants.length, total: grants.length },
  };
}

const currentScans = (googleOutcome: ScannedConnection['outcome'] = 'complete') => [
  connection('g', 'google', [mailMerge, quickScript, signIn], googleGrants, googleOutcome),
  connection('m', 'microsoft', [crm, backup], microsoftGrants),
];

function snapshotOf(scans: ConnectionScan[], previous: GrantIndex | null = null): SnapshotData {
  return buildSnapshot({
    id: previous ? 'second' : 'first',
    takenAt: previous ? '2026-11-21T10:00:00.000Z' : '2026-11-14T10:00:00.000Z',
    scans,
    previous: previous?.data ?? null,
    riskOfPrevious: (index) => previous!.grantRisk(index),
  }).data;
}

/** The fixture scan, compared with one a week before that had Mail Merge for Alice, Old Notes for Frank and the CRM for Dave. */
function indexWithHistory(): GrantIndex {
  const before = new GrantIndex(
    snapshotOf([
      connection('g', 'google', [mailMerge, oldNotes], [googleGrants[0]!, grant(oldNotes, 'frank@acme.test', [g('drive')])]),
      connection('m', 'microsoft', [crm], [microsoftGrants[1]!]),
    ]),
    now,
  );
  return new GrantIndex(snapshotOf(currentScans(), before), now);
}

const index = () => new GrantIndex(snapshotOf(currentScans()), now);
const riskDesc = { column: 'risk', direction: 'desc' } as const;
const appNames = (subject: GrantIndex, filter: GrantFilter) => subject.queryApps(filter, riskDesc, 0, 100).rows.map((row) => row.name);
/** Grants as "app name/user" ('*' for tenant-wide). */
const grantLabels = (subject: GrantIndex, filter: GrantFilter, sort: Parameters<GrantIndex['queryGrants']>[1] = riskDesc) =>
  subject.queryGrants(filter, sort, 0, 100).rows.map((row) => `${row.appName}/${row.user ?? '*'}`);

describe('grant index', () => {
  test('aggregates each app’s users, grants, consent, access, scopes and last use', () => {
    const rows = index().queryApps({}, { column: 'name', direction: 'asc' }, 0, 100).rows;
    const byName = new Map(rows.map((row) => [row.name, row]));

    expect(byName.get('Mail Merge Pro')).toMatchObject({
      key: 'g/google:111-mail.apps.googleusercontent.com',
      provider: 'google',
      connectionId: 'g',
      connectionLabel: 'Acme Google',
      clientId: '111-mail.apps.googleusercontent.com',
      users: 2,
      grants: 2,
      consent: ['user'],
      access: ['delegated'],
      scopes: [mail, 'openid'],
      lastUsed: '2026-11-10T08:00:00Z',
      isNew: false,
    });
    expect(byName.get('Pipeline CRM')).toMatchObject({ users: 1, grants: 2, consent: ['user', 'tenant'], access: ['delegated'], scopes: ['Files.Read', 'Mail.Read', 'User.Read'], lastUsed: '2026-11-20T08:00:00Z' });
    expect(byName.get('Backup Daemon')).toMatchObject({ users: 0, grants: 1, consent: ['tenant'], access: ['application'], scopes: ['Mail.ReadWrite'], lastUsed: null });
  });

  test('rates apps from the scope catalog, raised one level by what makes them worse', () => {
    const rows = new Map(index().matchingApps({}).map((row) => [row.name, row]));
    const factors = (name: string) => rows.get(name)!.factors.map((factor) => [factor.code, factor.raises]);

    // https://mail.google.com/ is Critical in the catalog.
    expect(rows.get('Mail Merge Pro')).toMatchObject({ risk: 'critical', scopeRisk: 'critical', factors: [] });
    // A Medium calendar scope, raised to High because the client is anonymous; unused since June.
    expect(rows.get('Quick Script')).toMatchObject({ risk: 'high', scopeRisk: 'medium' });
    expect(factors('Quick Script')).toEqual([
      ['anonymous_client', true],
      ['unused_90_days', false],
    ]);
    // Sign-in only: anonymous, but it reaches no data, so it stays Low.
    expect(rows.get('Sign-in Helper')).toMatchObject({ risk: 'low', scopeRisk: 'low' });
    expect(factors('Sign-in Helper')).toEqual([['anonymous_client', false]]);
    // Graph delegated Mail.Read is High; an admin consented for everyone.
    expect(rows.get('Pipeline CRM')).toMatchObject({ risk: 'critical', scopeRisk: 'high' });
    expect(factors('Pipeline CRM')).toEqual([['tenant_wide_consent', true]]);
    // Mail.ReadWrite as an application permission is Critical.
    expect(rows.get('Backup Daemon')).toMatchObject({ risk: 'critical', scopeRisk: 'critical' });
    expect(factors('Backup Daemon')).toEqual([
      ['unverified_publisher', true],
      ['application_permission', false],
      ['tenant_wide_consent', true],
    ]);
  });

  test('rates each grant on its own scopes with its app’s factors', () => {
    const subject = index();
    const risks = Object.fromEntries(subject.data.grants.key.map((key, position) => [key, subject.grantRow(position).risk]));

    expect(risks).toEqual({
      'g/google:111-mail.apps.googleusercontent.com|alice@acme.test': 'critical',
      'g/google:111-mail.apps.googleusercontent.com|bob@acme.test': 'critical',
      'g/google:222-quick.apps.googleusercontent.com|carol@acme.test': 'high',
      'g/google:333-signin.apps.googleusercontent.com|erin@acme.test': 'low',
      // Medium Files.Read, raised by tenant-wide consent.
      'm/microsoft:aaaa-crm|*': 'high',
      'm/microsoft:aaaa-crm|dave@acme.test': 'high',
      'm/microsoft:bbbb-backup|*|application': 'critical',
    });
  });

  test('rates Salesforce, Zendesk and Okta scopes from their own catalogs', () => {
    const salesforce = app('salesforce:Data Loader', 'Data Loader');
    const zendesk = app('zendesk:77', 'Ticket Sync');
    const okta = app('okta:0oa1', 'Provisioner');
    const subject = new GrantIndex(
      snapshotOf([
        connection('s', 'salesforce', [salesforce], [grant(salesforce, 'alice@acme.test', ['full'])]),
        connection('z', 'zendesk', [zendesk], [grant(zendesk, 'alice@acme.test', ['write'])]),
        connection('o', 'okta', [okta], [grant(okta, 'alice@acme.test', ['okta.users.manage'])]),
      ]),
      now,
    );

    expect(subject.matchingApps({}).map((row) => [row.name, row.risk])).toEqual([
      ['Data Loader', 'critical'],
      ['Provisioner', 'critical'],
      ['Ticket Sync', 'critical'],
    ]);
    expect(subject.app('s/salesforce:Data Loader')!.scopes).toEqual([expect.objectContaining({ scope: 'full', level: 'critical', unrated: false })]);
  });

  test('rates a Salesforce app whose tokens report no scopes as High and says why', () => {
    const salesforce = app('salesforce:Mobile CRM', 'Mobile CRM');
    const subject = new GrantIndex(snapshotOf([connection('s', 'salesforce', [salesforce], [grant(salesforce, 'alice@acme.test', [])])]), now);

    expect(subject.matchingApps({}).map((row) => [row.name, row.risk])).toEqual([['Mobile CRM', 'high']]);
    expect(subject.app('s/salesforce:Mobile CRM')!.scopes).toEqual([expect.objectContaining({ level: 'high', unrated: true, reason: expect.stringMatching(/does not report the scopes/) })]);
  });

  test('rates a Google app password as Critical: it skips 2-Step Verification with full mail access', () => {
    const password = app('google:app-passwords', 'App passwords (app-specific passwords)', { clientId: 'app-passwords' });
    const subject = new GrantIndex(snapshotOf([connection('g', 'google', [password], [grant(password, 'alice@acme.test', [])])]), now);

    expect(subject.matchingApps({}).map((row) => [row.name, row.risk])).toEqual([['App passwords (app-specific passwords)', 'critical']]);
    expect(subject.app('g/google:app-passwords')!.scopes[0]!.reason).toMatch(/skips 2-Step Verification/);
  });

  test('explains an app’s scopes, worst first', () => {
    const detail = index().app('m/microsoft:aaaa-crm')!;

    expect(detail.scopes.map((scope) => [scope.scope, scope.level, scope.unrated])).toEqual([
      ['Mail.Read', 'high', false],
      ['Files.Read', 'medium', false],
      ['User.Read', 'low', false],
    ]);
    expect(detail.grants).toEqual([4, 5]);
    expect(index().app('m/microsoft:unknown')).toBeUndefined();
  });

  test('describes a grant row from the columns', () => {
    const subject = index();

    expect(subject.grantRow(4)).toEqual({
      key: 'm/microsoft:aaaa-crm|*',
      appKey: 'm/microsoft:aaaa-crm',
      appName: 'Pipeline CRM',
      provider: 'microsoft',
      connectionId: 'm',
      user: null,
      scopes: ['Files.Read', 'User.Read'],
      risk: 'high',
      consent: 'tenant',
      access: 'delegated',
      lastUsed: null,
      isNew: false,
    });
    expect(subject.grantIndex('m/microsoft:aaaa-crm|dave@acme.test')).toBe(5);
    expect(subject.grantIndex('m/microsoft:aaaa-crm|nobody')).toBeUndefined();
  });

  test('filters apps by provider, risk, scope, consent, access and text', () => {
    const subject = index();

    expect(appNames(subject, {})).toEqual(['Mail Merge Pro', 'Pipeline CRM', 'Backup Daemon', 'Quick Script', 'Sign-in Helper']);
    expect(appNames(subject, { providers: ['microsoft'] })).toEqual(['Pipeline CRM', 'Backup Daemon']);
    expect(appNames(subject, { providers: [] })).toHaveLength(5);
    expect(appNames(subject, { risks: ['high', 'low'] })).toEqual(['Quick Script', 'Sign-in Helper']);
    expect(appNames(subject, { scope: 'openid' })).toEqual(['Mail Merge Pro', 'Sign-in Helper']);
    expect(appNames(subject, { consent: 'tenant' })).toEqual(['Pipeline CRM', 'Backup Daemon']);
    expect(appNames(subject, { consent: 'user' })).toEqual(['Mail Merge Pro', 'Pipeline CRM', 'Quick Script', 'Sign-in Helper']);
    expect(appNames(subject, { access: 'application' })).toEqual(['Backup Daemon']);
    expect(appNames(subject, { access: 'delegated', providers: ['microsoft'] })).toEqual(['Pipeline CRM']);
    // Text: name, client id, publisher, and the users who granted it, in any case.
    expect(appNames(subject, { text: 'quick' })).toEqual(['Quick Script']);
    expect(appNames(subject, { text: '111-MAIL' })).toEqual(['Mail Merge Pro']);
    expect(appNames(subject, { text: 'contoso' })).toEqual(['Pipeline CRM']);
    expect(appNames(subject, { text: 'dave@' })).toEqual(['Pipeline CRM']);
    expect(appNames(subject, { text: 'nothing like it' })).toEqual([]);
  });

  test('filters grants by provider, risk, scope, consent, access and text', () => {
    const subject = index();

    expect(grantLabels(subject, {})).toEqual(['Backup Daemon/*', 'Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test', 'Pipeline CRM/*', 'Quick Script/carol@acme.test', 'Pipeline CRM/dave@acme.test', 'Sign-in Helper/erin@acme.test']);
    expect(grantLabels(subject, { providers: ['microsoft'] })).toEqual(['Backup Daemon/*', 'Pipeline CRM/*', 'Pipeline CRM/dave@acme.test']);
    expect(grantLabels(subject, { risks: ['high'] })).toEqual(['Pipeline CRM/*', 'Quick Script/carol@acme.test', 'Pipeline CRM/dave@acme.test']);
    expect(grantLabels(subject, { scope: 'openid' })).toEqual(['Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test', 'Sign-in Helper/erin@acme.test']);
    expect(grantLabels(subject, { consent: 'tenant' })).toEqual(['Backup Daemon/*', 'Pipeline CRM/*']);
    expect(grantLabels(subject, { consent: 'user', providers: ['microsoft'] })).toEqual(['Pipeline CRM/dave@acme.test']);
    expect(grantLabels(subject, { access: 'application' })).toEqual(['Backup Daemon/*']);
    expect(grantLabels(subject, { text: 'BOB' })).toEqual(['Mail Merge Pro/bob@acme.test']);
    expect(grantLabels(subject, { text: '222-quick' })).toEqual(['Quick Script/carol@acme.test']);
    expect(grantLabels(subject, { text: 'merge' })).toEqual(['Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test']);
    expect(grantLabels(subject, { text: 'contoso' })).toEqual(['Pipeline CRM/*', 'Pipeline CRM/dave@acme.test']);
  });

  test('filters apps and grants to what is new since the scan before', () => {
    const subject = indexWithHistory();

    expect(appNames(subject, { onlyNew: true })).toEqual(['Backup Daemon', 'Quick Script', 'Sign-in Helper']);
    expect(grantLabels(subject, { onlyNew: true })).toEqual(['Backup Daemon/*', 'Mail Merge Pro/bob@acme.test', 'Pipeline CRM/*', 'Quick Script/carol@acme.test', 'Sign-in Helper/erin@acme.test']);
    expect(subject.matchingApps({}).filter((row) => row.isNew).map((row) => row.name)).toEqual(['Backup Daemon', 'Quick Script', 'Sign-in Helper']);
  });

  test('sorts apps by each column both ways, ties by name', () => {
    const subject = index();
    const sorted = (column: Parameters<GrantIndex['queryApps']>[1]['column'], direction: 'asc' | 'desc') => subject.queryApps({}, { column, direction }, 0, 100).rows.map((row) => row.name);

    expect(sorted('name', 'asc')).toEqual(['Backup Daemon', 'Mail Merge Pro', 'Pipeline CRM', 'Quick Script', 'Sign-in Helper']);
    expect(sorted('name', 'desc')).toEqual(['Sign-in Helper', 'Quick Script', 'Pipeline CRM', 'Mail Merge Pro', 'Backup Daemon']);
    expect(sorted('users', 'desc')).toEqual(['Mail Merge Pro', 'Pipeline CRM', 'Quick Script', 'Sign-in Helper', 'Backup Daemon']);
    expect(sorted('users', 'asc')).toEqual(['Backup Daemon', 'Pipeline CRM', 'Quick Script', 'Sign-in Helper', 'Mail Merge Pro']);
    expect(sorted('risk', 'asc')).toEqual(['Sign-in Helper', 'Quick Script', 'Backup Daemon', 'Pipeline CRM', 'Mail Merge Pro']);
    expect(sorted('publisher', 'desc')).toEqual(['Pipeline CRM', 'Backup Daemon', 'Mail Merge Pro', 'Quick Script', 'Sign-in Helper']);
    expect(sorted('lastUsed', 'desc')).toEqual(['Pipeline CRM', 'Mail Merge Pro', 'Quick Script', 'Backup Daemon', 'Sign-in Helper']);
    expect(sorted('provider', 'asc')).toEqual(['Mail Merge Pro', 'Quick Script', 'Sign-in Helper', 'Backup Daemon', 'Pipeline CRM']);
    expect(sorted('scopes', 'desc')).toEqual(['Pipeline CRM', 'Mail Merge Pro', 'Sign-in Helper', 'Backup Daemon', 'Quick Script']);
  });

  test('sorts grants by each column both ways, ties by user then scan order', () => {
    const subject = index();
    const sorted = (column: Parameters<GrantIndex['queryGrants']>[1]['column'], direction: 'asc' | 'desc') => grantLabels(subject, {}, { column, direction });

    expect(sorted('user', 'asc')).toEqual(['Pipeline CRM/*', 'Backup Daemon/*', 'Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test', 'Quick Script/carol@acme.test', 'Pipeline CRM/dave@acme.test', 'Sign-in Helper/erin@acme.test']);
    expect(sorted('user', 'desc')).toEqual(['Sign-in Helper/erin@acme.test', 'Pipeline CRM/dave@acme.test', 'Quick Script/carol@acme.test', 'Mail Merge Pro/bob@acme.test', 'Mail Merge Pro/alice@acme.test', 'Pipeline CRM/*', 'Backup Daemon/*']);
    expect(sorted('risk', 'asc')).toEqual(['Sign-in Helper/erin@acme.test', 'Pipeline CRM/*', 'Quick Script/carol@acme.test', 'Pipeline CRM/dave@acme.test', 'Backup Daemon/*', 'Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test']);
    expect(sorted('app', 'asc')).toEqual(['Backup Daemon/*', 'Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test', 'Pipeline CRM/*', 'Pipeline CRM/dave@acme.test', 'Quick Script/carol@acme.test', 'Sign-in Helper/erin@acme.test']);
    expect(sorted('app', 'desc')).toEqual(['Sign-in Helper/erin@acme.test', 'Quick Script/carol@acme.test', 'Pipeline CRM/*', 'Pipeline CRM/dave@acme.test', 'Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test', 'Backup Daemon/*']);
    expect(sorted('lastUsed', 'desc')).toEqual(['Pipeline CRM/dave@acme.test', 'Mail Merge Pro/bob@acme.test', 'Mail Merge Pro/alice@acme.test', 'Quick Script/carol@acme.test', 'Pipeline CRM/*', 'Backup Daemon/*', 'Sign-in Helper/erin@acme.test']);
    expect(sorted('provider', 'desc')).toEqual(['Pipeline CRM/*', 'Backup Daemon/*', 'Pipeline CRM/dave@acme.test', 'Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test', 'Quick Script/carol@acme.test', 'Sign-in Helper/erin@acme.test']);
    expect(sorted('scopes', 'desc')).toEqual(['Pipeline CRM/*', 'Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test', 'Sign-in Helper/erin@acme.test', 'Backup Daemon/*', 'Quick Script/carol@acme.test', 'Pipeline CRM/dave@acme.test']);
  });

  test('pages through apps and grants by offset and limit, with the total', () => {
    const subject = index();
    const all = grantLabels(subject, {});

    const page = subject.queryGrants({}, riskDesc, 2, 3);
    expect(page.total).toBe(7);
    expect(page.rows.map((row) => `${row.appName}/${row.user ?? '*'}`)).toEqual(all.slice(2, 5));
    expect(subject.queryGrants({}, riskDesc, 6, 3).rows).toHaveLength(1);
    expect(subject.queryGrants({}, riskDesc, 10, 3)).toEqual({ total: 7, rows: [] });
    const apps = subject.queryApps({ providers: ['google'] }, { column: 'name', direction: 'asc' }, 1, 1);
    expect(apps.total).toBe(3);
    expect(apps.rows.map((row) => row.name)).toEqual(['Quick Script']);
  });

  test('reuses the last sorted grant query while the filter and sort stay the same', () => {
    const subject = index();
    const first = subject.matchingGrants({ providers: ['google'] }, riskDesc);

    expect(subject.matchingGrants({ providers: ['google'] }, riskDesc)).toBe(first);
    const other = subject.matchingGrants({ providers: ['google'] }, { column: 'user', direction: 'desc' });
    expect(other).not.toBe(first);
    expect(other).toEqual([3, 2, 1, 0]);
    expect(subject.matchingGrants({ providers: ['google'] }, riskDesc)).toEqual([0, 1, 2, 3]);
  });

  test('sums up the scan: apps by risk, users, grants, scopes and whether it is partial', () => {
    const summary = index().summary();

    expect(summary).toMatchObject({
      id: 'first',
      takenAt: '2026-11-14T10:00:00.000Z',
      partial: false,
      apps: 5,
      grants: 7,
      users: 5,
      appsByRisk: { critical: 3, high: 1, medium: 0, low: 1 },
      changes: { previousTakenAt: null, newApps: 0, newRiskyGrants: 0, goneGrants: 0 },
    });
    expect(summary.scopes).toEqual(['email', 'Files.Read', mail, g('calendar.readonly'), 'Mail.Read', 'Mail.ReadWrite', 'openid', 'User.Read'].sort());
    expect(summary.connections.map((each) => [each.connectionId, each.outcome])).toEqual([
      ['g', 'complete'],
      ['m', 'complete'],
    ]);
    expect(new GrantIndex(snapshotOf(currentScans('partial')), now).summary().partial).toBe(true);
    expect(new GrantIndex(snapshotOf([...currentScans(), { connection: { connectionId: 'x', label: 'X', provider: 'google', outcome: 'failed', note: 'Sign in again.', errorCode: null, unit: 'users', tenantKey: 'google:x', readAt: '2026-11-21T10:00:00.000Z' }, scan: null }]), now).summary().partial).toBe(true);
  });

  test('counts and lists the changes since the scan before', () => {
    const subject = indexWithHistory();

    expect(subject.summary().changes).toEqual({ previousTakenAt: '2026-11-14T10:00:00.000Z', newApps: 3, newRiskyGrants: 4, goneGrants: 1 });
    const changes = subject.changes(2);
    expect(changes.limit).toBe(2);
    expect(changes.newApps.map((row) => row.name)).toEqual(['Backup Daemon', 'Quick Script']);
    expect(changes.newRiskyGrants.map((row) => `${row.appName}/${row.user ?? '*'}/${row.risk}`)).toEqual(['Mail Merge Pro/bob@acme.test/critical', 'Quick Script/carol@acme.test/high']);
    expect(changes.goneGrants).toEqual([{ key: 'g/google:444-notes.apps.googleusercontent.com|frank@acme.test', appName: 'Old Notes', provider: 'google', user: 'frank@acme.test', scopes: [g('drive')], risk: 'critical' }]);
    expect(subject.changes(10).newRiskyGrants).toHaveLength(4);
  });

  test('no longer lists an app whose grants were all revoked', () => {
    const before = index();
    const { data } = shownSnapshot(before.data, { revoked: new Set(['g/google:333-signin.apps.googleusercontent.com|erin@acme.test', 'm/microsoft:aaaa-crm|*']), connectionIds: null });
    const subject = new GrantIndex(data, now);

    // Without its tenant-wide consent the CRM is rated on Dave's grant alone: High, no longer Critical.
    expect(appNames(subject, {})).toEqual(['Mail Merge Pro', 'Backup Daemon', 'Pipeline CRM', 'Quick Script']);
    expect(subject.app('g/google:333-signin.apps.googleusercontent.com')).toBeUndefined();
    expect(subject.summary()).toMatchObject({ apps: 4, grants: 5, users: 4, appsByRisk: { critical: 2, high: 2, medium: 0, low: 0 } });
    // The apps after the one removed still name their grants right.
    expect(grantLabels(subject, {}, { column: 'app', direction: 'asc' })).toEqual(['Backup Daemon/*', 'Mail Merge Pro/alice@acme.test', 'Mail Merge Pro/bob@acme.test', 'Pipeline CRM/dave@acme.test', 'Quick Script/carol@acme.test']);
    expect(subject.app('m/microsoft:aaaa-crm')!.row).toMatchObject({ risk: 'high', consent: ['user'], grants: 1 });
  });
});
