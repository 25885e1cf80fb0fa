/**
 * The Microsoft offboarding steps on Graph, each as a read (what is left: the dry run's measure)
 * and an apply that reads first, changes only what is left and reads back. Sessions are revoked
 * first (revokeSignInSessions ends refresh tokens and browser sessions), then the person's
 * delegated grants and app role assignments go, and last the account is disabled. Every
 * revocation moves the sessions' valid-from time, so it is sent once, never again by the scheduler
 * on its own: after a lost answer the time is read to tell whether it took, by Graph's clock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import { utcTimeInWords } from '../../../src-shared/domain/time-in-words';
import { AppError } from '../../errors/app-error';
import type { StepMeasure, StepResult, StepTarget } from '../../offboarding/offboarding-port';
import { describeGraphFailure, graphFailureCode } from './graph-failure';
import { graphPages, graphRequest, graphRequestWithId, isAbort, resolveGraphUrl, sendGraphRequestWithId, type GraphAnswer, type GraphEndpoint, type GraphMethod } from './graph-request';
import { countInWords } from '../../../src-shared/domain/count-in-words';

export const microsoftStepKinds = {
  revokeSessions: 'microsoft.revoke_sessions',
  delegatedGrants: 'microsoft.delegated_grants',
  appRoleAssignments: 'microsoft.app_role_assignments',
  disable: 'microsoft.disable',
} as const;

/** The least privilege Graph's reference lists for each change (the offboarding capability adds them). */
const permissionFor = {
  [microsoftStepKinds.revokeSessions]: 'User.RevokeSessions.All',
  [microsoftStepKinds.delegatedGrants]: 'DelegatedPermissionGrant.ReadWrite.All',
  [microsoftStepKinds.appRoleAssignments]: 'AppRoleAssignment.ReadWrite.All',
  [microsoftStepKinds.disable]: 'User.EnableDisableAccount.All',
} as const;
/** Reading users, grants and a user's assignments: the audit's base scope covers them all. */
const readPermission = 'Directory.Read.All';

export const allowOffboardingCapability = 'Allow the Offboarding capability for this connection, then sign in again when asked.';

const nextSteps: Partial<Record<ErrorCode, string>> = {
  permission_denied: allowOffboardingCapability,
  needs_reconnect: 'Reconnect this connection: its sign-in is no longer accepted.',
  quota_exhausted: 'Microsoft Graph is throttling this tenant; the run can be resumed in a few minutes.',
  network: 'Check the network connection, then resume the run.',
};

/** Graph replicates directory changes with a delay: a read-back that still sees the old state looks again a little later. */
const readBackDelaysMs = [0, 1_000, 3_000];

export const statusOf = (error: unknown) => (error as { status?: unknown } | null)?.status;

/** A failed call as the admin reads it: a refusal names the permission; never Graph's own text. */
export function offboardingFailure(graph: GraphEndpoint, error: unknown, what: string, permission: string): AppError {
  if (error instanceof AppError) return error;
  if (isAbort(error, graph)) throw error;
  const code = graphFailureCode(error);
  if (code === 'permission_denied') return new AppError(code, `Microsoft Graph refused ${what}: the connection lacks ${permission}.`, { nextStep: allowOffboardingCapability, cause: error });
  const failed = `${what.charAt(0).toUpperCase()}${what.slice(1)} failed`;
  if (code === 'not_found') return new AppError(code, `${failed}: Microsoft Entra no longer has this person.`, { nextStep: 'Check the person in the Microsoft Entra admin center; a deleted user has no access left to remove.', cause: error });
  const nextStep = nextSteps[code];
  return new AppError(code, `${failed}: ${describeGraphFailure(error)}`, { ...(nextStep ? { nextStep } : {}), cause: error });
}

const userPath = (id: string) => `/users/${encodeURIComponent(id)}`;

interface SessionsRead {
  signInSessionsValidFromDateTime?: string | null;
}

interface GrantRead {
  id: string;
}

interface AssignmentRead {
  id: string;
  principalId?: string | null;
  resourceId?: string | null;
  resourceDisplayName?: string | null;
}

/** One read of a step, named for its failure message. */
async function read<T>(graph: GraphEndpoint, what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw offboardingFailure(graph, error, what, readPermission);
  }
}

/** When sessions were last revoked, and how far Graph's clock is from this machine's at the read. */
interface SessionsReading {
  validFrom: string | null;
  /**
   * Graph's time (the answer's Date header) minus the local time the answer came. The header has
   * whole seconds and the answer takes a moment to arrive, so this falls short of the true
   * difference by up to about a second: the run's own revocations are never taken for older ones.
   */
  skewMs: number;
}

