/**
 * Okta's side of the credentials capability: the org's API tokens (`/api/v1/api-tokens`: list, get,
 * revoke). An API token acts with the permissions of the admin who created it, so its owner is that
 * user. Okta has no call that creates one: a rotation guides the admin to the Admin Console, then
 * revokes the old token. Only metadata is read; Okta never returns a token's value after creation.
 */
import { matchSuccessor } from '../../credentials/successor-match';
import type { ConnectionSettings } from '../../../src-shared/contract/connections';
import type { CredentialKind } from '../../../src-shared/contract/credentials';
import type { CredentialReading, CredentialRotator, ProviderCredentials, ReadCredential } from '../../credentials/credentials-port';
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { oktaRequest } from './okta-api-client';
import { OktaApiError, oktaErrorCode, oktaFailureMessage } from './okta-failure';

interface OktaApiTokenRecord {
  id: string;
  name?: string;
  userId?: string;
  created?: string;
  expiresAt?: string;
  tokenWindow?: string;
  network?: { connection?: string; include?: string[]; exclude?: string[] };
}

interface OktaUserRecord {
  profile?: { login?: string; firstName?: string; lastName?: string };
}

const kind: CredentialKind = 'okta_api_token';
const readScope = 'okta.apiTokens.read';
const manageScope = 'okta.apiTokens.manage';
/** Okta's largest page. */
const pageSize = 200;
const consolePath = 'Okta Admin Console › Security › API › Tokens';

const rotation = {
  mode: 'guided' as const,
  note: `Okta has no API call that creates an API token: create the new one in ${consolePath}, signed in as the admin who owns the old one, then Consentry revokes the old token.`,
};

/**
 * The org's API tokens page in the Admin Console, from the org URL the connection was made with.
 * The path is the one the console shows (not in Okta's API reference); the console itself lives on
 * the org's `-admin` host, and that the org host's /admin pages redirect there is seen in public
 * material only: unconfirmed, as is how a custom domain behaves.
 */
function tokensPage(orgUrl: string | undefined): string | null {
  if (!orgUrl) return null;
  try {
    return new URL('/admin/access/api/tokens', orgUrl.includes('://') ? orgUrl : `https://${orgUrl}`).href;
  } catch {
    return null;
  }
}

/** Steps as Okta's help ("Manage Okta API tokens") describes creating one; Consentry revokes the old one through the API. */
function rotator(settings: ConnectionSettings): CredentialRotator {
  return {
    creates: 'manual',
    removes: 'api',
    disablesOldFirst: false,
    needsCertificate: false,
    manualSteps: {
      where: consolePath,
      steps: [
        'Sign in to the Okta Admin Console as the admin who owns the old token: a token acts with its creator’s permissions.',
        'Go to Security › API, open the Tokens tab and choose Create token.',
        'Name it “{new}”.',
        'Allow calls from the same places as the old token “{old}” (any IP, or the same network zones), then create it.',
        'Copy the token now (Okta shows it once) into what uses the old one.',
      ],
      url: tokensPage(settings.orgUrl),
    },
    async findCreated(context, old, intent) {
      // The admin may name the token otherwise than asked: the one new token of this admin then.
      const tokens = (await tokensOf(context, old.ownerId)).map((token) => ({ token, id: token.id, name: token.name ?? null, createdAt: token.created ?? null }));
      const found = matchSuccessor(tokens, intent, 'API token');
      return found ? toCredential(found.token, old.ownerName) : null;
    },
  };
}

function permissionDenied(scope: string, action: string): AppError {
  return new AppError('permission_denied', `Okta refused: ${action} API tokens needs ${scope}, and the admin who signed in needs a role that may manage API tokens (a super admin or org admin).`, {
    nextStep: `Allow the credentials capability on this connection (it adds ${readScope} and ${manageScope}), grant those scopes on the Okta API Scopes tab of Consentry’s app in Okta, and reconnect.`,
  });
}

/** An AppError for a failed call, naming the scope a 403 is missing. */
function failure(error: unknown, scope: string, action: string): AppError {
  if (error instanceof AppError) return error;
  const code = oktaErrorCode(error);
  if (code === 'permission_denied') return permissionDenied(scope, action);
  return new AppError(code, oktaFailureMessage(error), { nextStep: code === 'quota_exhausted' ? 'Try again in a few minutes.' : 'Try again; if it keeps failing, check the connection on the Connections page.' });
}

const isNotFound = (error: unknown) => error instanceof OktaApiError && error.status === 404;

/** Every page, following `Link: <…>; rel="next"` (later pages go ahead of calls queued behind them). */
async function listTokens(context: ProviderCallContext): Promise<OktaApiTokenRecord[]> {
  const tokens: OktaApiTokenRecord[] = [];
  let link: string | null = `/api/v1/api-tokens?limit=${pageSize}`;
  while (link) {
    const page: { body: OktaApiTokenRecord[] | undefined; next: string | null } = await oktaRequest<OktaApiTokenRecord[]>(context, link, 'GET', { urgent: tokens.length > 0 });
    tokens.push(...(page.body ?? []));
    link = page.next;
  }
  return tokens;
}

