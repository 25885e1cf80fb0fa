/**
 * Okta's part of offboarding, through the Management API: the org's users (paged with Link
 * headers, deactivated ones included) and, where the connection may read admin roles
 * (okta.roles.read), its super admins; then per person: end their sessions and the OAuth tokens
 * Okta issued them, revoke their consent grants, and suspend the account. The session clear and
 * the suspension are sent once, never again by the scheduler on its own: after a lost answer the
 * suspension reads the user's status before deciding, and the clear — Okta lists nobody's
 * sessions, so there is nothing to read — is sent once more, which ends only what is left.
 * Changes need okta.users.manage.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors/app-error';
import { jitteredBackoffMs } from '../../net/jittered-backoff';
import type { ProviderCallContext } from '../../net/provider-call-context';
import type { DirectoryPerson, DirectoryReading, ProviderOffboarding } from '../../offboarding/offboarding-port';
import { accountLockStep, holdingsStep, maxSendsInDoubt, saasOffboarding, sendOnce, type SaasStep, type SentOnce } from '../saas-offboarding-steps';
import { oktaBaseUrl, oktaRequest, type OktaAnswer } from './okta-api-client';
import { OktaApiError, oktaApiError, oktaErrorCode, oktaFailureMessage } from './okta-failure';

interface OktaUserRecord {
  id: string;
  status?: string;
  profile?: { login?: string; email?: string; firstName?: string; lastName?: string };
}

interface OktaGrantRecord {
  id: string;
  clientId?: string;
  _links?: { app?: { title?: string } };
}

/** Okta's largest page of users and of grants. */
const pageSize = 200;

const userPath = (person: DirectoryPerson) => `/api/v1/users/${encodeURIComponent(person.id)}`;

/** Okta says it with a 403 whichever is missing, the scope or the admin role. */
const isForbidden = (error: unknown) => error instanceof OktaApiError && error.status === 403;

async function allPages<T>(context: ProviderCallContext, first: string): Promise<T[]> {
  const items: T[] = [];
  let link: string | null = first;
  while (link) {
    const page: OktaAnswer<T[]> = await oktaRequest<T[]>(context, link);
    items.push(...(page.body ?? []));
    link = page.next;
  }
  return items;
}

/** A deactivated (DEPROVISIONED) user can no more sign in than a suspended one. */
const cannotSignIn = (status: string | undefined) => status === 'SUSPENDED' || status === 'DEPROVISIONED';

function toPerson(user: OktaUserRecord, superAdmin: boolean): DirectoryPerson {
  const { login, email, firstName, lastName } = user.profile ?? {};
  // Departure lists name the sign-in address; a login that is not an address falls back to the email.
  const address = (login?.includes('@') ? login : (email ?? login ?? '')).toLowerCase();
  const name = [firstName, lastName].filter(Boolean).join(' ');
  const addresses = new Set([address, ...[login, email].filter((value): value is string => value?.includes('@') === true).map((value) => value.toLowerCase())]);
  return { id: user.id, email: address, addresses: [...addresses].filter(Boolean), displayName: name === '' ? null : name, suspended: cannotSignIn(user.status), superAdmin };
}

/** The ids of the super admins; null when the connection may not read admin roles (okta.roles.read). */
async function readSuperAdmins(context: ProviderCallContext): Promise<Set<string> | null> {
  try {
    const assignees: string[] = [];
    let link: string | null = '/api/v1/iam/assignees/users?limit=100';
    while (link) {
      // This list pages in its body (`_links.next.href`), not in a Link header.
      const page: OktaAnswer<{ value?: { id: string }[]; _links?: { next?: { href?: string } } }> = await oktaRequest(context, link);
      assignees.push(...(page.body?.value ?? []).map((assignee) => assignee.id));
      const next = page.body?._links?.next?.href;
      link = next ? pathOf(next) : null;
    }
    const roles = await Promise.all(assignees.map((id) => userRoles(context, id)));
    return new Set(assignees.filter((_, index) => roles[index]!.includes('SUPER_ADMIN')));
  } catch (error) {
    if (isForbidden(error)) return null;
    throw error;
  }
}

/** Only the path and query of a link are followed, so the token goes to the org and nowhere else. */
function pathOf(link: string): string {
  const url = new URL(link, 'https://link.invalid');
  return `${url.pathname}${url.search}`;
}

