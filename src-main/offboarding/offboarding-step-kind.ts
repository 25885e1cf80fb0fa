/**
 * The job kind that carries out one offboarding step: one item per person, connection and step,
 * chained per person and connection so a person's steps at one provider run in order while people
 * and providers run side by side. Every apply reads the current state first and acts only when
 * something is left, so a step in doubt after a stop is simply carried out again (idempotent).
 * Manual steps are items too: recorded as skipped with the place to do them, never as done.
 */
import type { RunOptions } from '../../src-shared/contract/offboarding';
import type { ErrorCode } from '../../src-shared/domain/error-codes';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { JobAttempt, JobItem, JobItemOutcome, JobKind } from '../jobs/job-model';
import { jitteredBackoffMs } from '../net/jittered-backoff';
import { normalAddress } from './email-address';
import type { DirectoryPerson, ProviderOffboarding, StepResult } from './offboarding-port';

export const offboardingStepJobKind = 'offboarding.step';

export interface StepPayload {
  planId: string;
  connectionId: string;
  /** Kept with the step: the evidence names the connection even after it is removed. */
  connectionLabel: string;
  provider: ProviderId;
  email: string;
  transferTo: string | null;
  kind: string;
  /** `skip`: the plan found it does not apply to this person; recorded as skipped with `note`, never called. */
  mode: 'api' | 'manual' | 'skip';
  title: string;
  options: RunOptions;
  /** When the admin confirmed the run: a sign-out recorded at or after it is this run's. */
  confirmedAt: string;
  where: { label: string; url: string | null } | null;
  note: string | null;
}

/** Failures a later try may not meet: the tenant's scheduler has retried each call already, the step tries again as a whole. */
const transientCodes = new Set<ErrorCode>(['network', 'timeout', 'provider_error', 'quota_exhausted']);
/**
 * Steps carried out at once. The tenants' schedulers pace the calls; a data transfer holds its slot
 * while Google completes it, so slots are many: a waiting step costs a timer, not a call.
 */
const stepConcurrency = 64;

export interface StepRetryPolicy {
  /** Tries after the first for a transient failure. */
  retries: number;
  firstMs: number;
  maxMs: number;
}

export const defaultStepRetry: StepRetryPolicy = { retries: 3, firstMs: 2_000, maxMs: 20_000 };

export interface OffboardingStepKindOptions {
  adapters: Partial<Record<ProviderId, ProviderOffboarding>>;
  gateway: Pick<TenantGateway, 'context'>;
  retry?: StepRetryPolicy;
  random?: () => number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** "Delete app passwords — ann@example.com at Acme Google" */
export function stepLabel(payload: Pick<StepPayload, 'title' | 'email' | 'connectionLabel'>): string {
  return `${payload.title} — ${payload.email} at ${payload.connectionLabel}`;
}

function skipped(code: string, message: string): JobItemOutcome {
  return { result: 'skipped', code, verified: false, message, errorCode: null };
}

/**
 * What an apply did; a step that could not apply to the account as it is now is skipped, and the
 * chain goes on. A step sent before a stop and found done on resume says so: "nothing was sent"
 * alone would hide that this run did it before the stop, and the read that found it done verifies it.
 */
function outcomeOf(result: StepResult, carried: JobAttempt | undefined): JobItemOutcome {
  const foundDoneAfterStop = carried?.afterStop === true && result.code === 'already_done';
  return {
    result: result.code === 'not_applicable' ? 'skipped' : 'succeeded',
    code: result.code,
    verified: foundDoneAfterStop || result.verified,
    message: foundDoneAfterStop ? `Sent before Consentry stopped; found done when resumed: ${result.after ?? result.message}` : result.message,
    errorCode: null,
    evidence: { before: result.before, after: result.after, requestIds: result.requestIds },
  };
}

export class OffboardingStepKind {
  readonly #options: OffboardingStepKindOptions;
  readonly #retry: StepRetryPolicy;
  /**
   * The person of each chain (run, connection, person) as read before its first step: the chain's
   * later steps use it. Never shared between chains, so no chain acts on another's old reading.
   */
  readonly #people = new Map<string, Promise<DirectoryPerson | null>>();

  constructor(options: OffboardingStepKindOptions) {
    this.#options = options;
    this.#retry = options.retry ?? defaultStepRetry;
  }

