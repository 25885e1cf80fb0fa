/**
 * Google Workspace's side of offboarding: the directory (users.list and users.get, Directory API)
 * and the steps in the order that works there — app passwords, backup codes, third-party app
 * tokens, sign-out, then the data transfer and the suspension. Backup codes go before the
 * suspension because Google refuses them on a suspended user; the transfer waits for Google to
 * complete it before the account is suspended. Every call goes through the tenant's scheduler.
 */
import type { admin_directory_v1 } from 'googleapis';
import type { StepDefinition } from '../../../src-shared/contract/offboarding';
import { AppError } from '../../errors/app-error';
import type { DirectoryPerson, OffboardingChoices, ProviderOffboarding } from '../../offboarding/offboarding-port';
import { dataTransferStep, type DataTransferStepOptions } from './google-data-transfer-step';
import { googleOffboardingApis, isNotFound, offboardingFailure, offboardingScopes } from './google-offboarding-apis';
import { removalSteps, type GoogleStep } from './google-offboarding-steps';

/** Where each step is done by hand: the user's page in the Admin console. */
const userPage = (section: string) => ({ label: `Google Admin console › Directory › Users › the user › ${section}`, url: 'https://admin.google.com/ac/users' });

const definitions: Record<string, Omit<StepDefinition, 'kind' | 'mode'>> = {
  'google.app_passwords': {
    title: 'Delete app passwords',
    why: 'App passwords sign mail, calendar and contacts clients in without 2-Step Verification and outlive a sign-out, so they go first.',
    where: userPage('Security › App passwords'),
  },
  'google.backup_codes': {
    title: 'Invalidate backup codes',
    why: 'Backup codes get anyone holding them past 2-Step Verification. Google refuses this on a suspended user, so it comes before the suspension.',
    where: userPage('Security › 2-Step Verification › Backup codes'),
  },
  'google.oauth_tokens': {
    title: 'Revoke third-party app tokens',
    why: 'Apps the person authorized keep reading their mail, files and calendar with these tokens until they are revoked.',
    where: userPage('Security › Connected applications'),
  },
  'google.sign_out': {
    title: 'Sign out everywhere',
    why: 'Ends every web and device session; after the passwords and tokens, so nothing left can start a new one.',
    where: userPage('Security › Sign-in cookies › Reset'),
  },
  'google.data_transfer': {
    title: 'Transfer Drive and Calendar data',
    why: 'Hands the person’s Drive and Docs files and Calendar events to the transfer target while the account is still active; the step waits until Google completes it.',
    where: { label: 'Google Admin console › Apps › Google Workspace › Drive and Docs › Transfer ownership', url: 'https://admin.google.com/' },
  },
  'google.suspend': {
    title: 'Suspend the account',
    why: 'Last, once access is removed and data handed over: the account can no longer sign in, and its data stays for the retention you decide.',
    where: userPage('Suspend user'),
  },
};

function stepOf(stepsByKind: Record<string, GoogleStep>, kind: string): GoogleStep {
  const step = stepsByKind[kind];
  if (!step) throw new AppError('invalid_request', `Google has no offboarding step “${kind}”.`);
  return step;
}

/** Every address that reaches the user, lower-case, primary first: a list may name a person by an alias. */
function addressesOf(user: admin_directory_v1.Schema$User): string[] {
  // `emails` is typed loosely by the client library: an array of { address, primary?, type? }.
  const emails: unknown[] = Array.isArray(user.emails) ? (user.emails as unknown[]) : [];
  const listed = emails.map((entry) => (entry as { address?: unknown } | null)?.address).filter((address): address is string => typeof address === 'string');
  const all = [user.primaryEmail, ...listed, ...(user.aliases ?? []), ...(user.nonEditableAliases ?? [])];
  return [...new Set(all.filter((address): address is string => !!address).map((address) => address.trim().toLowerCase()))];
}

