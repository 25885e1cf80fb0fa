/**
 * Zendesk's side of the credentials capability: the account's API tokens (`GET /api/v2/api_tokens`,
 * ListApiTokens in Zendesk's OpenAPI reference: one unpaginated list, admins only). A token belongs
 * to the account, not to a user. The reference documents no call to create or delete one (Admin
 * Center does both), so in a rotation the admin adds the new token and deletes the old one there,
 * and Consentry reads back that the old one is gone; "Revoke now" is refused with where to do it.
 */
import { matchSuccessor } from '../../credentials/successor-match';
import type { ConnectionSettings } from '../../../src-shared/contract/connections';
import type { CredentialKind } from '../../../src-shared/contract/credentials';
import type { CredentialReading, CredentialRotator, ProviderCredentials, ReadCredential } from '../../credentials/credentials-port';
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { zendeskBaseUrl, zendeskRequest } from './zendesk-api-client';
import { ZendeskApiError, zendeskErrorCode, zendeskFailureMessage } from './zendesk-failure';

interface ZendeskApiTokenRecord {
  id: number;
  description?: string | null;
  active?: boolean;
  created_at?: string | null;
  last_used?: string | null;
  /** The truncated token Admin Center shows; never the value. */
  visible_token?: string | null;
}

const kind: CredentialKind = 'zendesk_api_token';
const adminCenter = 'Zendesk Admin Center › Apps and integrations › APIs › API tokens';

const rotation = {
  mode: 'guided' as const,
  note: `Zendesk documents no API call to create or delete an API token: add the new token and delete the old one in ${adminCenter}.`,
};

async function listTokens(context: ProviderCallContext): Promise<ZendeskApiTokenRecord[]> {
  const body = await zendeskRequest<{ api_tokens?: ZendeskApiTokenRecord[] }>(context, '/api/v2/api_tokens.json');
  return body?.api_tokens ?? [];
}

/** The subdomain the connection was made with, as `acme` for acme.zendesk.com; '' when none. */
function subdomainOf(settings: ConnectionSettings): string {
  return (settings.subdomain ?? '').toLowerCase().replace(/\.zendesk\.com$/, '');
}

/**
 * Admin Center's API tokens page of the account. The path is taken from public material, not from
 * Zendesk's reference (older material has the page under apis/zendesk-api/settings/tokens): unconfirmed.
 */
function tokensPage(settings: ConnectionSettings): string | null {
  const subdomain = subdomainOf(settings);
  return subdomain === '' ? null : `https://${subdomain}.zendesk.com/admin/apps-integrations/apis/api-tokens`;
}

/**
 * Steps as Zendesk's help ("Managing API token access") describes adding and deleting a token.
 * Whether Admin Center lets an active token be deleted without deactivating it first is not
 * confirmed, so the steps deactivate it first: that is harmless either way.
 */
function rotator(settings: ConnectionSettings): CredentialRotator {
  return {
    creates: 'manual',
    removes: 'manual',
    disablesOldFirst: false,
    needsCertificate: false,
    manualSteps: {
      where: adminCenter,
      steps: [
        'Sign in to Zendesk Admin Center as an admin and go to Apps and integrations › APIs › API tokens.',
        'Choose Add API token, enter the description “{new}” and save.',
        'Copy the token now (Zendesk shows it in full once) into what uses the old one, and check that it works.',
        'Find the old token “{old}” in the list, deactivate it from its options menu, then delete it.',
      ],
      url: tokensPage(settings),
    },
    async findCreated(context, old, intent) {
      // The admin may describe the token otherwise than asked: the one new token of the account then.
      const tokens = (await readTokens(context)).map((token) => ({ token, id: String(token.id), name: token.description || null, createdAt: token.created_at ?? null }));
      const found = matchSuccessor(tokens, intent, 'API token');
      return found ? toCredential(found.token, old.ownerId, old.ownerName) : null;
    },
  };
}