  /** Drops what was resolved for a run that stopped; a resume resolves its people afresh. */
  forget(planId: string): void {
    for (const key of this.#people.keys()) if (key.startsWith(`${planId}|`)) this.#people.delete(key);
  }

  kind(): JobKind<StepPayload> {
    return {
      kind: offboardingStepJobKind,
      itemAction: 'offboarding.step',
      concurrency: stepConcurrency,
      idempotent: true,
      itemNoun: 'step',
      execute: (item, signal, carried) => this.#execute(item, signal, carried),
      // A connection that needs signing in again fails every step alike: pause rather than fail the list.
      pausesJob: (outcome) =>
        outcome.errorCode === 'needs_reconnect' ? `${outcome.message} Reconnect the connection on the Connections page, then resume the run; the steps not yet carried out wait.` : null,
      notReached: (failed, item) =>
        skipped('not_reached', `Not attempted: ${failed.payload.title} failed first; nothing after it was done for ${item.payload.email} at ${item.payload.connectionLabel}.`),
    };
  }

  async #execute({ payload }: JobItem<StepPayload>, signal: AbortSignal, carried: JobAttempt | undefined): Promise<JobItemOutcome> {
    if (payload.mode === 'manual') {
      const where = payload.where ? `${payload.where.label}${payload.where.url ? ` (${payload.where.url})` : ''}` : `${payload.connectionLabel}’s admin console`;
      return skipped('manual', `Manual step: ${payload.title} for ${payload.email} at ${where}. Consentry has no API for it and did not do it.`);
    }
    if (payload.mode === 'skip') return skipped('not_applicable', payload.note ?? `${payload.title} does not apply to ${payload.email} at ${payload.connectionLabel}.`);
    const adapter = this.#options.adapters[payload.provider];
    if (!adapter || adapter.directory === 'none') {
      throw new AppError('not_supported', `Consentry cannot carry out “${payload.title}” at ${payload.connectionLabel}: this version has no API for it.`);
    }
    const context = this.#options.gateway.context(payload.connectionId, signal);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#attempt(adapter, context, payload, signal, carried);
      } catch (error) {
        if (signal.aborted) throw error;
        const failure = error instanceof AppError ? error : new AppError('internal', 'An unexpected error stopped this step; nothing is known to have changed.');
        if (transientCodes.has(failure.code) && attempt < this.#retry.retries) {
          await sleep(jitteredBackoffMs(attempt + 1, this.#retry, this.#options.random), signal);
          continue;
        }
        const tries = attempt > 0 ? ` (tried ${attempt + 1} times)` : '';
        // A run has no retry of one step: planning the person again does it, and finds done what was done.
        // A reconnect pauses the run instead (pausesJob), and resuming it is the way.
        const then = failure.code === 'needs_reconnect' ? '' : ` Once that is fixed, plan ${payload.email} again: the steps already done are found done.`;
        return { result: 'failed', code: 'failed', verified: false, message: `${payload.title} failed at ${payload.connectionLabel}${tries}: ${failure.message}${then}`, errorCode: failure.code };
      }
    }
  }

  /** Resolves the person (and the transfer target, for the step that needs it) and applies the step; a retry starts here again. */
  async #attempt(adapter: ProviderOffboarding, context: ReturnType<TenantGateway['context']>, payload: StepPayload, signal: AbortSignal, carried: JobAttempt | undefined): Promise<JobItemOutcome> {
    const person = await this.#person(adapter, context, payload);
    if (!person) return skipped('not_found', `${payload.email} is not found at ${payload.connectionLabel} now: nothing to do there.`);
    const transferTo = await this.#transferTarget(adapter, context, payload);
    // The person may have changed since the plan (suspended by someone else): what applies is judged now.
    const skipReason = adapter.skipReason(payload.kind, { person, transferTo });
    if (skipReason) return skipped('not_applicable', skipReason);
    return outcomeOf(await adapter.apply(context, payload.kind, { person, transferTo, confirmedAt: payload.confirmedAt }, signal), carried);
  }

  #person(adapter: ProviderOffboarding, context: ReturnType<TenantGateway['context']>, payload: StepPayload): Promise<DirectoryPerson | null> {
    const key = `${payload.planId}|${payload.connectionId}|${normalAddress(payload.email)}`;
    let found = this.#people.get(key);
    if (!found) {
      found = adapter.findPerson(context, payload.email);
      this.#people.set(key, found);
      // A failed read is not remembered: the next step (or the retry after a resume) reads again.
      found.catch(() => this.#people.delete(key));
    }
    return found;
  }

  /**
   * The transfer target, read now and only for a step that needs one. The admin asked for the
   * transfer: a target no longer found fails the step, so the account is not suspended with its
   * data handed to nobody.
   */
  async #transferTarget(adapter: ProviderOffboarding, context: ReturnType<TenantGateway['context']>, payload: StepPayload): Promise<DirectoryPerson | null> {
    if (payload.transferTo === null || !(adapter.needsTransferTarget?.(payload.kind) ?? false)) return null;
    const target = await adapter.findPerson(context, payload.transferTo);
    if (target) return target;
    throw new AppError(
      'not_found',
      `The transfer target ${payload.transferTo} is not found at ${payload.connectionLabel} now, so ${payload.email}'s data would go to nobody: correct the transfer-to in the list.`,
    );
  }
}
