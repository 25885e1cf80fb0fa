/**
 * One scan of every connected tenant, as it is kept on disk and in memory: apps, and grants in
 * columns with users and scope sets interned, so that half a million grants parse in a blink.
 * The provider records (evidence) are kept beside it and read only when an admin opens an app.
 *
 * A snapshot may also hold, per connection, a newer read kept aside (flag `held`): a scan that
 * read less than the read shown never replaces it, but what it read is kept for the admin to
 * choose. Held grants are never shown, counted or compared with.
 */
import { z } from 'zod';
import { ProviderIdSchema } from '../../src-shared/contract/connections';
import { ErrorCodeSchema } from '../../src-shared/contract/envelope';
import { GrantAppRowSchema, IncompleteItemSchema, NewerReadSchema, ScannedConnectionSchema, type NewerRead, type ScannedConnection } from '../../src-shared/contract/grants';
import type { AuditedApp, AuditedGrant, IncompleteItem, ProviderScan } from './grant-model';

export const snapshotFormatVersion = 2;
/** Version 1 had no tenant identity, read times or reads kept aside; it is read with defaults. */
const readableVersions = new Set<number>([1, snapshotFormatVersion]);

/** An app as one connection saw it; its key is unique across connections. */
export interface SnapshotApp extends AuditedApp {
  connectionId: string;
}

/** A newer read kept aside, with what it could not read (so that, if chosen, it vouches only for what it read). */
export interface HeldRead extends NewerRead {
  incomplete: IncompleteItem[];
}

/** How a connection's part went, and which tenant it is (that, not the connection id, decides "new"). */
export interface SnapshotConnection extends Omit<ScannedConnection, 'newerRead'> {
  tenantKey: string;
  newerRead: HeldRead | null;
}

/** Grant flags, one small integer per grant. */
export const grantFlag = { tenantConsent: 1, application: 2, isNew: 4, held: 8 } as const;
const allFlags = 15;

export interface GrantColumns {
  key: string[];
  /** Index into `apps`. */
  app: number[];
  /** Index into `users`, or -1 for tenant-wide consent. */
  user: number[];
  /** Index into `scopeSets`. */
  scopeSet: number[];
  flags: number[];
  lastUsed: (string | null)[];
  /** What the provider's revocation needs; stays in main. */
  handle: string[];
}

/** A grant the scan before had and this one does not, described for the "gone" list. */
export interface GoneGrant {
  key: string;
  /** The connection of this scan that read its tenant without it. */
  connectionId: string;
  appName: string;
  provider: AuditedApp['provider'];
  user: string | null;
  scopes: string[];
  risk: 'critical' | 'high' | 'medium' | 'low';
}

export interface SnapshotData {
  version: typeof snapshotFormatVersion;
  id: string;
  takenAt: string;
  previous: { id: string; takenAt: string } | null;
  connections: SnapshotConnection[];
  apps: SnapshotApp[];
  users: string[];
  scopeSets: string[][];
  grants: GrantColumns;
  newAppKeys: string[];
  gone: GoneGrant[];
}

/** One connection's read, before it is merged into the snapshot. */
export interface ConnectionScan {
  connection: Omit<ScannedConnection, 'completed' | 'total' | 'incomplete' | 'newerRead'> & { tenantKey: string };
  /** Null when nothing was read (unsupported provider, failure before the first page). */
  scan: ProviderScan | null;
  /** A newer read that read less than `scan`, kept aside for the admin to choose. */
  newer?: { connection: Pick<ScannedConnection, 'readAt' | 'outcome' | 'note' | 'errorCode'>; scan: ProviderScan | null } | null;
}

/** A provider record already serialised (carried from an earlier snapshot's evidence file as it was). */
export class SerialisedEvidence {
  constructor(readonly bytes: Buffer) {}
}

class Interner<T> {
  readonly values: T[] = [];
  readonly #index = new Map<string, number>();

  constructor(private readonly keyOf: (value: T) => string) {}

