/**
 * The consent decisions as jobs on the kernel, so each call at the provider is journalled before
 * it is sent and logged after: a grant (create the service principal, set the tenant-wide scopes
 * and application permissions, record the approval), a policy change, a block and a denial.
 * Payloads name what is decided on (connection, app, scopes), never a token or secret.
 */
import type { JobItem, JobItemOutcome, JobKind } from '../jobs/job-model';
import type { ProviderCallContext } from '../net/provider-call-context';
import { reachConsent, type ConsentReach } from './consent-reach';
import type { AppConsentState, ConsentCallOutcome, ConsentStageReading, ProviderConsent, ResolvedPolicyChange } from './consent-port';

export const consentJobKinds = { grant: 'consent.grant', policy: 'consent.policy', block: 'consent.block', deny: 'consent.deny' } as const;

/** What the admin decided for an app, carried by every item of its grant job (the report reads it back from any one). */
export interface GrantDecision {
  connectionId: string;
  appId: string;
  appName: string;
  requestId: string | null;
  keptDelegated: string[];
  keptApplication: string[];
  droppedDelegated: string[];
  droppedApplication: string[];
}

export type GrantStep =
  | { step: 'create_service_principal' }
  | { step: 'set_delegated'; scopes: string[] }
  | { step: 'assign_role'; permission: string }
  | { step: 'remove_role'; permission: string; assignmentId: string }
  | { step: 'approve_request' };

export type GrantPayload = GrantStep & { decision: GrantDecision };

/** The words travel with the call, so the decision's entry says before → after even when written by a later run. */
export interface PolicyPayload {
  connectionId: string;
  change: ResolvedPolicyChange;
  setting: string;
  before: string;
  after: string;
}

export interface BlockPayload {
  connectionId: string;
  appId: string;
  appName: string;
  servicePrincipalId: string;
  change: { accountEnabled?: boolean; appRoleAssignmentRequired?: boolean };
  before: string;
  after: string;
}

export interface DenyPayload {
  connectionId: string;
  requestId: string;
  appName: string;
  /** What the request asked for, for the decision's entry. */
  scopes: string[];
  reason: string;
}

const failed = (message: string, errorCode: JobItemOutcome['errorCode'], code = 'failed'): JobItemOutcome => ({ result: 'failed', code, verified: false, message, errorCode });
const succeeded = (message: string, code: string, verified: boolean): JobItemOutcome => ({ result: 'succeeded', code, verified, message, errorCode: null });

/** A provider call's outcome as the job records it; the port's calls read back, so a success is verified. */
export function asJobOutcome(outcome: ConsentCallOutcome): JobItemOutcome {
  return { result: outcome.ok ? 'succeeded' : 'failed', code: outcome.code, verified: outcome.ok, message: outcome.message, errorCode: outcome.errorCode };
}

/** A connection that must sign in again fails every call alike: wait for the reconnect. */
function pausesOnReconnect(outcome: JobItemOutcome): string | null {
  return outcome.errorCode === 'needs_reconnect' ? `${outcome.message} Reconnect the connection on the Connections page, then resume.` : null;
}

const sameScopes = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((scope) => b.some((other) => other.toLowerCase() === scope.toLowerCase()));

type Method = keyof ProviderConsent;
type Decision = 'Approve' | 'Deny';
type Reviewer = NonNullable<ConsentStageReading['reviewedBy']>;

const resultsOf: Record<Decision, readonly string[]> = { Approve: ['approve', 'approved'], Deny: ['deny', 'denied'] };
const decided = (stage: ConsentStageReading) => stage.reviewedBy !== null && [...resultsOf.Approve, ...resultsOf.Deny].includes((stage.reviewResult ?? '').toLowerCase());
const nameOf = (reviewer: Reviewer) => reviewer.displayName || reviewer.userPrincipalName || reviewer.id || 'an unknown reviewer';

/**
 * How a request no longer pending was closed, from its stages: `ours` when a stage shows this
 * decision by the account the connection signs in as; `others` (named, with their decision) when
 * only other reviewers decided; null while a stage is open, or when none shows a reviewer
 * (expired), since then nothing can be told.
 */
