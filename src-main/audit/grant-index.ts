/**
 * The Grants page's questions answered over one snapshot in memory: app rows with their risk,
 * grant rows, filters, sorting and pages. Risk is computed here from the scope catalog, not
 * stored, so a better catalog re-rates old scans. The last sorted result is kept, so scrolling
 * through 500,000 grants costs a slice, not a sort.
 */
import type { GrantAppRow, GrantChangeList, GrantFilter, GrantRow, RatedScope, SnapshotSummary, grantAppSortColumns, grantSortColumns } from '../../src-shared/contract/grants';
import type { ProviderId } from '../../src-shared/domain/ids';
import { rateApp } from './app-risk';
import { googleAppPasswordsApp } from './grant-model';
import { grantFlag, type GoneGrant, type SnapshotApp, type SnapshotData } from './grant-snapshot';
import { rateScope, riskLevels, type RiskLevel, type ScopeFamily } from './scope-catalog';

type AppSort = { column: (typeof grantAppSortColumns)[number]; direction: 'asc' | 'desc' };
type GrantSort = { column: (typeof grantSortColumns)[number]; direction: 'asc' | 'desc' };

interface AppFacts {
  row: GrantAppRow;
  /** Grant indices of the app. */
  grants: number[];
  scopeSet: Set<string>;
}

export function scopeFamilyOf(provider: ProviderId, application: boolean): ScopeFamily {
  switch (provider) {
    case 'microsoft':
      return application ? 'graph-application' : 'graph-delegated';
    case 'salesforce':
    case 'zendesk':
    case 'okta':
      return provider;
    default:
      return 'google';
  }
}

const salesforceUnreportedScopes: RatedScope = {
  scope: '(not reported by Salesforce)',
  level: 'high',
  reason: 'Salesforce does not report the scopes of a connected app’s token; most connected apps can reach your org’s data through the API.',
  unrated: true,
};

const googleAppPasswordAccess: RatedScope = {
  scope: '(app password: no scopes)',
  level: 'critical',
  reason: 'An app password signs in with the user’s full access to mail, calendar and contacts and skips 2-Step Verification.',
  unrated: false,
};
/** The Google scan lists app-specific passwords as grants of a pseudo-app with this client id. */
const isAppPassword = (clientId: string) => clientId === googleAppPasswordsApp.clientId;

const rank = (level: RiskLevel) => riskLevels.indexOf(level);
const highRisk = new Set<RiskLevel>(['high', 'critical']);

export class GrantIndex {
  readonly data: SnapshotData;
  readonly #now: Date;
  readonly #apps: AppFacts[] = [];
  readonly #appByKey = new Map<string, AppFacts>();
  /** Each grant's risk, as an index into riskLevels. */
  readonly #grantRisk: Uint8Array;
  readonly #ratings = new Map<string, RatedScope>();
  #lastGrantQuery: { key: string; indices: number[] } | undefined;

  constructor(data: SnapshotData, now: Date) {
    this.data = data;
    this.#now = now;
    this.#grantRisk = new Uint8Array(data.grants.key.length);
    this.#build();
  }

  get grantCount(): number {
    return this.data.grants.key.length;
  }

  rateScope(scope: string, family: ScopeFamily): RatedScope {
    const key = `${family} ${scope}`;
    let rating = this.#ratings.get(key);
    if (!rating) {
      const rated = rateScope(scope, family);
      rating = { scope, level: rated.level, reason: rated.reason, unrated: rated.unrated };
      this.#ratings.set(key, rating);
    }
    return rating;
  }

  /** The index never changes, so neither does its summary: worked out once, on first ask. */
  summary(): SnapshotSummary {
    this.#summary ??= this.#summarise();
    return this.#summary;
  }

  #summary: SnapshotSummary | undefined;

