/**
 * Salesforce's part of offboarding, through the REST API with the `api` scope the connection holds
 * already: the org's users (SOQL on User, frozen ones from UserLogin) and, per person, revoking
 * their connected apps' OAuth tokens (each OauthToken's DeleteToken POSTed to
 * /services/oauth2/revoke) and freezing them (UserLogin.IsFrozen, which the Object Reference lists
 * as updatable: PATCH sobjects/UserLogin/{id}). What the connected user may do is read first from
 * UserPermissionAccess: Salesforce shows others' tokens only with Customize Application and
 * UserLogin only with Manage Users, and otherwise answers as if there were none, which a step must
 * not take for done.
 */
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import type { DirectoryPerson, DirectoryReading, ProviderOffboarding } from '../../offboarding/offboarding-port';
import { accountLockStep, holdingsStep, saasOffboarding, type SaasStep } from '../saas-offboarding-steps';
import { SalesforceApiError, salesforceErrorCode, salesforceFailureMessage } from './salesforce-failure';
import { salesforceApiVersion, salesforceRequest, soqlMore, soqlQuery, soqlString } from './salesforce-rest-client';

interface UserRow {
  Id: string;
  Username?: string | null;
  Email?: string | null;
  Name?: string | null;
  IsActive?: boolean | null;
}

interface OauthTokenRow {
  DeleteToken: string | null;
  AppName: string | null;
}

interface UserLoginRow {
  Id: string;
  IsFrozen: boolean;
}

/** Whether a user can sign in: their login settings, and whether they are active at all. */
interface LoginState {
  login: UserLoginRow;
  active: boolean;
}

const userFields = 'Id, Username, Email, Name, IsActive';
const salesforceIdPattern = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
/** Salesforce ids compare by their 15-character form (an 18-character id adds a checksum). */
const id15 = (id: string) => id.slice(0, 15);

async function allRows<T>(context: ProviderCallContext, soql: string): Promise<T[]> {
  let page = await soqlQuery<T>(context, soql);
  const rows = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    page = await soqlMore<T>(context, page.nextRecordsUrl);
    rows.push(...page.records);
  }
  return rows;
}

/** The person's id, checked before it goes into a query. */
function idOf(person: DirectoryPerson): string {
  if (!salesforceIdPattern.test(person.id)) throw new AppError('invalid_request', `Salesforce ids are 15 or 18 letters and digits; “${person.id}” is not one.`);
  return person.id;
}

/** Who the connected user cannot see UserLogin of: Salesforce answers as for an object that does not exist. */
const isHiddenObject = (error: unknown) => error instanceof SalesforceApiError && error.status === 400 && error.errorCode === 'INVALID_TYPE';

/** The frozen users' ids (15-character), or null when the connected user may not read UserLogin. */
async function frozenUsers(context: ProviderCallContext, condition: string): Promise<Set<string> | null> {
  try {
    const rows = await allRows<{ UserId: string }>(context, `SELECT UserId FROM UserLogin WHERE IsFrozen = true${condition}`);
    return new Set(rows.map((row) => id15(row.UserId)));
  } catch (error) {
    if (isHiddenObject(error)) return null;
    throw error;
  }
}

/** Salesforce's highest rights (Modify All Data) come from profiles and permission sets, which Consentry does not read: super admins stay unknown. */
function toPerson(user: UserRow, frozen: Set<string> | null): DirectoryPerson {
  // A username has the form of an address but need not be a mailbox: a list may name either.
  const addresses = [...new Set([user.Email, user.Username].filter((value): value is string => Boolean(value)).map((value) => value.toLowerCase()))];
  return {
    id: user.Id,
    email: addresses[0] ?? '',
    addresses,
    displayName: user.Name ?? null,
    suspended: user.IsActive === false || (frozen?.has(id15(user.Id)) ?? false),
    superAdmin: false,
  };
}

async function readDirectory(context: ProviderCallContext): Promise<DirectoryReading> {
  const [users, frozen] = await Promise.all([allRows<UserRow>(context, `SELECT ${userFields} FROM User`), frozenUsers(context, '')]);
  return { people: users.map((user) => toPerson(user, frozen)), superAdminsKnown: false };
}

async function findPerson(context: ProviderCallContext, email: string): Promise<DirectoryPerson | null> {
  const wanted = email.trim().toLowerCase();
  if (wanted === '') return null;
  // A username is unique to one user, so the one whose username it is comes first; several users may share an email, an active one first.
  const byUsername = await allRows<UserRow>(context, `SELECT ${userFields} FROM User WHERE Username = ${soqlString(wanted)}`);
  const users = byUsername.length > 0 ? byUsername : await allRows<UserRow>(context, `SELECT ${userFields} FROM User WHERE Email = ${soqlString(wanted)}`);
  const user = users.sort((a, b) => Number(a.IsActive === false) - Number(b.IsActive === false))[0];
  if (!user) return null;
  return toPerson(user, await frozenUsers(context, ` AND UserId = '${id15(user.Id)}'`));
}

