/**
 * The Google offboarding steps that remove what a departed user still holds — app passwords,
 * backup codes, third-party tokens, sessions — and the suspension. Each reads first and sends
 * nothing when nothing is left (a repeat after a stop), then reads back: the sign-out alone has
 * nothing to read, so it is sent again when in doubt, which Google takes as a no-op.
 */
import type { admin_directory_v1 } from 'googleapis';
import type { StepMeasure, StepResult, StepTarget } from '../../offboarding/offboarding-port';
import { googleStatusOf, isNotFound, offboardingFailure, offboardingScopes, type GoogleOffboardingApis } from './google-offboarding-apis';
import { countInWords } from '../../../src-shared/domain/count-in-words';
import { nothingLeft } from '../../offboarding/offboarding-port';

/** How one step measures and applies; the adapter picks it by kind. */
export interface GoogleStep {
  measure(apis: GoogleOffboardingApis, target: Omit<StepTarget, 'confirmedAt'>): Promise<StepMeasure>;
  apply(apis: GoogleOffboardingApis, target: StepTarget): Promise<StepResult>;
}


/** Reads with the scope named when Google refuses. */
async function read<T>(apis: GoogleOffboardingApis, what: string, scope: string, send: Parameters<GoogleOffboardingApis['call']>[0]): Promise<T> {
  try {
    return (await apis.call(send)) as T;
  } catch (error) {
    throw offboardingFailure(error, { what, scope });
  }
}

/**
 * Items a user holds that are removed one call each (app passwords, app tokens): list, delete what
 * is there (a 404 means someone removed it meanwhile), list again.
 */
interface RemovableItems<T> {
  noun: string;
  list(apis: GoogleOffboardingApis, userKey: string, email: string): Promise<T[]>;
  remove(apis: GoogleOffboardingApis, userKey: string, item: T, options: Parameters<Parameters<GoogleOffboardingApis['call']>[0]>[0]): Promise<unknown>;
  name(item: T): string;
}

function describeItems<T>(items: RemovableItems<T>, found: T[]): string {
  if (found.length === 0) return `No ${items.noun}s`;
  return `${countInWords(found.length, items.noun)}: ${found.map((item) => items.name(item)).join(', ')}`;
}

function removalStep<T>(items: RemovableItems<T>): GoogleStep {
  return {
    async measure(apis, { person }) {
      const found = await items.list(apis, person.id, person.email);
      return { count: found.length, description: describeItems(items, found) };
    },
    async apply(apis, { person }) {
      const before = await items.list(apis, person.id, person.email);
      if (before.length === 0) return nothingLeft(describeItems(items, before), `${person.email} had no ${items.noun}s left; nothing was sent.`);
      let changed = 0;
      for (const item of before) {
        try {
          await apis.call((options) => items.remove(apis, person.id, item, options) as Promise<{ data: unknown }>);
          changed += 1;
        } catch (error) {
          if (!isNotFound(error)) throw offboardingFailure(error, { what: `deleting the ${items.noun} ${items.name(item)} of ${person.email}`, scope: offboardingScopes.userSecurity });
        }
      }
      const after = await items.list(apis, person.id, person.email);
      const removed = `Deleted ${countInWords(changed, items.noun)} of ${person.email}`;
      return {
        code: changed === 0 ? 'already_done' : 'done',
        changed,
        before: describeItems(items, before),
        after: describeItems(items, after),
        verified: after.length === 0,
        requestIds: [],
        message: after.length === 0 ? `${removed}; none remain.` : `${removed}, but Google still lists ${countInWords(after.length, items.noun)} (made since?): run the step again.`,
      };
    },
  };
}

const appPasswords = removalStep<admin_directory_v1.Schema$Asp>({
  noun: 'app password',
  list: async (apis, userKey, email) =>
    (await read<admin_directory_v1.Schema$Asps>(apis, `reading the app passwords of ${email}`, offboardingScopes.userSecurity, (options) => apis.directory.asps.list({ userKey }, options))).items ?? [],
  remove: (apis, userKey, asp, options) => apis.directory.asps.delete({ userKey, codeId: asp.codeId! }, options),
  name: (asp) => `“${asp.name ?? asp.codeId}”`,
});

const appTokens = removalStep<admin_directory_v1.Schema$Token>({
  noun: 'app token',
  list: async (apis, userKey, email) =>
    (await read<admin_directory_v1.Schema$Tokens>(apis, `reading the app tokens of ${email}`, offboardingScopes.userSecurity, (options) => apis.directory.tokens.list({ userKey }, options))).items ?? [],
  // Deletes every token the user issued to that client.
  remove: (apis, userKey, token, options) => apis.directory.tokens.delete({ userKey, clientId: token.clientId! }, options),
  name: (token) => token.displayText ?? token.clientId ?? 'an app',
});

async function isSuspended(apis: GoogleOffboardingApis, userKey: string, email: string): Promise<boolean> {
  const user = await read<admin_directory_v1.Schema$User>(apis, `reading ${email}`, offboardingScopes.readUsers, (options) => apis.directory.users.get({ userKey, fields: 'suspended' }, options));
  return user.suspended === true;
}