  #summarise(): SnapshotSummary {
    const { data } = this;
    const appsByRisk = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const app of this.#apps) appsByRisk[app.row.risk] += 1;
    const users = new Set<number>();
    let newRiskyGrants = 0;
    for (let index = 0; index < this.grantCount; index += 1) {
      if (data.grants.user[index]! >= 0) users.add(data.grants.user[index]!);
      if (data.grants.flags[index]! & grantFlag.isNew && highRisk.has(riskLevels[this.#grantRisk[index]!]!)) newRiskyGrants += 1;
    }
    const scopes = new Set<string>();
    for (const app of this.#apps) for (const scope of app.scopeSet) scopes.add(scope);
    return {
      id: data.id,
      takenAt: data.takenAt,
      partial: data.connections.some((connection) => connection.outcome === 'partial' || connection.outcome === 'failed' || connection.outcome === 'cancelled'),
      connections: data.connections,
      apps: this.#apps.length,
      grants: this.grantCount,
      users: users.size,
      appsByRisk,
      changes: {
        previousTakenAt: data.previous?.takenAt ?? null,
        newApps: this.#apps.filter((app) => app.row.isNew).length,
        newRiskyGrants,
        goneGrants: data.gone.length,
      },
      scopes: [...scopes].sort(),
    };
  }

  queryApps(filter: GrantFilter, sort: AppSort, offset: number, limit: number): { total: number; rows: GrantAppRow[] } {
    const matches = this.#apps.filter((app) => this.#appMatches(app, filter)).map((app) => app.row);
    matches.sort(appComparator(sort));
    return { total: matches.length, rows: matches.slice(offset, offset + limit) };
  }

  queryGrants(filter: GrantFilter, sort: GrantSort, offset: number, limit: number): { total: number; rows: GrantRow[] } {
    const indices = this.matchingGrants(filter, sort);
    return { total: indices.length, rows: indices.slice(offset, offset + limit).map((index) => this.grantRow(index)) };
  }

  /** Grant indices matching a filter, sorted; the last answer is reused while the admin scrolls. */
  matchingGrants(filter: GrantFilter, sort: GrantSort = { column: 'risk', direction: 'desc' }): number[] {
    const key = JSON.stringify([filter, sort]);
    if (this.#lastGrantQuery?.key === key) return this.#lastGrantQuery.indices;
    const indices: number[] = [];
    const text = filter.text?.toLowerCase();
    for (let index = 0; index < this.grantCount; index += 1) if (this.#grantMatches(index, filter, text)) indices.push(index);
    indices.sort(this.#grantComparator(sort));
    this.#lastGrantQuery = { key, indices };
    return indices;
  }

  matchingApps(filter: GrantFilter, sort: AppSort = { column: 'risk', direction: 'desc' }): GrantAppRow[] {
    return this.queryApps(filter, sort, 0, Number.MAX_SAFE_INTEGER).rows;
  }

  appRow(key: string): GrantAppRow | undefined {
    return this.#appByKey.get(key)?.row;
  }

  app(key: string): { row: GrantAppRow; grants: readonly number[]; scopes: RatedScope[] } | undefined {
    const facts = this.#appByKey.get(key);
    if (!facts) return undefined;
    const family = scopeFamilyOf(facts.row.provider, facts.row.access.includes('application'));
    const scopes = this.#ratedScopes(facts.row.provider, [...facts.scopeSet], family, isAppPassword(facts.row.clientId)).sort((a, b) => rank(b.level) - rank(a.level) || a.scope.localeCompare(b.scope));
    return { row: facts.row, grants: facts.grants, scopes };
  }

  grantIndex(key: string): number | undefined {
    this.#grantByKey ??= new Map(this.data.grants.key.map((grantKey, index) => [grantKey, index]));
    return this.#grantByKey.get(key);
  }

  #grantByKey: Map<string, number> | undefined;

  grantRow(index: number): GrantRow {
    const { grants, users, scopeSets } = this.data;
    const facts = this.#apps[this.#appPosition[grants.app[index]!]!]!;
    const userIndex = grants.user[index]!;
    const flags = grants.flags[index]!;
    return {
      key: grants.key[index]!,
      appKey: facts.row.key,
      appName: facts.row.name,
      provider: facts.row.provider,
      connectionId: facts.row.connectionId,
      user: userIndex === -1 ? null : users[userIndex]!,
      scopes: scopeSets[grants.scopeSet[index]!]!,
      risk: riskLevels[this.#grantRisk[index]!]!,
      consent: flags & grantFlag.tenantConsent ? 'tenant' : 'user',
      access: flags & grantFlag.application ? 'application' : 'delegated',
      lastUsed: grants.lastUsed[index] ?? null,
      isNew: (flags & grantFlag.isNew) !== 0,
    };
  }

  grantRisk(index: number): GoneGrant['risk'] {
    return riskLevels[this.#grantRisk[index]!]!;
  }

  snapshotApp(index: number): SnapshotApp {
    return this.data.apps[this.data.grants.app[index]!]!;
  }

  /** Grants new since the scan before at this risk level (a background scan notifies of new Critical ones). */
  newGrantsRated(level: RiskLevel): number {
    const wanted = rank(level);
    let count = 0;
    for (let index = 0; index < this.grantCount; index += 1) if (this.data.grants.flags[index]! & grantFlag.isNew && this.#grantRisk[index] === wanted) count += 1;
    return count;
  }

  changes(limit: number): GrantChangeList {
    const newApps = this.#apps.filter((app) => app.row.isNew).map((app) => app.row).sort(appComparator({ column: 'risk', direction: 'desc' }));
    const newRiskyGrants: GrantRow[] = [];
    for (let index = 0; index < this.grantCount && newRiskyGrants.length < limit; index += 1) {
      if (this.data.grants.flags[index]! & grantFlag.isNew && highRisk.has(riskLevels[this.#grantRisk[index]!]!)) newRiskyGrants.push(this.grantRow(index));
    }
    return { newApps: newApps.slice(0, limit), newRiskyGrants, goneGrants: this.data.gone.slice(0, limit).map(({ connectionId: _connection, ...grant }) => grant), limit };
  }

  /** Position of each snapshot app in #apps (apps with no grant left are not listed). */
  readonly #appPosition: number[] = [];

  #build(): void {
    const { data } = this;
    const byApp = new Map<number, number[]>();
    for (let index = 0; index < this.grantCount; index += 1) {
      const app = data.grants.app[index]!;
      let list = byApp.get(app);
      if (!list) byApp.set(app, (list = []));
      list.push(index);
    }
    const newApps = new Set(data.newAppKeys);
    data.apps.forEach((app, appIndex) => {
      const grants = byApp.get(appIndex);
      if (!grants) return;
      const facts = this.#appFacts(app, grants, newApps.has(app.key));
      this.#appPosition[appIndex] = this.#apps.length;
      this.#apps.push(facts);
      this.#appByKey.set(app.key, facts);
    });
  }

  #appFacts(app: SnapshotApp, grants: number[], isNew: boolean): AppFacts {
    const { data } = this;
    const scopeSet = new Set<string>();
    const users = new Set<number>();
    let tenant = false;
    let userConsent = false;
    let application = false;
    let delegated = false;
    let lastUsed: string | null = null;
    for (const index of grants) {
      for (const scope of data.scopeSets[data.grants.scopeSet[index]!]!) scopeSet.add(scope);
      const user = data.grants.user[index]!;
      if (user >= 0) users.add(user);
      const flags = data.grants.flags[index]!;
      if (flags & grantFlag.tenantConsent) tenant = true;
      else userConsent = true;
      if (flags & grantFlag.application) application = true;
      else delegated = true;
      const used = data.grants.lastUsed[index];
      if (used && (lastUsed === null || used > lastUsed)) lastUsed = used;
    }
    const connection = data.connections.find((candidate) => candidate.connectionId === app.connectionId);
    const risk = this.#rate(app, [...scopeSet], { application, tenant, users: users.size, lastUsed });
    // Each grant is rated on its own scopes with the app's factors; grants share scope sets, so cache.
    const grantRisk = new Map<string, number>();
    for (const index of grants) {
      const flags = data.grants.flags[index]!;
      const cacheKey = `${data.grants.scopeSet[index]}|${flags & 3}`;
      let level = grantRisk.get(cacheKey);
      if (level === undefined) {
        const scopes = data.scopeSets[data.grants.scopeSet[index]!]!;
        level = rank(this.#rate(app, scopes, { application: (flags & grantFlag.application) !== 0, tenant: (flags & grantFlag.tenantConsent) !== 0, users: users.size, lastUsed: null }).level);
        grantRisk.set(cacheKey, level);
      }
      this.#grantRisk[index] = level;
    }
    const row: GrantAppRow = {
      key: app.key,
      provider: app.provider,
      connectionId: app.connectionId,
      connectionLabel: connection?.label ?? app.connectionId,
      clientId: app.clientId,
      name: app.name,
      publisher: app.publisher,
      verifiedPublisher: app.verifiedPublisher,
      internal: app.internal,
      anonymous: app.anonymous,
      risk: risk.level,
      scopeRisk: risk.scopeLevel,
      factors: risk.factors,
      users: users.size,
      grants: grants.length,
      consent: [...(userConsent ? (['user'] as const) : []), ...(tenant ? (['tenant'] as const) : [])],
      access: [...(delegated ? (['delegated'] as const) : []), ...(application ? (['application'] as const) : [])],
      scopes: [...scopeSet].sort(),
      lastUsed,
      isNew,
    };
    return { row, grants, scopeSet };
  }

  #ratedScopes(provider: ProviderId, scopes: readonly string[], family: ScopeFamily, isAppPassword: boolean): RatedScope[] {
    // Salesforce's OauthToken does not say which scopes a token holds: rated as what most connected apps have.
    if (scopes.length === 0 && provider === 'salesforce') return [salesforceUnreportedScopes];
    if (scopes.length === 0 && provider === 'google' && isAppPassword) return [googleAppPasswordAccess];
    return scopes.map((scope) => this.rateScope(scope, family));
  }

  #rate(app: SnapshotApp, scopes: readonly string[], facts: { application: boolean; tenant: boolean; users: number; lastUsed: string | null }) {
    const family = scopeFamilyOf(app.provider, facts.application);
    return rateApp({
      scopes: this.#ratedScopes(app.provider, scopes, family, isAppPassword(app.clientId)),
      verifiedPublisher: app.verifiedPublisher,
      anonymous: app.anonymous,
      application: facts.application,
      tenantWideConsent: facts.tenant,
      users: facts.users,
      lastUsed: facts.lastUsed ? new Date(facts.lastUsed) : null,
      now: this.#now,
    });
  }

  #appMatches(app: AppFacts, filter: GrantFilter): boolean {
    const { row } = app;
    if (filter.providers?.length && !filter.providers.includes(row.provider)) return false;
    if (filter.risks?.length && !filter.risks.includes(row.risk)) return false;
    if (filter.scope && !app.scopeSet.has(filter.scope)) return false;
    if (filter.consent && !row.consent.includes(filter.consent)) return false;
    if (filter.access && !row.access.includes(filter.access)) return false;
    if (filter.onlyNew && !row.isNew) return false;
    if (filter.text) {
      const text = filter.text.toLowerCase();
      if (![row.name, row.clientId, row.publisher ?? ''].some((value) => value.toLowerCase().includes(text)) && !app.grants.some((index) => this.#userText(index).includes(text))) return false;
    }
    return true;
  }

  #lowerUsers: string[] | undefined;

  /** The grant's user in lower case, '' for tenant-wide consent. */
  #userText(index: number): string {
    const user = this.data.grants.user[index]!;
    if (user === -1) return '';
    this.#lowerUsers ??= this.data.users.map((name) => name.toLowerCase());
    return this.#lowerUsers[user]!;
  }

  #grantMatches(index: number, filter: GrantFilter, text: string | undefined): boolean {
    const { grants } = this.data;
    const flags = grants.flags[index]!;
    const facts = this.#apps[this.#appPosition[grants.app[index]!]!]!;
    if (filter.providers?.length && !filter.providers.includes(facts.row.provider)) return false;
    if (filter.risks?.length && !filter.risks.includes(riskLevels[this.#grantRisk[index]!]!)) return false;
    if (filter.consent && (filter.consent === 'tenant') !== ((flags & grantFlag.tenantConsent) !== 0)) return false;
    if (filter.access && (filter.access === 'application') !== ((flags & grantFlag.application) !== 0)) return false;
    if (filter.onlyNew && !(flags & grantFlag.isNew)) return false;
    if (filter.scope && !this.data.scopeSets[grants.scopeSet[index]!]!.includes(filter.scope)) return false;
    if (text) {
      const { name, clientId, publisher } = facts.row;
      if (!this.#userText(index).includes(text) && ![name, clientId, publisher ?? ''].some((value) => value.toLowerCase().includes(text))) return false;
    }
    return true;
  }

  #grantComparator(sort: GrantSort): (a: number, b: number) => number {
    const { grants, users, scopeSets } = this.data;
    const sign = sort.direction === 'asc' ? 1 : -1;
    const userOf = (index: number) => (grants.user[index]! === -1 ? '' : users[grants.user[index]!]!);
    const appName = (index: number) => this.#apps[this.#appPosition[grants.app[index]!]!]!.row.name;
    const byUser = (a: number, b: number) => userOf(a).localeCompare(userOf(b));
    const compare: Record<GrantSort['column'], (a: number, b: number) => number> = {
      risk: (a, b) => this.#grantRisk[a]! - this.#grantRisk[b]!,
      user: byUser,
      app: (a, b) => appName(a).localeCompare(appName(b)),
      scopes: (a, b) => scopeSets[grants.scopeSet[a]!]!.length - scopeSets[grants.scopeSet[b]!]!.length,
      lastUsed: (a, b) => (grants.lastUsed[a] ?? '').localeCompare(grants.lastUsed[b] ?? ''),
      provider: (a, b) => this.#apps[this.#appPosition[grants.app[a]!]!]!.row.provider.localeCompare(this.#apps[this.#appPosition[grants.app[b]!]!]!.row.provider),
    };
    const primary = compare[sort.column];
    // Ties fall back to user then index, so pages never shuffle between requests.
    return (a, b) => sign * primary(a, b) || byUser(a, b) || a - b;
  }
}

function appComparator(sort: AppSort): (a: GrantAppRow, b: GrantAppRow) => number {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const compare: Record<AppSort['column'], (a: GrantAppRow, b: GrantAppRow) => number> = {
    risk: (a, b) => rank(a.risk) - rank(b.risk) || a.users - b.users,
    name: (a, b) => a.name.localeCompare(b.name),
    publisher: (a, b) => (a.publisher ?? '').localeCompare(b.publisher ?? ''),
    users: (a, b) => a.users - b.users,
    scopes: (a, b) => a.scopes.length - b.scopes.length,
    lastUsed: (a, b) => (a.lastUsed ?? '').localeCompare(b.lastUsed ?? ''),
    provider: (a, b) => a.provider.localeCompare(b.provider),
  };
  const primary = compare[sort.column];
  return (a, b) => sign * primary(a, b) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key);
}