  add(value: T): number {
    const key = this.keyOf(value);
    let index = this.#index.get(key);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.#index.set(key, index);
    }
    return index;
  }
}

/** App and grant keys are prefixed with the connection, so two tenants of one provider never mix. */
export function connectionScopedKey(connectionId: string, key: string): string {
  return `${connectionId}/${key}`;
}

export interface BuiltSnapshot {
  data: SnapshotData;
  /** The provider record of each grant, in grant order. */
  evidence: unknown[];
}

/**
 * Merges the connections' reads into one snapshot. `isNew`, `newAppKeys` and `gone` compare with
 * the scan before by tenant, not by connection id, so reconnecting a tenant is not "all new"; a
 * grant counts as gone only where this scan read its user in full, so a partial or cancelled scan
 * never reports access as removed that it simply did not read. Held grants of `previous` are not
 * compared with: they were never shown.
 */
export function buildSnapshot(input: {
  id: string;
  takenAt: string;
  scans: readonly ConnectionScan[];
  previous: SnapshotData | null;
  riskOfPrevious: (index: number) => GoneGrant['risk'];
}): BuiltSnapshot {
  const apps: SnapshotApp[] = [];
  const appIndex = new Map<string, number>();
  const users = new Interner<string>((user) => user);
  const scopeSets = new Interner<string[]>((scopes) => scopes.join(' '));
  const grants: GrantColumns = { key: [], app: [], user: [], scopeSet: [], flags: [], lastUsed: [], handle: [] };
  const evidence: unknown[] = [];
  const connections: SnapshotConnection[] = [];
  const previous = input.previous ? previousKeys(input.previous, input.scans) : null;
  const seenGrants = new Set<string>();

  const push = (connection: ConnectionScan['connection'], scan: ProviderScan, held: boolean) => {
    const localApps = new Map<string, number>();
    for (const app of scan.apps) {
      const key = connectionScopedKey(connection.connectionId, app.key);
      let index = appIndex.get(key);
      if (index === undefined) {
        index = apps.length;
        appIndex.set(key, index);
        apps.push({ ...app, key, connectionId: connection.connectionId });
      }
      if (!localApps.has(app.key)) localApps.set(app.key, index);
    }
    for (const grant of scan.grants) {
      const app = localApps.get(grant.appKey);
      const key = connectionScopedKey(connection.connectionId, grant.key);
      // A provider may list the same access twice (a retried page); the snapshot keeps it once.
      const seenKey = held ? `held ${key}` : key;
      if (app === undefined || seenGrants.has(seenKey)) continue;
      seenGrants.add(seenKey);
      const isNew = previous !== null && !previous.grants.has(key);
      pushGrant(grants, grant, key, app, users, scopeSets, (isNew ? grantFlag.isNew : 0) | (held ? grantFlag.held : 0));
      evidence.push(grant.evidence);
    }
  };

  for (const { connection, scan, newer } of input.scans) {
    const heldScan = newer?.scan ?? null;
    connections.push({
      ...connection,
      completed: scan?.completed ?? 0,
      total: scan?.total ?? 0,
      incomplete: scan?.incomplete ?? [],
      newerRead: newer
        ? {
            readAt: newer.connection.readAt,
            outcome: newer.connection.outcome === 'complete' || newer.connection.outcome === 'not_supported' ? 'partial' : newer.connection.outcome,
            completed: heldScan?.completed ?? 0,
            total: heldScan?.total ?? 0,
            note: newer.connection.note,
            errorCode: newer.connection.errorCode,
            grants: heldScan?.grants.length ?? 0,
            incomplete: heldScan?.incomplete ?? [],
          }
        : null,
    });
    if (scan) push(connection, scan, false);
    if (heldScan) push(connection, heldScan, true);
  }

  const shownApps = new Set<number>();
  for (let index = 0; index < grants.key.length; index += 1) if (!(grants.flags[index]! & grantFlag.held)) shownApps.add(grants.app[index]!);
  const newAppKeys = previous ? apps.filter((app, index) => shownApps.has(index) && !previous.apps.has(app.key)).map((app) => app.key) : [];
  const gone = input.previous && previous ? goneGrants(input.previous, previous.grantKeys, connections, seenGrants, input.riskOfPrevious) : [];
  return {
    data: {
      version: snapshotFormatVersion,
      id: input.id,
      takenAt: input.takenAt,
      previous: input.previous ? { id: input.previous.id, takenAt: input.previous.takenAt } : null,
      connections,
      apps,
      users: users.values,
      scopeSets: scopeSets.values,
      grants,
      newAppKeys,
      gone,
    },
    evidence,
  };
}