async function readSessions(graph: GraphEndpoint, personId: string): Promise<SessionsReading> {
  const answer = await read(graph, 'reading when sessions were last revoked', () => graphRequestWithId<SessionsRead>(graph, 'GET', `${userPath(personId)}?$select=id,signInSessionsValidFromDateTime`));
  const graphNow = Date.parse(answer.date ?? '');
  return { validFrom: answer.body.signInSessionsValidFromDateTime ?? null, skewMs: Number.isNaN(graphNow) ? 0 : graphNow - Date.now() };
}

/** The person's own delegated grants (consentType Principal); tenant-wide ones are no one's to remove. */
async function delegatedGrants(graph: GraphEndpoint, personId: string): Promise<GrantRead[]> {
  const filter = encodeURIComponent(`principalId eq '${personId.replace(/'/g, "''")}'`);
  return read(graph, 'listing the delegated permission grants', async () => {
    const grants: GrantRead[] = [];
    for await (const page of graphPages<GrantRead>(graph, `/oauth2PermissionGrants?$filter=${filter}`)) grants.push(...page);
    return grants;
  });
}

/** The person's own app role assignments: those through a group they belong to stay with the group. */
async function appRoleAssignments(graph: GraphEndpoint, personId: string): Promise<AssignmentRead[]> {
  return read(graph, 'listing the app role assignments', async () => {
    const assignments: AssignmentRead[] = [];
    for await (const page of graphPages<AssignmentRead>(graph, `${userPath(personId)}/appRoleAssignments?$select=id,principalId,resourceId,resourceDisplayName`)) {
      assignments.push(...page.filter((assignment) => assignment.principalId?.toLowerCase() === personId.toLowerCase()));
    }
    return assignments;
  });
}

async function accountEnabled(graph: GraphEndpoint, personId: string): Promise<boolean> {
  const user = await read(graph, 'reading whether the account is enabled', () => graphRequest<{ accountEnabled?: boolean | null }>(graph, 'GET', `${userPath(personId)}?$select=id,accountEnabled`));
  return user.accountEnabled !== false;
}

/** Reads until `done` holds, a few times; the last reading and whether it held. */
async function readBack<T>(graph: GraphEndpoint, load: () => Promise<T>, done: (value: T) => boolean): Promise<{ value: T; verified: boolean }> {
  let value!: T;
  for (const delay of readBackDelaysMs) {
    if (delay > 0) await sleep(delay, undefined, graph.signal ? { signal: graph.signal } : {});
    value = await load();
    if (done(value)) return { value, verified: true };
  }
  return { value, verified: false };
}

/** One change to the person; Graph's request id of it, for the evidence. */
async function changeOne(graph: GraphEndpoint, method: GraphMethod, path: string, body: unknown, what: string, permission: string): Promise<string[]> {
  try {
    const { requestId } = await graphRequestWithId(graph, method, path, body);
    return requestId ? [requestId] : [];
  } catch (error) {
    throw offboardingFailure(graph, error, what, permission);
  }
}

/** A change sent once: Graph's answer, or the failure that left it in doubt (Graph may have acted). */
type SentOnce = { answer: GraphAnswer } | { inDoubt: unknown };

/**
 * A change the scheduler must not send again on its own (a revocation): it still waits out a 429,
 * which Graph refused, but no answer, a 5xx (503 with Retry-After included) or a 408 comes back as
 * `inDoubt`, for the step to read the state before it sends the change again.
 */
function sendOnce(graph: GraphEndpoint, method: GraphMethod, path: string): Promise<SentOnce> {
  const url = resolveGraphUrl(graph, path);
  return graph.scheduler.schedule(
    async (): Promise<SentOnce> => {
      try {
        return { answer: await sendGraphRequestWithId(graph, method, url) };
      } catch (error) {
        if (isAbort(error, graph)) throw error;
        const status = statusOf(error);
        if (typeof status === 'number' && status < 500 && status !== 408) throw error;
        return { inDoubt: error };
      }
    },
    graph.signal ? { signal: graph.signal } : {},
  );
}

/** How many times a revocation in doubt is sent in all before the step gives up and says so. */
const maxSendsInDoubt = 3;

