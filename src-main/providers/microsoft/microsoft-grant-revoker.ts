/**
 * Takes access found by the Microsoft scan away again: deletes a delegated grant
 * (oauth2PermissionGrant) or an app's application permissions (app role assignments), narrows a
 * delegated grant's scopes, and signs a user out everywhere. Each change is read back, because
 * deleting a grant only stops new tokens and Graph replicates directory changes with a delay.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { ProviderCallContext } from '../../net/provider-call-context';
import type { RevocationOutcome, RevocationTarget } from '../../audit/provider-audit';
import { runGraphBatch } from './graph-batch';
import { describeGraphFailure, graphFailureCode } from './graph-failure';
import { graphEndpoint, graphPages, graphRequest, isAbort, type GraphEndpoint } from './graph-request';

/** What the scan stores in `revocationHandle` (as JSON) for the revoker. */
export type MicrosoftRevocationHandle =
  | { kind: 'delegated'; grantId: string }
  | { kind: 'application'; clientId: string; resourceId: string; assignments: { id: string; permission: string }[] };

interface GraphGrant {
  id: string;
  scope?: string | null;
}

/** Read-backs after a change: Graph documents replication delays for grants, so look again a little later. */
const readBackDelaysMs = [0, 1_000, 3_000];
/** Tolerated clock difference when comparing Graph's signInSessionsValidFromDateTime with ours. */
const clockSkewMs = 5 * 60_000;

const path = (...segments: string[]) => `/${segments.map(encodeURIComponent).join('/')}`;

