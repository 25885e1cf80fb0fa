/**
 * What the SaaS offboarding adapters (Okta, Zendesk, Salesforce) do alike: a step that removes
 * what a person holds (tokens, consent grants) lists it first and sends nothing when the list is
 * empty, so a repeat after a stop finds its work done; otherwise it removes what is there and reads
 * again for the evidence. A change that would apply again if repeated is sent once (`sendOnce`):
 * after a lost answer the step reads the state before deciding. Failures become AppErrors through
 * the provider's own mapping, with the missing permission named; a cancel passes through as it is.
 */
import type { ErrorCode } from '../../src-shared/domain/error-codes';
import { AppError } from '../errors/app-error';
import type { ProviderCallContext } from '../net/provider-call-context';
import type { DirectoryPerson, ProviderOffboarding, StepMeasure, StepResult, StepTarget } from '../offboarding/offboarding-port';
import { SaasApiError, sendBearerCall, type BearerCall } from './saas-api-call';
import { countInWords } from '../../src-shared/domain/count-in-words';
import { nothingLeft } from '../offboarding/offboarding-port';


/** How one API step of a provider measures and applies; the adapter picks it by kind. */
export interface SaasStep {
  measure(context: ProviderCallContext, target: Omit<StepTarget, 'confirmedAt'>): Promise<StepMeasure>;
  apply(context: ProviderCallContext, target: StepTarget): Promise<StepResult>;
}

/** A change sent once: its answer, or the failure that left it in doubt (the provider may have acted). */
export type SentOnce<T> = { answer: T } | { inDoubt: unknown };

/**
 * One state-changing call that the scheduler must not send again on its own (an Okta suspension or
 * session clear): it still waits out a 429, which the provider refused, but no answer, a 5xx or a
 * 408 — after which the provider may have acted — comes back as `inDoubt`, for the step to read the
 * state before it decides whether to send it again.
 */
export function sendOnce<T>(context: ProviderCallContext, url: string, call: BearerCall<T>): Promise<SentOnce<T>> {
  return context.scheduler.schedule(
    async (): Promise<SentOnce<T>> => {
      try {
        return { answer: await sendBearerCall(context, url, call) };
      } catch (error) {
        if (isAbort(error) || error instanceof AppError) throw error;
        if (error instanceof SaasApiError && error.status < 500 && error.status !== 408) throw error;
        return { inDoubt: error };
      }
    },
    { signal: context.signal },
  );
}

/** How many times a change in doubt is sent in all before the step gives up and says so. */
export const maxSendsInDoubt = 3;

/** What a person holds at a provider that a step removes. */
export interface Holdings<T> {
  provider: string;
  /** Singular, e.g. "OAuth token". */
  noun: string;
  /** Past tense for the evidence, e.g. "Revoked". */
  removed: string;
  list(context: ProviderCallContext, person: DirectoryPerson): Promise<T[]>;
  /** Removes them; counts only what this call removed (an item gone meanwhile is not counted). */
  remove(context: ProviderCallContext, person: DirectoryPerson, items: T[]): Promise<{ removed: number; requestIds: string[] }>;
  /**
   * The read-back: which of the removed items are still there. Without it the person's items are
   * listed again; a provider whose list is the whole account's (Zendesk) reads each item instead.
   */
  remaining?(context: ProviderCallContext, person: DirectoryPerson, removed: T[]): Promise<T[]>;
  /** Which apps they are for, in words. */
  apps(items: T[]): string[];
}

function describe<T>(holdings: Holdings<T>, items: T[]): string {
  if (items.length === 0) return `No ${holdings.noun}s`;
  const apps = [...new Set(holdings.apps(items))];
  return `${countInWords(items.length, holdings.noun)}${apps.length > 0 ? ` for ${apps.join(', ')}` : ''}`;
}

export function holdingsStep<T>(holdings: Holdings<T>): SaasStep {
  return {
    async measure(context, { person }) {
      const items = await holdings.list(context, person);
      return { count: items.length, description: describe(holdings, items) };
    },
    async apply(context, { person }) {
      const before = await holdings.list(context, person);
      if (before.length === 0) return nothingLeft(describe(holdings, before), `${person.email} held no ${holdings.noun}s at ${holdings.provider}; nothing was sent.`);
      const { removed, requestIds } = await holdings.remove(context, person, before);
      const after = await (holdings.remaining ? holdings.remaining(context, person, before) : holdings.list(context, person));
      const done = `${holdings.removed} ${countInWords(removed, holdings.noun)} of ${person.email}`;
      return {
        code: removed === 0 ? 'already_done' : 'done',
        changed: removed,
        before: describe(holdings, before),
        after: describe(holdings, after),
        verified: after.length === 0,
        requestIds,
        message: after.length === 0 ? `${done}; none remain.` : `${done}, but ${holdings.provider} still lists ${countInWords(after.length, holdings.noun)}: run the step again.`,
      };
    },
  };
}

