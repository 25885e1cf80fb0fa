import { describe, expect, test } from 'vitest';
import type { AuditedApp, AuditedGrant } from '../../../../src-main/audit/grant-model';
import { grantCsv } from '../../../../src-main/audit/grant-csv';
import { GrantIndex } from '../../../../src-main/audit/grant-index';
import { buildSnapshot, type ConnectionScan } from '../../../../src-main/audit/grant-snapshot';

const now = new Date('2026-11-21T12:30:45.678Z');
const mail = 'https://mail.google.com/';

const mailMerge: AuditedApp = { key: 'google:111-mail', provider: 'google', clientId: '111-mail', name: 'Mail Merge, Pro', publisher: null, verifiedPublisher: null, internal: false, anonymous: false };
const formula: AuditedApp = { key: 'google:666-evil', provider: 'google', clientId: '666-evil', name: '=HYPERLINK("http://evil.test","Open")', publisher: null, verifiedPublisher: null, internal: false, anonymous: true };
const backup: AuditedApp = { key: 'microsoft:bbbb', provider: 'microsoft', clientId: 'bbbb', name: 'Backup Daemon', publisher: 'Backup Inc', verifiedPublisher: false, internal: true, anonymous: false };

function grant(of: AuditedApp, user: string | null, scopes: string[], extra: Partial<AuditedGrant> = {}): AuditedGrant {
  return { key: `${of.key}|${user ?? '*'}`, appKey: of.key, provider: of.provider, user, scopes, consent: user ? 'user' : 'tenant', access: 'delegated', lastUsed: null, evidence: {}, revocationHandle: of.clientId, ...extra };
}

const scans: ConnectionScan[] = [
  {
    connection: { connectionId: 'g', label: 'Acme Google', provider: 'google', outcome: 'complete', note: null, errorCode: null, unit: 'users', tenantKey: 'google:acme.test', readAt: '2026-11-21T10:00:00.000Z' },
    scan: {
      apps: [mailMerge, formula],
      grants: [grant(mailMerge, 'alice@acme.test', [mail, 'openid'], { lastUsed: '2026-11-10T08:00:00Z' }), grant(mailMerge, 'bob@acme.test', [mail]), grant(formula, 'carol@acme.test', ['openid'])],
      incomplete: [],
      completed: 3,
      total: 3,
    },
  },
  {
    connection: { connectionId: 'm', label: 'Acme Entra', provider: 'microsoft', outcome: 'complete', note: null, errorCode: null, unit: 'users', tenantKey: 'microsoft:acme.test', readAt: '2026-11-21T10:00:00.000Z' },
    scan: { apps: [backup], grants: [grant(backup, null, ['Mail.ReadWrite'], { access: 'application' })], incomplete: [], completed: 1, total: 1 },
  },
];

const index = () => new GrantIndex(buildSnapshot({ id: 'first', takenAt: '2026-11-21T10:00:00.000Z', scans, previous: null, riskOfPrevious: () => 'low' }).data, now);

/** RFC 4180 records (quoted fields, doubled quotes); the document must end with CRLF. */
function parseCsv(content: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let at = 0; at < content.length; at += 1) {
    const char = content[at]!;
    if (quoted) {
      if (char === '"' && content[at + 1] === '"') {
        field += '"';
        at += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && content[at + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      at += 1;
    } else field += char;
  }
  expect(field, 'the last record ends with CRLF').toBe('');
  expect(record).toEqual([]);
  return records;
}

describe('grant CSV export', () => {
  test('writes the apps view as UTF-8 with a BOM, CRLF line ends and a header', () => {
    const csv = grantCsv(index(), 'apps', {}, now);

    expect(csv.fileName).toBe('consentry-grant-apps-2026-11-21T12-30-45.csv');
    expect(csv.content.startsWith('\uFEFFprovider,connection,app,')).toBe(true);
    expect(csv.content.replaceAll('\r\n', '')).not.toMatch(/\n/);
    const [header, ...rows] = parseCsv(csv.content.slice(1));
    expect(header).toEqual(['provider', 'connection', 'app', 'client_id', 'publisher', 'verified_publisher', 'internal', 'anonymous', 'risk', 'risk_factors', 'users', 'grants', 'consent', 'access', 'scopes', 'last_used', 'new_since_previous_scan']);
    expect(csv.rows).toBe(3);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([
      'google',
      'Acme Google',
      'Mail Merge, Pro',
      '111-mail',
      '',
      '',
      'no',
      'no',
      'critical',
      '',
      '2',
      '2',
      'user',
      'delegated',
      `${mail} openid`,
      '2026-11-10T08:00:00Z',
      'no',
    ]);
    expect(rows[1]!.slice(0, 15)).toEqual([
      'microsoft',
      'Acme Entra',
      'Backup Daemon',
      'bbbb',
      'Backup Inc',
      'no',
      'yes',
      'no',
      'critical',
      'The publisher is not verified. It holds application permissions: it acts without any user signed in. An admin consented for everyone in the organisation.',
      '0',
      '1',
      'tenant',
      'application',
      'Mail.ReadWrite',
    ]);
  });

  test('writes only the apps the filter matches', () => {
    const csv = grantCsv(index(), 'apps', { providers: ['microsoft'] }, now);

    expect(csv.rows).toBe(1);
    expect(parseCsv(csv.content.slice(1)).map((row) => row[2])).toEqual(['app', 'Backup Daemon']);
  });

  test('writes the grants view, a tenant-wide grant as everyone (tenant-wide)', () => {
    const csv = grantCsv(index(), 'grants', {}, now);

    expect(csv.fileName).toBe('consentry-grants-2026-11-21T12-30-45.csv');
    expect(csv.content.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = parseCsv(csv.content.slice(1));
    expect(header).toEqual(['provider', 'connection', 'app', 'client_id', 'user', 'consent', 'access', 'risk', 'scopes', 'last_used', 'new_since_previous_scan']);
    expect(csv.rows).toBe(4);
    expect(rows).toEqual([
      ['microsoft', 'Acme Entra', 'Backup Daemon', 'bbbb', 'everyone (tenant-wide)', 'tenant', 'application', 'critical', 'Mail.ReadWrite', '', 'no'],
      ['google', 'Acme Google', 'Mail Merge, Pro', '111-mail', 'alice@acme.test', 'user', 'delegated', 'critical', `${mail} openid`, '2026-11-10T08:00:00Z', 'no'],
      ['google', 'Acme Google', 'Mail Merge, Pro', '111-mail', 'bob@acme.test', 'user', 'delegated', 'critical', mail, '', 'no'],
      ['google', 'Acme Google', `'${formula.name}`, '666-evil', 'carol@acme.test', 'user', 'delegated', 'low', 'openid', '', 'no'],
    ]);
  });

  test('writes only the grants the filter matches', () => {
    const csv = grantCsv(index(), 'grants', { text: 'bob' }, now);

    expect(csv.rows).toBe(1);
    expect(parseCsv(csv.content.slice(1))[1]!.slice(2, 5)).toEqual(['Mail Merge, Pro', '111-mail', 'bob@acme.test']);
  });

  test('neutralises an app name a spreadsheet would run as a formula', () => {
    const csv = grantCsv(index(), 'apps', { text: 'evil' }, now);

    expect(csv.content).toContain(`,"'=HYPERLINK(""http://evil.test"",""Open"")",`);
    expect(csv.content).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(parseCsv(csv.content.slice(1))[1]![2]).toBe(`'${formula.name}`);
  });
});