export function parseMicrosoftHandle(handle: string): MicrosoftRevocationHandle | null {
  try {
    const value = JSON.parse(handle) as Partial<MicrosoftRevocationHandle>;
    if (value.kind === 'delegated' && typeof value.grantId === 'string') return value as MicrosoftRevocationHandle;
    if (value.kind === 'application' && typeof value.clientId === 'string' && typeof value.resourceId === 'string' && Array.isArray(value.assignments)) return value as MicrosoftRevocationHandle;
  } catch {
    // not ours
  }
  return null;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function errorCodeOf(error: unknown, graph: GraphEndpoint): ErrorCode {
  return isAbort(error, graph) ? 'cancelled' : graphFailureCode(error);
}

function failed(graph: GraphEndpoint, error: unknown, what: string): RevocationOutcome {
  const reason = isAbort(error, graph) ? 'It was cancelled.' : describeGraphFailure(error);
  return { outcome: 'failed', verified: false, message: `${what} failed: ${reason}`, errorCode: errorCodeOf(error, graph) };
}

const unknownHandle: RevocationOutcome = { outcome: 'failed', verified: false, message: 'This grant was not found by a Microsoft scan; scan again first.', errorCode: 'invalid_request' };

/** Reads until `isGone` says so, a few times: true once confirmed, false when it still exists or could not be read. */
async function confirmed(graph: GraphEndpoint, isGone: () => Promise<boolean>): Promise<boolean> {
  for (const delay of readBackDelaysMs) {
    if (delay > 0) await sleep(delay, undefined, graph.signal ? { signal: graph.signal } : {});
    try {
      if (await isGone()) return true;
    } catch (error) {
      if (isAbort(error, graph)) throw error;
      return false;
    }
  }
  return false;
}

/** GET answers 404. */
async function answersNotFound(graph: GraphEndpoint, url: string): Promise<boolean> {
  try {
    await graphRequest(graph, 'GET', url);
    return false;
  } catch (error) {
    if (statusOf(error) === 404) return true;
    throw error;
  }
}

async function deleteDelegatedGrant(graph: GraphEndpoint, grantId: string): Promise<RevocationOutcome> {
  const url = path('oauth2PermissionGrants', grantId);
  let outcome: 'revoked' | 'already_gone' = 'revoked';
  try {
    await graphRequest(graph, 'DELETE', url);
  } catch (error) {
    if (statusOf(error) !== 404) return failed(graph, error, 'Deleting the delegated grant');
    outcome = 'already_gone';
  }
  try {
    const verified = await confirmed(graph, () => answersNotFound(graph, url));
    const message =
      outcome === 'already_gone'
        ? 'Microsoft Graph no longer had this delegated grant.'
        : verified
          ? 'Deleted the delegated grant; Microsoft Graph no longer lists it.'
          : 'Deleted the delegated grant, but Microsoft Graph still listed it when read back; scan again in a few minutes.';
    return { outcome, verified, message, errorCode: null };
  } catch (error) {
    return failed(graph, error, 'Reading the grant back');
  }
}

/** Deletes the given app role assignments (one $batch per 20), then reads the client's assignments back. */
async function deleteAssignments(graph: GraphEndpoint, handle: Extract<MicrosoftRevocationHandle, { kind: 'application' }>, ids: readonly string[]): Promise<RevocationOutcome> {
  let results;
  try {
    results = await runGraphBatch(graph, ids.map((id) => ({ method: 'DELETE' as const, url: path('servicePrincipals', handle.resourceId, 'appRoleAssignedTo', id) })));
  } catch (error) {
    return failed(graph, error, 'Removing the application permissions');
  }
  const refused = results.flatMap((result) => (result.ok || result.error.status === 404 ? [] : [result.error]));
  const notFound = results.filter((result) => !result.ok && result.error.status === 404).length;
  const removed = ids.length - refused.length - notFound;
  if (refused.length > 0) {
    const outcome = failed(graph, refused[0], `Removing ${ids.length === 1 ? 'the application permission' : `${refused.length} of ${ids.length} application permissions`}`);
    return removed + notFound > 0 ? { ...outcome, message: `${outcome.message} ${removed + notFound} removed.` } : outcome;
  }
  const remaining = new Set(ids);
  let verified: boolean;
  try {
    verified = await confirmed(graph, async () => {
      for await (const page of graphPages<{ id: string }>(graph, `${path('servicePrincipals', handle.clientId, 'appRoleAssignments')}?$select=id&$top=999`)) {
        if (page.some((assignment) => remaining.has(assignment.id))) return false;
      }
      return true;
    });
  } catch (error) {
    return failed(graph, error, 'Reading the application permissions back');
  }
  const permissions = ids.length === 1 ? 'the application permission' : `${ids.length} application permissions`;
  if (removed === 0) return { outcome: 'already_gone', verified, message: `Microsoft Graph no longer had ${permissions}.`, errorCode: null };
  return {
    outcome: 'revoked',
    verified,
    message: verified ? `Removed ${permissions}; Microsoft Graph no longer lists ${ids.length === 1 ? 'it' : 'them'}.` : `Removed ${permissions}, but Microsoft Graph still listed some when read back; scan again in a few minutes.`,
    errorCode: null,
  };
}

/** Deletes the delegated grant, or every app role assignment of an application grant. */
export async function revokeMicrosoftGrant(context: ProviderCallContext, target: RevocationTarget): Promise<RevocationOutcome> {
  const handle = parseMicrosoftHandle(target.grant.revocationHandle);
  if (!handle) return unknownHandle;
  const graph = graphEndpoint(context);
  if (handle.kind === 'delegated') return deleteDelegatedGrant(graph, handle.grantId);
  return deleteAssignments(
    graph,
    handle,
    handle.assignments.map((assignment) => assignment.id),
  );
}

/**
 * Takes some scopes out of a grant and keeps the rest: PATCHes a delegated grant's scope string
 * (Graph replaces it whole), or deletes the matching app role assignments. Removing every scope
 * deletes the grant.
 */
export async function removeMicrosoftScopes(context: ProviderCallContext, target: RevocationTarget, scopes: readonly string[]): Promise<RevocationOutcome> {
  const handle = parseMicrosoftHandle(target.grant.revocationHandle);
  if (!handle) return unknownHandle;
  const graph = graphEndpoint(context);
  // Entra compares permission names without regard to case.
  const removing = new Set(scopes.map((scope) => scope.toLowerCase()));
  if (handle.kind === 'application') {
    const ids = handle.assignments.filter((assignment) => removing.has(assignment.permission.toLowerCase())).map((assignment) => assignment.id);
    if (ids.length === 0) return { outcome: 'already_gone', verified: true, message: 'The app holds none of these application permissions.', errorCode: null };
    return deleteAssignments(graph, handle, ids);
  }

  const url = path('oauth2PermissionGrants', handle.grantId);
  // Read the grant as it is now: the scope string may have changed since the scan.
  let current: string[];
  try {
    current = ((await graphRequest<GraphGrant>(graph, 'GET', url)).scope ?? '').split(/\s+/).filter(Boolean);
  } catch (error) {
    if (statusOf(error) === 404) return { outcome: 'already_gone', verified: true, message: 'Microsoft Graph no longer had this delegated grant.', errorCode: null };
    return failed(graph, error, 'Reading the delegated grant');
  }
  const kept = current.filter((scope) => !removing.has(scope.toLowerCase()));
  if (kept.length === current.length) return { outcome: 'already_gone', verified: true, message: 'The grant no longer includes these scopes.', errorCode: null };
  if (kept.length === 0) return deleteDelegatedGrant(graph, handle.grantId);
  try {
    await graphRequest(graph, 'PATCH', url, { scope: kept.join(' ') });
  } catch (error) {
    return failed(graph, error, 'Changing the grant’s scopes');
  }
  try {
    const verified = await confirmed(graph, async () => {
      const after = ((await graphRequest<GraphGrant>(graph, 'GET', url)).scope ?? '').split(/\s+/);
      return !after.some((scope) => removing.has(scope.toLowerCase()));
    });
    const removed = current.length - kept.length;
    const what = `${removed} ${removed === 1 ? 'scope' : 'scopes'}`;
    return { outcome: 'revoked', verified, message: verified ? `Removed ${what} from the delegated grant; the rest stays.` : `Removed ${what}, but Microsoft Graph still listed them when read back; scan again in a few minutes.`, errorCode: null };
  } catch (error) {
    return failed(graph, error, 'Reading the grant back');
  }
}

/**
 * Signs a user out everywhere (revokeSignInSessions), so refresh tokens and session cookies stop
 * working; `user` is an object id or user principal name. Microsoft says it can take a few minutes.
 */
export async function revokeMicrosoftSignInSessions(context: ProviderCallContext, user: string): Promise<RevocationOutcome> {
  const graph = graphEndpoint(context);
  const startedAt = Date.now();
  try {
    await graphRequest(graph, 'POST', `${path('users', user)}/revokeSignInSessions`);
  } catch (error) {
    if (statusOf(error) === 404) return { outcome: 'already_gone', verified: true, message: 'Microsoft Entra has no such user any more, so no session is left.', errorCode: null };
    return failed(graph, error, 'Signing the user out');
  }
  // Read back when sessions are valid from: at or after the call means every older one is revoked.
  let verified = false;
  try {
    const read = await graphRequest<{ signInSessionsValidFromDateTime?: string | null }>(graph, 'GET', `${path('users', user)}?$select=id,signInSessionsValidFromDateTime`);
    const validFrom = Date.parse(read.signInSessionsValidFromDateTime ?? '');
    verified = !Number.isNaN(validFrom) && validFrom >= startedAt - clockSkewMs;
  } catch (error) {
    if (isAbort(error, graph)) return failed(graph, error, 'Reading the user back');
  }
  return {
    outcome: 'revoked',
    verified,
    message: verified ? 'Signed the user out everywhere; Microsoft may take a few minutes to end every session.' : 'Asked Microsoft to sign the user out everywhere; the read-back did not confirm it yet.',
    errorCode: null,
  };
}