const accountState = (suspended: boolean) => (suspended ? 'Suspended' : 'Active');

async function backupCodeCount(apis: GoogleOffboardingApis, userKey: string, email: string): Promise<number> {
  const list = await read<admin_directory_v1.Schema$VerificationCodes>(apis, `reading the backup codes of ${email}`, offboardingScopes.userSecurity, (options) =>
    apis.directory.verificationCodes.list({ userKey }, options),
  );
  return list.items?.length ?? 0;
}

const describeCodes = (count: number) => (count === 0 ? 'No backup codes' : countInWords(count, 'backup code'));

/**
 * Someone suspended the person while the run went on: Google refuses backup-code changes on a
 * suspended user, and the codes cannot be used while the account stays suspended, so the step does
 * not apply — the rest of the person's steps go on.
 */
function suspendedMeanwhile(email: string, codes: number): StepResult {
  const state = `${accountState(true)}; ${describeCodes(codes)}`;
  return {
    code: 'not_applicable',
    changed: 0,
    before: state,
    after: state,
    verified: false,
    requestIds: [],
    message: `${email} is suspended now, and Google refuses backup-code changes on a suspended user: the codes cannot be used while the account stays suspended; if it is ever restored, invalidate them first.`,
  };
}

const backupCodes: GoogleStep = {
  async measure(apis, { person }) {
    const count = await backupCodeCount(apis, person.id, person.email);
    return { count, description: describeCodes(count) };
  },
  async apply(apis, { person }) {
    const before = await backupCodeCount(apis, person.id, person.email);
    if (before === 0) return nothingLeft(describeCodes(0), `${person.email} had no valid backup codes; nothing was sent.`);
    // The person was read when the run began; someone may have suspended them since.
    if (await isSuspended(apis, person.id, person.email)) return suspendedMeanwhile(person.email, before);
    try {
      await apis.call((options) => apis.directory.verificationCodes.invalidate({ userKey: person.id }, options));
    } catch (error) {
      // Suspended between the read and the call: Google answers a bare 400 "Invalid Input", so the user is read to tell.
      if (googleStatusOf(error) === 400 && (await isSuspended(apis, person.id, person.email).catch(() => false))) return suspendedMeanwhile(person.email, before);
      throw offboardingFailure(error, { what: `invalidating the backup codes of ${person.email}`, scope: offboardingScopes.userSecurity });
    }
    const after = await backupCodeCount(apis, person.id, person.email);
    return {
      code: 'done',
      changed: before,
      before: describeCodes(before),
      after: describeCodes(after),
      verified: after === 0,
      requestIds: [],
      message: after === 0 ? `Invalidated ${countInWords(before, 'backup code')} of ${person.email}; none remain.` : `Invalidated the backup codes of ${person.email}, but Google still lists ${countInWords(after, 'backup code')}: run the step again.`,
    };
  },
};

const signOut: GoogleStep = {
  measure: () => Promise.resolve({ count: null, description: 'Sessions cannot be counted; every web and device session will be ended.' }),
  async apply(apis, { person }) {
    try {
      await apis.call((options) => apis.directory.users.signOut({ userKey: person.id }, options));
    } catch (error) {
      throw offboardingFailure(error, { what: `signing ${person.email} out`, scope: offboardingScopes.userSecurity });
    }
    return {
      code: 'done',
      changed: 1,
      before: null,
      after: null,
      verified: false,
      requestIds: [],
      message: `Signed ${person.email} out of every web and device session; Google offers no read-back of sessions.`,
    };
  },
};

const suspend: GoogleStep = {
  async measure(apis, { person }) {
    const suspended = await isSuspended(apis, person.id, person.email);
    return { count: suspended ? 0 : 1, description: suspended ? 'Suspended already' : 'Active; will be suspended' };
  },
  async apply(apis, { person }) {
    if (await isSuspended(apis, person.id, person.email)) return nothingLeft(accountState(true), `${person.email} was suspended already; nothing was sent.`);
    try {
      await apis.call((options) => apis.directory.users.patch({ userKey: person.id, requestBody: { suspended: true } }, options));
    } catch (error) {
      throw offboardingFailure(error, { what: `suspending ${person.email}`, scope: offboardingScopes.suspend });
    }
    const after = await isSuspended(apis, person.id, person.email);
    return {
      code: 'done',
      changed: 1,
      before: accountState(false),
      after: accountState(after),
      verified: after,
      requestIds: [],
      message: after ? `Suspended ${person.email}; a read-back confirmed it.` : `Asked Google to suspend ${person.email}, but it still reads as active: run the step again.`,
    };
  },
};

export const removalSteps: Record<string, GoogleStep> = {
  'google.app_passwords': appPasswords,
  'google.backup_codes': backupCodes,
  'google.oauth_tokens': appTokens,
  'google.sign_out': signOut,
  'google.suspend': suspend,
};
