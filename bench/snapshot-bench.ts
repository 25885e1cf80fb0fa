/**
 * `npm run bench:snapshots [-- --google-users 12000 --microsoft-users 8000 --apps-per-user 25 --seed 42]`
 *
 * The grant-audit snapshot layer at the size of a large tenant: 500,000 grants (20,000 users with
 * 25 apps each, across a Google Workspace and a Microsoft Entra connection), with realistic scopes
 * and provider records of 300–500 bytes (Directory API tokens, Graph oauth2PermissionGrants). It
 * builds the snapshot (the second scan, compared with a first one) and saves it; then a new process,
 * holding nothing but the files as the app after a restart, opens the latest snapshot, indexes it
 * and answers the Grants page's questions: the summary, grant pages (first and scrolled, filtered
 * and sorted), the apps table and an app's evidence. It prints each time, the file sizes and the
 * peak memory of both processes; no pass/fail, but it says when opening the last scan (load +
 * index) takes more than 3 s.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type { GrantFilter } from '../src-shared/contract/grants';
import type { AuditedApp, AuditedGrant } from '../src-main/audit/grant-model';
import { GrantIndex } from '../src-main/audit/grant-index';
import { buildSnapshot, connectionPart, partGrantIndices, shownSnapshot, type ConnectionScan } from '../src-main/audit/grant-snapshot';
import { newSnapshotId, SnapshotStore } from '../src-main/audit/snapshot-store';
import { count, megabytes, peakRss, timed, type Row } from './bench-figures';

const { values: flags } = parseArgs({
  options: {
    'google-users': { type: 'string', default: '12000' },
    'microsoft-users': { type: 'string', default: '8000' },
    'apps-per-user': { type: 'string', default: '25' },
    seed: { type: 'string', default: '42' },
    /** Internal: the child process that opens the saved scan like the app after a restart. */
    open: { type: 'string' },
  },
});
const googleUsers = Number(flags['google-users']);
const microsoftUsers = Number(flags['microsoft-users']);
const appsPerUser = Number(flags['apps-per-user']);
const seed = Number(flags.seed);
if (![googleUsers, microsoftUsers, appsPerUser, seed].every(Number.isInteger) || googleUsers < 1 || microsoftUsers < 1 || appsPerUser < 1) {
  console.error('Usage: npm run bench:snapshots -- [--google-users N] [--microsoft-users N] [--apps-per-user N] [--seed N]');
  process.exit(2);
}

/** Apps installed in each tenant; users pick from them, the popular ones far more often. */
const appsPerTenant = 600;
const now = new Date('2026-11-21T09:00:00Z');
const openTarget = 3_000;
const run = promisify(execFile);

// ---------- synthetic tenants ----------

