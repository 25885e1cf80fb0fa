/**
 * The tenant's consent settings in Microsoft Graph: who may consent (authorizationPolicy's
 * permissionGrantPoliciesAssigned), who may register apps, and the admin consent workflow
 * (adminConsentRequestPolicy), read and changed.
 */
import type { ConsentWorkflow } from '../../../src-shared/contract/consent';
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { ConsentCallOutcome, ConsentPolicyReading, ProviderConsent } from '../../consent/consent-port';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { describeConsentFailure, failedOutcome, graphPath, readingWith, succeeded } from './microsoft-consent-failure';
import { graphEndpoint, graphRequest, isAbort, type GraphEndpoint } from './graph-request';

interface AuthorizationPolicy {
  defaultUserRolePermissions?: { permissionGrantPoliciesAssigned?: string[] | null; allowedToCreateApps?: boolean | null } | null;
}

interface ReviewerScope {
  query?: string | null;
  queryType?: string | null;
  queryRoot?: string | null;
}

interface AdminConsentRequestPolicy {
  isEnabled?: boolean | null;
  notifyReviewers?: boolean | null;
  remindersEnabled?: boolean | null;
  requestDurationInDays?: number | null;
  reviewers?: ReviewerScope[] | null;
}

type PolicyChangeRequest = Parameters<NonNullable<ProviderConsent['changePolicy']>>[1];

const authorizationPolicyPath = '/policies/authorizationPolicy';
const workflowPath = '/policies/adminConsentRequestPolicy';
const readPermission = 'Policy.Read.All';