type Permission = 'PermissionsCustomizeApplication' | 'PermissionsManageUsers';

/** A step that first makes sure the connected user holds the permission it needs. */
function requiring(permission: Permission, name: string, needFor: string, step: SaasStep): SaasStep {
  const check = async (context: ProviderCallContext) => {
    const [access] = await allRows<Partial<Record<Permission, boolean>>>(context, 'SELECT PermissionsCustomizeApplication, PermissionsManageUsers FROM UserPermissionAccess');
    if (access?.[permission] !== true) {
      throw new AppError('permission_denied', `Salesforce ${needFor} only with the ${name} permission, which the user this connection signs in as lacks.`, {
        nextStep: `Give that user ${name} (Setup › Users, through their profile or a permission set), then run the step again.`,
      });
    }
  };
  return {
    measure: async (context, target) => {
      await check(context);
      return step.measure(context, target);
    },
    apply: async (context, target) => {
      await check(context);
      return step.apply(context, target);
    },
  };
}

const oauthTokens = requiring(
  'PermissionsCustomizeApplication',
  'Customize Application',
  'lists and revokes other users’ OAuth tokens',
  holdingsStep<OauthTokenRow>({
    provider: 'Salesforce',
    noun: 'OAuth token',
    removed: 'Revoked',
    list: (context, person) => allRows<OauthTokenRow>(context, `SELECT Id, DeleteToken, AppName FROM OauthToken WHERE UserId = '${idOf(person)}'`),
    async remove(context, _person, items) {
      let removed = 0;
      for (const token of items) {
        if (!token.DeleteToken) continue;
        try {
          await salesforceRequest(context, '/services/oauth2/revoke', { method: 'POST', form: { token: token.DeleteToken } });
          removed += 1;
        } catch (error) {
          // An unknown DeleteToken: revoked by someone else since the list.
          if (!(error instanceof SalesforceApiError && error.status === 400 && error.errorCode === 'invalid_token')) throw error;
        }
      }
      return { removed, requestIds: [] };
    },
    apps: (items) => items.map((token) => token.AppName ?? 'an unnamed app'),
  }),
);

async function loginState(context: ProviderCallContext, person: DirectoryPerson): Promise<LoginState> {
  const id = idOf(person);
  const [[login], [user]] = await Promise.all([
    allRows<UserLoginRow>(context, `SELECT Id, IsFrozen FROM UserLogin WHERE UserId = '${id}'`),
    allRows<UserRow>(context, `SELECT Id, IsActive FROM User WHERE Id = '${id}'`),
  ]);
  if (!login || !user) {
    throw new AppError('not_found', `Salesforce holds no login settings for ${person.email}, so Consentry cannot freeze them.`, { nextStep: 'Freeze or deactivate the user in Setup › Users.' });
  }
  return { login, active: user.IsActive !== false };
}

const freeze = requiring(
  'PermissionsManageUsers',
  'Manage Users',
  'freezes users',
  accountLockStep<LoginState>({
    provider: 'Salesforce',
    action: { verb: 'freeze', done: 'Froze' },
    pending: 'Can sign in; will be frozen',
    read: loginState,
    locked: ({ login, active }) => !active || login.IsFrozen,
    describe: ({ login, active }) => (!active ? 'Deactivated' : login.IsFrozen ? 'Frozen' : 'Can sign in'),
    async lock(context, _person, { login }) {
      await salesforceRequest(context, `/services/data/v${salesforceApiVersion}/sobjects/UserLogin/${login.Id}`, { method: 'PATCH', json: { IsFrozen: true } });
      return { sent: true, requestIds: [] };
    },
  }),
);

export const salesforceOffboarding: ProviderOffboarding = saasOffboarding(
  'Salesforce',
  {
    readDirectory,
    findPerson,
    steps: [
      {
        kind: 'salesforce.oauth_tokens',
        title: 'Revoke connected-app OAuth tokens',
        why: 'First: the connected apps the person authorized lose their refresh and access tokens to the org.',
        step: oauthTokens,
      },
      {
        kind: 'salesforce.freeze',
        title: 'Freeze the Salesforce user',
        why: 'Last: a frozen user cannot sign in; unlike deactivating, freezing is never held up by the records and settings that still name the user.',
        onlyWhenSuspending: true,
        step: freeze,
      },
    ],
  },
  {
    code: salesforceErrorCode,
    message: salesforceFailureMessage,
    permissionDenied: {
      message: 'Salesforce refused: the user this connection signs in as needs Customize Application to revoke others’ tokens and Manage Users to freeze users.',
      nextStep: 'Give that user those permissions in Setup (a profile or permission set), then run the step again.',
    },
  },
);