function unscoped(key: string, connectionId: string): string {
  return key.slice(connectionId.length + 1);
}

/**
 * The scan before's shown grants and apps, keyed as this scan writes them: a tenant read before
 * through another connection (removed and connected again) keeps its keys under the connection
 * that reads it now, so its grants are not "new" and not "gone".
 */
function previousKeys(data: SnapshotData, scans: readonly ConnectionScan[]) {
  const readerOf = new Map<string, string>();
  for (const { connection } of scans) if (!readerOf.has(connection.tenantKey)) readerOf.set(connection.tenantKey, connection.connectionId);
  const renamed = new Map<string, string>();
  for (const connection of data.connections) {
    const reader = readerOf.get(connection.tenantKey);
    if (reader !== undefined && reader !== connection.connectionId) renamed.set(connection.connectionId, reader);
  }
  const rekey = (key: string, connectionId: string) => {
    const reader = renamed.get(connectionId);
    return reader === undefined ? key : connectionScopedKey(reader, unscoped(key, connectionId));
  };
  const appKeys = new Set(data.apps.map((app) => rekey(app.key, app.connectionId)));
  // The usual case, every tenant read through the same connection as before: the keys as they are.
  if (renamed.size === 0 && !data.grants.flags.some((flags) => (flags & grantFlag.held) !== 0)) return { grants: new Set(data.grants.key), grantKeys: data.grants.key, apps: appKeys };
  const appConnection = data.apps.map((app) => app.connectionId);
  const grantKeys: (string | null)[] = new Array<string | null>(data.grants.key.length).fill(null);
  const grants = new Set<string>();
  for (let index = 0; index < data.grants.key.length; index += 1) {
    if (data.grants.flags[index]! & grantFlag.held) continue;
    const key = rekey(data.grants.key[index]!, appConnection[data.grants.app[index]!]!);
    grantKeys[index] = key;
    grants.add(key);
  }
  return { grants, grantKeys, apps: appKeys };
}

function pushGrant(grants: GrantColumns, grant: AuditedGrant, key: string, app: number, users: Interner<string>, scopeSets: Interner<string[]>, extraFlags: number): void {
  grants.key.push(key);
  grants.app.push(app);
  grants.user.push(grant.user === null ? -1 : users.add(grant.user));
  grants.scopeSet.push(scopeSets.add([...grant.scopes].sort()));
  grants.flags.push((grant.consent === 'tenant' ? grantFlag.tenantConsent : 0) | (grant.access === 'application' ? grantFlag.application : 0) | extraFlags);
  grants.lastUsed.push(grant.lastUsed);
  grants.handle.push(grant.revocationHandle);
}

