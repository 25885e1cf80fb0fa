import { describe, expect, test } from 'vitest';
import { connectionRecordSchema, ConnectionStore } from '../../../../src-main/connections/connection-record';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { providerDefinitions } from '../../../support/provider-definitions';

const g = (name: string) => `https://www.googleapis.com/auth/${name}`;
const googleAudit = ['openid', 'email', g('admin.directory.user.readonly'), g('admin.directory.user.security'), g('admin.reports.audit.readonly'), g('cloud-platform.read-only')];
const googleRemediate = [g('admin.directory.user'), g('admin.datatransfer'), g('cloud-platform')];
const microsoftAudit = ['openid', 'profile', 'offline_access', 'Directory.Read.All', 'Application.Read.All', 'Policy.Read.All', 'AuditLog.Read.All'];
const microsoftRemediate = ['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All', 'User.RevokeSessions.All', 'User.EnableDisableAccount.All'];

/** A record as the build before capabilities stored it: `profile` and, for custom providers, remediate scopes. */
function profileRecord(overrides: Record<string, unknown>) {
  return {
    id: 'c1',
    label: 'Acme',
    provider: 'google',
    clientId: 'client',
    hasClientSecret: true,
    settings: {},
    profile: 'audit',
    state: 'connected',
    account: 'admin@acme.test',
    tenant: 'acme.test',
    scopesRequested: googleAudit,
    scopesGranted: googleAudit,
    storage: 'encrypted',
    createdAt: '2026-11-01T10:00:00.000Z',
    connectedAt: '2026-11-01T10:00:00.000Z',
    accessTokenIssuedAt: '2026-11-01T10:00:00.000Z',
    accessTokenExpiresAt: '2026-11-01T11:00:00.000Z',
    lastRefreshAt: null,
    lastError: null,
    failedRefreshes: 0,
    nextRetryAt: null,
    msalHomeAccountId: null,
    sample: false,
    ...overrides,
  };
}

const capabilitiesOf = (input: unknown) => connectionRecordSchema(providerDefinitions).parse(input).capabilities;

describe('connection records written before capabilities', () => {
  test('an audit record allows no capability, even those that add no scope', () => {
    expect(capabilitiesOf(profileRecord({}))).toEqual([]);
  });

  test('a remediate record keeps exactly the capabilities its granted scopes cover', () => {
    const granted = [...googleAudit, ...googleRemediate];
    expect(capabilitiesOf(profileRecord({ profile: 'remediate', scopesRequested: granted, scopesGranted: granted }))).toEqual(['revoke_grants', 'credentials', 'offboarding']);
    // Google granted less than was asked: offboarding is not assumed.
    const partly = [...googleAudit, g('cloud-platform')];
    expect(capabilitiesOf(profileRecord({ profile: 'remediate', scopesRequested: granted, scopesGranted: partly }))).toEqual(['revoke_grants', 'credentials']);
    const microsoft = [...microsoftAudit, ...microsoftRemediate];
    expect(capabilitiesOf(profileRecord({ provider: 'microsoft', profile: 'remediate', scopesRequested: microsoft, scopesGranted: microsoft }))).toEqual(['revoke_grants', 'credentials', 'offboarding']);
  });

  test('national-cloud Graph permissions are matched as they were asked for', () => {
    const graph = (scope: string) => `https://graph.microsoft.us/${scope}`;
    const granted = ['openid', 'profile', 'offline_access', ...microsoftAudit.slice(3).map(graph), ...microsoftRemediate.map(graph)];
    expect(capabilitiesOf(profileRecord({ provider: 'microsoft', settings: { cloud: 'usgov' }, profile: 'remediate', scopesGranted: granted }))).toEqual(['revoke_grants', 'credentials', 'offboarding']);
  });

  test('a custom provider keeps asking for the remediate scopes it was granted, as read scopes; unasked ones are dropped', () => {
    const remediate = connectionRecordSchema(providerDefinitions).parse(profileRecord({ provider: 'custom', profile: 'remediate', settings: { issuer: 'https://id.example.test', auditScopes: ['users.read'], remediateScopes: ['users.manage'] } }));
    expect(remediate.settings).toEqual({ issuer: 'https://id.example.test', auditScopes: ['users.read', 'users.manage'] });
    const audit = connectionRecordSchema(providerDefinitions).parse(profileRecord({ provider: 'custom', settings: { issuer: 'https://id.example.test', auditScopes: ['users.read'], remediateScopes: ['users.manage'] } }));
    expect(audit.settings).toEqual({ issuer: 'https://id.example.test', auditScopes: ['users.read'] });
  });

  test('the store reads old records beside new ones and writes them back in the new shape', async () => {
    const directory = await temporaryDirectory();
    const raw = openConfKeyValueStore(directory, 'connections');
    const granted = [...googleAudit, ...googleRemediate];
    raw.set('connections', [profileRecord({ id: 'old', profile: 'remediate', scopesGranted: granted })]);
    const store = new ConnectionStore(raw, providerDefinitions);
    const old = store.get('old')!;
    expect(old.capabilities).toEqual(['revoke_grants', 'credentials', 'offboarding']);
    store.save({ ...old, id: 'new', capabilities: [] });
    const stored = raw.get('connections') as Record<string, unknown>[];
    expect(stored.map((record) => [record.id, 'profile' in record, record.capabilities])).toEqual([
      ['old', false, ['revoke_grants', 'credentials', 'offboarding']],
      ['new', false, []],
    ]);
  });

  test('a record that is neither shape is still skipped, not fatal', () => {
    expect(connectionRecordSchema(providerDefinitions).safeParse(profileRecord({ profile: 'admin' })).success).toBe(false);
  });
});