async function userRoles(context: ProviderCallContext, userId: string): Promise<string[]> {
  const roles = await oktaRequest<{ type?: string }[]>(context, `/api/v1/users/${encodeURIComponent(userId)}/roles`);
  return (roles.body ?? []).map((role) => role.type ?? '');
}

async function readDirectory(context: ProviderCallContext): Promise<DirectoryReading> {
  // Without a filter Okta leaves deactivated users out; they are asked for on their own.
  const [users, deactivated, superAdmins] = await Promise.all([
    allPages<OktaUserRecord>(context, `/api/v1/users?limit=${pageSize}`),
    allPages<OktaUserRecord>(context, `/api/v1/users?limit=${pageSize}&filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`),
    readSuperAdmins(context),
  ]);
  return { people: [...users, ...deactivated].map((user) => toPerson(user, superAdmins?.has(user.id) ?? false)), superAdminsKnown: superAdmins !== null };
}

async function findPerson(context: ProviderCallContext, email: string): Promise<DirectoryPerson | null> {
  const wanted = email.trim().toLowerCase();
  // A quote or backslash cannot be in an Okta login, and would break the filter expression.
  if (wanted === '' || /["\\]/.test(wanted)) return null;
  const filter = `profile.login eq "${wanted}" or profile.email eq "${wanted}"`;
  const found = await allPages<OktaUserRecord>(context, `/api/v1/users?limit=${pageSize}&filter=${encodeURIComponent(filter)}`);
  // The login names the account; a match on email alone comes second, a deactivated account last.
  const rank = (user: OktaUserRecord) => (user.profile?.login?.toLowerCase() === wanted ? 0 : 2) + (user.status === 'DEPROVISIONED' ? 1 : 0);
  const user = found.sort((a, b) => rank(a) - rank(b))[0];
  if (!user) return null;
  const superAdmin = await userRoles(context, user.id).then(
    (types) => types.includes('SUPER_ADMIN'),
    (error: unknown) => {
      // Without okta.roles.read the roles stay unknown; the directory check says so.
      if (isForbidden(error)) return false;
      throw error;
    },
  );
  return toPerson(user, superAdmin);
}

/** A change sent once (see sendOnce), answered with Okta's request id. */
function changeOnce(context: ProviderCallContext, path: string, method: 'POST' | 'DELETE'): Promise<SentOnce<{ requestId: string | null }>> {
  return sendOnce(context, `${oktaBaseUrl(context)}${path}`, { method, failure: oktaApiError, read: (response) => Promise.resolve({ requestId: response.headers.get('x-okta-request-id') }) });
}

const sessions: SaasStep = {
  measure: () => Promise.resolve({ count: null, description: 'Okta lists no one’s sessions: every Okta session and every OAuth token Okta issued will be ended.' }),
  async apply(context, { person }) {
    // Nothing tells whether a clear whose answer was lost took: it is sent again, and a second
    // clear ends only sessions and tokens that are still there, so nothing is ended twice.
    let lostAnswers = 0;
    for (;;) {
      const sent = await changeOnce(context, `${userPath(person)}/sessions?oauthTokens=true`, 'DELETE');
      if ('inDoubt' in sent) {
        lostAnswers += 1;
        if (lostAnswers >= maxSendsInDoubt) throw sent.inDoubt;
        // Okta may be failing for a while: the next clear waits as the scheduler's retries would.
        await sleep(jitteredBackoffMs(lostAnswers, { firstMs: 500, maxMs: 5_000 }), undefined, context.signal ? { signal: context.signal } : {});
        continue;
      }
      const resent = lostAnswers === 0 ? '' : ` Okta's answer to the clear was lost ${lostAnswers === 1 ? 'once' : `${lostAnswers} times`}, so it was sent again; a second clear ends only what the first left.`;
      return {
        code: 'done',
        changed: 1,
        before: null,
        after: null,
        verified: false,
        requestIds: sent.answer.requestId ? [sent.answer.requestId] : [],
        message: `Ended every Okta session of ${person.email} and revoked the OAuth tokens Okta issued them; Okta lists no sessions, so there is nothing to read back.${resent}`,
      };
    }
  },
};

const grants = holdingsStep<OktaGrantRecord>({
  provider: 'Okta',
  noun: 'consent grant',
  removed: 'Revoked',
  list: (context, person) => allPages<OktaGrantRecord>(context, `${userPath(person)}/grants?limit=${pageSize}`),
  async remove(context, person, items) {
    // One call revokes them all; Okta keeps one grant per scope and app.
    const answer = await oktaRequest(context, `${userPath(person)}/grants`, 'DELETE');
    return { removed: items.length, requestIds: answer.requestId ? [answer.requestId] : [] };
  },
  apps: (items) => items.map((grant) => grant._links?.app?.title ?? grant.clientId ?? 'an app'),
});

async function statusOf(context: ProviderCallContext, person: DirectoryPerson): Promise<string> {
  return (await oktaRequest<OktaUserRecord>(context, userPath(person))).body?.status ?? 'UNKNOWN';
}

const statusWords: Record<string, string> = { ACTIVE: 'Active', SUSPENDED: 'Suspended', DEPROVISIONED: 'Deactivated' };
const describeStatus = (status: string) => statusWords[status] ?? `Status ${status}`;

/** Okta suspends only an ACTIVE user: one locked out, in recovery or not yet activated is refused. */
function notSuspendable(email: string, status: string): AppError {
  return new AppError('precondition_failed', `Okta suspends only active users, and ${email} is ${status}: it was not suspended.`, {
    nextStep: 'Deactivate the user in the Okta Admin Console (Directory › People), or unlock them and run the step again.',
  });
}

const suspend = accountLockStep<string>({
  provider: 'Okta',
  action: { verb: 'suspend', done: 'Suspended' },
  pending: 'Active; will be suspended',
  read: statusOf,
  locked: cannotSignIn,
  describe: describeStatus,
  refusal: (person, status) => (status === 'ACTIVE' ? null : notSuspendable(person.email, status)),
  async lock(context, person) {
    // The read before found the user ACTIVE (anything else is refused first).
    let lostAnswers = 0;
    for (;;) {
      let sent: SentOnce<{ requestId: string | null }>;
      try {
        sent = await changeOnce(context, `${userPath(person)}/lifecycle/suspend`, 'POST');
      } catch (error) {
        // Okta refuses a user who is no longer active. After a lost answer of ours that is our own
        // suspension, read late; otherwise someone else suspended them since the read.
        if (error instanceof OktaApiError && error.status === 400 && cannotSignIn(await statusOf(context, person))) {
          return lostAnswers > 0 ? { sent: true, requestIds: [], answerLost: true } : { sent: false, requestIds: [] };
        }
        throw error;
      }
      if ('answer' in sent) return { sent: true, requestIds: sent.answer.requestId ? [sent.answer.requestId] : [] };
      lostAnswers += 1;
      // Okta may have suspended them before the answer was lost: the status says, and only an ACTIVE user is sent the suspension again.
      const status = await statusOf(context, person);
      if (status === 'SUSPENDED') return { sent: true, requestIds: [], answerLost: true };
      // Deactivated meanwhile: by someone else, as a suspension cannot deactivate.
      if (cannotSignIn(status)) return { sent: false, requestIds: [] };
      if (status !== 'ACTIVE') throw notSuspendable(person.email, status);
      if (lostAnswers >= maxSendsInDoubt) throw sent.inDoubt;
    }
  },
});

export const oktaOffboarding: ProviderOffboarding = saasOffboarding(
  'Okta',
  {
    readDirectory,
    findPerson,
    steps: [
      {
        kind: 'okta.sessions',
        title: 'End Okta sessions and OAuth tokens',
        why: 'First: ends every Okta sign-in session and revokes the access and refresh tokens Okta issued, so no app keeps acting for the person.',
        step: sessions,
      },
      {
        kind: 'okta.grants',
        title: 'Revoke app consent grants',
        why: 'Removes the consent the person gave apps, so none of them can be handed a new token without asking again.',
        step: grants,
      },
      {
        kind: 'okta.suspend',
        title: 'Suspend the Okta account',
        why: 'Last: a suspended user cannot sign in, while Okta keeps their app and group assignments should they return.',
        onlyWhenSuspending: true,
        step: suspend,
      },
    ],
  },
  {
    code: oktaErrorCode,
    message: oktaFailureMessage,
    permissionDenied: {
      message: 'Okta refused: offboarding needs the okta.users.manage scope on the connection, and the admin who signed in needs a role that manages this user.',
      nextStep: 'Allow offboarding on the Okta connection (it adds okta.users.manage), reconnect, and run the step again.',
    },
  },
);