function goneGrants(
  previous: SnapshotData,
  previousKeys: readonly (string | null)[],
  connections: readonly SnapshotConnection[],
  present: ReadonlySet<string>,
  riskOf: (index: number) => GoneGrant['risk'],
): GoneGrant[] {
  // Only where this scan can vouch: the connection was read, and the grant's user was not left
  // unread; anything unread that is not one user (a page, a listing) leaves the connection out.
  const vouched = new Map<string, Set<string>>();
  for (const connection of connections) {
    if (connection.outcome !== 'complete' && connection.outcome !== 'partial') continue;
    if (!connection.incomplete.every((item) => item.user !== undefined || item.detailOnly)) continue;
    vouched.set(connection.connectionId, new Set(connection.incomplete.flatMap((item) => (item.user === undefined ? [] : [item.user]))));
  }
  const gone: GoneGrant[] = [];
  const { grants: columns } = previous;
  for (let index = 0; index < columns.key.length; index += 1) {
    const key = previousKeys[index];
    if (key === null || key === undefined || present.has(key)) continue;
    const reader = key.slice(0, key.indexOf('/'));
    const unread = vouched.get(reader);
    const userIndex = columns.user[index]!;
    const user = userIndex === -1 ? null : previous.users[userIndex]!;
    if (!unread || (user !== null && unread.has(user))) continue;
    const app = previous.apps[columns.app[index]!]!;
    gone.push({ key: columns.key[index]!, connectionId: reader, appName: app.name, provider: app.provider, user, scopes: previous.scopeSets[columns.scopeSet[index]!]!, risk: riskOf(index) });
  }
  return gone;
}

/** Keeps the grants `keep` says yes to; returns the indices kept, in order, to remap the evidence. */
export function keepGrants(data: SnapshotData, keep: (index: number) => boolean): { data: SnapshotData; kept: number[] } {
  const kept: number[] = [];
  for (let index = 0; index < data.grants.key.length; index += 1) if (keep(index)) kept.push(index);
  const pick = <T>(column: T[]) => kept.map((index) => column[index]!);
  const grants: GrantColumns = {
    key: pick(data.grants.key),
    app: pick(data.grants.app),
    user: pick(data.grants.user),
    scopeSet: pick(data.grants.scopeSet),
    flags: pick(data.grants.flags),
    lastUsed: kept.map((index) => data.grants.lastUsed[index] ?? null),
    handle: pick(data.grants.handle),
  };
  return { data: { ...data, grants }, kept };
}

/** The snapshot without its reads kept aside: what the Grants page shows, and what the next scan compares with. */
export function withoutHeldReads(data: SnapshotData): SnapshotData {
  return data.grants.flags.some((flags) => (flags & grantFlag.held) !== 0) ? keepGrants(data, (index) => !(data.grants.flags[index]! & grantFlag.held)).data : data;
}

/**
 * What the Grants page shows of a snapshot: no reads kept aside, no grant revoked since, nothing
 * of a connection that was removed (it stays in the snapshot on disk, as history).
 */
export function shownSnapshot(data: SnapshotData, hidden: { revoked: Pick<ReadonlySet<string>, 'has'>; connectionIds: ReadonlySet<string> | null }): { data: SnapshotData; kept: number[] } {
  const present = (connectionId: string) => hidden.connectionIds === null || hidden.connectionIds.has(connectionId);
  const appShown = data.apps.map((app) => present(app.connectionId));
  const { data: shown, kept } = keepGrants(data, (index) => !(data.grants.flags[index]! & grantFlag.held) && appShown[data.grants.app[index]!]! && !hidden.revoked.has(data.grants.key[index]!));
  return {
    data: {
      ...shown,
      connections: shown.connections.filter((connection) => present(connection.connectionId)),
      gone: shown.gone.filter((grant) => present(grant.connectionId)),
    },
    kept,
  };
}

/** The grants of a connection's shown read (or of its read kept aside), in grant order. */
export function partGrantIndices(data: SnapshotData, connectionId: string, held: boolean): number[] {
  const indices: number[] = [];
  const wanted = held ? grantFlag.held : 0;
  const ofConnection = data.apps.map((app) => app.connectionId === connectionId);
  for (let index = 0; index < data.grants.key.length; index += 1) {
    if ((data.grants.flags[index]! & grantFlag.held) === wanted && ofConnection[data.grants.app[index]!]) indices.push(index);
  }
  return indices;
}

/**
 * A connection's read as a provider would give it again, to carry into the next snapshot: its
 * shown read, or (held) its read kept aside. `indices` come from `partGrantIndices`, `evidence`
 * holds their records in the same order.
 */
