/**
 * Tenant-wide consent for one app in Microsoft Graph: its service principal, the AllPrincipals
 * delegated grant to Microsoft Graph (oauth2PermissionGrant), its application permissions (app
 * role assignments on Microsoft Graph), whether it may sign in, and Microsoft's own consent prompt.
 */
import { randomUUID } from 'node:crypto';
import type { AppConsentState, ConsentCallOutcome, ResourcePermissions } from '../../consent/consent-port';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { microsoftAuthority, microsoftCloud } from '../../oauth/microsoft-clouds';
import { failedOutcome, graphPath, readingWith, statusOf, succeeded } from './microsoft-consent-failure';
import { graphEndpoint, graphPages, graphRequest, type GraphEndpoint } from './graph-request';

const microsoftGraphAppId = '00000003-0000-0000-c000-000000000000';
const appsRead = 'Application.Read.All';
const appsWrite = 'Application.ReadWrite.All';
const grantsRead = 'Directory.Read.All';
const grantsWrite = 'DelegatedPermissionGrant.ReadWrite.All';
const assignmentsWrite = 'AppRoleAssignment.ReadWrite.All';

interface ServicePrincipal {
  id: string;
  appId?: string;
  displayName?: string | null;
  publisherName?: string | null;
  verifiedPublisher?: { displayName?: string | null; verifiedPublisherId?: string | null } | null;
  accountEnabled?: boolean | null;
  appRoleAssignmentRequired?: boolean | null;
}

interface PermissionGrant {
  id: string;
  resourceId?: string;
  scope?: string | null;
}

interface AppRoleAssignment {
  id: string;
  appRoleId?: string;
  resourceId?: string;
}

const byAppId = (appId: string) => `/servicePrincipals(appId='${encodeURIComponent(appId.replace(/'/g, "''"))}')`;
const scopesOf = (grant: PermissionGrant) => (grant.scope ?? '').split(/\s+/).filter(Boolean);
/** Entra compares permission names without regard to case. */
const sameScopes = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a.map((scope) => scope.toLowerCase()));
  const right = new Set(b.map((scope) => scope.toLowerCase()));
  return left.size === right.size && [...left].every((scope) => right.has(scope));
};

export async function readGraphPermissions(context: ProviderCallContext): Promise<ResourcePermissions> {
  return graphPermissions(graphEndpoint(context));
}

async function graphPermissions(graph: GraphEndpoint): Promise<ResourcePermissions> {
  const graphSp = await readingWith('reading Microsoft Graph’s permissions', appsRead, () =>
    graphRequest<{ id: string; appRoles?: { id: string; value?: string | null }[] | null; oauth2PermissionScopes?: { value?: string | null }[] | null }>(graph, 'GET', `${byAppId(microsoftGraphAppId)}?$select=id,appRoles,oauth2PermissionScopes`),
  );
  const delegated = new Set((graphSp.oauth2PermissionScopes ?? []).flatMap((scope) => (scope.value ? [scope.value] : [])));
  const appRoles = new Map((graphSp.appRoles ?? []).flatMap((role) => (role.value ? [[role.value, role.id] as const] : [])));
  return { servicePrincipalId: graphSp.id, delegated, appRoles };
}

/** Microsoft Graph's service principal id, the resource of every grant here. */
async function graphServicePrincipalId(graph: GraphEndpoint): Promise<string> {
  return (await readingWith('finding Microsoft Graph’s service principal', appsRead, () => graphRequest<{ id: string }>(graph, 'GET', `${byAppId(microsoftGraphAppId)}?$select=id`))).id;
}