export function requestClosedBy(stages: readonly ConsentStageReading[], decision: Decision, account: string | null): { by: 'ours'; stages: number; others: string[] } | { by: 'others'; others: string[] } | null {
  if (stages.some((stage) => stage.userRequestStatus === 'InProgress' && stage.status !== 'Completed')) return null;
  const isAccount = (reviewer: Reviewer) => account !== null && [reviewer.userPrincipalName, reviewer.id].some((name) => name?.toLowerCase() === account.toLowerCase());
  const reviewed = stages.filter(decided);
  const ours = reviewed.filter((stage) => resultsOf[decision].includes(stage.reviewResult!.toLowerCase()) && isAccount(stage.reviewedBy!));
  const others = [...new Set(reviewed.filter((stage) => !ours.includes(stage)).map((stage) => `${nameOf(stage.reviewedBy!)} (${stage.reviewResult})`))];
  if (ours.length > 0) return { by: 'ours', stages: ours.length, others };
  return others.length > 0 ? { by: 'others', others } : null;
}

export function consentJobs(dependencies: ConsentReach): { grant: JobKind<GrantPayload>; policy: JobKind<PolicyPayload>; block: JobKind<BlockPayload>; deny: JobKind<DenyPayload> } {
  const reach = (connectionId: string, methods: readonly Method[], signal?: AbortSignal) => reachConsent(dependencies, connectionId, methods, signal);
  const appState = async (decision: GrantDecision, signal?: AbortSignal): Promise<AppConsentState> => {
    const { context, adapter } = reach(decision.connectionId, ['appState'], signal);
    return adapter.appState!(context, decision.appId);
  };

  /**
   * A decision on a request no longer pending, which a call sent before a stop may have closed:
   * the request's stages say who decided it. Null when the provider cannot say (no such read,
   * unreadable, expired).
   */
  const closedOutcome = async (connectionId: string, requestId: string, decision: Decision, signal?: AbortSignal): Promise<JobItemOutcome | null> => {
    const { context, adapter } = reach(connectionId, [], signal);
    if (!adapter.requestDecisions) return null;
    let stages: ConsentStageReading[];
    try {
      stages = await adapter.requestDecisions(context, requestId);
    } catch (error) {
      if (signal?.aborted) throw error;
      return null;
    }
    const closed = requestClosedBy(stages, decision, context.connection.account);
    const verb = decision === 'Approve' ? 'approval' : 'denial';
    if (closed?.by === 'ours') {
      const besides = closed.others.length > 0 ? ` Other reviewers decided the rest: ${closed.others.join(', ')}.` : '';
      return succeeded(`The ${verb} sent before Consentry stopped was recorded: Microsoft Entra shows it by ${context.connection.account} on ${closed.stages} ${closed.stages === 1 ? 'stage' : 'stages'}.${besides}`, 'already_done', true);
    }
    if (closed?.by === 'others') return { result: 'skipped', code: 'already_decided', verified: false, message: `Someone else already decided this request: ${closed.others.join(', ')}.`, errorCode: null };
    return null;
  };

  /** Whether the step's effect is in place now (for an item in doubt after a stop); null when it is not. */
  const inPlace = async ({ payload }: JobItem<GrantPayload>): Promise<JobItemOutcome | null> => {
    if (payload.step === 'approve_request') {
      // Closed by this job's approval: done. Otherwise it is sent again, and the provider says if it was already decided.
      const closed = payload.decision.requestId ? await closedOutcome(payload.decision.connectionId, payload.decision.requestId, 'Approve') : null;
      return closed?.result === 'succeeded' ? closed : null;
    }
    const state = await appState(payload.decision);
    const done = (message: string) => succeeded(message, 'already_done', true);
    switch (payload.step) {
      case 'create_service_principal':
        return state.servicePrincipalId ? done('The service principal exists.') : null;
      case 'set_delegated':
        return sameScopes(state.tenantWideGrant?.scopes ?? [], payload.scopes) ? done('The tenant-wide consent holds exactly the kept scopes.') : null;
      case 'assign_role':
        return state.appRoles.some((role) => role.permission === payload.permission) ? done(`${payload.permission} is assigned.`) : null;
      case 'remove_role':
        return state.appRoles.some((role) => role.assignmentId === payload.assignmentId) ? null : done(`${payload.permission} is no longer assigned.`);
    }
  };

  const grant: JobKind<GrantPayload> = {
    kind: consentJobKinds.grant,
    itemAction: 'consent.grant',
    concurrency: 1,
    // Creating a service principal or an assignment twice fails or duplicates: find out first.
    idempotent: false,
    reconcile: inPlace,
    pausesJob: pausesOnReconnect,
    execute: async ({ payload }, signal) => {
      const { decision } = payload;
      if (payload.step === 'approve_request') {
        const { context, adapter } = reach(decision.connectionId, ['pendingRequests', 'decideRequest'], signal);
        const request = (await adapter.pendingRequests!(context)).find((pending) => pending.id === decision.requestId);
        if (!request) {
          const closed = await closedOutcome(decision.connectionId, decision.requestId!, 'Approve', signal);
          return closed ?? { result: 'skipped', code: 'not_pending', verified: false, message: 'The request is no longer pending (this approval sent before a stop, someone else, or its expiry closed it); the grant stands.', errorCode: null };
        }
        const outcome = await adapter.decideRequest!(context, request, 'Approve', `Granted in Consentry: ${decision.keptDelegated.concat(decision.keptApplication).join(' ')}`);
        if (outcome.code === 'already_decided') return { result: 'skipped', code: outcome.code, verified: false, message: outcome.message, errorCode: null };
        return asJobOutcome(outcome);
      }
      const { context, adapter } = reach(decision.connectionId, ['appState', 'createServicePrincipal', 'setTenantWideScopes', 'assignAppRole', 'removeAppRole'], signal);
      const state = await adapter.appState!(context, decision.appId);
      if (payload.step === 'create_service_principal') {
        if (state.servicePrincipalId) return succeeded('The service principal already exists.', 'already_done', true);
        const outcome = await adapter.createServicePrincipal!(context, decision.appId);
        if (outcome.code === 'unknown_app') {
          return failed(`Microsoft Entra knows no app with the client id ${decision.appId}: check the id with the vendor. Nothing else was done.`, outcome.errorCode ?? 'not_found', outcome.code);
        }
        return asJobOutcome(outcome);
      }
      const servicePrincipalId = state.servicePrincipalId;
      if (!servicePrincipalId) return failed(`${decision.appName} has no service principal in the tenant, so nothing could be granted to it.`, 'not_found');
      switch (payload.step) {
        case 'set_delegated':
          return asJobOutcome(await adapter.setTenantWideScopes!(context, servicePrincipalId, payload.scopes));
        case 'assign_role':
          return asJobOutcome(await adapter.assignAppRole!(context, servicePrincipalId, payload.permission));
        case 'remove_role':
          return asJobOutcome(await adapter.removeAppRole!(context, servicePrincipalId, payload.assignmentId));
      }
    },
  };

  /** A kind whose one call sets a value: carrying it out again sets the same value. */
  const settingKind = <Payload extends { connectionId: string }>(kind: string, method: Method, call: (adapter: ProviderConsent, context: ProviderCallContext, payload: Payload) => Promise<ConsentCallOutcome>): JobKind<Payload> => ({
    kind,
    itemAction: kind,
    concurrency: 1,
    idempotent: true,
    pausesJob: pausesOnReconnect,
    execute: async ({ payload }, signal) => {
      const { context, adapter } = reach(payload.connectionId, [method], signal);
      return asJobOutcome(await call(adapter, context, payload));
    },
  });
  const policy = settingKind<PolicyPayload>(consentJobKinds.policy, 'changePolicy', (adapter, context, payload) => adapter.changePolicy!(context, payload.change));
  const block = settingKind<BlockPayload>(consentJobKinds.block, 'setSignIn', (adapter, context, payload) => adapter.setSignIn!(context, payload.servicePrincipalId, payload.change));

  const deny: JobKind<DenyPayload> = {
    kind: consentJobKinds.deny,
    itemAction: 'consent.deny',
    concurrency: 1,
    // Denying twice: the second time the provider says it is already decided.
    idempotent: true,
    pausesJob: pausesOnReconnect,
    // The reason rides on the item's outcome, so its log entry keeps it even when Consentry stops before the denial's own entry.
    execute: async ({ payload }, signal) => {
      const because = ` Reason: ${payload.reason}`;
      const { context, adapter } = reach(payload.connectionId, ['pendingRequests'], signal);
      const request = (await adapter.pendingRequests!(context)).find((pending) => pending.id === payload.requestId);
      if (!request) {
        const closed = await closedOutcome(payload.connectionId, payload.requestId, 'Deny', signal);
        if (closed) return { ...closed, message: `${closed.message}${because}`, errorCode: closed.result === 'skipped' ? 'invalid_request' : null };
        return { result: 'skipped', code: 'not_pending', verified: false, message: `The request is no longer pending: this denial sent before a stop, someone else, or its expiry closed it.${because}`, errorCode: 'not_found' };
      }
      if (!adapter.decideRequest) return succeeded(`Recorded in Consentry’s log only: the provider offers no call to record a denial.${because}`, 'local_only', false);
      const outcome = await adapter.decideRequest(context, request, 'Deny', payload.reason);
      if (outcome.code === 'already_decided') return { result: 'skipped', code: outcome.code, verified: false, message: `${outcome.message}${because}`, errorCode: 'invalid_request' };
      const recorded = asJobOutcome(outcome);
      return { ...recorded, message: `${recorded.message}${because}` };
    },
  };

  return { grant, policy, block, deny };
}
