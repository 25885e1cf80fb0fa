/**
 * The sample company's SaaS footprint beyond Google and Microsoft: the same people (same emails)
 * in Salesforce, Zendesk and Okta, with the third-party OAuth grants each of those services lets
 * an admin see and revoke. Built deterministically from the tenant and a seed; the simulator's
 * routes then change it (a revoked token is gone, a cleared session is recorded).
 *
 * Field names follow each vendor's API reference: Salesforce `User`/`OauthToken` sObject fields,
 * Zendesk `users`/`oauth_tokens`/`api_tokens` JSON, Okta `User`/`OAuth2ScopeConsentGrant`/`ApiToken`.
 * App and token names are invented.
 */
import { createHash } from 'node:crypto';
import type { SampleTenant, SampleUser } from './sample-tenant';
import { SeededRandom } from './seeded-random';

// ---------------------------------------------------------------------------------------------
// Salesforce

export interface SalesforceUser {
  /** 18-character, case-safe `005…` id. */
  Id: string;
  Username: string;
  Email: string;
  FirstName: string;
  LastName: string;
  IsActive: boolean;
  UserType: 'Standard';
  CreatedDate: string;
  LastLoginDate: string | null;
  /** Holds "Customize Application": sees every user's OauthToken rows (others see their own). */
  customizeApplication: boolean;
  /** Holds "Manage Users": reads and updates UserLogin (freezing), which others cannot see at all. */
  manageUsers: boolean;
  /** The simulator's key of the user's UserLogin row (`0Yw…`, 18 characters). */
  userLoginKey: string;
  /** UserLogin.IsFrozen: a frozen user cannot log in, yet stays active. */
  IsFrozen: boolean;
}

export interface SalesforceOauthToken {
  /**
   * The simulator's own key (`0CQ…`, 18 characters), used in `attributes.url`. The reference
   * documents OauthToken.Id as "reserved for future use, currently always null", so queries
   * answer `Id: null`; DeleteToken is what identifies a token to the revoke endpoint.
   */
  key: string;
  AppName: string;
  /** `0Pp…` App Picker menu item of the connected app. */
  AppMenuItemId: string;
  UserId: string;
  CreatedDate: string;
  LastUsedDate: string;
  UseCount: number;
  /** Opaque and unique; POST it to /services/oauth2/revoke as `token` to delete this row. */
  DeleteToken: string;
}

export interface SalesforceRevocation {
  deleteToken: string;
  appName: string;
  userId: string;
  at: string;
}

export interface SampleSalesforce {
  /** `00D…` organization id. */
  orgId: string;
  users: SalesforceUser[];
  oauthTokens: SalesforceOauthToken[];
  /** Tokens revoked through the simulator, in order. */
  revocations: SalesforceRevocation[];
}

// ---------------------------------------------------------------------------------------------
// Zendesk

export type ZendeskRole = 'admin' | 'agent' | 'end-user';