/** mulberry32: the same tenant for the same seed. */
function random(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const next = random(seed);
const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
const hex = (length: number) => Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join('');
const digits = (length: number) => Array.from({ length }, () => Math.floor(next() * 10)).join('');
const base64url = (length: number) => Array.from({ length }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[Math.floor(next() * 64)]).join('');
const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
/** Zipf-like: app 0 is the most popular. */
const popularApp = () => Math.floor(appsPerTenant * next() ** 2.2);

const firstNames = ['ana', 'bo', 'chen', 'dana', 'eli', 'fatima', 'greg', 'hana', 'ivan', 'jo', 'kemal', 'lena', 'mateo', 'noor', 'olga', 'priya', 'quinn', 'rui', 'sara', 'tomas'];
const lastNames = ['smith', 'garcia', 'nguyen', 'kowalski', 'okafor', 'schmidt', 'rossi', 'tanaka', 'dubois', 'silva', 'novak', 'jensen', 'haddad', 'murphy', 'ivanova'];
const userName = (index: number, domain: string) => `${firstNames[index % firstNames.length]}.${lastNames[Math.floor(index / firstNames.length) % lastNames.length]}${index}@${domain}`;
const vendors = ['Acme', 'Blue Harbor', 'Cobalt', 'Driftwood', 'Evergreen', 'Foxglove', 'Granite', 'Helix', 'Indigo', 'Juniper', 'Kestrel', 'Lumen', 'Meridian', 'Northwind', 'Orbit'];
const products = ['Mail Merge', 'CRM Sync', 'Signature Manager', 'Backup', 'Calendar Assistant', 'PDF Tools', 'Diagram Editor', 'Meeting Notes', 'Form Builder', 'Analytics', 'Task Board', 'E-Sign', 'Contacts Cleaner', 'Drive Explorer', 'Survey'];
const appName = (index: number) => `${vendors[index % vendors.length]} ${products[Math.floor(index / vendors.length) % products.length]}${index >= vendors.length * products.length ? ` ${Math.floor(index / (vendors.length * products.length)) + 1}` : ''}`;
const lastUsed = () => (next() < 0.3 ? null : new Date(now.getTime() - Math.floor(next() * 200 * 86_400_000)).toISOString());

const g = (name: string) => `https://www.googleapis.com/auth/${name}`;
const googleSignIn = ['openid', g('userinfo.email'), g('userinfo.profile')];
const googleData = [
  'https://mail.google.com/',
  g('gmail.readonly'),
  g('gmail.send'),
  g('gmail.modify'),
  g('gmail.compose'),
  g('drive'),
  g('drive.readonly'),
  g('drive.file'),
  g('drive.metadata.readonly'),
  g('calendar'),
  g('calendar.readonly'),
  g('calendar.events'),
  g('contacts.readonly'),
  g('spreadsheets'),
  g('documents'),
  g('presentations'),
  g('admin.directory.user.readonly'),
  g('cloud-platform'),
  g('tasks'),
  g('script.external_request'),
];
const graphSignIn = ['openid', 'profile', 'email', 'offline_access', 'User.Read'];
const graphData = ['Mail.Read', 'Mail.ReadWrite', 'Mail.Send', 'Files.Read', 'Files.ReadWrite.All', 'Calendars.Read', 'Calendars.ReadWrite', 'Contacts.ReadWrite', 'Sites.ReadWrite.All', 'Directory.Read.All', 'OnlineMeetings.ReadWrite', 'Tasks.ReadWrite', 'Notes.Read'];
const graphApplication = ['Mail.ReadWrite', 'Mail.Read', 'Files.Read.All', 'User.Read.All', 'Directory.Read.All', 'Sites.ReadWrite.All', 'Application.ReadWrite.All'];

/** An app's full scopes, and a narrower set some users granted (incremental authorisation). */
function scopesOf(signIn: readonly string[], data: readonly string[]): { full: string[]; narrow: string[] } {
  const chosen = new Set<string>();
  const count = Math.floor(next() * 5);
  while (chosen.size < count) chosen.add(pick(data));
  const full = [...signIn, ...chosen];
  return { full, narrow: full.slice(0, signIn.length + Math.min(1, chosen.size)) };
}

interface Catalog {
  apps: AuditedApp[];
  scopes: { full: string[]; narrow: string[] }[];
}

function googleTenant(users: number): ConnectionScan['scan'] {
  const catalog: Catalog = { apps: [], scopes: [] };
  for (let index = 0; index < appsPerTenant; index += 1) {
    const clientId = `${digits(12)}-${base64url(32).toLowerCase()}.apps.googleusercontent.com`;
    catalog.apps.push({ key: `google:${clientId}`, provider: 'google', clientId, name: appName(index), publisher: null, verifiedPublisher: null, internal: index % 40 === 0, anonymous: index % 25 === 7 });
    catalog.scopes.push(scopesOf(googleSignIn, googleData));
  }
  const grants: AuditedGrant[] = [];
  for (let user = 0; user < users; user += 1) {
    const email = userName(user, 'northwind-traders.example');
    const userKey = `1${digits(20)}`;
    for (const index of appsOfUser()) {
      const app = catalog.apps[index]!;
      const scopes = next() < 0.2 ? catalog.scopes[index]!.narrow : catalog.scopes[index]!.full;
      const evidence = { kind: 'admin#directory#token', etag: `"${base64url(27)}/${base64url(27)}"`, clientId: app.clientId, displayText: app.name, anonymous: app.anonymous, nativeApp: index % 9 === 0, userKey, scopes };
      grants.push({ key: `${app.key}|${email}`, appKey: app.key, provider: 'google', user: email, scopes, consent: 'user', access: 'delegated', lastUsed: lastUsed(), evidence, revocationHandle: app.clientId });
    }
  }
  return { apps: catalog.apps, grants, incomplete: [], completed: users, total: users };
}

function microsoftTenant(users: number): ConnectionScan['scan'] {
  const catalog: Catalog = { apps: [], scopes: [] };
  const servicePrincipals: string[] = [];
  const graphResource = guid();
  for (let index = 0; index < appsPerTenant; index += 1) {
    const clientId = guid();
    const verified = index % 3 === 0;
    const name = appName(index + 37);
    catalog.apps.push({ key: `microsoft:${clientId}`, provider: 'microsoft', clientId, name, publisher: `${name.split(' ')[0]} Software Ltd`, verifiedPublisher: verified, internal: index % 40 === 0, anonymous: false });
    catalog.scopes.push(scopesOf(graphSignIn, graphData));
    servicePrincipals.push(guid());
  }
  const grants: AuditedGrant[] = [];
  const permissionGrant = (index: number, principal: string | null, scope: string) => ({
    id: base64url(43),
    clientId: servicePrincipals[index]!,
    consentType: principal ? 'Principal' : 'AllPrincipals',
    principalId: principal,
    resourceId: graphResource,
    scope,
  });
  // Admin consent for everyone (a few apps) and application permissions (fewer still).
  for (let index = 0; index < 30; index += 1) {
    const app = catalog.apps[index * 7]!;
    grants.push({ key: `${app.key}|*|${graphResource}|delegated`, appKey: app.key, provider: 'microsoft', user: null, scopes: catalog.scopes[index * 7]!.full, consent: 'tenant', access: 'delegated', lastUsed: null, evidence: permissionGrant(index * 7, null, catalog.scopes[index * 7]!.full.join(' ')), revocationHandle: base64url(43) });
  }
  for (let index = 0; index < 10; index += 1) {
    const app = catalog.apps[index * 11 + 3]!;
    const scopes = [pick(graphApplication), pick(graphApplication)].filter((scope, position, all) => all.indexOf(scope) === position);
    const evidence = scopes.map((scope) => ({ id: base64url(43), appRoleId: guid(), principalId: servicePrincipals[index * 11 + 3], principalType: 'ServicePrincipal', principalDisplayName: app.name, resourceId: graphResource, resourceDisplayName: 'Microsoft Graph', createdDateTime: '2025-03-14T10:21:07Z', permission: scope }));
    grants.push({ key: `${app.key}|*|${graphResource}|application`, appKey: app.key, provider: 'microsoft', user: null, scopes, consent: 'tenant', access: 'application', lastUsed: null, evidence, revocationHandle: JSON.stringify(evidence.map((item) => item.id)) });
  }
  for (let user = 0; user < users; user += 1) {
    const upn = userName(user, 'contoso.example');
    const principal = guid();
    for (const index of appsOfUser()) {
      const app = catalog.apps[index]!;
      const scopes = next() < 0.2 ? catalog.scopes[index]!.narrow : catalog.scopes[index]!.full;
      const evidence = permissionGrant(index, principal, scopes.join(' '));
      grants.push({ key: `${app.key}|${principal}|${graphResource}|delegated`, appKey: app.key, provider: 'microsoft', user: upn, scopes, consent: 'user', access: 'delegated', lastUsed: lastUsed(), evidence, revocationHandle: evidence.id });
    }
  }
  return { apps: catalog.apps, grants, incomplete: [], completed: users, total: users };
}

function appsOfUser(): number[] {
  const chosen = new Set<number>();
  while (chosen.size < appsPerUser) chosen.add(popularApp());
  return [...chosen];
}

const connections: ConnectionScan['connection'][] = [
  { connectionId: 'google-northwind', label: 'Northwind (Google Workspace)', provider: 'google', outcome: 'complete', note: null, errorCode: null, unit: 'users', tenantKey: 'google:northwind-traders.example', readAt: now.toISOString() },
  { connectionId: 'entra-contoso', label: 'Contoso (Microsoft Entra)', provider: 'microsoft', outcome: 'complete', note: null, errorCode: null, unit: 'users', tenantKey: 'microsoft:contoso.example', readAt: now.toISOString() },
];

/**
 * The scan before: without 1% of today's grants and four of each tenant's apps (new since), and
 * with 0.5% more grants, gone since.
 */
function previousScans(tenants: NonNullable<ConnectionScan['scan']>[]): ConnectionScan[] {
  return tenants.map((scan, index) => {
    const newApps = new Set(scan.apps.filter((_, position) => position % 150 === 149).map((app) => app.key));
    const gone = scan.grants.filter((grant, position) => grant.user !== null && position % 200 === 3).map((grant) => ({ ...grant, key: `${grant.key}|removed-since`, lastUsed: null }));
    const kept = scan.grants.filter((grant, position) => position % 100 !== 7 && !newApps.has(grant.appKey));
    return { connection: connections[index]!, scan: { ...scan, apps: scan.apps.filter((app) => !newApps.has(app.key)), grants: [...kept, ...gone.filter((grant) => !newApps.has(grant.appKey))] } };
  });
}

// ---------- measuring ----------


/** Synthesises both tenants and the scan before, builds today's snapshot and saves it. */
async function scanAndSave(directory: string, rows: Row[]): Promise<number> {
  const { result: tenants } = await timed(rows, 'synthesise two tenants', () => [googleTenant(googleUsers), microsoftTenant(microsoftUsers)].map((scan) => scan!), (all) => `${count(all.reduce((sum, scan) => sum + scan.grants.length, 0))} grants`);
  const recordBytes = tenants.map((scan) => scan.grants.slice(-2_000).reduce((sum, grant) => sum + Buffer.byteLength(JSON.stringify(grant.evidence)), 0) / 2_000);

  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const before = buildSnapshot({ id: newSnapshotId(weekAgo), takenAt: weekAgo.toISOString(), scans: previousScans(tenants), previous: null, riskOfPrevious: () => 'low' });
  const beforeIndex = new GrantIndex(before.data, now);
  const scans = tenants.map((scan, index) => ({ connection: connections[index]!, scan }));
  const { result: built } = await timed(
    rows,
    'buildSnapshot (vs the scan before)',
    () => buildSnapshot({ id: newSnapshotId(now), takenAt: now.toISOString(), scans, previous: before.data, riskOfPrevious: (index) => beforeIndex.grantRisk(index) }),
    (snapshot) => `${count(snapshot.data.apps.length)} apps, ${count(snapshot.data.users.length)} users, ${count(snapshot.data.scopeSets.length)} scope sets`,
  );

  const store = await SnapshotStore.open(directory);
  const { result: saved } = await timed(rows, 'save (evidence + snapshot, fsync)', () => store.save(built));
  rows.push(['  snapshot file', megabytes((await stat(join(directory, `${saved.data.id}.snapshot.json`))).size)]);
  rows.push(['  evidence file', `${megabytes((await stat(join(directory, saved.evidenceFile))).size)}   ~${Math.round(recordBytes[0]!)} B a Google record, ~${Math.round(recordBytes[1]!)} B a Graph one`]);
  rows.push(['peak RSS while scanning and saving', megabytes(peakRss())]);

  // What the scan rules cost: revocations recorded beside the scan, and a rescan that read less.
  const revoked = new Set(built.data.grants.key.filter((_, index) => index % 500 === 0));
  await timed(rows, `revocations recorded (${count(revoked.size)} grants, fsync)`, () => store.markRevoked(saved.data.id, [...revoked].map((key) => ({ key, at: now.toISOString() }))));
  await timed(rows, 'page view without them (filter + index)', () => new GrantIndex(shownSnapshot(saved.data, { revoked, connectionIds: null }).data, now));
  const google = saved.data.connections[0]!;
  await timed(
    rows,
    'rescan that read less: carry Google over',
    async () => {
      const indices = partGrantIndices(saved.data, google.connectionId, false);
      const scan = connectionPart(saved.data, google, false, indices, await store.evidenceBytes(saved, indices));
      const later = new Date(now.getTime() + 3_600_000);
      const carried = buildSnapshot({ id: newSnapshotId(later), takenAt: later.toISOString(), scans: [{ connection: google, scan }], previous: saved.data, riskOfPrevious: () => 'low' });
      // Into another folder, so the reopening below still finds the full scan as the latest.
      return (await SnapshotStore.open(join(directory, 'carried'))).save(carried);
    },
    (result) => `${count(result.data.grants.key.length)} grants and their evidence, built and saved`,
  );
  return built.data.grants.key.length;
}

interface Opened {
  rows: Row[];
  grants: number;
  loadMs: number;
  indexMs: number;
  summaryMs: number;
}

/** In a fresh process, as the app after a restart: open the latest scan and answer the Grants page. */
async function openAndQuery(directory: string): Promise<Opened> {
  const rows: Row[] = [];
  const store = await SnapshotStore.open(directory);
  const { result: stored, elapsed: loadMs } = await timed(rows, 'SnapshotStore.latest() (new process)', () => store.latest());
  if (!stored) throw new Error('The saved snapshot did not read back.');
  const { result: index, elapsed: indexMs } = await timed(rows, 'new GrantIndex', () => new GrantIndex(stored.data, now));
  const { elapsed: summaryMs } = await timed(rows, 'first summary()', () => index.summary(), (summary) => `critical ${count(summary.appsByRisk.critical)} / high ${count(summary.appsByRisk.high)} apps; ${count(summary.changes.newApps)} new apps, ${count(summary.changes.newRiskyGrants)} new risky grants, ${count(summary.changes.goneGrants)} gone`);

  const page = 200;
  const riskDesc = { column: 'risk', direction: 'desc' } as const;
  await timed(rows, 'grants: no filter, by risk, first page', () => index.queryGrants({}, riskDesc, 0, page), (result) => `${count(result.total)} match`);
  await timed(rows, 'grants: same, next page (cached)', () => index.queryGrants({}, riskDesc, page, page));
  const filter: GrantFilter = { providers: ['google'], risks: ['critical', 'high'], text: 'mail' };
  const byUser = { column: 'user', direction: 'asc' } as const;
  await timed(rows, 'grants: filtered, by user, first page', () => index.queryGrants(filter, byUser, 0, page), (result) => `${count(result.total)} match (Google, critical/high, "mail")`);
  await timed(rows, 'grants: same, page 50 (cached)', () => index.queryGrants(filter, byUser, 49 * page, page));
  await timed(rows, 'grants: one scope, by last use', () => index.queryGrants({ scope: 'https://mail.google.com/' }, { column: 'lastUsed', direction: 'desc' }, 0, page), (result) => `${count(result.total)} match`);
  await timed(rows, 'apps: no filter, by risk', () => index.queryApps({}, riskDesc, 0, page), (result) => `${count(result.total)} apps`);
  const someone = userName(4_321, 'northwind-traders.example');
  await timed(rows, 'apps: text search for a user', () => index.queryApps({ text: someone }, { column: 'name', direction: 'asc' }, 0, page), (result) => `${count(result.total)} apps of ${someone}`);
  const busiest = index.matchingApps({}, { column: 'users', direction: 'desc' })[0]!;
  const shown = index.app(busiest.key)!.grants.slice(0, 20);
  await timed(rows, 'evidence of 20 grants (an app opened)', () => store.evidence(stored, shown), (records) => `${records.filter((record) => record !== null).length} records of ${busiest.name}`);
  rows.push(['peak RSS with the scan open', megabytes(peakRss())]);
  return { rows, grants: index.grantCount, loadMs, indexMs, summaryMs };
}

async function main(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'consentry-snapshot-bench-'));
  try {
    const rows: Row[] = [];
    const grants = await scanAndSave(directory, rows);
    // A new process holds nothing but the files, as the app after a restart.
    const { stdout } = await run(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--open', directory], { maxBuffer: 16 * 1_048_576 });
    const opened = JSON.parse(stdout) as Opened;
    if (opened.grants !== grants) throw new Error(`Saved ${grants} grants but read back ${opened.grants}.`);
    rows.push(...opened.rows);

    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(`\nGrant snapshots: ${count(grants)} grants (${count(googleUsers)} Google + ${count(microsoftUsers)} Microsoft users, ${appsPerUser} apps each), Node ${process.version}\n`);
    for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
    const open = opened.loadMs + opened.indexMs;
    console.log(`\nopens the last scan in ${count(Math.round(open))} ms (load + index); ${count(Math.round(open + opened.summaryMs))} ms with the first summary`);
    if (open > openTarget) console.log(`over the ${openTarget / 1_000} s target: opening the last scan takes ${(open / 1_000).toFixed(1)} s`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

if (flags.open) process.stdout.write(JSON.stringify(await openAndQuery(flags.open)));
else await main();
