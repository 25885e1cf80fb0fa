/**
 * Reads a Microsoft Entra tenant's third-party access into the audit model, the way
 * Get-AzureADPSPermissions reports it: delegated grants (oauth2PermissionGrants, tenant-wide or per
 * user) and application permissions (each service principal's appRoleAssignments, named through
 * the resource's appRoles), with each app's publisher from its service principal.
 *
 * `total` counts the tenant's service principals and `completed` those whose application
 * permissions were read in full. Delegated grants are read tenant-wide by page, so a page that
 * could not be read is an incomplete item of its own. Every call goes through the tenant's
 * scheduler; nothing that could not be read is dropped silently.
 */
import type { AuditedApp, AuditedGrant, IncompleteItem, ProviderScan } from '../../audit/grant-model';
import { phaseProgress } from '../../audit/phase-progress';
import type { ScanContext } from '../../audit/provider-audit';
import { runGraphBatch } from './graph-batch';
import { describeGraphFailure } from './graph-failure';
import { graphEndpoint, graphPages, graphRequest, isAbort, type GraphEndpoint, type GraphPage } from './graph-request';
import type { MicrosoftRevocationHandle } from './microsoft-grant-revoker';

interface GraphServicePrincipal {
  id: string;
  appId: string;
  appDisplayName?: string | null;
  displayName?: string | null;
  publisherName?: string | null;
  appOwnerOrganizationId?: string | null;
  verifiedPublisher?: { displayName?: string | null; verifiedPublisherId?: string | null } | null;
  appRoles?: { id: string; value?: string | null }[];
}

interface GraphPermissionGrant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId: string | null;
  resourceId: string;
  scope?: string | null;
}

interface GraphAppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  resourceId: string;
}

const servicePrincipalFields = 'id,appId,appDisplayName,displayName,publisherName,appOwnerOrganizationId,verifiedPublisher,appRoles';
// 999 is Graph's largest page; smaller pages of grants have been reported to lose grants
// (microsoftgraph/msgraph-sdk-powershell#2469).
const pageSize = 999;
/** More users with per-user grants than this: list the directory rather than fetch each user. */
const userListThreshold = 200;

const id = (value: string) => value.toLowerCase();