/** An account that a step stops from signing in (a suspension, a freeze). */
export interface AccountLock<S> {
  provider: string;
  /** e.g. `{ verb: 'suspend', done: 'Suspended' }`. */
  action: { verb: string; done: string };
  /** What a dry run says of an account that can still sign in, e.g. "Active; will be suspended". */
  pending: string;
  read(context: ProviderCallContext, person: DirectoryPerson): Promise<S>;
  /** It cannot sign in: suspended, frozen, deactivated. */
  locked(state: S): boolean;
  describe(state: S): string;
  /** Why the provider will not take the change in this state, or null. */
  refusal?(person: DirectoryPerson, state: S): AppError | null;
  /**
   * Sends the change; `sent: false` when the provider found the account locked meanwhile by someone
   * else. `answerLost`: the provider's answer never came, and a read since showed the change applied.
   */
  lock(context: ProviderCallContext, person: DirectoryPerson, state: S): Promise<{ sent: boolean; requestIds: string[]; answerLost?: boolean }>;
}

export function accountLockStep<S>(account: AccountLock<S>): SaasStep {
  const refuse = (person: DirectoryPerson, state: S) => {
    const refusal = account.refusal?.(person, state);
    if (refusal) throw refusal;
  };
  return {
    async measure(context, { person }) {
      const state = await account.read(context, person);
      if (account.locked(state)) return { count: 0, description: `${account.describe(state)} already` };
      refuse(person, state);
      return { count: 1, description: account.pending };
    },
    async apply(context, { person }) {
      const before = await account.read(context, person);
      const was = account.describe(before);
      if (account.locked(before)) return nothingLeft(was, `${person.email} was ${was.toLowerCase()} in ${account.provider} already; nothing was sent.`);
      refuse(person, before);
      const { sent, requestIds, answerLost } = await account.lock(context, person, before);
      const after = await account.read(context, person);
      const now = account.describe(after);
      if (!sent) return nothingLeft(now, `${person.email} became ${now.toLowerCase()} in ${account.provider} meanwhile; nothing changed.`);
      const verified = account.locked(after);
      return {
        code: 'done',
        changed: 1,
        before: was,
        after: now,
        verified,
        requestIds,
        message: !verified
          ? `Asked ${account.provider} to ${account.action.verb} ${person.email}, but the account reads as ${now.toLowerCase()}: run the step again.`
          : answerLost
            ? `${account.action.done} ${person.email} in ${account.provider}: its answer was lost on the way back, and a read since shows the change applied.`
            : `${account.action.done} ${person.email} in ${account.provider}; a read-back confirmed it.`,
      };
    },
  };
}

/** How a provider's failures read for the admin. */
export interface FailureWords {
  code(error: unknown): ErrorCode;
  message(error: unknown): string;
  /** For a refusal: which scope or permission offboarding needs there. */
  permissionDenied: { message: string; nextStep: string };
}

export const isAbort = (error: unknown) => (error as { name?: string } | null)?.name === 'AbortError';

export function stepFailure(error: unknown, words: FailureWords): unknown {
  if (isAbort(error) || error instanceof AppError) return error;
  const code = words.code(error);
  if (code === 'permission_denied') return new AppError(code, words.permissionDenied.message, { nextStep: words.permissionDenied.nextStep, cause: error });
  return new AppError(code, words.message(error), { cause: error });
}

/** One API step as the provider lists it, with how it measures and applies. */
export interface SaasStepDefinition {
  kind: string;
  title: string;
  why: string;
  /** Listed only when the run suspends accounts. */
  onlyWhenSuspending?: boolean;
  step: SaasStep;
}

/** A SaaS provider's adapter: its directory reads and its steps in order, failures in its own words. */
export function saasOffboarding(
  provider: string,
  parts: Pick<ProviderOffboarding, 'readDirectory' | 'findPerson'> & { steps: readonly SaasStepDefinition[] },
  words: FailureWords,
): ProviderOffboarding {
  const stepOf = (kind: string): SaasStep => {
    const found = parts.steps.find((definition) => definition.kind === kind);
    if (!found) throw new AppError('invalid_request', `${provider} has no offboarding step “${kind}”.`);
    return found.step;
  };
  return withFailureWords(
    {
      directory: 'api',
      readDirectory: parts.readDirectory,
      findPerson: parts.findPerson,
      steps: (choices) =>
        parts.steps.filter((definition) => choices.suspend || !definition.onlyWhenSuspending).map(({ kind, title, why }) => ({ kind, title, mode: 'api' as const, why, where: null })),
      skipReason: () => null,
      measure: (context, kind, target) => stepOf(kind).measure(context, target),
      apply: (context, kind, target) => stepOf(kind).apply(context, target),
    },
    words,
  );
}

/** The adapter with every call's failure turned into an AppError through the provider's words. */
function withFailureWords(offboarding: ProviderOffboarding, words: FailureWords): ProviderOffboarding {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw stepFailure(error, words);
      }
    };
  return {
    ...offboarding,
    readDirectory: guard(offboarding.readDirectory),
    findPerson: guard(offboarding.findPerson),
    measure: guard(offboarding.measure),
    apply: guard(offboarding.apply),
  };
}
