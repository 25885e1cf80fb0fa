/**
 * One scan of every connected tenant, as it is kept on disk and in memory: apps, and grants in
 * columns with users and scope sets interned, so that half a million grants parse in a blink.
 * The provider records (evidence) are kept beside it and read only when an admin opens an app.
 */
import type { ScannedConnection } from '../../src-preload/contract';
import type { AuditedApp, AuditedGrant, ProviderScan } from './grant-model';

export const snapshotFormatVersion = 1;

/** An app as one connection saw it; its key is unique across connections. */
export interface SnapshotApp extends AuditedApp {
  connectionId: string;
}

/** Grant flags, one small integer per grant. */
export const grantFlag = { tenantConsent: 1, application: 2, isNew: 4 } as const;

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
  connections: ScannedConnection[];
  apps: SnapshotApp[];
  users: string[];
  scopeSets: string[][];
  grants: GrantColumns;
  newAppKeys: string[];
  gone: GoneGrant[];
}

/** One connection's part of a scan, before it is merged into the snapshot. */
export interface ConnectionScan {
  connection: Omit<ScannedConnection, 'completed' | 'total' | 'incomplete'>;
  /** Null when nothing was read (unsupported provider, failure before the first page). */
  scan: ProviderScan | null;
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
 * Merges the connections' scans into one snapshot. `isNew`, `newAppKeys` and `gone` compare with
 * the scan before: a grant counts as gone only where this scan read its user in full, so a
 * partial or cancelled scan never reports access as removed that it simply did not read.
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
  const connections: ScannedConnection[] = [];
  const previousGrantKeys = input.previous ? new Set(input.previous.grants.key) : null;
  const previousAppKeys = input.previous ? new Set(input.previous.apps.map((app) => app.key)) : null;
  const seenGrantKeys = new Set<string>();

  for (const { connection, scan } of input.scans) {
    connections.push({ ...connection, completed: scan?.completed ?? 0, total: scan?.total ?? 0, incomplete: scan?.incomplete ?? [] });
    if (!scan) continue;
    const localApps = new Map<string, number>();
    for (const app of scan.apps) {
      const key = connectionScopedKey(connection.connectionId, app.key);
      if (appIndex.has(key)) continue;
      appIndex.set(key, apps.length);
      localApps.set(app.key, apps.length);
      apps.push({ ...app, key, connectionId: connection.connectionId });
    }
    for (const grant of scan.grants) {
      const app = localApps.get(grant.appKey);
      const key = connectionScopedKey(connection.connectionId, grant.key);
      // A provider may list the same access twice (a retried page); the snapshot keeps it once.
      if (app === undefined || seenGrantKeys.has(key)) continue;
      seenGrantKeys.add(key);
      pushGrant(grants, grant, key, app, users, scopeSets, previousGrantKeys !== null && !previousGrantKeys.has(key));
      evidence.push(grant.evidence);
    }
  }

  const newAppKeys = previousAppKeys ? apps.filter((app) => !previousAppKeys.has(app.key)).map((app) => app.key) : [];
  const gone = input.previous ? goneGrants(input.previous, connections, seenGrantKeys, input.riskOfPrevious) : [];
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

function pushGrant(
  grants: GrantColumns,
  grant: AuditedGrant,
  key: string,
  app: number,
  users: Interner<string>,
  scopeSets: Interner<string[]>,
  isNew: boolean,
): void {
  grants.key.push(key);
  grants.app.push(app);
  grants.user.push(grant.user === null ? -1 : users.add(grant.user));
  grants.scopeSet.push(scopeSets.add([...grant.scopes].sort()));
  grants.flags.push((grant.consent === 'tenant' ? grantFlag.tenantConsent : 0) | (grant.access === 'application' ? grantFlag.application : 0) | (isNew ? grantFlag.isNew : 0));
  grants.lastUsed.push(grant.lastUsed);
  grants.handle.push(grant.revocationHandle);
}

function goneGrants(
  previous: SnapshotData,
  connections: readonly ScannedConnection[],
  present: ReadonlySet<string>,
  riskOf: (index: number) => GoneGrant['risk'],
): GoneGrant[] {
  // Only where this scan can vouch: the connection was read, and the grant's user was not left
  // unread; anything unread that is not one user (a page, a listing) leaves the connection out.
  const readConnections = new Map(
    connections
      .filter((connection) => (connection.outcome === 'complete' || connection.outcome === 'partial') && connection.incomplete.every((item) => item.user !== undefined || item.detailOnly))
      .map((connection) => [connection.connectionId, new Set(connection.incomplete.flatMap((item) => (item.user === undefined ? [] : [item.user])))]),
  );
  const gone: GoneGrant[] = [];
  const { grants } = previous;
  for (let index = 0; index < grants.key.length; index += 1) {
    const key = grants.key[index]!;
    if (present.has(key)) continue;
    const app = previous.apps[grants.app[index]!]!;
    const unread = readConnections.get(app.connectionId);
    const userIndex = grants.user[index]!;
    const user = userIndex === -1 ? null : previous.users[userIndex]!;
    if (!unread || (user !== null && unread.has(user))) continue;
    gone.push({ key, appName: app.name, provider: app.provider, user, scopes: previous.scopeSets[grants.scopeSet[index]!]!, risk: riskOf(index) });
  }
  return gone;
}

/** Removes grants (revoked since the scan) from a snapshot; returns the indices kept, in order. */
export function withoutGrants(data: SnapshotData, removed: ReadonlySet<string>): { data: SnapshotData; kept: number[] } {
  const kept: number[] = [];
  for (let index = 0; index < data.grants.key.length; index += 1) if (!removed.has(data.grants.key[index]!)) kept.push(index);
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
