import { describe, expect, test } from 'vitest';
import type { ScannedConnection } from '../../../../src-shared/contract/grants';
import type { AuditedApp, AuditedGrant, IncompleteItem } from '../../../../src-main/audit/grant-model';
import { buildSnapshot, connectionScopedKey, grantFlag, readSnapshotData, shownSnapshot, type ConnectionScan, type GoneGrant, type SnapshotData } from '../../../../src-main/audit/grant-snapshot';

const mail = 'https://mail.google.com/';
const drive = 'https://www.googleapis.com/auth/drive';

function googleApp(clientId: string, name = `App ${clientId}`): AuditedApp {
  return { key: `google:${clientId}`, provider: 'google', clientId, name, publisher: null, verifiedPublisher: null, internal: false, anonymous: false };
}

function grantOf(app: AuditedApp, user: string | null, scopes: string[], extra: Partial<AuditedGrant> = {}): AuditedGrant {
  return {
    key: `${app.key}|${user ?? '*'}`,
    appKey: app.key,
    provider: app.provider,
    user,
    scopes,
    consent: user === null ? 'tenant' : 'user',
    access: 'delegated',
    lastUsed: null,
    evidence: { clientId: app.clientId, userKey: user, scopes },
    revocationHandle: app.clientId,
    ...extra,
  };
}

function connectionScan(
  connectionId: string,
  content: { apps: AuditedApp[]; grants: AuditedGrant[]; incomplete?: IncompleteItem[]; total?: number } | null,
  outcome: ScannedConnection['outcome'] = 'complete',
): ConnectionScan {
  return {
    connection: { connectionId, label: `Tenant ${connectionId}`, provider: 'google', outcome, note: null, errorCode: null, unit: 'users', tenantKey: `google:${connectionId}.test`, readAt },
    scan: content && {
      apps: content.apps,
      grants: content.grants,
      incomplete: content.incomplete ?? [],
      total: content.total ?? content.grants.length,
      completed: (content.total ?? content.grants.length) - (content.incomplete?.length ?? 0),
    },
  };
}

const readAt = '2026-11-21T10:00:00.000Z';

function build(scans: ConnectionScan[], previous: SnapshotData | null = null, riskOfPrevious: (index: number) => GoneGrant['risk'] = () => 'high') {
  return buildSnapshot({ id: previous ? 'second' : 'first', takenAt: previous ? '2026-11-21T10:00:00.000Z' : '2026-11-20T10:00:00.000Z', scans, previous, riskOfPrevious });
}

/** Each grant as readable facts: key, app key, user, scopes, flags. */
function grantsOf(data: SnapshotData) {
  return data.grants.key.map((key, index) => ({
    key,
    app: data.apps[data.grants.app[index]!]!.key,
    user: data.grants.user[index] === -1 ? null : data.users[data.grants.user[index]!],
    scopes: data.scopeSets[data.grants.scopeSet[index]!],
    flags: data.grants.flags[index],
  }));
}