/** The tokens one admin created (a token acts as its creator). */
async function tokensOf(context: ProviderCallContext, userId: string): Promise<OktaApiTokenRecord[]> {
  try {
    return (await listTokens(context)).filter((token) => token.userId === userId);
  } catch (error) {
    throw failure(error, readScope, 'listing');
  }
}

/** Each owner's sign-in name; an owner Okta no longer shows (or will not show) keeps its id. */
async function ownerNames(context: ProviderCallContext, userIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all(
    userIds.map(async (userId) => {
      try {
        const { body } = await oktaRequest<OktaUserRecord>(context, `/api/v1/users/${encodeURIComponent(userId)}`);
        const profile = body?.profile;
        const fullName = [profile?.firstName, profile?.lastName].filter(Boolean).join(' ');
        names.set(userId, profile?.login ? (fullName ? `${fullName} (${profile.login})` : profile.login) : userId);
      } catch {
        names.set(userId, userId);
      }
    }),
  );
  return names;
}

/** Where the token may be used from, in words; an empty list when from anywhere. */
function networkRestrictions(network: OktaApiTokenRecord['network']): string[] {
  if (!network || network.connection === undefined || network.connection === 'ANYWHERE') return [];
  const restrictions: string[] = [];
  if (network.include?.length) restrictions.push(`Only from network zones: ${network.include.join(', ')}`);
  if (network.exclude?.length) restrictions.push(`Not from network zones: ${network.exclude.join(', ')}`);
  return restrictions.length > 0 ? restrictions : [`Network condition: ${network.connection}`];
}

/** Okta reports no last use; each use renews the token window, so expiry minus the window is about when it was last used. */
function lastUseNote(token: OktaApiTokenRecord): string {
  const days = Number(/^P(\d+)D$/.exec(token.tokenWindow ?? '')?.[1]);
  const expires = Date.parse(token.expiresAt ?? '');
  const unreported = 'Okta does not report when an API token was last used';
  if (!Number.isFinite(days) || Number.isNaN(expires)) return `${unreported}.`;
  const around = new Date(expires - days * 86_400_000).toISOString().slice(0, 10);
  return `${unreported}; each use renews its ${days}-day window, so its expiry puts the last use around ${around}.`;
}

function toCredential(token: OktaApiTokenRecord, ownerName: string): ReadCredential {
  return {
    kind,
    ownerKind: 'account',
    ownerId: token.userId ?? '',
    ownerName,
    credentialId: token.id,
    displayName: token.name ?? null,
    // Okta shows no part of a token's value after it is created.
    hint: null,
    createdAt: token.created ?? null,
    expiresAt: token.expiresAt ?? null,
    lastUsedAt: null,
    lastUseKnown: false,
    lastUsedNote: lastUseNote(token),
    restrictions: networkRestrictions(token.network),
    disabled: false,
    managedBy: 'admin',
    rotation,
    revocable: true,
  };
}

async function read(context: ProviderCallContext): Promise<CredentialReading> {
  let tokens: OktaApiTokenRecord[];
  try {
    tokens = await listTokens(context);
  } catch (error) {
    const refused = failure(error, readScope, 'listing');
    if (refused.code !== 'permission_denied') throw refused;
    return { credentials: [], problems: [{ what: 'API tokens', code: refused.code, message: refused.message, missingScopes: [readScope] }] };
  }
  const names = await ownerNames(context, [...new Set(tokens.flatMap((token) => (token.userId ? [token.userId] : [])))]);
  return { credentials: tokens.map((token) => toCredential(token, names.get(token.userId ?? '') ?? 'Unknown owner')), problems: [] };
}

export const oktaCredentials: ProviderCredentials = {
  read,

  async readOne(context, credential) {
    try {
      const { body } = await oktaRequest<OktaApiTokenRecord>(context, `/api/v1/api-tokens/${encodeURIComponent(credential.credentialId)}`);
      return body ? toCredential(body, credential.ownerName) : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw failure(error, readScope, 'reading');
    }
  },

  rotator: (wanted, settings) => (wanted === kind ? rotator(settings) : null),

  ownerCredentialIds: async (context, old) => (await tokensOf(context, old.ownerId)).map((token) => token.id),

  async remove(context, credential) {
    try {
      await oktaRequest(context, `/api/v1/api-tokens/${encodeURIComponent(credential.credentialId)}`, 'DELETE');
      return 'removed';
    } catch (error) {
      if (isNotFound(error)) return 'already_gone';
      throw failure(error, manageScope, 'revoking');
    }
  },
};
