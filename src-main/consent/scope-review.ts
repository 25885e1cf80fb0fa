/**
 * What an app asks for and holds, rated, and the grant that keeps exactly what the admin ticked.
 * Pure: the service reads the tenant, these decide. A scope Microsoft Graph does not publish can
 * be shown but never kept; keeping fewer than the tenant-wide consent holds now is said in words,
 * because the grant replaces it.
 */
import type { ReviewedPermission } from '../../src-shared/contract/consent';
import { rateScope } from '../audit/scope-catalog';
import { AppError } from '../errors/app-error';
import type { AppConsentState, ConsentRequestReading, ResourcePermissions } from './consent-port';

export interface ReviewInput {
  app: AppConsentState;
  /** The request the review starts from, when it does. */
  request: ConsentRequestReading | null;
  adminDelegated: readonly string[];
  adminApplication: readonly string[];
  resource: ResourcePermissions;
}

export interface PermissionReview {
  appName: string;
  delegated: ReviewedPermission[];
  application: ReviewedPermission[];
  warnings: string[];
}

/** Published names looked up whatever the case; the admin may type `user.read`. */
function canonicalOf(published: Iterable<string>): Map<string, string> {
  return new Map([...published].map((name) => [name.toLowerCase(), name]));
}

function reviewed(
  sources: readonly [ReviewedPermission['source'], readonly string[]][],
  published: Map<string, string>,
  held: ReadonlySet<string>,
  family: 'graph-delegated' | 'graph-application',
): ReviewedPermission[] {
  const seen = new Map<string, ReviewedPermission>();
  for (const [source, names] of sources) {
    for (const raw of names) {
      const name = published.get(raw.toLowerCase()) ?? raw;
      if (seen.has(name.toLowerCase())) continue;
      const rating = rateScope(name, family);
      seen.set(name.toLowerCase(), { scope: name, ...rating, known: published.has(name.toLowerCase()), granted: held.has(name), source });
    }
  }
  return [...seen.values()];
}

export function reviewPermissions(input: ReviewInput): PermissionReview {
  const { app, request, resource } = input;
  const appName = app.displayName ?? request?.appDisplayName ?? app.appId;
  const grantedDelegated = app.tenantWideGrant?.scopes ?? [];
  const grantedApplication = app.appRoles.map((role) => role.permission);
  const delegated = reviewed(
    [
      ['request', request?.pendingScopes ?? []],
      ['granted', grantedDelegated],
      ['admin', input.adminDelegated],
    ],
    canonicalOf(resource.delegated),
    new Set(grantedDelegated),
    'graph-delegated',
  );
  const application = reviewed(
    [
      ['granted', grantedApplication],
      ['admin', input.adminApplication],
    ],
    canonicalOf(resource.appRoles.keys()),
    new Set(grantedApplication),
    'graph-application',
  );
  if (delegated.length === 0 && application.length === 0) {
    throw new AppError('invalid_request', `${appName} asks for no Microsoft Graph permission and holds none, so there is nothing to grant.`, {
      nextStep: 'Add the delegated scopes or application permissions the vendor documents for it, then review again.',
    });
  }
  const warnings: string[] = [];
  const unknown = [...delegated, ...application].filter((permission) => !permission.known).map((permission) => permission.scope);
  if (unknown.length > 0) warnings.push(`Microsoft Graph does not publish ${unknown.join(', ')}: ${unknown.length === 1 ? 'it' : 'they'} cannot be granted. Check the spelling against the vendor’s documentation.`);
  if (!app.servicePrincipalId) warnings.push(`${appName} has no service principal in this tenant yet: granting through Graph creates it. If the client id is mistyped, that step fails and nothing else is done.`);
  if (app.accountEnabled === false) warnings.push(`${appName} is blocked from signing in: consent does not unblock it.`);
  return { appName, delegated, application, warnings };
}

export interface GrantChoice {
  keepDelegated: readonly string[];
  keepApplication: readonly string[];
  method: 'graph' | 'browser';
}

export interface GrantDesign {
  steps: string[];
  keptDelegated: string[];
  keptApplication: string[];
  droppedDelegated: string[];
  droppedApplication: string[];
  /** Application permissions held now and dropped: removed, with their assignment id. */
  removeRoles: { permission: string; assignmentId: string }[];
  addRoles: string[];
  /** The tenant-wide scopes to set; null when they stay as they are. */
  setDelegated: string[] | null;
  warnings: string[];
  /** Set when a kept permission is Critical: the app's name, to type. */
  confirmationText: string | null;
}