/** Deletes each item (the scheduler paces them); one Graph answers 404 to was already gone. */
async function deleteEach(graph: GraphEndpoint, paths: readonly string[], what: string, permission: string): Promise<{ changed: number; requestIds: string[] }> {
  const results = await Promise.allSettled(paths.map((path) => graphRequestWithId(graph, 'DELETE', path)));
  const requestIds: string[] = [];
  let changed = 0;
  for (const result of results) {
    if (result.status === 'fulfilled') {
      changed += 1;
      if (result.value.requestId) requestIds.push(result.value.requestId);
    } else if (statusOf(result.reason) !== 404) {
      throw offboardingFailure(graph, result.reason, what, permission);
    }
  }
  return { changed, requestIds };
}

/** With seconds: Graph keeps whole seconds, and a revocation's before and after may fall in one minute. */
const sessionsWords = (validFrom: string | null) => (validFrom === null ? 'Sessions never revoked' : `Sessions valid from ${utcTimeInWords(validFrom, { seconds: true })}`);

/**
 * Whether the reading shows a revocation made since the run was confirmed. Graph records the time
 * by its own clock, so the confirmation is moved onto that clock by the reading's skew; and Graph
 * keeps whole seconds, so a revocation in the second the run was confirmed is this run's.
 */
function revokedSince(reading: SessionsReading, confirmedAt: string): boolean {
  const confirmedOnGraphClock = Math.floor((Date.parse(confirmedAt) + reading.skewMs) / 1_000) * 1_000;
  return reading.validFrom !== null && Date.parse(reading.validFrom) >= confirmedOnGraphClock;
}

async function revokeSessions(graph: GraphEndpoint, target: StepTarget): Promise<StepResult> {
  const personId = target.person.id;
  const permission = permissionFor[microsoftStepKinds.revokeSessions];
  const what = 'revoking the sign-in sessions';
  const load = () => readSessions(graph, personId);
  const revoked = (reading: SessionsReading) => revokedSince(reading, target.confirmedAt);
  // Every revocation moves the time, so the read is what tells a repeat after a stop from a first call.
  const before = await load();
  if (revoked(before)) {
    const words = sessionsWords(before.validFrom);
    return { code: 'already_done', changed: 0, before: words, after: words, verified: true, requestIds: [], message: 'Sessions were already revoked in this run; not revoked again.' };
  }
  const result = (after: { value: SessionsReading; verified: boolean }, requestIds: string[], message: string): StepResult => ({
    code: 'done',
    changed: 1,
    before: sessionsWords(before.validFrom),
    after: sessionsWords(after.value.validFrom),
    verified: after.verified,
    requestIds,
    message: after.verified ? message : 'Asked Microsoft to revoke every sign-in session; the read-back did not show it yet.',
  });
  for (let sends = 1; ; sends += 1) {
    let sent: SentOnce;
    try {
      sent = await sendOnce(graph, 'POST', `${userPath(personId)}/revokeSignInSessions`);
    } catch (error) {
      throw offboardingFailure(graph, error, what, permission);
    }
    if ('answer' in sent) {
      const requestIds = sent.answer.requestId ? [sent.answer.requestId] : [];
      return result(await readBack(graph, load, revoked), requestIds, 'Revoked every sign-in session and refresh token; Microsoft may take a few minutes to end them all.');
    }
    // Graph may have revoked before the answer was lost: a time moved since the confirmation says it did.
    const after = await readBack(graph, load, revoked);
    if (after.verified) return result(after, [], "Revoked every sign-in session and refresh token: Microsoft's answer was lost on the way back, and the sessions' valid-from time read since shows the revocation.");
    if (sends >= maxSendsInDoubt) throw offboardingFailure(graph, sent.inDoubt, what, permission);
  }
}

interface RemovalStep<T> {
  list(graph: GraphEndpoint, personId: string): Promise<T[]>;
  pathOf(item: T, personId: string): string;
  /** `delegated permission grant`. */
  noun: string;
  what: string;
  permission: string;
}

const grantRemoval: RemovalStep<GrantRead> = {
  list: delegatedGrants,
  pathOf: (grant) => `/oauth2PermissionGrants/${encodeURIComponent(grant.id)}`,
  noun: 'delegated permission grant',
  what: 'deleting the delegated permission grants',
  permission: permissionFor[microsoftStepKinds.delegatedGrants],
};

const assignmentRemoval: RemovalStep<AssignmentRead> = {
  list: appRoleAssignments,
  // The reference recommends deleting through the resource's appRoleAssignedTo.
  pathOf: (assignment, personId) =>
    assignment.resourceId ? `/servicePrincipals/${encodeURIComponent(assignment.resourceId)}/appRoleAssignedTo/${encodeURIComponent(assignment.id)}` : `${userPath(personId)}/appRoleAssignments/${encodeURIComponent(assignment.id)}`,
  noun: 'app role assignment',
  what: 'removing the app role assignments',
  permission: permissionFor[microsoftStepKinds.appRoleAssignments],
};