function directoryPerson(user: admin_directory_v1.Schema$User): DirectoryPerson {
  return {
    id: user.id ?? '',
    email: (user.primaryEmail ?? '').toLowerCase(),
    addresses: addressesOf(user),
    displayName: user.name?.fullName ?? null,
    suspended: user.suspended === true,
    // Google's isAdmin is the super admin role; delegated admins are isDelegatedAdmin.
    superAdmin: user.isAdmin === true,
  };
}

const userFields = 'id,primaryEmail,emails,aliases,nonEditableAliases,name/fullName,suspended,isAdmin';

export interface GoogleOffboardingOptions {
  dataTransfer?: DataTransferStepOptions;
}

/** The adapter; options exist for tests (a data transfer's longest wait). */
export function createGoogleOffboarding(options: GoogleOffboardingOptions = {}): ProviderOffboarding {
  const stepsByKind: Record<string, GoogleStep> = { ...removalSteps, 'google.data_transfer': dataTransferStep(options.dataTransfer) };
  return {
    directory: 'api',

    async readDirectory(context) {
      const apis = googleOffboardingApis(context);
      const people: DirectoryPerson[] = [];
      let pageToken: string | undefined;
      try {
        do {
          const page: admin_directory_v1.Schema$Users = await apis.call(
            (options) => apis.directory.users.list({ customer: 'my_customer', maxResults: 500, fields: `nextPageToken,users(${userFields})`, ...(pageToken ? { pageToken } : {}) }, options),
            true,
          );
          people.push(...(page.users ?? []).map(directoryPerson));
          pageToken = page.nextPageToken ?? undefined;
        } while (pageToken);
      } catch (error) {
        throw offboardingFailure(error, { what: 'listing the users', scope: offboardingScopes.readUsers });
      }
      return { people, superAdminsKnown: true };
    },

    async findPerson(context, email) {
      const apis = googleOffboardingApis(context);
      try {
        // users.get takes the primary address or any alias and answers with the user either way.
        return directoryPerson(await apis.call((options) => apis.directory.users.get({ userKey: email.trim().toLowerCase(), fields: userFields }, options)));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw offboardingFailure(error, { what: `reading ${email}`, scope: offboardingScopes.readUsers });
      }
    },

    steps(choices: OffboardingChoices) {
      const kinds = ['google.app_passwords', 'google.backup_codes', 'google.oauth_tokens', 'google.sign_out', ...(choices.transferData ? ['google.data_transfer'] : []), ...(choices.suspend ? ['google.suspend'] : [])];
      return kinds.map((kind) => ({ kind, mode: 'api' as const, ...definitions[kind]! }));
    },

    needsTransferTarget: (kind) => kind === 'google.data_transfer',

    skipReason(kind, { person, transferTo }) {
      if (kind === 'google.backup_codes' && person.suspended) return `Google refuses backup-code changes on a suspended user, and ${person.email} is suspended already.`;
      if (kind !== 'google.data_transfer') return null;
      if (!transferTo) return 'No transfer target was given: Drive and Calendar data stay with the account.';
      if (transferTo.id === person.id) return 'The transfer target is the person themselves.';
      if (transferTo.suspended) return `The transfer target ${transferTo.email} is suspended, so Google cannot hand data to them.`;
      return null;
    },

    measure(context, kind, target) {
      return stepOf(stepsByKind, kind).measure(googleOffboardingApis(context), target);
    },

    async apply(context, kind, target, signal) {
      const apis = googleOffboardingApis(context, signal);
      try {
        return await stepOf(stepsByKind, kind).apply(apis, target);
      } catch (error) {
        // A call cut off by the stop surfaces as the library's own abort: the run stopped it, nothing else.
        if (apis.signal?.aborted && !(error instanceof AppError && error.code === 'cancelled')) {
          throw new AppError('cancelled', `Stopped before Google confirmed “${definitions[kind]?.title ?? kind}” for ${target.person.email}; the step is checked again when the run resumes.`, { cause: error });
        }
        throw error;
      }
    },
  };
}

export const googleOffboarding: ProviderOffboarding = createGoogleOffboarding();