function kept(review: readonly ReviewedPermission[], keep: readonly string[], kind: string): ReviewedPermission[] {
  const byName = new Map(review.map((permission) => [permission.scope.toLowerCase(), permission]));
  const outside = keep.filter((name) => !byName.has(name.toLowerCase()));
  if (outside.length > 0) {
    throw new AppError('invalid_request', `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not among the ${kind} reviewed.`, { nextStep: 'Add them to the review first, then choose again. Nothing was granted.' });
  }
  const chosen = [...new Set(keep.map((name) => byName.get(name.toLowerCase())!))];
  const unknown = chosen.filter((permission) => !permission.known).map((permission) => permission.scope);
  if (unknown.length > 0) {
    throw new AppError('invalid_request', `Microsoft Graph does not publish ${unknown.join(', ')}, so ${unknown.length === 1 ? 'it' : 'they'} cannot be granted.`, { nextStep: 'Untick them and plan again. Nothing was granted.' });
  }
  return chosen;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((name) => b.includes(name));

/** The grant that leaves the app holding exactly the kept permissions, in words and as calls. */
export function designGrant(app: AppConsentState, review: PermissionReview, choice: GrantChoice, fromRequest: boolean): GrantDesign {
  const keptDelegated = kept(review.delegated, choice.keepDelegated, 'delegated scopes').map((permission) => permission.scope);
  const keptApplicationPermissions = kept(review.application, choice.keepApplication, 'application permissions');
  const keptApplication = keptApplicationPermissions.map((permission) => permission.scope);
  if (keptDelegated.length === 0 && keptApplication.length === 0) {
    throw new AppError('invalid_request', 'Keep at least one permission to grant.', {
      nextStep: 'To refuse the app everything, deny its request; to take away what it holds, revoke it on the Grants page. Nothing was granted.',
    });
  }
  const name = review.appName;
  const droppedDelegated = review.delegated.filter((permission) => permission.source !== 'admin' && !keptDelegated.includes(permission.scope)).map((permission) => permission.scope);
  const droppedApplication = review.application.filter((permission) => permission.source !== 'admin' && !keptApplication.includes(permission.scope)).map((permission) => permission.scope);
  const heldDelegated = app.tenantWideGrant?.scopes ?? [];
  const addRoles = keptApplication.filter((permission) => !app.appRoles.some((role) => role.permission === permission));
  const removeRoles = app.appRoles.filter((role) => !keptApplication.includes(role.permission));
  const setDelegated = sameSet(keptDelegated, heldDelegated) ? null : keptDelegated;
  const steps: string[] = [];
  const warnings: string[] = [];
  if (choice.method === 'browser') {
    steps.push(`Open Microsoft’s admin-consent prompt for ${name} in your browser, for: ${[...keptDelegated, ...keptApplication].join(' ')}`);
    steps.push('Sign in there as an administrator who may grant it, and accept.');
    steps.push('Come back and read back what the tenant holds now.');
    if (keptApplication.length > 0) warnings.push('Microsoft’s prompt grants application permissions only as /.default: every application permission the app’s registration lists, not only those kept here.');
    if (heldDelegated.length > 0) warnings.push(`The prompt adds to the tenant-wide consent ${name} has now (${heldDelegated.join(' ')}); it removes nothing.`);
  } else {
    if (!app.servicePrincipalId) steps.push(`Create the service principal of ${name} in the tenant`);
    if (setDelegated && setDelegated.length > 0 && heldDelegated.length === 0) steps.push(`Grant tenant-wide consent to the delegated scopes ${setDelegated.join(' ')}`);
    if (setDelegated && setDelegated.length > 0 && heldDelegated.length > 0) steps.push(`Replace the tenant-wide consent ${heldDelegated.join(' ')} with ${setDelegated.join(' ')}`);
    if (setDelegated && setDelegated.length === 0) steps.push(`Remove the tenant-wide consent ${heldDelegated.join(' ')}`);
    for (const permission of addRoles) steps.push(`Assign the application permission ${permission}`);
    for (const role of removeRoles) steps.push(`Remove the application permission ${role.permission}`);
    if (fromRequest) steps.push('Record the approval on the consent request');
    if (setDelegated && heldDelegated.length > 0) warnings.push(`Granting replaces the tenant-wide consent it has now: ${heldDelegated.join(' ')} → ${setDelegated.length > 0 ? setDelegated.join(' ') : 'none'}`);
    if (removeRoles.length > 0) warnings.push(`Application permissions it holds and you dropped are removed: ${removeRoles.map((role) => role.permission).join(', ')}.`);
    if (steps.length === 0 || (steps.length === 1 && fromRequest)) warnings.push(`${name} already holds exactly these permissions: nothing changes at Microsoft.`);
  }
  const critical = [...review.delegated.filter((permission) => keptDelegated.includes(permission.scope)), ...keptApplicationPermissions].filter((permission) => permission.level === 'critical');
  if (critical.length > 0) warnings.push(`Critical: ${critical.map((permission) => `${permission.scope} (${permission.reason})`).join('; ')}`);
  return {
    steps,
    keptDelegated,
    keptApplication,
    droppedDelegated,
    droppedApplication,
    removeRoles,
    addRoles,
    setDelegated,
    warnings,
    confirmationText: critical.length > 0 ? name : null,
  };
}