export interface ZendeskUser {
  id: number;
  name: string;
  email: string;
  role: ZendeskRole;
  active: boolean;
  suspended: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface ZendeskOauthClient {
  id: number;
  name: string;
  identifier: string;
  company: string;
  kind: 'public' | 'confidential';
}

export interface ZendeskOauthToken {
  id: number;
  /** Numeric id of the (local) OAuth client. */
  client_id: number;
  user_id: number;
  /** Zendesk only ever returns the first 10 characters of an access token. */
  token: string;
  scopes: string[];
  created_at: string;
  used_at: string | null;
  expires_at: null;
}

/**
 * An API token (`ApiTokenObject` of ListApiTokens). Its value is shown once, in Admin Center, and
 * is kept nowhere here; `visible_token` is the truncated form the list gives.
 */
export interface ZendeskApiToken {
  id: number;
  /** The admin who created it; a token is not tied to a user when it is used. */
  user_id: number;
  description: string;
  active: boolean;
  created_at: string;
  updated_at: string;
  last_used: string | null;
  visible_token: string;
}

export interface SampleZendesk {
  subdomain: string;
  users: ZendeskUser[];
  oauthClients: ZendeskOauthClient[];
  oauthTokens: ZendeskOauthToken[];
  apiTokens: ZendeskApiToken[];
  /** Ids of tokens deleted through the simulator, in order. */
  deletedTokenIds: number[];
}

// ---------------------------------------------------------------------------------------------
// Okta

export type OktaUserStatus = 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED';

export interface OktaUser {
  /** `00u…`, 20 characters. */
  id: string;
  status: OktaUserStatus;
  created: string;
  activated: string;
  statusChanged: string;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string;
  profile: { firstName: string; lastName: string; email: string; login: string };
}

export interface OktaApp {
  /** For OIDC apps the app id is also the client_id (`0oa…`). */
  id: string;
  label: string;
}

export interface OktaScope {
  /** `scp…` id in the authorization server. */
  id: string;
  name: string;
}

export interface OktaGrant {
  /** `oag…`, 20 characters. */
  id: string;
  status: 'ACTIVE';
  created: string;
  lastUpdated: string;
  createdBy: { id: string; type: 'User' };
  /** The authorization server that issued it (its issuer is `{orgUrl}/oauth2/{id}`). */
  authorizationServerId: string;
  clientId: string;
  userId: string;
  scopeId: string;
  source: 'ADMIN' | 'END_USER';
}

export interface OktaSessionClear {
  userId: string;
  oauthTokens: boolean;
  forgetDevices: boolean;
  at: string;
}

/** An API token (SSWS) an admin created in the Admin Console; it acts with its user's permissions. */
export interface OktaApiToken {
  /** `00T…`, 20 characters. */
  id: string;
  name: string;
  userId: string;
  clientName: string;
  created: string;
  lastUpdated: string;
  /** Its last use plus `tokenWindow`: each use renews it, and 30 days unused revoke it. */
  expiresAt: string;
  tokenWindow: string;
  network: { connection: 'ANYWHERE' } | { connection: 'ZONE'; include?: string[]; exclude?: string[] };
}

/** An admin role assigned to a user directly (Role Assignment API); the sample assigns no group roles. */
export interface OktaAdminRole {
  /** `ra1…`, 20 characters. */
  id: string;
  userId: string;
  type: 'SUPER_ADMIN' | 'ORG_ADMIN';
  created: string;
}

export interface SampleOkta {
  authorizationServer: { id: string; name: string };
  apps: OktaApp[];
  scopes: OktaScope[];
  users: OktaUser[];
  grants: OktaGrant[];
  /** Users with a live Okta session, by id. */
  activeSessionUserIds: string[];
  /** Users holding OAuth tokens Okta issued (those who consented to offline_access), by id. */
  usersWithOauthTokens: string[];
  adminRoles: OktaAdminRole[];
  /** `DELETE /api/v1/users/{id}/sessions` calls answered, in order. */
  sessionClears: OktaSessionClear[];
  apiTokens: OktaApiToken[];
}

export interface SampleSaas {
  seed: number;
  referenceTime: string;
  salesforce: SampleSalesforce;
  zendesk: SampleZendesk;
  okta: SampleOkta;
}

// ---------------------------------------------------------------------------------------------
// Seed data: invented apps with plausible scope mixes

const salesforceApps: readonly { name: string; popularity: number; heavy: boolean }[] = [
  { name: 'Salesforce Mobile Companion', popularity: 0.7, heavy: true },
  { name: 'InboxSync for CRM', popularity: 0.5, heavy: true },
  { name: 'QuoteFlow CPQ', popularity: 0.45, heavy: false },
  { name: 'PipelineBI Connector', popularity: 0.4, heavy: true },
  { name: 'SignStack eSignature', popularity: 0.35, heavy: false },
  { name: 'DealRoom Notes', popularity: 0.3, heavy: false },
  { name: 'Legacy Data Mover', popularity: 0.2, heavy: true },
  { name: 'Territory Mapper', popularity: 0.12, heavy: false },
];

const zendeskClients: readonly { name: string; company: string; identifier: string; kind: 'public' | 'confidential'; popularity: number; scopes: string[][]; agentsOnly: boolean }[] = [
  { name: 'Helpdesk Mobile Companion', company: 'Sample Company IT', identifier: 'helpdesk_mobile', kind: 'public', popularity: 0.55, scopes: [['read', 'write']], agentsOnly: true },
  { name: 'TicketBridge Chat Connector', company: 'TicketBridge Ltd', identifier: 'ticketbridge', kind: 'confidential', popularity: 0.35, scopes: [['read', 'write'], ['tickets:read', 'tickets:write']], agentsOnly: true },
  { name: 'CSAT Pulse Surveys', company: 'PulseMetrics', identifier: 'csat_pulse', kind: 'confidential', popularity: 0.25, scopes: [['tickets:read', 'users:read']], agentsOnly: true },
  { name: 'Macro Sync Tool', company: 'unknown', identifier: 'macro_sync', kind: 'public', popularity: 0.12, scopes: [['read', 'write']], agentsOnly: true },
  { name: 'Old Reporting Script', company: 'Sample Company IT', identifier: 'old_reporting', kind: 'confidential', popularity: 0.08, scopes: [['read']], agentsOnly: false },
  { name: 'Requester Portal Widget', company: 'WidgetWorks', identifier: 'requester_widget', kind: 'public', popularity: 0.3, scopes: [['requests:read', 'requests:write']], agentsOnly: false },
];

const oktaScopeNames = ['openid', 'profile', 'email', 'offline_access', 'calendar.read', 'files.readwrite', 'expenses.write', 'directory.read'];

const oktaApps: readonly { label: string; popularity: number; scopes: string[]; source: 'ADMIN' | 'END_USER' }[] = [
  { label: 'ExpenseWise', popularity: 0.45, scopes: ['openid', 'profile', 'expenses.write'], source: 'END_USER' },
  { label: 'BoardDeck Portal', popularity: 0.3, scopes: ['openid', 'email', 'files.readwrite', 'offline_access'], source: 'END_USER' },
  { label: 'Travel Desk', popularity: 0.25, scopes: ['openid', 'profile', 'calendar.read'], source: 'END_USER' },
  { label: 'Org Chart Viewer', popularity: 0.6, scopes: ['openid', 'profile', 'directory.read'], source: 'ADMIN' },
  { label: 'CodeReview Hub', popularity: 0.15, scopes: ['openid', 'email', 'offline_access'], source: 'END_USER' },
];

const day = 86_400_000;
const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function pickChars(random: SeededRandom, alphabet: string, length: number): string {
  let text = '';
  while (text.length < length) text += alphabet[random.int(0, alphabet.length - 1)];
  return text;
}

/** The 3-character suffix that makes a 15-character Salesforce id case-safe. */
export function salesforceCaseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let index = 0; index < 5; index += 1) {
      const char = id15[chunk * 5 + index] ?? '';
      if (char >= 'A' && char <= 'Z') bits |= 1 << index;
    }
    suffix += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[bits];
  }
  return suffix;
}

