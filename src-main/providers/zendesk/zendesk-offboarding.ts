/**
 * Zendesk's part of offboarding, through the Support API: the account's staff — its agents and
 * admins (admins are its highest role); end users are the account's customers, not its staff — and,
 * per person, deleting the OAuth tokens they hold and suspending them. Zendesk documents no
 * per-user filter on its token list, so the account's tokens are listed once (admins only,
 * `all=true`), the person's picked out, and each deleted one read back by its id. Changes need the
 * write scope and an admin.
 */
import type { ProviderCallContext } from '../../net/provider-call-context';
import type { DirectoryPerson, DirectoryReading, ProviderOffboarding } from '../../offboarding/offboarding-port';
import { jsonBody, scheduleBearerCall } from '../saas-api-call';
import { accountLockStep, holdingsStep, saasOffboarding } from '../saas-offboarding-steps';
import { nextZendeskPage, zendeskBaseUrl, zendeskRequest, type ZendeskCursorPage } from './zendesk-api-client';
import { ZendeskApiError, zendeskApiError, zendeskErrorCode, zendeskFailureMessage } from './zendesk-failure';

interface ZendeskUserRecord {
  id: number;
  name?: string | null;
  email?: string | null;
  role?: string;
  active?: boolean;
  suspended?: boolean;
}

interface ZendeskTokenRecord {
  id: number;
  user_id: number;
  client_id: number;
}

const userPath = (person: DirectoryPerson) => `/api/v2/users/${encodeURIComponent(person.id)}`;

async function allPages<T>(context: ProviderCallContext, first: string, key: string): Promise<T[]> {
  const items: T[] = [];
  let link: string | null = first;
  while (link) {
    const page: (ZendeskCursorPage & Record<string, unknown>) | undefined = await zendeskRequest(context, link);
    items.push(...((page?.[key] as T[] | undefined) ?? []));
    link = nextZendeskPage(page);
  }
  return items;
}

/** A deleted user (active false) can no more sign in than a suspended one. */
const cannotSignIn = (user: ZendeskUserRecord) => user.suspended === true || user.active === false;

function toPerson(user: ZendeskUserRecord): DirectoryPerson {
  return { id: String(user.id), email: (user.email ?? '').toLowerCase(), displayName: user.name ?? null, suspended: cannotSignIn(user), superAdmin: user.role === 'admin' };
}

/** The roles of the account's staff, as List Users filters them (`role[]`). */
const staffRoles = ['agent', 'admin'];
const isStaff = (user: ZendeskUserRecord) => user.role !== undefined && staffRoles.includes(user.role);

async function readDirectory(context: ProviderCallContext): Promise<DirectoryReading> {
  const roles = staffRoles.map((role) => `role[]=${role}`).join('&');
  const users = await allPages<ZendeskUserRecord>(context, `/api/v2/users?${roles}&page[size]=100`, 'users');
  return { people: users.filter((user) => user.email && isStaff(user)).map(toPerson), superAdminsKnown: true };
}

async function findPerson(context: ProviderCallContext, email: string): Promise<DirectoryPerson | null> {
  const wanted = email.trim().toLowerCase();
  if (wanted === '' || /["\s]/.test(wanted)) return null;
  const found = await allPages<ZendeskUserRecord>(context, `/api/v2/users/search?query=${encodeURIComponent(`email:${wanted}`)}`, 'users');
  // Search matches loosely; only the exact address is the person, among the staff as the directory reads it, an active account first.
  const matches = found.filter((user) => user.email?.toLowerCase() === wanted && isStaff(user)).sort((a, b) => Number(cannotSignIn(a)) - Number(cannotSignIn(b)));
  return matches[0] ? toPerson(matches[0]) : null;
}

const isNotFound = (error: unknown) => error instanceof ZendeskApiError && error.status === 404;

const oauthTokens = holdingsStep<ZendeskTokenRecord>({
  provider: 'Zendesk',
  noun: 'OAuth token',
  removed: 'Deleted',
  async list(context, person) {
    const tokens = await allPages<ZendeskTokenRecord>(context, '/api/v2/oauth/tokens?all=true&page[size]=100', 'tokens');
    return tokens.filter((token) => String(token.user_id) === person.id);
  },
  async remaining(context, _person, removed) {
    // The account's whole list is read once per step: each deleted token is looked up instead.
    const stillThere = async (token: ZendeskTokenRecord) => {
      try {
        await zendeskRequest(context, `/api/v2/oauth/tokens/${token.id}`);
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    };
    const found = await Promise.all(removed.map(stillThere));
    return removed.filter((_, index) => found[index]);
  },
  async remove(context, _person, items) {
    let removed = 0;
    for (const token of items) {
      try {
        await zendeskRequest(context, `/api/v2/oauth/tokens/${token.id}`, 'DELETE');
        removed += 1;
      } catch (error) {
        // Deleted by someone else since the list: gone is what was wanted.
        if (!isNotFound(error)) throw error;
      }
    }
    return { removed, requestIds: [] };
  },
  apps: (items) => items.map((token) => `OAuth client ${token.client_id}`),
});

async function readUser(context: ProviderCallContext, person: DirectoryPerson): Promise<ZendeskUserRecord> {
  const answer = await zendeskRequest<{ user: ZendeskUserRecord }>(context, userPath(person));
  return answer!.user;
}

const describeUser = (user: ZendeskUserRecord) => (user.active === false ? 'Deleted' : user.suspended ? 'Suspended' : 'Active');

const suspend = accountLockStep<ZendeskUserRecord>({
  provider: 'Zendesk',
  action: { verb: 'suspend', done: 'Suspended' },
  pending: 'Active; will be suspended',
  read: readUser,
  locked: cannotSignIn,
  describe: describeUser,
  async lock(context, person) {
    await scheduleBearerCall(context, `${zendeskBaseUrl(context)}${userPath(person)}`, { method: 'PUT', json: { user: { suspended: true } }, failure: zendeskApiError, read: (response) => jsonBody(response) });
    return { sent: true, requestIds: [] };
  },
});

export const zendeskOffboarding: ProviderOffboarding = saasOffboarding(
  'Zendesk',
  {
    readDirectory,
    findPerson,
    steps: [
      {
        kind: 'zendesk.oauth_tokens',
        title: 'Delete Zendesk OAuth tokens',
        why: 'First: the apps the person authorized lose their access to Zendesk as them.',
        step: oauthTokens,
      },
      {
        kind: 'zendesk.suspend',
        title: 'Suspend the Zendesk user',
        why: 'Last: a suspended user cannot sign in, while their tickets and comments stay as they were.',
        onlyWhenSuspending: true,
        step: suspend,
      },
    ],
  },
  {
    code: zendeskErrorCode,
    message: zendeskFailureMessage,
    permissionDenied: {
      message: 'Zendesk refused: offboarding needs the write scope on the connection, and the person who signed in must be a Zendesk admin.',
      nextStep: 'Allow offboarding on the Zendesk connection (it adds the write scope), reconnect as an admin, and run the step again.',
    },
  },
);
