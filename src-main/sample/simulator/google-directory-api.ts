/**
 * A faithful subset of Google's Admin SDK Directory API (admin.googleapis.com, directory_v1):
 * users (list with paging, get by id, primary address or alias, patch `suspended`), tokens (list, get, delete), app-specific
 * passwords (list, delete), backup verification codes (list, invalidate), 2-Step Verification
 * turnOff and signOut — field names, `kind`/`etag`, paging tokens and error bodies as Google's
 * reference documents them. Every call that changes the tenant names its change in `effects`, and
 * only when it changed something, so a run can be proven to apply each change once.
 */
import { createHash } from 'node:crypto';
import type { ApiErrorShapes, ApiResponse, ApiRoute } from './api-router';
import type { ApiFaultShapes } from './fault-plan';
import { googlePageToken, offsetOfGooglePageToken } from './google-page-token';
import type { TokenActivityEvent } from './google-reports-api';
import type { SimulatedTenant } from './simulated-tenant';
import type { SampleUser } from '../sample-tenant';

const scope = (name: string) => `https://www.googleapis.com/auth/${name}`;
const userRead = [scope('admin.directory.user.readonly'), scope('admin.directory.user')];
const userWrite = [scope('admin.directory.user')];
const userSecurity = [scope('admin.directory.user.security')];

function googleError(code: number, status: string, message: string, reason: string, domain = 'global', extra: Record<string, string> = {}): ApiResponse {
  return { status: code, body: { error: { code, message, errors: [{ message, domain, reason, ...extra }], status } } };
}

export const googleErrors: ApiErrorShapes = {
  unauthenticated: () => ({
    ...googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'authError', 'global', {
      location: 'Authorization',
      locationType: 'header',
    }),
    headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  }),
  insufficientScopes: () => googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', 'insufficientPermissions'),
  notFound: () => googleError(404, 'NOT_FOUND', 'Resource Not Found: userKey', 'notFound'),
  badRequest: (message) => googleError(400, 'INVALID_ARGUMENT', message, 'invalid'),
};

export const googleFaults: ApiFaultShapes = {
  // Google answers an exhausted per-minute quota with 403 (sometimes 429) and no Retry-After.
  rateLimited: () => googleError(403, 'PERMISSION_DENIED', 'Quota exceeded for quota metric \'Queries\' and limit \'Queries per minute per user\'.', 'userRateLimitExceeded', 'usageLimits'),
  unavailable: () => googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.', 'backendError'),
};

const etag = (value: unknown) => `"${createHash('sha1').update(JSON.stringify(value)).digest('base64url')}"`;

/**
 * The aliases Google holds, by Google id: every departed user of the sample has one, the initial and
 * family name run together (ada.lindqvist@ → alindqvist@), so an offboarding list may name them by
 * it. Derived from the addresses alone, so no other sample data changes; an alias that would clash
 * with another address is left out.
 */
export function googleAliases(tenant: Pick<SimulatedTenant, 'users'>): Map<string, string[]> {
  const taken = new Set(tenant.users.map((user) => user.primaryEmail));
  const aliases = new Map<string, string[]>();
  for (const user of tenant.users) {
    if (!user.departed) continue;
    const [local = '', domain = ''] = user.primaryEmail.split('@');
    const dot = local.indexOf('.');
    if (dot <= 0) continue;
    const alias = `${local[0]}${local.slice(dot + 1).replaceAll('.', '')}@${domain}`;
    if (taken.has(alias)) continue;
    taken.add(alias);
    aliases.set(user.googleId, [alias]);
  }
  return aliases;
}

function userResource(tenant: SimulatedTenant, user: SampleUser, aliases: ReadonlyMap<string, string[]>) {
  const own = aliases.get(user.googleId) ?? [];
  const resource = {
    kind: 'admin#directory#user',
    id: user.googleId,
    primaryEmail: user.primaryEmail,
    name: { givenName: user.givenName, familyName: user.familyName, fullName: `${user.givenName} ${user.familyName}` },
    isAdmin: user.isAdmin,
    isDelegatedAdmin: false,
    lastLoginTime: user.lastLoginTime,
    creationTime: user.creationTime,
    agreedToTerms: true,
    suspended: user.suspended,
    archived: false,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    // Google lists the aliases among the addresses too, and in `aliases` only when there are some.
    emails: [{ address: user.primaryEmail, primary: true }, ...own.map((address) => ({ address }))],
    ...(own.length > 0 ? { aliases: own } : {}),
    customerId: tenant.googleCustomerId,
    orgUnitPath: '/',
    isMailboxSetup: true,
    isEnrolledIn2Sv: tenant.twoStepEnrolledGoogleUsers.has(user.googleId),
    isEnforcedIn2Sv: false,
    includeInGlobalAddressList: true,
    thumbnailPhotoEtag: etag(user.googleId),
  };
  return { ...resource, etag: etag(resource) };
}

