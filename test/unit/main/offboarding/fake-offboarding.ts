/**
 * A provider's tenant in memory for the offboarding service's tests: people with tokens and
 * sessions, an adapter that reads before it acts (so a repeat finds its work done), a log of every
 * state change it made, and failures a test scripts per person and step.
 */
import type { ConnectionView } from '../../../../src-shared/contract/connections';
import type { StepDefinition } from '../../../../src-shared/contract/offboarding';
import type { CapabilityId } from '../../../../src-shared/domain/ids';
import { AppError } from '../../../../src-main/errors/app-error';
import type { DirectoryPerson, ProviderOffboarding } from '../../../../src-main/offboarding/offboarding-port';
import type { ErrorCode } from '../../../../src-shared/domain/error-codes';

export interface FakePerson {
  email: string;
  tokens: number;
  sessions: number;
  suspended: boolean;
  superAdmin?: boolean;
}

export const fakeSteps: StepDefinition[] = [
  { kind: 'fake.tokens', title: 'Delete OAuth tokens', mode: 'api', why: 'Apps lose access first.', where: null },
  { kind: 'fake.sessions', title: 'Sign out everywhere', mode: 'api', why: 'Ends open sessions.', where: null },
  { kind: 'fake.mailbox', title: 'Convert the mailbox', mode: 'manual', why: 'No API exists for it.', where: { label: 'Fake admin console → Users → Mailbox', url: 'https://admin.fake.example/users' } },
  { kind: 'fake.suspend', title: 'Suspend the account', mode: 'api', why: 'Last, once access is gone.', where: null },
];

export function fakeTenant(people: FakePerson[]) {
  const state = {
    people: new Map(people.map((person) => [person.email, { ...person }])),
    /** Every state change the adapter made: `<kind>:<email>`. */
    effects: [] as string[],
    applies: [] as string[],
    measures: 0,
    /** Per `<email>|<kind>`: errors the next applies throw, one each. */
    failures: new Map<string, AppError[]>(),
    /** `<email>|<kind>` the provider finds cannot apply to the account as it is now (refused on a suspended one). */
    notApplicable: new Set<string>(),
    readFailure: null as AppError | null,
    /** The next apply of this kind makes its change, then hangs until the run is stopped: its answer is lost. */
    loseAnswerOf: null as string | null,
  };
  const toPerson = (person: FakePerson): DirectoryPerson => ({ id: `id-${person.email}`, email: person.email, displayName: null, suspended: person.suspended, superAdmin: person.superAdmin ?? false });
  const left = (person: FakePerson, kind: string): number => (kind === 'fake.tokens' ? person.tokens : kind === 'fake.sessions' ? person.sessions : person.suspended ? 0 : 1);
  const adapter: ProviderOffboarding = {
    directory: 'api',
    readDirectory: async () => {
      if (state.readFailure) throw state.readFailure;
      return { people: [...state.people.values()].map(toPerson), superAdminsKnown: true };
    },
    findPerson: async (_context, email) => {
      const person = state.people.get(email);
      return person ? toPerson(person) : null;
    },
    steps: (choices) => fakeSteps.filter((step) => step.kind !== 'fake.suspend' || choices.suspend),
    skipReason: (kind, target) => (kind === 'fake.sessions' && target.person.suspended ? 'Sessions of a suspended account cannot be listed here.' : null),
    measure: async (_context, kind, target) => {
      state.measures += 1;
      const person = state.people.get(target.person.email)!;
      const count = left(person, kind);
      return { count, description: `${count} left` };
    },
    apply: async (_context, kind, target, signal) => {
      const key = `${target.person.email}|${kind}`;
      state.applies.push(key);
      const failure = state.failures.get(key)?.shift();
      if (failure) throw failure;
      if (state.notApplicable.has(key)) {
        return { code: 'not_applicable', changed: 0, before: 'suspended', after: null, verified: false, requestIds: [], message: 'Refused on a suspended account: nothing to remove there now.' };
      }
      const person = state.people.get(target.person.email)!;
      const before = left(person, kind);
      if (before === 0) return { code: 'already_done', changed: 0, before: 'none left', after: 'none left', verified: true, requestIds: [], message: 'Nothing was left to remove.' };
      if (kind === 'fake.tokens') person.tokens = 0;
      else if (kind === 'fake.sessions') person.sessions = 0;
      else person.suspended = true;
      state.effects.push(`${kind}:${person.email}`);
      if (state.loseAnswerOf === kind) {
        state.loseAnswerOf = null;
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
      }
      return { code: 'done', changed: before, before: `${before} left`, after: 'none left', verified: true, requestIds: [`req-${state.effects.length}`], message: `Removed ${before}; none remain.` };
    },
  };
  const fail = (email: string, kind: string, ...errors: { code: ErrorCode; message: string }[]) => {
    state.failures.set(`${email}|${kind}`, errors.map((error) => new AppError(error.code, error.message)));
  };
  return { state, adapter, fail };
}

/** A connection as the service sees it: `held` capabilities are allowed and granted. */
export function fakeView(id: string, options: { held?: CapabilityId[]; status?: ConnectionView['status']; account?: string; scopes?: string[] } = {}): ConnectionView {
  const scopes = options.scopes ?? ['fake.users.manage'];
  const held = options.held ?? ['offboarding'];
  return {
    id,
    label: `Fake tenant ${id}`,
    provider: 'okta',
    providerLabel: 'Okta',
    account: options.account ?? 'admin@example.com',
    status: options.status ?? 'active',
    statusDetail: options.status === 'needs_reconnect' ? 'The provider no longer accepts this sign-in.' : 'Connected.',
    scopesGranted: held.includes('offboarding') ? scopes : [],
    capabilities: [{ id: 'offboarding', allowed: held.includes('offboarding'), held: held.includes('offboarding'), extraScopes: scopes.map((scope) => ({ scope, reason: 'Manages users.' })) }],
    settings: {},
  } as unknown as ConnectionView;
}