export async function scanMicrosoftGrants(context: ScanContext): Promise<ProviderScan> {
  const graph = graphEndpoint(context);
  const incomplete: IncompleteItem[] = [];
  // Shares of the work: app roles take one batched call per service principal, the listings a page each.
  const progress = phaseProgress({ 'service principals': 10, grants: 10, users: 20, 'app roles': 60 }, context.onProgress);
  /** Records what could not be read; a cancelled scan stops instead. */
  const couldNotRead = (what: string, error: unknown) => {
    if (isAbort(error, graph)) throw error;
    incomplete.push({ what, reason: describeGraphFailure(error) });
  };

  const tenantId = await readTenantId(graph, couldNotRead);

  const principals = new Map<string, GraphServicePrincipal>();
  await readPages<GraphServicePrincipal>(graph, `/servicePrincipals?$select=${servicePrincipalFields}&$top=${pageSize}`, 'service principals', couldNotRead, (page) => {
    for (const sp of page) principals.set(id(sp.id), sp);
    progress('service principals', principals.size, principals.size, 0);
  });

  const delegated: GraphPermissionGrant[] = [];
  await readPages<GraphPermissionGrant>(graph, `/oauth2PermissionGrants?$top=${pageSize}`, 'delegated grants', couldNotRead, (page) => {
    delegated.push(...page);
    progress('grants', delegated.length, delegated.length, 0);
  });
  // Apps a grant names that the listing missed (a page not read, or created meanwhile).
  await fetchServicePrincipals(graph, principals, delegated.flatMap((grant) => [grant.clientId, grant.resourceId]), couldNotRead);

  const userIds = [...new Set(delegated.flatMap((grant) => (grant.consentType === 'Principal' && grant.principalId ? [id(grant.principalId)] : [])))];
  const userNames = await resolveUserNames(graph, userIds, couldNotRead, (done) => progress('users', done, userIds.length));

  // Application permissions: one $batch item per service principal.
  const clients = [...principals.values()];
  const total = clients.length;
  progress('app roles', 0, total);
  const results = await runGraphBatch(
    graph,
    clients.map((sp) => ({ method: 'GET', url: `/servicePrincipals/${encodeURIComponent(sp.id)}/appRoleAssignments?$top=${pageSize}` })),
    (settled) => progress('app roles', settled, total),
  );
  const assignmentsOf = new Map<GraphServicePrincipal, GraphAppRoleAssignment[]>();
  await Promise.all(
    clients.map(async (sp, index) => {
      const result = results[index]!;
      const what = `application permissions of ${sp.appDisplayName ?? sp.displayName ?? sp.appId}`;
      if (!result.ok) return couldNotRead(what, result.error);
      const page = result.body as GraphPage<GraphAppRoleAssignment>;
      const assignments = [...(page.value ?? [])];
      try {
        // Rare (a principal holds at most 1,500 assignments), but a nextLink is followed.
        if (page['@odata.nextLink']) for await (const more of graphPages<GraphAppRoleAssignment>(graph, page['@odata.nextLink'])) assignments.push(...more);
      } catch (error) {
        return couldNotRead(what, error);
      }
      assignmentsOf.set(sp, assignments);
    }),
  );
  // Resources whose appRoles name the permissions, when the listing missed them.
  await fetchServicePrincipals(graph, principals, [...assignmentsOf.values()].flat().map((assignment) => assignment.resourceId), couldNotRead);

  const apps = new Map<string, AuditedApp>();
  const appOf = (spId: string): AuditedApp => {
    const sp = principals.get(id(spId));
    const clientId = sp?.appId ?? spId;
    const key = `microsoft:${clientId}`;
    const known = apps.get(key);
    if (known) return known;
    const app: AuditedApp = {
      key,
      provider: 'microsoft',
      clientId,
      name: sp?.appDisplayName ?? sp?.displayName ?? `Unknown app (${spId})`,
      publisher: sp?.verifiedPublisher?.displayName ?? sp?.publisherName ?? null,
      verifiedPublisher: sp ? Boolean(sp.verifiedPublisher?.verifiedPublisherId) : null,
      internal: Boolean(tenantId && sp?.appOwnerOrganizationId && id(sp.appOwnerOrganizationId) === id(tenantId)),
      anonymous: false,
    };
    apps.set(key, app);
    return app;
  };

  const grants: AuditedGrant[] = delegated.map((grant) => {
    const app = appOf(grant.clientId);
    const handle: MicrosoftRevocationHandle = { kind: 'delegated', grantId: grant.id };
    const perUser = grant.consentType === 'Principal';
    return {
      key: `${app.key}|${grant.principalId ?? '*'}|${grant.resourceId}|delegated`,
      appKey: app.key,
      provider: 'microsoft',
      user: perUser && grant.principalId ? (userNames.get(id(grant.principalId)) ?? grant.principalId) : null,
      scopes: (grant.scope ?? '').split(/\s+/).filter(Boolean),
      consent: perUser ? 'user' : 'tenant',
      access: 'delegated',
      lastUsed: null,
      evidence: grant,
      revocationHandle: JSON.stringify(handle),
    };
  });

  for (const [sp, assignments] of assignmentsOf) {
    const byResource = new Map<string, GraphAppRoleAssignment[]>();
    for (const assignment of assignments) byResource.set(id(assignment.resourceId), [...(byResource.get(id(assignment.resourceId)) ?? []), assignment]);
    for (const [resourceId, held] of byResource) {
      const app = appOf(sp.id);
      const roles = principals.get(resourceId)?.appRoles ?? [];
      // The all-zero appRoleId is default access without a named permission; unknown ids stay ids.
      const permission = (appRoleId: string) => roles.find((role) => id(role.id) === id(appRoleId))?.value ?? appRoleId;
      const handle: MicrosoftRevocationHandle = { kind: 'application', clientId: sp.id, resourceId: held[0]!.resourceId, assignments: held.map((assignment) => ({ id: assignment.id, permission: permission(assignment.appRoleId) })) };
      grants.push({
        key: `${app.key}|*|${held[0]!.resourceId}|application`,
        appKey: app.key,
        provider: 'microsoft',
        user: null,
        scopes: [...new Set(handle.assignments.map((assignment) => assignment.permission))],
        consent: 'tenant',
        access: 'application',
        lastUsed: null,
        evidence: held,
        revocationHandle: JSON.stringify(handle),
      });
    }
  }

  const completed = assignmentsOf.size;
  progress('app roles', total, total);
  return { apps: [...apps.values()], grants, incomplete, completed, total };
}