/** users.get and the per-user calls take the user's id, primary address or an alias. */
function findUser(tenant: SimulatedTenant, aliases: ReadonlyMap<string, string[]>, userKey: string): SampleUser | undefined {
  const key = decodeURIComponent(userKey).toLowerCase();
  return tenant.users.find((user) => user.googleId === key || user.primaryEmail === key || (aliases.get(user.googleId)?.includes(key) ?? false));
}

const userNotFound = () => googleError(404, 'NOT_FOUND', 'Resource Not Found: userKey', 'notFound');

/**
 * Google refuses backup-code and 2-Step Verification changes on a suspended user. Its reference
 * does not document the answer; what admins observe (GAM's deprovision, the Go client) is a bare
 * 400 "Invalid Input" with reason `invalid`, so that is what the simulator sends.
 */
const refusedOnSuspendedUser = () => googleError(400, 'INVALID_ARGUMENT', 'Invalid Input', 'invalid');

export interface GoogleDirectoryOptions {
  /** The token activity the Reports API serves; a deletion adds its `revoke` events. */
  tokenActivity?: TokenActivityEvent[];
  clock?: () => Date;
}

export function googleDirectoryRoutes(tenant: SimulatedTenant, options: GoogleDirectoryOptions = {}): ApiRoute[] {
  const clock = options.clock ?? (() => new Date());
  const base = '/admin/directory/v1';
  const aliases = googleAliases(tenant);
  const withUser = (handle: (user: SampleUser, params: Record<string, string>, body: unknown) => ApiResponse): ApiRoute['handle'] => (request, params) => {
    const user = findUser(tenant, aliases, params.userKey!);
    return user ? handle(user, params, request.body) : userNotFound();
  };
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^${base}/users$`),
      anyOfScopes: userRead,
      name: 'directory.users.list',
      handle(request) {
        const customer = request.query.get('customer');
        const domain = request.query.get('domain');
        if (customer === null && domain === null) return googleError(400, 'INVALID_ARGUMENT', 'Bad Request', 'badRequest');
        if (customer !== null && customer !== 'my_customer' && customer !== tenant.googleCustomerId) return googleError(400, 'INVALID_ARGUMENT', 'Bad Request', 'badRequest');
        const maxResults = Math.min(500, Math.max(1, Number(request.query.get('maxResults') ?? 100) || 100));
        const offset = offsetOfGooglePageToken(request.query.get('pageToken'));
        if (offset === null) return googleError(400, 'INVALID_ARGUMENT', 'Invalid Input: pageToken', 'invalid');
        const page = tenant.users.slice(offset, offset + maxResults).map((user) => userResource(tenant, user, aliases));
        const next = offset + maxResults < tenant.users.length ? googlePageToken(offset + maxResults) : undefined;
        return { status: 200, body: { kind: 'admin#directory#users', etag: etag([offset, page.length]), users: page, ...(next ? { nextPageToken: next } : {}) } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)$`),
      anyOfScopes: userRead,
      name: 'directory.users.get',
      handle: withUser((user) => ({ status: 200, body: userResource(tenant, user, aliases) })),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)$`),
      anyOfScopes: userWrite,
      name: 'directory.users.patch',
      handle: withUser((user, _params, body) => {
        const patch = (body ?? {}) as { suspended?: unknown };
        const effects: string[] = [];
        if (patch.suspended !== undefined) {
          if (typeof patch.suspended !== 'boolean') return googleError(400, 'INVALID_ARGUMENT', 'Invalid Input: suspended', 'invalid');
          if (user.suspended !== patch.suspended) effects.push(`google.user.${patch.suspended ? 'suspend' : 'unsuspend'}:${user.googleId}`);
          user.suspended = patch.suspended;
        }
        return { status: 200, body: userResource(tenant, user, aliases), effects };
      }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)/signOut$`),
      anyOfScopes: userSecurity,
      name: 'directory.users.signOut',
      handle: withUser((user) => {
        // Nothing in the simulator signs a user in again, so a user signed out once has no session left to end.
        const hadSessions = !tenant.signedOutGoogleUsers.has(user.googleId);
        tenant.signedOutGoogleUsers.add(user.googleId);
        return { status: 204, effects: hadSessions ? [`google.user.signOut:${user.googleId}`] : [] };
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)/tokens$`),
      anyOfScopes: userSecurity,
      name: 'directory.tokens.list',
      handle: withUser((user) => {
        const items = tenant.googleTokens.filter((token) => token.userGoogleId === user.googleId).map((token) => tokenResource(token));
        return { status: 200, body: { kind: 'admin#directory#tokenList', etag: etag(items), items } };
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)/tokens/(?<clientId>[^/]+)$`),
      anyOfScopes: userSecurity,
      name: 'directory.tokens.get',
      handle: withUser((user, params) => {
        const token = tenant.googleTokens.find((candidate) => candidate.userGoogleId === user.googleId && candidate.clientId === decodeURIComponent(params.clientId!));
        return token ? { status: 200, body: tokenResource(token) } : googleError(404, 'NOT_FOUND', 'Resource Not Found: clientId', 'notFound');
      }),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)/tokens/(?<clientId>[^/]+)$`),
      anyOfScopes: userSecurity,
      name: 'directory.tokens.delete',
      handle: withUser((user, params) => {
        // Deletes every token the user issued to that client.
        const clientId = decodeURIComponent(params.clientId!);
        const removed = tenant.googleTokens.filter((token) => token.userGoogleId === user.googleId && token.clientId === clientId);
        if (removed.length === 0) return googleError(404, 'NOT_FOUND', 'Resource Not Found: clientId', 'notFound');
        tenant.googleTokens = tenant.googleTokens.filter((token) => !removed.includes(token));
        // Newest first, as the Reports API lists them.
        options.tokenActivity?.unshift({ time: clock().toISOString(), userGoogleId: user.googleId, email: user.primaryEmail, name: 'revoke', clientId, appName: removed[0]!.displayText, scopes: removed[0]!.scopes, apiName: null });
        return { status: 204, effects: [`google.token.delete:${user.googleId}:${clientId}`] };
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)/verificationCodes$`),
      anyOfScopes: userSecurity,
      name: 'directory.verificationCodes.list',
      handle: withUser((user) => {
        const items = hasBackupCodes(tenant, user) ? backupCodes(user).map((code) => ({ kind: 'admin#directory#verificationCode', userId: user.googleId, verificationCode: code, etag: etag(code) })) : [];
        return { status: 200, body: { kind: 'admin#directory#verificationCodesList', etag: etag(items), items } };
      }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)/verificationCodes/invalidate$`),
      anyOfScopes: userSecurity,
      name: 'directory.verificationCodes.invalidate',
      handle: withUser((user) => {
        if (user.suspended) return refusedOnSuspendedUser();
        const had = hasBackupCodes(tenant, user);
        tenant.invalidatedBackupCodeGoogleUsers.add(user.googleId);
        return { status: 204, effects: had ? [`google.verificationCodes.invalidate:${user.googleId}`] : [] };
      }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)/twoStepVerification/turnOff$`),
      anyOfScopes: userSecurity,
      name: 'directory.twoStepVerification.turnOff',
      handle: withUser((user) => {
        if (user.suspended) return refusedOnSuspendedUser();
        if (!tenant.twoStepEnrolledGoogleUsers.delete(user.googleId)) return googleError(400, 'FAILED_PRECONDITION', 'Two-step verification is not enabled for this user.', 'failedPrecondition');
        return { status: 204, effects: [`google.twoStepVerification.turnOff:${user.googleId}`] };
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)/asps$`),
      anyOfScopes: userSecurity,
      name: 'directory.asps.list',
      handle: withUser((user) => {
        const items = tenant.asps
          .filter((asp) => asp.userGoogleId === user.googleId)
          .map((asp) => ({ kind: 'admin#directory#asp', codeId: asp.codeId, name: asp.name, creationTime: String(Date.parse(asp.creationTime)), lastTimeUsed: String(Date.parse(asp.lastTimeUsed)), userKey: user.googleId, etag: etag(asp) }));
        return { status: 200, body: { kind: 'admin#directory#asps', etag: etag(items), items } };
      }),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^${base}/users/(?<userKey>[^/]+)/asps/(?<codeId>\\d+)$`),
      anyOfScopes: userSecurity,
      name: 'directory.asps.delete',
      handle: withUser((user, params) => {
        const before = tenant.asps.length;
        tenant.asps = tenant.asps.filter((asp) => !(asp.userGoogleId === user.googleId && asp.codeId === Number(params.codeId)));
        return tenant.asps.length < before ? { status: 204, effects: [`google.asp.delete:${user.googleId}:${Number(params.codeId)}`] } : googleError(404, 'NOT_FOUND', 'Resource Not Found: codeId', 'notFound');
      }),
    },
  ];
}

/** Backup codes exist for a user enrolled in 2-Step Verification until an admin invalidates them. */
function hasBackupCodes(tenant: SimulatedTenant, user: SampleUser): boolean {
  return tenant.twoStepEnrolledGoogleUsers.has(user.googleId) && !tenant.invalidatedBackupCodeGoogleUsers.has(user.googleId);
}

/** Ten eight-digit backup codes per user, derived from the user's id so they stay the same. */
function backupCodes(user: SampleUser): string[] {
  const digest = createHash('sha256').update(`backup:${user.googleId}`).digest();
  return Array.from({ length: 10 }, (_, index) => String(digest.readUInt32BE((index * 3) % 28) % 100_000_000).padStart(8, '0'));
}

function tokenResource(token: SimulatedTenant['googleTokens'][number]) {
  const resource = {
    kind: 'admin#directory#token',
    clientId: token.clientId,
    displayText: token.displayText,
    anonymous: token.anonymous,
    nativeApp: token.nativeApp,
    userKey: token.userGoogleId,
    scopes: token.scopes,
  };
  return { ...resource, etag: etag(resource) };
}