/** Entra's prefixes; Graph has returned them with either first-letter case, so compare without case. */
const userConsentPrefix = 'managepermissiongrantsforself.';
const ownedResourcePrefix = 'managepermissiongrantsforownedresource.';
const lowRiskPolicy = 'ManagePermissionGrantsForSelf.microsoft-user-default-low';
/** What a new tenant assigns for group and team owners (Teams resource-specific consent): Microsoft's default. */
const ownedResourceDefaults = ['ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team', 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat'];

const hasPrefix = (prefix: string) => (policy: string) => policy.toLowerCase().startsWith(prefix);

/** A user reviewer's object id or user principal name, from a Graph query such as `/users/{id}`. */
function userOfQuery(query: string): string | null {
  const match = /^\/(?:v1\.0\/)?users\/([^/?]+)$/i.exec(query.trim());
  return match ? decodeURIComponent(match[1]!) : null;
}

async function reviewerName(graph: GraphEndpoint, query: string): Promise<string | null> {
  const user = userOfQuery(query);
  if (!user) return null;
  try {
    const found = await graphRequest<{ displayName?: string | null; userPrincipalName?: string | null }>(graph, 'GET', `${graphPath('users', user)}?$select=displayName,userPrincipalName`);
    return found.displayName ?? found.userPrincipalName ?? null;
  } catch (error) {
    // A reviewer removed since, or a token that cannot read users: the query itself still shows.
    if (isAbort(error, graph)) throw error;
    return null;
  }
}

async function readWorkflow(graph: GraphEndpoint): Promise<ConsentWorkflow> {
  const policy = await readingWith('reading the admin consent workflow', readPermission, () => graphRequest<AdminConsentRequestPolicy>(graph, 'GET', workflowPath));
  const queries = (policy.reviewers ?? []).flatMap((reviewer) => (reviewer.query ? [reviewer.query] : []));
  const names = await Promise.all(queries.map((query) => reviewerName(graph, query)));
  return {
    isEnabled: policy.isEnabled === true,
    notifyReviewers: policy.notifyReviewers === true,
    remindersEnabled: policy.remindersEnabled === true,
    requestDurationInDays: Math.max(0, Math.trunc(policy.requestDurationInDays ?? 0)),
    reviewers: queries.map((query, index) => ({ query, displayName: names[index] ?? null })),
  };
}

async function readAuthorizationPolicy(graph: GraphEndpoint): Promise<{ assigned: string[]; allowedToCreateApps: boolean }> {
  const policy = await readingWith('reading the user consent settings', readPermission, () => graphRequest<AuthorizationPolicy>(graph, 'GET', authorizationPolicyPath));
  const permissions = policy.defaultUserRolePermissions ?? {};
  return { assigned: [...(permissions.permissionGrantPoliciesAssigned ?? [])], allowedToCreateApps: permissions.allowedToCreateApps !== false };
}

export async function readMicrosoftConsentPolicy(context: ProviderCallContext): Promise<ConsentPolicyReading> {
  const graph = graphEndpoint(context);
  const authorization = await readAuthorizationPolicy(graph);
  let workflow: ConsentWorkflow | null = null;
  let workflowProblem: { code: ErrorCode; message: string } | null = null;
  try {
    workflow = await readWorkflow(graph);
  } catch (error) {
    if (isAbort(error, graph)) throw error;
    const failure = describeConsentFailure(error);
    workflowProblem = { code: failure.code, message: failure.message };
  }
  return { provider: 'microsoft', permissionGrantPoliciesAssigned: authorization.assigned, allowedToCreateApps: authorization.allowedToCreateApps, workflow, workflowProblem };
}

/** permissionGrantPoliciesAssigned after a change; entries the change is not about stay as they are. */
function assignedAfter(current: readonly string[], change: PolicyChangeRequest): string[] {
  const isUserConsent = hasPrefix(userConsentPrefix);
  const isOwnedResource = hasPrefix(ownedResourcePrefix);
  switch (change.kind) {
    case 'user_consent': {
      const others = current.filter((policy) => !isUserConsent(policy));
      return change.value === 'none' ? others : [lowRiskPolicy, ...others];
    }
    case 'group_owner_consent': {
      const others = current.filter((policy) => !isOwnedResource(policy));
      if (!change.allowed) return others;
      const kept = current.filter(isOwnedResource);
      return [...others, ...(kept.length > 0 ? kept : ownedResourceDefaults)];
    }
    default:
      return [...current];
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value) => b.some((other) => other.toLowerCase() === value.toLowerCase()));

async function changeWorkflow(graph: GraphEndpoint, change: Extract<PolicyChangeRequest, { kind: 'admin_consent_workflow' }>): Promise<ConsentCallOutcome> {
  // The service resolved each reviewer to a Graph query (`/users/{id}`) before planning.
  const reviewers = change.reviewers.map((reviewer) => ({ query: reviewer.query, queryType: 'MicrosoftGraph', queryRoot: null }));
  // PUT replaces the policy: Graph requires every one of these properties.
  const body = { isEnabled: change.isEnabled, notifyReviewers: change.notifyReviewers, remindersEnabled: change.remindersEnabled, requestDurationInDays: change.requestDurationInDays, reviewers };
  try {
    await graphRequest(graph, 'PUT', workflowPath, body);
  } catch (error) {
    return failedOutcome(graph, error, 'changing the admin consent workflow', 'Policy.ReadWrite.ConsentRequest');
  }
  return succeeded('updated', change.isEnabled ? `Turned the admin consent workflow on with ${reviewers.length} ${reviewers.length === 1 ? 'reviewer' : 'reviewers'}.` : 'Turned the admin consent workflow off.');
}

export async function changeMicrosoftConsentPolicy(context: ProviderCallContext, change: PolicyChangeRequest): Promise<ConsentCallOutcome> {
  const graph = graphEndpoint(context);
  if (change.kind === 'admin_consent_workflow') return changeWorkflow(graph, change);
  let current: { assigned: string[]; allowedToCreateApps: boolean };
  try {
    current = await readAuthorizationPolicy(graph);
  } catch (error) {
    return failedOutcome(graph, error, 'reading the authorization policy', readPermission);
  }
  // Only the changed property of defaultUserRolePermissions: PATCH leaves the others as they are.
  let defaultUserRolePermissions: Record<string, unknown>;
  if (change.kind === 'app_registration') {
    if (current.allowedToCreateApps === change.allowed) return succeeded('already_done', change.allowed ? 'Users may already register apps.' : 'Users already cannot register apps.');
    defaultUserRolePermissions = { allowedToCreateApps: change.allowed };
  } else {
    const next = assignedAfter(current.assigned, change);
    if (sameList(next, current.assigned)) return succeeded('already_done', 'The tenant already has this setting.');
    defaultUserRolePermissions = { permissionGrantPoliciesAssigned: next };
  }
  try {
    await graphRequest(graph, 'PATCH', authorizationPolicyPath, { defaultUserRolePermissions });
  } catch (error) {
    return failedOutcome(graph, error, 'changing the authorization policy', 'Policy.ReadWrite.Authorization');
  }
  return succeeded('updated', 'Changed the authorization policy.');
}