type CouldNotRead = (what: string, error: unknown) => void;

/** The tenant's own id, to tell apps registered in it (in-house) from third-party ones. */
async function readTenantId(graph: GraphEndpoint, couldNotRead: CouldNotRead): Promise<string | null> {
  try {
    const organization = await graphRequest<GraphPage<{ id: string }>>(graph, 'GET', '/organization?$select=id');
    return organization.value?.[0]?.id ?? null;
  } catch (error) {
    couldNotRead('the organisation’s id (to tell in-house apps)', error);
    return null;
  }
}

async function readPages<T>(graph: GraphEndpoint, url: string, what: string, couldNotRead: CouldNotRead, onPage: (page: T[]) => void): Promise<void> {
  let read = 0;
  try {
    for await (const page of graphPages<T>(graph, url)) {
      read += page.length;
      onPage(page);
    }
  } catch (error) {
    couldNotRead(read === 0 ? what : `${what} after the first ${read}`, error);
  }
}

/** Adds the service principals with these ids that `principals` lacks, fetched in batches; 404s are gone apps. */
async function fetchServicePrincipals(graph: GraphEndpoint, principals: Map<string, GraphServicePrincipal>, ids: readonly string[], couldNotRead: CouldNotRead): Promise<void> {
  const missing = [...new Set(ids.map(id))].filter((spId) => !principals.has(spId));
  if (missing.length === 0) return;
  const results = await runGraphBatch(
    graph,
    missing.map((spId) => ({ method: 'GET', url: `/servicePrincipals/${encodeURIComponent(spId)}?$select=${servicePrincipalFields}` })),
  );
  results.forEach((result, index) => {
    if (result.ok) principals.set(missing[index]!, result.body as GraphServicePrincipal);
    else if (result.error.status !== 404) couldNotRead(`the app with service principal ${missing[index]}`, result.error);
  });
}

/** userPrincipalName by object id: from the user list in a large tenant, by batched GETs for the rest. */
async function resolveUserNames(graph: GraphEndpoint, userIds: readonly string[], couldNotRead: CouldNotRead, onProgress: (done: number) => void): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (userIds.length === 0) return names;
  const wanted = new Set(userIds);
  if (userIds.length > userListThreshold) {
    try {
      for await (const page of graphPages<{ id: string; userPrincipalName?: string }>(graph, `/users?$select=id,userPrincipalName&$top=${pageSize}`)) {
        for (const user of page) if (wanted.has(id(user.id)) && user.userPrincipalName) names.set(id(user.id), user.userPrincipalName);
        onProgress(names.size);
      }
    } catch (error) {
      // What the list could not give is fetched one by one below.
      if (isAbort(error, graph)) throw error;
    }
  }
  const missing = userIds.filter((userId) => !names.has(userId));
  const results = await runGraphBatch(
    graph,
    missing.map((userId) => ({ method: 'GET', url: `/users/${encodeURIComponent(userId)}?$select=id,userPrincipalName` })),
    (settled) => onProgress(userIds.length - missing.length + settled),
  );
  const failures = results.flatMap((result, index) => {
    if (result.ok) {
      const name = (result.body as { userPrincipalName?: string }).userPrincipalName;
      if (name) names.set(missing[index]!, name);
      return [];
    }
    // A deleted user keeps its object id as the grant's user.
    return result.error.status === 404 ? [] : [result.error];
  });
  if (failures.length > 0) couldNotRead(`the names of ${failures.length} ${failures.length === 1 ? 'user' : 'users'} with delegated grants (shown by object id)`, failures[0]);
  return names;
}