async function removeAll<T>(graph: GraphEndpoint, step: RemovalStep<T>, target: StepTarget): Promise<StepResult> {
  const personId = target.person.id;
  const before = await step.list(graph, personId);
  if (before.length === 0) return { code: 'already_done', changed: 0, before: 'None', after: 'None', verified: true, requestIds: [], message: `No ${step.noun} left; nothing to remove.` };
  const { changed, requestIds } = await deleteEach(
    graph,
    before.map((item) => step.pathOf(item, personId)),
    step.what,
    step.permission,
  );
  const after = await readBack(graph, () => step.list(graph, personId), (left) => left.length === 0);
  const left = after.value.length;
  return {
    code: changed > 0 ? 'done' : 'already_done',
    changed,
    before: countInWords(before.length, step.noun),
    after: left === 0 ? 'None' : `${countInWords(left, step.noun)} left`,
    verified: after.verified,
    requestIds,
    message: !after.verified
      ? `Removed ${countInWords(changed, step.noun)}, but ${countInWords(left, step.noun)} still showed when read back.`
      : changed > 0
        ? `Removed ${countInWords(changed, step.noun)}; none remain.`
        : `Each ${step.noun} was gone by the time it was deleted; none remain.`,
  };
}

async function disable(graph: GraphEndpoint, target: StepTarget): Promise<StepResult> {
  const personId = target.person.id;
  if (!(await accountEnabled(graph, personId))) return { code: 'already_done', changed: 0, before: 'Disabled', after: 'Disabled', verified: true, requestIds: [], message: 'The account was already disabled.' };
  const requestIds = await changeOne(graph, 'PATCH', userPath(personId), { accountEnabled: false }, 'disabling the account', permissionFor[microsoftStepKinds.disable]);
  const after = await readBack(graph, () => accountEnabled(graph, personId), (enabled) => !enabled);
  return {
    code: 'done',
    changed: 1,
    before: 'Enabled',
    after: after.value ? 'Enabled' : 'Disabled',
    verified: after.verified,
    requestIds,
    message: after.verified ? 'Disabled the account: it can no longer sign in.' : 'Asked Microsoft to disable the account; the read-back still showed it enabled.',
  };
}

function unknownStep(kind: string): AppError {
  return new AppError('invalid_request', `Microsoft offboarding has no step named ${kind}.`);
}

export async function measureMicrosoftStep(graph: GraphEndpoint, kind: string, personId: string): Promise<StepMeasure> {
  switch (kind) {
    case microsoftStepKinds.revokeSessions: {
      const { validFrom } = await readSessions(graph, personId);
      return { count: null, description: `${sessionsWords(validFrom)}; open sessions cannot be counted, all will be ended` };
    }
    case microsoftStepKinds.delegatedGrants: {
      const count = (await delegatedGrants(graph, personId)).length;
      return { count, description: countInWords(count, grantRemoval.noun) };
    }
    case microsoftStepKinds.appRoleAssignments: {
      const assignments = await appRoleAssignments(graph, personId);
      const apps = [...new Set(assignments.map((assignment) => assignment.resourceDisplayName).filter(Boolean))];
      return { count: assignments.length, description: `${countInWords(assignments.length, assignmentRemoval.noun)}${apps.length > 0 ? ` (${apps.join(', ')})` : ''}` };
    }
    case microsoftStepKinds.disable: {
      const enabled = await accountEnabled(graph, personId);
      return { count: enabled ? 1 : 0, description: enabled ? 'Account enabled; it will be disabled' : 'Account already disabled' };
    }
    default:
      throw unknownStep(kind);
  }
}

export function applyMicrosoftStep(graph: GraphEndpoint, kind: string, target: StepTarget): Promise<StepResult> {
  switch (kind) {
    case microsoftStepKinds.revokeSessions:
      return revokeSessions(graph, target);
    case microsoftStepKinds.delegatedGrants:
      return removeAll(graph, grantRemoval, target);
    case microsoftStepKinds.appRoleAssignments:
      return removeAll(graph, assignmentRemoval, target);
    case microsoftStepKinds.disable:
      return disable(graph, target);
    default:
      return Promise.reject(unknownStep(kind));
  }
}