export function connectionPart(data: SnapshotData, connection: SnapshotConnection, held: boolean, indices: readonly number[], evidence: readonly unknown[]): ProviderScan {
  const { connectionId } = connection;
  const appsUsed = new Map<number, AuditedApp>();
  const grants: AuditedGrant[] = indices.map((index, at) => {
    const appPosition = data.grants.app[index]!;
    const app = data.apps[appPosition]!;
    if (!appsUsed.has(appPosition)) {
      const { connectionId: _owner, ...audited } = app;
      appsUsed.set(appPosition, { ...audited, key: unscoped(app.key, connectionId) });
    }
    const flags = data.grants.flags[index]!;
    const userIndex = data.grants.user[index]!;
    return {
      key: unscoped(data.grants.key[index]!, connectionId),
      appKey: unscoped(app.key, connectionId),
      provider: app.provider,
      user: userIndex === -1 ? null : data.users[userIndex]!,
      scopes: data.scopeSets[data.grants.scopeSet[index]!]!,
      consent: flags & grantFlag.tenantConsent ? 'tenant' : 'user',
      access: flags & grantFlag.application ? 'application' : 'delegated',
      lastUsed: data.grants.lastUsed[index] ?? null,
      evidence: evidence[at],
      revocationHandle: data.grants.handle[index]!,
    };
  });
  const read = held && connection.newerRead ? connection.newerRead : connection;
  return { apps: [...appsUsed.values()], grants, incomplete: read.incomplete, completed: read.completed, total: read.total };
}

// ---------- reading a snapshot back ----------

const SnapshotAppSchema = GrantAppRowSchema.pick({ key: true, connectionId: true, clientId: true, name: true, publisher: true, verifiedPublisher: true, internal: true, anonymous: true }).extend({
  provider: z.enum(['google', 'microsoft', 'salesforce', 'zendesk', 'okta']),
});

const SnapshotConnectionSchema = ScannedConnectionSchema.extend({
  provider: ProviderIdSchema,
  errorCode: ErrorCodeSchema.nullable(),
  // Added in version 2.
  readAt: z.string().optional(),
  newerRead: NewerReadSchema.extend({ incomplete: z.array(IncompleteItemSchema).default([]) }).nullable().optional(),
  tenantKey: z.string().optional(),
});

const GoneGrantSchema = z.object({
  key: z.string(),
  connectionId: z.string().optional(),
  appName: z.string(),
  provider: SnapshotAppSchema.shape.provider,
  user: z.string().nullable(),
  scopes: z.array(z.string()),
  risk: z.enum(['critical', 'high', 'medium', 'low']),
});

/** A grant column is checked as an array here, and entry by entry in one pass below (half a million of them). */
const column = z.custom<unknown[]>((value) => Array.isArray(value), { error: 'expected an array' });

const SnapshotFrameSchema = z.object({
  version: z.number(),
  id: z.string().min(1),
  takenAt: z.iso.datetime(),
  previous: z.object({ id: z.string(), takenAt: z.string() }).nullable(),
  connections: z.array(SnapshotConnectionSchema),
  apps: z.array(SnapshotAppSchema),
  users: z.array(z.string()),
  scopeSets: z.array(z.array(z.string())),
  newAppKeys: z.array(z.string()),
  gone: z.array(GoneGrantSchema),
  grants: z.object(Object.fromEntries(['key', 'app', 'user', 'scopeSet', 'flags', 'lastUsed', 'handle'].map((name) => [name, column])) as Record<keyof GrantColumns, typeof column>),
});

const count = (value: number) => value.toLocaleString('en-US');

/**
 * Checks a snapshot read from disk through and through (shape, column lengths, every index in
 * range) and brings a version 1 snapshot to the current shape. Returns the snapshot, or one
 * sentence saying what is wrong: a damaged file must never reach the index, where one bad number
 * would fail every question the Grants page asks.
 */