async function findServicePrincipal(graph: GraphEndpoint, appId: string): Promise<ServicePrincipal | null> {
  try {
    return await readingWith('reading the app’s service principal', appsRead, () =>
      graphRequest<ServicePrincipal>(graph, 'GET', `${byAppId(appId)}?$select=id,appId,displayName,publisherName,verifiedPublisher,accountEnabled,appRoleAssignmentRequired`),
    );
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** The client's AllPrincipals grant to Microsoft Graph; Graph filters by client and type, the resource is checked here. */
async function tenantWideGrant(graph: GraphEndpoint, servicePrincipalId: string, graphSpId: string): Promise<PermissionGrant | null> {
  const filter = encodeURIComponent(`clientId eq '${servicePrincipalId}' and consentType eq 'AllPrincipals'`);
  return readingWith('reading the app’s tenant-wide consent', grantsRead, async () => {
    for await (const page of graphPages<PermissionGrant>(graph, `/oauth2PermissionGrants?$filter=${filter}`)) {
      const found = page.find((grant) => grant.resourceId === graphSpId);
      if (found) return found;
    }
    return null;
  });
}

async function graphAssignments(graph: GraphEndpoint, servicePrincipalId: string, graphSpId: string): Promise<AppRoleAssignment[]> {
  return readingWith('reading the app’s application permissions', appsRead, async () => {
    const assignments: AppRoleAssignment[] = [];
    for await (const page of graphPages<AppRoleAssignment>(graph, `${graphPath('servicePrincipals', servicePrincipalId, 'appRoleAssignments')}?$top=999`)) {
      assignments.push(...page.filter((assignment) => assignment.resourceId === graphSpId));
    }
    return assignments;
  });
}

export async function readMicrosoftAppState(context: ProviderCallContext, appId: string): Promise<AppConsentState> {
  const graph = graphEndpoint(context);
  const sp = await findServicePrincipal(graph, appId);
  if (!sp) return { appId, displayName: null, publisher: null, verifiedPublisher: null, servicePrincipalId: null, accountEnabled: null, appRoleAssignmentRequired: null, tenantWideGrant: null, appRoles: [] };
  const permissions = await graphPermissions(graph);
  const [grant, assignments] = await Promise.all([tenantWideGrant(graph, sp.id, permissions.servicePrincipalId), graphAssignments(graph, sp.id, permissions.servicePrincipalId)]);
  const roleNames = new Map([...permissions.appRoles].map(([name, id]) => [id, name]));
  return {
    appId,
    displayName: sp.displayName ?? null,
    publisher: sp.verifiedPublisher?.displayName || sp.publisherName || null,
    verifiedPublisher: Boolean(sp.verifiedPublisher?.verifiedPublisherId),
    servicePrincipalId: sp.id,
    accountEnabled: sp.accountEnabled ?? null,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired ?? null,
    tenantWideGrant: grant ? { id: grant.id, scopes: scopesOf(grant) } : null,
    // A role Graph no longer publishes keeps its id, so it can still be seen and removed.
    appRoles: assignments.map((assignment) => ({ assignmentId: assignment.id, permission: roleNames.get(assignment.appRoleId ?? '') ?? assignment.appRoleId ?? 'unknown' })),
  };
}

export async function createMicrosoftServicePrincipal(context: ProviderCallContext, appId: string): Promise<ConsentCallOutcome & { servicePrincipalId: string | null }> {
  const graph = graphEndpoint(context);
  try {
    const created = await graphRequest<{ id: string }>(graph, 'POST', '/servicePrincipals', { appId });
    return { ...succeeded('created', 'Added the app’s service principal to the tenant.'), servicePrincipalId: created.id };
  } catch (error) {
    const status = statusOf(error);
    if (status !== 400 && status !== 409) return { ...failedOutcome(graph, error, 'adding the app’s service principal', appsWrite), servicePrincipalId: null };
    // Graph answers 400 both for an id no app has and, like 409, for one already added: look.
    let existing: ServicePrincipal | null;
    try {
      existing = await findServicePrincipal(graph, appId);
    } catch (readError) {
      return { ...failedOutcome(graph, readError, 'reading the app’s service principal', appsRead), servicePrincipalId: null };
    }
    if (existing) return { ...succeeded('already_done', 'The app already has a service principal in the tenant.'), servicePrincipalId: existing.id };
    if (status === 409) return { ...failedOutcome(graph, error, 'adding the app’s service principal', appsWrite), servicePrincipalId: null };
    return { ok: false, code: 'unknown_app', message: `No app with client id ${appId} exists in Microsoft Entra; check the id with the vendor.`, errorCode: 'not_found', servicePrincipalId: null };
  }
}

export async function setMicrosoftTenantWideScopes(context: ProviderCallContext, servicePrincipalId: string, scopes: readonly string[]): Promise<ConsentCallOutcome> {
  const graph = graphEndpoint(context);
  let graphSpId: string;
  let grant: PermissionGrant | null;
  try {
    graphSpId = await graphServicePrincipalId(graph);
    grant = await tenantWideGrant(graph, servicePrincipalId, graphSpId);
  } catch (error) {
    return failedOutcome(graph, error, 'reading the app’s tenant-wide consent', grantsRead);
  }
  const wanted = [...new Set(scopes.map((scope) => scope.trim()).filter(Boolean))];
  try {
    if (!grant) {
      if (wanted.length === 0) return succeeded('already_done', 'The app has no tenant-wide consent to Microsoft Graph.');
      await graphRequest(graph, 'POST', '/oauth2PermissionGrants', { clientId: servicePrincipalId, consentType: 'AllPrincipals', resourceId: graphSpId, scope: wanted.join(' ') });
      return succeeded('created', `Granted ${wanted.length} delegated ${wanted.length === 1 ? 'permission' : 'permissions'} tenant-wide.`);
    }
    if (wanted.length === 0) {
      await graphRequest(graph, 'DELETE', graphPath('oauth2PermissionGrants', grant.id));
      return succeeded('deleted', 'Removed the app’s tenant-wide consent to Microsoft Graph.');
    }
    if (sameScopes(scopesOf(grant), wanted)) return succeeded('already_done', 'The tenant-wide consent already holds exactly these permissions.');
    // PATCH replaces the whole scope string.
    await graphRequest(graph, 'PATCH', graphPath('oauth2PermissionGrants', grant.id), { scope: wanted.join(' ') });
    return succeeded('updated', `Set the tenant-wide consent to ${wanted.length} delegated ${wanted.length === 1 ? 'permission' : 'permissions'}.`);
  } catch (error) {
    if (statusOf(error) === 404 && grant && wanted.length === 0) return succeeded('already_done', 'The app has no tenant-wide consent to Microsoft Graph.');
    return failedOutcome(graph, error, 'granting the delegated permissions', grantsWrite);
  }
}

export async function assignMicrosoftAppRole(context: ProviderCallContext, servicePrincipalId: string, permission: string): Promise<ConsentCallOutcome> {
  const graph = graphEndpoint(context);
  let permissions: ResourcePermissions;
  let held: AppRoleAssignment[];
  try {
    permissions = await graphPermissions(graph);
    held = await graphAssignments(graph, servicePrincipalId, permissions.servicePrincipalId);
  } catch (error) {
    return failedOutcome(graph, error, 'reading the app’s application permissions', appsRead);
  }
  const appRoleId = [...permissions.appRoles].find(([name]) => name.toLowerCase() === permission.toLowerCase())?.[1];
  if (!appRoleId) return { ok: false, code: 'unknown_permission', message: `Microsoft Graph publishes no application permission named ${permission}.`, errorCode: 'invalid_request' };
  const holds = (assignments: readonly AppRoleAssignment[]) => assignments.some((assignment) => assignment.appRoleId === appRoleId);
  if (holds(held)) return succeeded('already_done', `The app already holds ${permission}.`);
  try {
    await graphRequest(graph, 'POST', graphPath('servicePrincipals', permissions.servicePrincipalId, 'appRoleAssignedTo'), { principalId: servicePrincipalId, resourceId: permissions.servicePrincipalId, appRoleId });
    return succeeded('created', `Granted the application permission ${permission}.`);
  } catch (error) {
    // Graph refuses a duplicate assignment with a 400: one made meanwhile counts as done.
    if (statusOf(error) === 400 || statusOf(error) === 409) {
      const now = await graphAssignments(graph, servicePrincipalId, permissions.servicePrincipalId).catch(() => []);
      if (holds(now)) return succeeded('already_done', `The app already holds ${permission}.`);
    }
    return failedOutcome(graph, error, `granting the application permission ${permission}`, assignmentsWrite);
  }
}

export async function removeMicrosoftAppRole(context: ProviderCallContext, _servicePrincipalId: string, assignmentId: string): Promise<ConsentCallOutcome> {
  const graph = graphEndpoint(context);
  try {
    const graphSpId = await graphServicePrincipalId(graph);
    await graphRequest(graph, 'DELETE', graphPath('servicePrincipals', graphSpId, 'appRoleAssignedTo', assignmentId));
    return succeeded('deleted', 'Removed the application permission.');
  } catch (error) {
    if (statusOf(error) === 404) return succeeded('already_done', 'The app no longer held this application permission.');
    return failedOutcome(graph, error, 'removing the application permission', assignmentsWrite);
  }
}

export async function setMicrosoftSignIn(context: ProviderCallContext, servicePrincipalId: string, change: { accountEnabled?: boolean; appRoleAssignmentRequired?: boolean }): Promise<ConsentCallOutcome> {
  const graph = graphEndpoint(context);
  const body = Object.fromEntries(Object.entries(change).filter(([, value]) => typeof value === 'boolean'));
  if (Object.keys(body).length === 0) return succeeded('already_done', 'Nothing to change.');
  try {
    await graphRequest(graph, 'PATCH', graphPath('servicePrincipals', servicePrincipalId), body);
    return succeeded('updated', 'Changed who may sign in to the app.');
  } catch (error) {
    return failedOutcome(graph, error, 'changing who may sign in to the app', appsWrite);
  }
}

/**
 * Microsoft's admin-consent prompt. Delegated scopes are named with Graph's resource URI; application
 * permissions cannot be listed one by one, so the caller passes `.default` for them, which asks for
 * every permission the app registration declares (the read-back shows any beyond those kept). The host is the connection's sign-in host: the
 * authorization endpoint override when it has one (the sample workspace's simulator), else the cloud's.
 */
export function microsoftAdminConsentUrl(context: ProviderCallContext, appId: string, scopes: readonly string[]): string {
  const { settings } = context;
  const base = settings.authorizationEndpoint ? settings.authorizationEndpoint.replace(/\/oauth2\/v2\.0\/authorize\/?$|\/auth\/?$/, '') : microsoftAuthority(settings).replace(/\/+$/, '');
  const resource = microsoftCloud(settings).graph;
  const named = scopes.map((name) => (/^https?:\/\//i.test(name) ? name : `${resource}/${name.replace(/^\/+/, '')}`));
  // Entra refuses `.default` beside other scopes of the same resource: it then stands for them all.
  const scope = named.some((name) => name.endsWith('/.default')) ? `${resource}/.default` : named.join(' ');
  const url = new URL(`${base}/v2.0/adminconsent`);
  url.searchParams.set('client_id', appId);
  url.searchParams.set('scope', scope);
  url.searchParams.set('state', randomUUID());
  return url.href;
}