describe('building a grant snapshot', () => {
  test('keeps the same client id in two tenants apart by prefixing keys with the connection', () => {
    const app = googleApp('123-abc.apps.googleusercontent.com', 'Mail Merge');
    const { data } = build([
      connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail])] }),
      connectionScan('globex', { apps: [app], grants: [grantOf(app, 'alice@globex.test', [drive])] }),
    ]);

    expect(data.apps.map((each) => [each.key, each.connectionId, each.clientId])).toEqual([
      ['acme/google:123-abc.apps.googleusercontent.com', 'acme', '123-abc.apps.googleusercontent.com'],
      ['globex/google:123-abc.apps.googleusercontent.com', 'globex', '123-abc.apps.googleusercontent.com'],
    ]);
    expect(grantsOf(data)).toEqual([
      { key: 'acme/google:123-abc.apps.googleusercontent.com|alice@acme.test', app: 'acme/google:123-abc.apps.googleusercontent.com', user: 'alice@acme.test', scopes: [mail], flags: 0 },
      { key: 'globex/google:123-abc.apps.googleusercontent.com|alice@globex.test', app: 'globex/google:123-abc.apps.googleusercontent.com', user: 'alice@globex.test', scopes: [drive], flags: 0 },
    ]);
    expect(connectionScopedKey('acme', 'google:x')).toBe('acme/google:x');
  });

  test('keeps a grant a provider listed twice once, with the evidence and handle of its first listing', () => {
    const app = googleApp('one');
    const first = grantOf(app, 'alice@acme.test', [mail], { evidence: { page: 1 }, revocationHandle: 'first' });
    const retried = grantOf(app, 'alice@acme.test', [mail, drive], { evidence: { page: 2 }, revocationHandle: 'second' });
    const other = grantOf(app, 'bob@acme.test', [mail], { evidence: { page: 2, user: 'bob' } });
    const { data, evidence } = build([connectionScan('acme', { apps: [app, app], grants: [first, retried, other] })]);

    expect(data.apps).toHaveLength(1);
    expect(data.grants.key).toEqual(['acme/google:one|alice@acme.test', 'acme/google:one|bob@acme.test']);
    expect(data.grants.handle).toEqual(['first', 'one']);
    expect(evidence).toEqual([{ page: 1 }, { page: 2, user: 'bob' }]);
  });

  test('interns users and scope sets, the same scopes in any order sharing one set', () => {
    const one = googleApp('one');
    const two = googleApp('two');
    const { data } = build([
      connectionScan('acme', {
        apps: [one, two],
        grants: [grantOf(one, 'alice@acme.test', [mail, drive]), grantOf(two, 'alice@acme.test', [drive, mail]), grantOf(one, 'bob@acme.test', ['openid']), grantOf(two, null, [drive, mail])],
      }),
    ]);

    expect(data.users).toEqual(['alice@acme.test', 'bob@acme.test']);
    expect(data.grants.user).toEqual([0, 0, 1, -1]);
    expect(data.scopeSets).toEqual([[drive, mail].sort(), ['openid']]);
    expect(data.grants.scopeSet).toEqual([0, 0, 1, 0]);
  });

  test('sets a flag for tenant-wide consent and one for application access', () => {
    const app = { ...googleApp('svc'), provider: 'microsoft' as const, key: 'microsoft:svc' };
    const { data } = build([
      connectionScan('entra', {
        apps: [app],
        grants: [
          grantOf(app, 'alice@acme.test', ['Mail.Read']),
          grantOf(app, null, ['User.Read'], { key: 'microsoft:svc|*|graph|delegated' }),
          grantOf(app, null, ['Mail.ReadWrite'], { key: 'microsoft:svc|*|graph|application', access: 'application' }),
        ],
      }),
    ]);

    expect(data.grants.flags).toEqual([0, grantFlag.tenantConsent, grantFlag.tenantConsent | grantFlag.application]);
  });

  test('keeps each grant’s last use and revocation handle in grant order', () => {
    const app = googleApp('one');
    const { data } = build([
      connectionScan('acme', {
        apps: [app],
        grants: [grantOf(app, 'alice@acme.test', [mail], { lastUsed: '2026-11-01T08:00:00Z', revocationHandle: 'h-alice' }), grantOf(app, 'bob@acme.test', [mail], { revocationHandle: 'h-bob' })],
      }),
    ]);

    expect(data.grants.lastUsed).toEqual(['2026-11-01T08:00:00Z', null]);
    expect(data.grants.handle).toEqual(['h-alice', 'h-bob']);
  });

  test('drops a grant whose app the connection did not list', () => {
    const listed = googleApp('listed');
    const unlisted = googleApp('unlisted');
    const { data, evidence } = build([connectionScan('acme', { apps: [listed], grants: [grantOf(unlisted, 'alice@acme.test', [mail]), grantOf(listed, 'bob@acme.test', [mail])] })]);

    expect(data.grants.key).toEqual(['acme/google:listed|bob@acme.test']);
    expect(evidence).toHaveLength(1);
  });

  test('records how each connection went, a connection with nothing read as 0 of 0', () => {
    const app = googleApp('one');
    const { data } = build([
      connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail])], incomplete: [{ what: 'bob@acme.test', reason: 'Rate limited.' }], total: 5 }, 'partial'),
      connectionScan('globex', null, 'failed'),
    ]);

    expect(data.connections).toEqual([
      { connectionId: 'acme', label: 'Tenant acme', provider: 'google', outcome: 'partial', note: null, errorCode: null, unit: 'users', completed: 4, total: 5, incomplete: [{ what: 'bob@acme.test', reason: 'Rate limited.' }], tenantKey: 'google:acme.test', readAt, newerRead: null },
      { connectionId: 'globex', label: 'Tenant globex', provider: 'google', outcome: 'failed', note: null, errorCode: null, unit: 'users', completed: 0, total: 0, incomplete: [], tenantKey: 'google:globex.test', readAt, newerRead: null },
    ]);
  });

  test('finds nothing new and nothing gone on the first scan', () => {
    const app = googleApp('one');
    const { data } = build([connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail]), grantOf(app, 'bob@acme.test', [mail])] })]);

    expect(data.previous).toBeNull();
    expect(data.newAppKeys).toEqual([]);
    expect(data.gone).toEqual([]);
    expect(data.grants.flags.map((flags) => flags & grantFlag.isNew)).toEqual([0, 0]);
  });

  test('marks the apps and grants the scan before did not have as new', () => {
    const known = googleApp('known', 'Known');
    const fresh = googleApp('fresh', 'Fresh');
    const first = build([connectionScan('acme', { apps: [known], grants: [grantOf(known, 'alice@acme.test', [mail])] })]).data;
    const { data } = build(
      [
        connectionScan('acme', {
          apps: [known, fresh],
          grants: [grantOf(known, 'alice@acme.test', [mail]), grantOf(known, 'bob@acme.test', [mail]), grantOf(fresh, 'alice@acme.test', [drive])],
        }),
      ],
      first,
    );

    expect(data.previous).toEqual({ id: 'first', takenAt: '2026-11-20T10:00:00.000Z' });
    expect(data.newAppKeys).toEqual(['acme/google:fresh']);
    expect(grantsOf(data).map((grant) => [grant.key, (grant.flags! & grantFlag.isNew) !== 0])).toEqual([
      ['acme/google:known|alice@acme.test', false],
      ['acme/google:known|bob@acme.test', true],
      ['acme/google:fresh|alice@acme.test', true],
    ]);
  });

  test('reports a grant as gone only where the user was read in full', () => {
    const app = googleApp('one', 'Mail Merge');
    const first = build([
      connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail]), grantOf(app, 'bob@acme.test', [mail, drive]), grantOf(app, 'carol@acme.test', [mail])] }),
    ]).data;
    const { data } = build(
      [connectionScan('acme', { apps: [app], grants: [grantOf(app, 'carol@acme.test', [mail])], incomplete: [{ what: 'bob@acme.test', reason: 'Rate limited.', user: 'bob@acme.test' }], total: 3 }, 'partial')],
      first,
      (index) => (['critical', 'medium', 'low'] as const)[index]!,
    );

    // Alice was read and has no grant any more; Bob could not be read, so his grant is not called gone.
    expect(data.gone).toEqual([{ key: 'acme/google:one|alice@acme.test', connectionId: 'acme', appName: 'Mail Merge', provider: 'google', user: 'alice@acme.test', scopes: [mail], risk: 'critical' }]);
  });

  test('reports nothing gone for a connection where something other than a user was left unread', () => {
    const app = googleApp('one', 'Mail Merge');
    const first = build([connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail]), grantOf(app, 'carol@acme.test', [mail])] })]).data;
    const { data } = build(
      [connectionScan('acme', { apps: [app], grants: [grantOf(app, 'carol@acme.test', [mail])], incomplete: [{ what: 'delegated grants after the first 100', reason: 'Rate limited.' }] }, 'partial')],
      first,
    );

    expect(data.gone).toEqual([]);
  });

  test('reports a tenant-wide grant gone when its connection was read', () => {
    const app = googleApp('one', 'Directory Sync');
    const first = build([connectionScan('acme', { apps: [app], grants: [grantOf(app, null, [drive]), grantOf(app, 'alice@acme.test', [mail])] })]).data;
    const { data } = build([connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail])] })], first);

    expect(data.gone).toEqual([{ key: 'acme/google:one|*', connectionId: 'acme', appName: 'Directory Sync', provider: 'google', user: null, scopes: [drive], risk: 'high' }]);
  });

  test('reports nothing gone for a connection that failed, was cancelled or is not supported', () => {
    const app = googleApp('one');
    const previousScans = ['failed', 'cancelled', 'unsupported', 'complete'].map((id) => connectionScan(id, { apps: [app], grants: [grantOf(app, `alice@${id}.test`, [mail])] }));
    const first = build(previousScans).data;
    const { data } = build(
      [
        connectionScan('failed', null, 'failed'),
        connectionScan('cancelled', { apps: [], grants: [] }, 'cancelled'),
        connectionScan('unsupported', null, 'not_supported'),
        connectionScan('complete', { apps: [], grants: [] }),
      ],
      first,
    );

    expect(data.gone.map((grant) => grant.key)).toEqual(['complete/google:one|alice@complete.test']);
  });

  test('reports nothing gone for a connection this scan did not include', () => {
    const app = googleApp('one');
    const first = build([connectionScan('removed', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail])] })]).data;
    const { data } = build([connectionScan('acme', { apps: [], grants: [] })], first);

    expect(data.gone).toEqual([]);
  });

  test('decides new and gone by tenant: the same tenant read through a new connection is neither new nor gone', () => {
    const app = googleApp('one');
    const first = build([connectionScan('old-connection', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail]), grantOf(app, 'bob@acme.test', [mail])] })]).data;
    const again = connectionScan('new-connection', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail])] });
    const { data } = build([{ ...again, connection: { ...again.connection, tenantKey: 'google:old-connection.test' } }], first);

    expect(data.newAppKeys).toEqual([]);
    expect(data.grants.flags.map((flags) => flags & grantFlag.isNew)).toEqual([0]);
    expect(data.gone.map((grant) => [grant.key, grant.connectionId])).toEqual([['old-connection/google:one|bob@acme.test', 'new-connection']]);
  });

  test('a newer read kept aside is neither shown nor compared with', () => {
    const app = googleApp('one');
    const part = connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail])] });
    const { data } = build([{ ...part, newer: { connection: { readAt, outcome: 'cancelled', note: 'Cancelled.', errorCode: 'cancelled' }, scan: { apps: [app], grants: [grantOf(app, 'zed@acme.test', [mail])], incomplete: [], completed: 1, total: 9 } } }]);

    expect(data.connections[0]!.newerRead).toMatchObject({ outcome: 'cancelled', completed: 1, total: 9, grants: 1 });
    expect(shownSnapshot(data, { revoked: new Set(), connectionIds: null }).data.grants.key).toEqual(['acme/google:one|alice@acme.test']);
    const next = build([connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail]), grantOf(app, 'zed@acme.test', [mail])] })], data).data;
    expect(grantsOf(next).map((grant) => [grant.user, (grant.flags! & grantFlag.isNew) !== 0])).toEqual([
      ['alice@acme.test', false],
      ['zed@acme.test', true],
    ]);
  });

  test('reads a version 1 snapshot, each connection read when the scan was taken and its tenant unknown', () => {
    const app = googleApp('one');
    const { data } = build([connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail])] })]);
    const version1 = { ...data, version: 1, connections: data.connections.map(({ readAt: _readAt, newerRead: _newer, tenantKey: _tenant, ...connection }) => connection) };

    const read = readSnapshotData(JSON.parse(JSON.stringify(version1)));

    expect('data' in read && read.data.connections[0]).toMatchObject({ readAt: data.takenAt, newerRead: null, tenantKey: 'google:connection:acme' });
  });

  test('the grants shown leave out exactly the revoked keys, with the indices kept in order', () => {
    const one = googleApp('one');
    const two = googleApp('two');
    const { data } = build([
      connectionScan('acme', {
        apps: [one, two],
        grants: [
          grantOf(one, 'alice@acme.test', [mail], { lastUsed: '2026-11-01T00:00:00Z', revocationHandle: 'h0' }),
          grantOf(one, 'bob@acme.test', [drive], { revocationHandle: 'h1' }),
          grantOf(two, null, [mail], { revocationHandle: 'h2' }),
          grantOf(two, 'carol@acme.test', ['openid'], { lastUsed: '2026-11-03T00:00:00Z', revocationHandle: 'h3' }),
        ],
      }),
    ]);
    const before = structuredClone(data);

    const { data: after, kept } = shownSnapshot(data, { revoked: new Set(['acme/google:one|bob@acme.test', 'acme/google:two|*', 'acme/google:not-there|x']), connectionIds: null });

    expect(kept).toEqual([0, 3]);
    expect(after.grants).toEqual({
      key: ['acme/google:one|alice@acme.test', 'acme/google:two|carol@acme.test'],
      app: [0, 1],
      user: [0, 2],
      scopeSet: [data.grants.scopeSet[0], data.grants.scopeSet[3]],
      flags: [0, 0],
      lastUsed: ['2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z'],
      handle: ['h0', 'h3'],
    });
    expect(after.apps).toEqual(data.apps);
    expect(after.users).toEqual(data.users);
    expect(after.id).toBe(data.id);
    // The snapshot it came from is left as it was.
    expect(data).toEqual(before);
  });

  test('with nothing revoked or removed every grant is shown', () => {
    const app = googleApp('one');
    const { data } = build([connectionScan('acme', { apps: [app], grants: [grantOf(app, 'alice@acme.test', [mail]), grantOf(app, 'bob@acme.test', [mail])] })]);

    const { data: after, kept } = shownSnapshot(data, { revoked: new Set(), connectionIds: new Set(['acme']) });

    expect(kept).toEqual([0, 1]);
    expect(after.grants).toEqual(data.grants);
  });
});