export function readSnapshotData(value: unknown): { data: SnapshotData } | { problem: string; otherFormat?: true } {
  const frame = SnapshotFrameSchema.safeParse(value);
  if (!frame.success) {
    const issue = frame.error.issues[0]!;
    return { problem: `its ${issue.path.join('.') || 'content'} is not what a scan holds (${issue.message})` };
  }
  const raw = frame.data;
  if (!readableVersions.has(raw.version)) return { problem: `it was written in format version ${raw.version}, which this version of Consentry cannot read`, otherFormat: true };
  const connectionIds = new Set(raw.connections.map((connection) => connection.connectionId));
  if (connectionIds.size !== raw.connections.length) return { problem: 'it lists a connection twice' };
  const appKeys = new Set<string>();
  for (const [position, app] of raw.apps.entries()) {
    if (!connectionIds.has(app.connectionId)) return { problem: `app ${count(position)} belongs to a connection the scan does not list` };
    if (appKeys.has(app.key)) return { problem: `app ${count(position)} is listed twice` };
    appKeys.add(app.key);
  }
  const { grants } = raw;
  const total = grants.key.length;
  for (const [name, column] of Object.entries(grants)) {
    if (column.length !== total) return { problem: `its grant column “${name}” has ${count(column.length)} entries for ${count(total)} grants` };
  }
  const apps = raw.apps.length;
  const users = raw.users.length;
  const scopeSets = raw.scopeSets.length;
  const shownKeys = new Set<string>();
  const heldKeys = new Set<string>();
  for (let index = 0; index < total; index += 1) {
    const key = grants.key[index];
    const app = grants.app[index];
    const user = grants.user[index];
    const scopeSet = grants.scopeSet[index];
    const flags = grants.flags[index];
    const lastUsed = grants.lastUsed[index];
    if (typeof key !== 'string') return { problem: `grant ${count(index)} has no key` };
    if (!Number.isInteger(app) || (app as number) < 0 || (app as number) >= apps) return { problem: `grant ${count(index)} names app ${String(app)}, but the scan has ${count(apps)} apps` };
    if (!Number.isInteger(user) || (user as number) < -1 || (user as number) >= users) return { problem: `grant ${count(index)} names user ${String(user)}, but the scan has ${count(users)} users` };
    if (!Number.isInteger(scopeSet) || (scopeSet as number) < 0 || (scopeSet as number) >= scopeSets) return { problem: `grant ${count(index)} names scope set ${String(scopeSet)}, but the scan has ${count(scopeSets)}` };
    if (!Number.isInteger(flags) || (flags as number) < 0 || (flags as number) > allFlags) return { problem: `grant ${count(index)} has flags ${String(flags)}` };
    if (lastUsed !== null && typeof lastUsed !== 'string') return { problem: `grant ${count(index)} has a last use that is not a time` };
    if (typeof grants.handle[index] !== 'string') return { problem: `grant ${count(index)} has no revocation handle` };
    const connectionId = raw.apps[app as number]!.connectionId;
    if (!key.startsWith(`${connectionId}/`)) return { problem: `grant ${count(index)} does not belong to its app’s connection` };
    const keys = (flags as number) & grantFlag.held ? heldKeys : shownKeys;
    if (keys.has(key)) return { problem: `grant ${count(index)} is listed twice` };
    keys.add(key);
  }
  const data: SnapshotData = {
    version: snapshotFormatVersion,
    id: raw.id,
    takenAt: raw.takenAt,
    previous: raw.previous,
    connections: raw.connections.map(({ readAt, newerRead, tenantKey, ...connection }) => ({
      ...connection,
      readAt: readAt ?? raw.takenAt,
      newerRead: newerRead ?? null,
      tenantKey: tenantKey ?? `${connection.provider}:connection:${connection.connectionId}`,
    })),
    apps: raw.apps,
    users: raw.users,
    scopeSets: raw.scopeSets,
    grants: grants as GrantColumns,
    newAppKeys: raw.newAppKeys,
    gone: raw.gone.map((grant) => ({ ...grant, connectionId: grant.connectionId ?? grant.key.slice(0, grant.key.indexOf('/')) })),
  };
  return { data };
}