/** An 18-character Salesforce id: key prefix, pod, padding, a unique part and the case-safe suffix. */
function salesforceId(random: SeededRandom, prefix: string, taken: Set<string>): string {
  for (;;) {
    const id15 = `${prefix}8d00000${pickChars(random, base62, 5)}`;
    if (taken.has(id15)) continue;
    taken.add(id15);
    return id15 + salesforceCaseSafeSuffix(id15);
  }
}

/** An Okta object id: a 3-character type prefix and 17 more characters (`00u…`, `oag…`). */
function oktaId(random: SeededRandom, prefix: string, taken: Set<string>): string {
  for (;;) {
    const id = `${prefix}${pickChars(random, base62.slice(10), 1)}${pickChars(random, base62, 12)}0h7${pickChars(random, '0123456789', 1)}`;
    if (taken.has(id)) continue;
    taken.add(id);
    return id;
  }
}

function uniqueNumber(random: SeededRandom, digits: number, taken: Set<number>): number {
  for (;;) {
    const value = Number(random.digits(digits));
    if (taken.has(value)) continue;
    taken.add(value);
    return value;
  }
}

/** Zendesk writes whole seconds: `2009-05-13T00:07:08Z`. */
const zendeskTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function buildSampleSaas(tenant: SampleTenant, seed: number): SampleSaas {
  // A stream of its own, so the SaaS picks do not echo the tenant's.
  const random = new SeededRandom((seed ^ 0x5a45_5341) >>> 0);
  const now = Date.parse(tenant.referenceTime);
  /** Some time `days` ago, at a random second of that day. */
  const daysAgo = (days: number) => now - days * day - random.int(0, 86_399) * 1_000;
  /** Last use: a quarter of the grants are stale (older than 90 days). */
  const lastUse = () => (random.chance(0.25) ? daysAgo(random.int(91, 700)) : daysAgo(random.int(0, 89)));
  const inSubset = (user: SampleUser, share: number) => user.isAdmin || user.departed || random.chance(share);

  // Salesforce -------------------------------------------------------------------------------
  const salesforceIds = new Set<string>();
  const orgId = salesforceId(random, '00D', salesforceIds);
  const appMenuItems = salesforceApps.map(() => salesforceId(random, '0Pp', salesforceIds));
  const salesforceUsers: SalesforceUser[] = [];
  const oauthTokens: SalesforceOauthToken[] = [];
  const deleteTokens = new Set<string>();
  for (const user of tenant.users) {
    if (!inSubset(user, 0.55)) continue;
    const created = daysAgo(random.int(30, 1_500));
    const id = salesforceId(random, '005', salesforceIds);
    // Derived from the user's id, not drawn, so the picks after it stay as they were.
    const loginId15 = `0Yw${id.slice(3, 15)}`;
    const salesforceUser: SalesforceUser = {
      Id: id,
      Username: user.primaryEmail,
      Email: user.primaryEmail,
      FirstName: user.givenName,
      LastName: user.familyName,
      IsActive: !user.suspended,
      UserType: 'Standard',
      CreatedDate: new Date(created).toISOString(),
      LastLoginDate: random.chance(0.05) ? null : new Date(Math.max(created, daysAgo(random.int(0, user.suspended ? 300 : 45)))).toISOString(),
      customizeApplication: user.isAdmin,
      manageUsers: user.isAdmin,
      userLoginKey: loginId15 + salesforceCaseSafeSuffix(loginId15),
      IsFrozen: false,
    };
    salesforceUsers.push(salesforceUser);
    salesforceApps.forEach((app, index) => {
      if (!random.chance(app.popularity)) return;
      // A mobile app signed in on two devices holds two refresh tokens.
      const copies = app.heavy && random.chance(0.1) ? 2 : 1;
      for (let copy = 0; copy < copies; copy += 1) {
        const lastUsed = lastUse();
        const createdAt = Math.max(created, lastUsed - random.int(0, 600) * day);
        let deleteToken: string;
        do deleteToken = pickChars(random, base62, 48);
        while (deleteTokens.has(deleteToken));
        deleteTokens.add(deleteToken);
        oauthTokens.push({
          key: salesforceId(random, '0CQ', salesforceIds),
          AppName: app.name,
          AppMenuItemId: appMenuItems[index]!,
          UserId: salesforceUser.Id,
          CreatedDate: new Date(createdAt).toISOString(),
          LastUsedDate: new Date(Math.max(createdAt, lastUsed)).toISOString(),
          UseCount: app.heavy ? random.int(20, 9_000) : random.int(1, 400),
          DeleteToken: deleteToken,
        });
      }
    });
  }

  // Zendesk ----------------------------------------------------------------------------------
  const zendeskIds = new Set<number>();
  const oauthClients: ZendeskOauthClient[] = zendeskClients.map((client) => ({
    id: uniqueNumber(random, 6, zendeskIds),
    name: client.name,
    identifier: client.identifier,
    company: client.company,
    kind: client.kind,
  }));
  const zendeskUsers: ZendeskUser[] = [];
  const zendeskTokens: ZendeskOauthToken[] = [];
  for (const user of tenant.users) {
    if (!inSubset(user, 0.4)) continue;
    const role: ZendeskRole = user.isAdmin ? 'admin' : random.chance(0.45) ? 'agent' : 'end-user';
    const created = daysAgo(random.int(30, 1_500));
    const zendeskUser: ZendeskUser = {
      id: uniqueNumber(random, 13, zendeskIds),
      name: `${user.givenName} ${user.familyName}`,
      email: user.primaryEmail,
      role,
      active: true,
      suspended: user.suspended,
      created_at: zendeskTime(created),
      updated_at: zendeskTime(Math.max(created, daysAgo(random.int(0, 120)))),
      last_login_at: random.chance(0.1) ? null : zendeskTime(Math.max(created, daysAgo(random.int(0, user.suspended ? 300 : 40)))),
    };
    zendeskUsers.push(zendeskUser);
    zendeskClients.forEach((client, index) => {
      if (client.agentsOnly && role === 'end-user') return;
      if (!random.chance(client.popularity)) return;
      const usedAt = random.chance(0.08) ? null : lastUse();
      const createdAt = Math.max(created, (usedAt ?? now) - random.int(0, 500) * day);
      zendeskTokens.push({
        id: uniqueNumber(random, 14, zendeskIds),
        client_id: oauthClients[index]!.id,
        user_id: zendeskUser.id,
        token: random.hex(10),
        scopes: [...random.pick(client.scopes)],
        created_at: zendeskTime(createdAt),
        used_at: usedAt === null ? null : zendeskTime(Math.max(createdAt, usedAt)),
        expires_at: null,
      });
    });
  }

  // Okta -------------------------------------------------------------------------------------
  const oktaIds = new Set<string>();
  const scopes: OktaScope[] = oktaScopeNames.map((name) => ({ id: oktaId(random, 'scp', oktaIds), name }));
  const scopeByName = new Map(scopes.map((scope) => [scope.name, scope]));
  const apps: OktaApp[] = oktaApps.map((app) => ({ id: oktaId(random, '0oa', oktaIds), label: app.label }));
  const oktaUsers: OktaUser[] = [];
  const grants: OktaGrant[] = [];
  const activeSessionUserIds: string[] = [];
  let firstAdminId: string | undefined;
  for (const user of tenant.users) {
    const status: OktaUserStatus = user.suspended ? (random.chance(0.6) ? 'SUSPENDED' : 'DEPROVISIONED') : 'ACTIVE';
    const created = daysAgo(random.int(30, 1_500));
    const activated = created + random.int(0, 3_600) * 1_000;
    const statusChanged = status === 'ACTIVE' ? activated : Math.max(activated, daysAgo(random.int(1, 200)));
    const lastLogin = status === 'DEPROVISIONED' || random.chance(0.03) ? null : Math.max(activated, daysAgo(random.int(0, status === 'ACTIVE' ? 30 : 300)));
    const passwordChanged = Math.max(activated, daysAgo(random.int(0, 400)));
    const oktaUser: OktaUser = {
      id: oktaId(random, '00u', oktaIds),
      status,
      created: new Date(created).toISOString(),
      activated: new Date(activated).toISOString(),
      statusChanged: new Date(statusChanged).toISOString(),
      lastLogin: lastLogin === null ? null : new Date(lastLogin).toISOString(),
      lastUpdated: new Date(Math.max(statusChanged, passwordChanged)).toISOString(),
      passwordChanged: new Date(passwordChanged).toISOString(),
      profile: { firstName: user.givenName, lastName: user.familyName, email: user.primaryEmail, login: user.primaryEmail },
    };
    oktaUsers.push(oktaUser);
    if (user.isAdmin && firstAdminId === undefined) firstAdminId = oktaUser.id;
    if (status === 'ACTIVE' && (user.departed || random.chance(0.5))) activeSessionUserIds.push(oktaUser.id);
    if (status === 'DEPROVISIONED') continue;
    oktaApps.forEach((app, index) => {
      if (!random.chance(app.popularity)) return;
      const granted = lastUse() - random.int(0, 300) * day;
      const at = new Date(Math.max(activated, granted)).toISOString();
      for (const scopeName of app.scopes) {
        grants.push({
          id: oktaId(random, 'oag', oktaIds),
          status: 'ACTIVE',
          created: at,
          lastUpdated: at,
          createdBy: { id: app.source === 'ADMIN' ? (firstAdminId ?? oktaUser.id) : oktaUser.id, type: 'User' },
          authorizationServerId: 'default',
          clientId: apps[index]!.id,
          userId: oktaUser.id,
          scopeId: scopeByName.get(scopeName)!.id,
          source: app.source,
        });
      }
    });
  }

  // API tokens ---------------------------------------------------------------------------------
  // A stream of their own, so adding them left every earlier pick as it was.
  const tokenRandom = new SeededRandom((seed ^ 0x4150_4954) >>> 0);
  const at = (days: number) => now - days * day - tokenRandom.int(0, 86_399) * 1_000;
  const oktaOwner = oktaUsers.find((user) => user.id === firstAdminId) ?? oktaUsers.find((user) => user.status === 'ACTIVE');
  const oktaApiTokens: OktaApiToken[] = [];
  if (oktaOwner) {
    const zone = oktaId(tokenRandom, 'nzo', oktaIds);
    // Last used `usedDaysAgo` days ago: it expires 30 days after that.
    const oktaSeeds = [
      { name: 'HR provisioning script', createdDaysAgo: 412, usedDaysAgo: 1, network: { connection: 'ANYWHERE' as const } },
      { name: 'Uptime monitor', createdDaysAgo: 9, usedDaysAgo: 0, network: { connection: 'ZONE' as const, include: [zone] } },
      { name: 'Quarterly access review export', createdDaysAgo: 58, usedDaysAgo: 27, network: { connection: 'ANYWHERE' as const } },
    ];
    for (const token of oktaSeeds) {
      const created = at(token.createdDaysAgo);
      const used = Math.max(created, at(token.usedDaysAgo));
      oktaApiTokens.push({
        id: oktaId(tokenRandom, '00T', oktaIds),
        name: token.name,
        userId: oktaOwner.id,
        clientName: 'Okta API',
        created: new Date(created).toISOString(),
        lastUpdated: new Date(created).toISOString(),
        expiresAt: new Date(used + 30 * day).toISOString(),
        tokenWindow: 'P30D',
        network: token.network,
      });
    }
  }
  const zendeskAdmin = zendeskUsers.find((user) => user.role === 'admin');
  const zendeskApiTokens: ZendeskApiToken[] = zendeskAdmin
    ? [
        { description: 'Legacy ticket export', createdDaysAgo: 530, usedDaysAgo: 3 },
        { description: 'Status page integration', createdDaysAgo: 6, usedDaysAgo: 0 },
      ].map((token) => {
        const created = at(token.createdDaysAgo);
        return {
          id: uniqueNumber(tokenRandom, 13, zendeskIds),
          user_id: zendeskAdmin.id,
          description: token.description,
          active: true,
          created_at: zendeskTime(created),
          updated_at: zendeskTime(created),
          last_used: zendeskTime(Math.max(created, at(token.usedDaysAgo))),
          visible_token: pickChars(tokenRandom, base62, 4),
        };
      })
    : [];

  // Offboarding state, derived from what was drawn above rather than drawn itself.
  const offlineAccess = scopeByName.get('offline_access')!.id;
  const usersWithOauthTokens = [...new Set(grants.filter((grant) => grant.scopeId === offlineAccess).map((grant) => grant.userId))];
  const roleId = (userId: string) => `ra1${createHash('sha256').update(`${seed}:role:${userId}`).digest('hex').slice(0, 14)}0h7`;
  // The first two admins are super admins, so offboarding one of them leaves one; the rest administer the org.
  const adminRoles: OktaAdminRole[] = tenant.users
    .filter((user) => user.isAdmin)
    .map((user, index) => {
      const oktaUser = oktaUsers.find((candidate) => candidate.profile.login === user.primaryEmail)!;
      return { id: roleId(oktaUser.id), userId: oktaUser.id, type: index < 2 ? 'SUPER_ADMIN' : 'ORG_ADMIN', created: oktaUser.activated };
    });

  return {
    seed,
    referenceTime: tenant.referenceTime,
    salesforce: { orgId, users: salesforceUsers, oauthTokens, revocations: [] },
    zendesk: { subdomain: 'sample-company', users: zendeskUsers, oauthClients, oauthTokens: zendeskTokens, apiTokens: zendeskApiTokens, deletedTokenIds: [] },
    okta: {
      authorizationServer: { id: 'default', name: 'default' },
      apps,
      scopes,
      users: oktaUsers,
      grants,
      activeSessionUserIds,
      usersWithOauthTokens,
      adminRoles,
      sessionClears: [],
      apiTokens: oktaApiTokens,
    },
  };
}