/** The account: its subdomain and host, from the connection (or the simulator's host). */
function account(context: ProviderCallContext): { id: string; name: string } {
  const host = new URL(zendeskBaseUrl(context)).host;
  const subdomain = subdomainOf(context.settings);
  return subdomain === '' ? { id: host, name: `Zendesk account ${host}` } : { id: subdomain, name: `Zendesk account ${subdomain}.zendesk.com` };
}

function toCredential(token: ZendeskApiTokenRecord, ownerId: string, ownerName: string): ReadCredential {
  const lastUsed = token.last_used ?? null;
  // Zendesk reports use only where its answer carries last_used; null there is a token never used.
  const lastUseKnown = token.last_used !== undefined;
  return {
    kind,
    ownerKind: 'account',
    ownerId,
    ownerName,
    credentialId: String(token.id),
    displayName: token.description || null,
    hint: token.visible_token || null,
    createdAt: token.created_at ?? null,
    // Zendesk API tokens do not expire.
    expiresAt: null,
    lastUsedAt: lastUsed,
    lastUseKnown,
    lastUsedNote: lastUsed !== null ? null : lastUseKnown ? 'Zendesk reports no use of this token.' : 'Zendesk did not say when this token was last used.',
    restrictions: null,
    disabled: token.active === false,
    managedBy: 'admin',
    rotation,
    revocable: false,
  };
}

/** An AppError for a failed call; a 403 here means the admin role is missing (the read scope is always asked for). */
function failure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = zendeskErrorCode(error);
  if (code === 'permission_denied') {
    return new AppError('permission_denied', 'Zendesk refused: only an admin may list the account’s API tokens, with the read scope.', {
      nextStep: 'Reconnect Zendesk signed in as an admin, then read again.',
    });
  }
  if (error instanceof ZendeskApiError && error.status === 404) {
    return new AppError('not_found', 'Zendesk has no API token list for this account: API token access may be turned off.', {
      nextStep: 'Check Zendesk Admin Center › Apps and integrations › APIs › Zendesk API › Settings, then read again.',
    });
  }
  return new AppError(code, zendeskFailureMessage(error), { nextStep: code === 'quota_exhausted' ? 'Try again in a few minutes.' : 'Try again; if it keeps failing, check the connection on the Connections page.' });
}

async function read(context: ProviderCallContext): Promise<CredentialReading> {
  let tokens: ZendeskApiTokenRecord[];
  try {
    tokens = await listTokens(context);
  } catch (error) {
    const refused = failure(error);
    if (refused.code !== 'permission_denied') throw refused;
    return { credentials: [], problems: [{ what: 'API tokens', code: refused.code, message: refused.message, missingScopes: [] }] };
  }
  const owner = account(context);
  return { credentials: tokens.map((token) => toCredential(token, owner.id, owner.name)), problems: [] };
}

/** The account's tokens; a failure as the admin reads it. */
async function readTokens(context: ProviderCallContext): Promise<ZendeskApiTokenRecord[]> {
  try {
    return await listTokens(context);
  } catch (error) {
    throw failure(error);
  }
}

/** The reference documents no call that shows one token: it is found in the list. */
async function readOne(context: ProviderCallContext, credential: ReadCredential): Promise<ReadCredential | null> {
  const found = (await readTokens(context)).find((token) => String(token.id) === credential.credentialId);
  return found ? toCredential(found, credential.ownerId, credential.ownerName) : null;
}

export const zendeskCredentials: ProviderCredentials = {
  read,

  readOne,

  rotator: (wanted, settings) => (wanted === kind ? rotator(settings) : null),

  // A token belongs to the account: every token is the owner's.
  ownerCredentialIds: async (context) => (await readTokens(context)).map((token) => String(token.id)),

  // "Revoke now" only: Consentry cannot delete one, and says where the admin can (a rotation never
  // calls this: the admin deletes the old token as one of its steps).
  async remove(context, credential) {
    if (!(await readOne(context, credential))) return 'already_gone';
    throw new AppError('not_supported', 'Zendesk documents no API call that deletes an API token, so Consentry cannot revoke it.', {
      nextStep: `Delete it in ${adminCenter}, then retry.`,
    });
  },
};
