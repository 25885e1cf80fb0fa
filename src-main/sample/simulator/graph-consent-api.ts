/**
 * The consent side of the simulated Microsoft Graph v1.0: the authorization policy update, the
 * admin consent workflow (adminConsentRequestPolicy), users' admin-consent requests with their
 * approvals, and creating and updating service principals. Registered from graph-api.ts's route
 * table, which lends its paging, `$select`, rendering and error conventions through the kit.
 */
import type { SampleAppConsentRequest, SampleApprovalStage, SampleUser, SampleUserConsentRequest } from '../sample-tenant';
import type { ApiRequest, ApiResponse, ApiRoute } from './api-router';
import type { GraphHandler, ResourceType } from './graph-api';
import { addServicePrincipal, servicePrincipalSettings, type SimulatedTenant, type TenantServicePrincipal } from './simulated-tenant';

type Scope = [value: string, id: string, type: 'User' | 'Admin', displayName: string];

/**
 * Microsoft Graph's delegated permissions (oauth2PermissionScopes) the sample apps, the requests and
 * Consentry itself use, with the ids and consent types Microsoft publishes.
 */
const delegatedScopes: readonly Scope[] = [
  ['openid', '37f7f235-527c-4136-accd-4a02d197296e', 'User', 'Sign users in'],
  ['profile', '14dad69e-099b-42c9-810b-d002981feec1', 'User', "View users' basic profile"],
  ['email', '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0', 'User', "View users' email address"],
  ['offline_access', '7427e0e9-2fba-42fe-b0c0-848c9e6a8182', 'User', 'Maintain access to data you have given it access to'],
  ['User.Read', 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', 'User', 'Sign in and read user profile'],
  ['User.ReadBasic.All', 'b340eb25-3456-403f-be2f-af7a0d370277', 'User', "Read all users' basic profiles"],
  ['User.Read.All', 'a154be20-db9c-4678-8ab7-66f6cc099a59', 'Admin', "Read all users' full profiles"],
  ['Calendars.Read', '465a38f9-76ea-45b9-9f34-9e8b0d4b0b42', 'User', 'Read user calendars'],
  ['Calendars.ReadWrite', '1ec239c2-d7c9-4623-a91a-a9775856bb36', 'User', 'Have full access to user calendars'],
  ['Mail.Read', '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', 'User', 'Read user mail'],
  ['Mail.ReadWrite', '024d486e-b451-40bb-833d-3e66d98c5c73', 'User', 'Read and write access to user mail'],
  ['Mail.Send', 'e383f46e-2787-4529-855e-0e479a3ffac0', 'User', 'Send mail as a user'],
  ['Files.Read', '10465720-29dd-4523-a11a-6a75c743c9d9', 'User', 'Read user files'],
  ['Files.Read.All', 'df85f4d6-205c-4ac5-a5ea-6bf408dba283', 'User', 'Read all files that user can access'],
  ['Files.ReadWrite', '5c28f0bf-8a70-41f1-8ab2-9032436ddb65', 'User', 'Have full access to user files'],
  ['Files.ReadWrite.All', '863451e7-0667-486c-a5d6-d135439485f0', 'User', 'Have full access to all files user can access'],
  ['Sites.Read.All', '205e70e5-aba6-4c52-a976-6d2d46c48043', 'User', 'Read items in all site collections'],
  ['Sites.ReadWrite.All', '89fe6a52-be36-487e-b7d8-d061c450a026', 'User', 'Edit or delete items in all site collections'],
  ['Contacts.Read', 'ff74d97f-43af-4b68-9f2a-b77ee6968c5d', 'User', 'Read user contacts'],
  ['Contacts.ReadWrite', 'd56682ec-c09e-4743-aaf4-1a3aac4caa21', 'User', 'Have full access to user contacts'],
  ['OnlineMeetings.ReadWrite', 'a65f2972-a4f8-4f5e-afd7-69ccb046d5dc', 'User', "Read and create user's online meetings"],
  ['Directory.Read.All', '06da0dbc-49e2-44d2-8312-53f166ab848a', 'Admin', 'Read directory data'],
  ['Directory.ReadWrite.All', 'c5366453-9fb0-48a5-a156-24f0c49a4b84', 'Admin', 'Read and write directory data'],
  ['Application.Read.All', 'c79f8feb-a9db-4090-85f9-90d820caa0eb', 'Admin', 'Read applications'],
  ['Application.ReadWrite.All', 'bdfbf15f-ee85-4955-8675-146e8e5296b5', 'Admin', 'Read and write all applications'],
  ['AppRoleAssignment.ReadWrite.All', '84bccea3-f856-4a8a-967b-dbe0a3d53a64', 'Admin', 'Manage app permission grants and app role assignments'],
  ['DelegatedPermissionGrant.ReadWrite.All', '41ce6ca6-6826-4807-84f1-1c82854f7ee5', 'Admin', 'Manage all delegated permission grants'],
  ['Policy.Read.All', '572fea84-0151-49b2-9301-11cb16974376', 'Admin', "Read your organization's policies"],
  ['Policy.ReadWrite.Authorization', 'edd3c878-b384-41fd-95ad-e7407dd775be', 'Admin', "Read and write your organization's authorization policy"],
  ['Policy.ReadWrite.ConsentRequest', '4d135e65-66b8-41a8-9f8b-081452c91774', 'Admin', "Read and write your organization's consent request policy"],
  ['ConsentRequest.Read.All', 'f3bfad56-966e-4590-a536-82ecf548ac1e', 'Admin', 'Read consent requests'],
  ['ConsentRequest.ReadWrite.All', '497d9dfa-3bd1-481a-baab-90895e54568c', 'Admin', 'Read and write consent requests'],
  ['AuditLog.Read.All', 'e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20', 'Admin', 'Read audit log data'],
];

export interface GraphPermissionScope {
  adminConsentDescription: string;
  adminConsentDisplayName: string;
  id: string;
  isEnabled: boolean;
  type: 'User' | 'Admin';
  userConsentDescription: string | null;
  userConsentDisplayName: string | null;
  value: string;
}

/** Microsoft Graph's service principal publishes these as `oauth2PermissionScopes`. */
export const graphPermissionScopes: readonly GraphPermissionScope[] = delegatedScopes.map(([value, id, type, displayName]) => ({
  adminConsentDescription: `Allows the app to ${displayName.charAt(0).toLowerCase()}${displayName.slice(1)} on behalf of the signed-in user.`,
  adminConsentDisplayName: displayName,
  id,
  isEnabled: true,
  type,
  userConsentDescription: type === 'User' ? `Allows the app to ${displayName.charAt(0).toLowerCase()}${displayName.slice(1)} on your behalf.` : null,
  userConsentDisplayName: type === 'User' ? displayName : null,
  value,
}));

/** Permission grant policies a tenant may assign (built in; custom ones are not simulated). */
export const knownPermissionGrantPolicies: readonly string[] = [
  'ManagePermissionGrantsForSelf.microsoft-user-default-legacy',
  'ManagePermissionGrantsForSelf.microsoft-user-default-low',
  'ManagePermissionGrantsForSelf.microsoft-user-default-recommended',
  'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team',
  'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat',
];

/** What graph-api.ts lends these routes. */
export interface GraphRouteKit {
  tenant: SimulatedTenant;
  clock: () => Date;
  /** `${baseUrl}/$metadata#${suffix}`. */
  context(suffix: string): string;
  /** A route under /v1.0 with the scopes that authorise it. */
  route(method: ApiRoute['method'], path: string, anyOfScopes: readonly string[], name: string, handle: GraphHandler): ApiRoute;
  /** Thrown to answer with a Graph error body. */
  fail(status: number, code: string, message: string): Error;
  notFound(id: string): Error;
  list<T>(request: ApiRequest, spec: GraphListSpec<T>): ApiResponse;
  entity<T>(request: ApiRequest, spec: { item: T; type: ResourceType<T>; render(item: T): Record<string, unknown>; entitySet: string }): ApiResponse;
  requireBody(request: ApiRequest): Record<string, unknown>;
  findUser(key: string): SampleUser | undefined;
  /** The signed-in admin behind a request's token. */
  caller(request: ApiRequest): Promise<SampleUser>;
  /** The `servicePrincipals/{id}` and `servicePrincipals(appId='…')` path. */
  servicePrincipalPath: string;
  requireServicePrincipal(params: Record<string, string>): { id: string; appId: string };
  renderServicePrincipal(sp: TenantServicePrincipal): Record<string, unknown>;
}

export interface GraphListSpec<T> {
  items: readonly T[];
  type: ResourceType<T>;
  render(item: T): Record<string, unknown>;
  idOf(item: T): string;
  entitySet: string;
  /** A `$filter` the generic `eq`/`and` parser does not cover; undefined to fall back to it. */
  filter?(text: string): ((item: T) => boolean) | undefined;
  /** `$expand`: adds the expanded properties to each rendered item. */
  expand?(text: string): (item: T, rendered: Record<string, unknown>) => void;
}

const scopes = {
  authorizationPolicyWrite: ['Policy.ReadWrite.Authorization'],
  consentPolicyRead: ['Policy.Read.All', 'Policy.ReadWrite.ConsentRequest'],
  consentPolicyWrite: ['Policy.ReadWrite.ConsentRequest', 'Directory.ReadWrite.All'],
  consentRequestsRead: ['ConsentRequest.Read.All', 'ConsentRequest.ReadWrite.All'],
  consentRequestsWrite: ['ConsentRequest.ReadWrite.All'],
  appsWrite: ['Application.ReadWrite.All', 'Directory.ReadWrite.All'],
} as const;

// The portal offers 1 to 30 days for "Consent request expires after".
const requestDuration = { min: 1, max: 30 };

const appConsentRequestType: ResourceType<SampleAppConsentRequest> = {
  odataType: 'microsoft.graph.appConsentRequest',
  resourceName: 'AppConsentRequest',
  properties: ['id', 'appDisplayName', 'appId', 'pendingScopes'],
  filters: {
    appId: { kind: 'string', get: (request) => request.appId },
    appDisplayName: { kind: 'string', get: (request) => request.appDisplayName },
  },
};

const userConsentRequestType: ResourceType<SampleUserConsentRequest> = {
  odataType: 'microsoft.graph.userConsentRequest',
  resourceName: 'UserConsentRequest',
  properties: ['id', 'approvalId', 'completedDateTime', 'createdBy', 'createdDateTime', 'customData', 'reason', 'status'],
  filters: {
    status: { kind: 'string', get: (request) => request.status },
    reason: { kind: 'string', get: (request) => request.reason },
  },
};

const approvalStageType: ResourceType<SampleApprovalStage> = {
  odataType: 'microsoft.graph.approvalStage',
  resourceName: 'ApprovalStage',
  properties: ['id', 'assignedToMe', 'displayName', 'justification', 'reviewedBy', 'reviewedDateTime', 'reviewResult', 'status'],
  filters: {},
};

/** Graph writes whole seconds without a fraction. */
const timestamp = (iso: string | null) => (iso === null ? null : iso.replace(/\.000Z$/, 'Z'));
const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const decode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

export function graphConsentRoutes(kit: GraphRouteKit): ApiRoute[] {
  const { tenant, route } = kit;
  const badRequest = (message: string) => kit.fail(400, 'Request_BadRequest', message);
  const invalidProperty = (property: string, resource: string) => badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`);

  // --- policies --------------------------------------------------------------------------------

  const updateAuthorizationPolicy: GraphHandler = (request) => {
    const body = kit.requireBody(request);
    for (const property of Object.keys(body)) {
      if (property !== 'defaultUserRolePermissions') throw badRequest(`Updating '${property}' is not supported by this simulated Graph API; only defaultUserRolePermissions can be changed.`);
    }
    const permissions = body.defaultUserRolePermissions;
    if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions)) throw invalidProperty('defaultUserRolePermissions', 'AuthorizationPolicy');
    const change = permissions as Record<string, unknown>;
    let policies: string[] | undefined;
    let allowedToCreateApps: boolean | undefined;
    for (const [property, value] of Object.entries(change)) {
      if (property === 'permissionGrantPoliciesAssigned') {
        if (!Array.isArray(value) || value.some((id) => typeof id !== 'string')) throw invalidProperty(property, 'DefaultUserRolePermissions');
        const unknown = (value as string[]).find((id) => !knownPermissionGrantPolicies.some((known) => sameId(known, id)));
        if (unknown !== undefined) throw badRequest(`Permission grant policy '${unknown}' does not exist.`);
        policies = (value as string[]).map((id) => knownPermissionGrantPolicies.find((known) => sameId(known, id))!);
      } else if (property === 'allowedToCreateApps') {
        if (typeof value !== 'boolean') throw invalidProperty(property, 'DefaultUserRolePermissions');
        allowedToCreateApps = value;
      } else {
        throw badRequest(`Updating '${property}' is not supported by this simulated Graph API.`);
      }
    }
    // A partial update: what the body leaves out stays as it was.
    if (policies !== undefined) tenant.userConsentPolicies = [...new Set(policies)];
    if (allowedToCreateApps !== undefined) tenant.allowedToCreateApps = allowedToCreateApps;
    return { status: 204 };
  };

  const renderConsentPolicy = () => {
    const policy = tenant.adminConsentRequestPolicy;
    return {
      '@odata.context': kit.context('policies/adminConsentRequestPolicy/$entity'),
      isEnabled: policy.isEnabled,
      notifyReviewers: policy.notifyReviewers,
      remindersEnabled: policy.remindersEnabled,
      requestDurationInDays: policy.requestDurationInDays,
      version: policy.version,
      reviewers: policy.reviewers.map((reviewer) => ({ ...reviewer })),
    };
  };

  const replaceConsentPolicy: GraphHandler = (request) => {
    const body = kit.requireBody(request);
    const resource = 'AdminConsentRequestPolicy';
    for (const property of ['isEnabled', 'notifyReviewers', 'remindersEnabled']) {
      if (typeof body[property] !== 'boolean') throw invalidProperty(property, resource);
    }
    const duration = body.requestDurationInDays;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < requestDuration.min || duration > requestDuration.max) throw invalidProperty('requestDurationInDays', resource);
    if (!Array.isArray(body.reviewers)) throw invalidProperty('reviewers', resource);
    const reviewers = body.reviewers.map((raw: unknown) => {
      const reviewer = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
      const query = typeof reviewer.query === 'string' ? reviewer.query : '';
      // Groups and roles may review in Entra too; the simulator knows users only.
      const userId = /^\/(?:v1\.0\/)?users\/([^/?]+)$/i.exec(query)?.[1];
      if (!userId || (reviewer.queryType !== undefined && reviewer.queryType !== 'MicrosoftGraph')) throw invalidProperty('reviewers', resource);
      const user = kit.findUser(decode(userId));
      if (!user) throw badRequest(`The reviewer '${query}' does not exist or is not a user.`);
      return { query, queryType: 'MicrosoftGraph', queryRoot: null };
    });
    if (body.isEnabled === true && reviewers.length === 0) throw badRequest('At least one reviewer is required when the admin consent request feature is enabled.');
    tenant.adminConsentRequestPolicy = {
      isEnabled: body.isEnabled as boolean,
      notifyReviewers: body.notifyReviewers as boolean,
      remindersEnabled: body.remindersEnabled as boolean,
      requestDurationInDays: duration,
      reviewers,
      version: tenant.adminConsentRequestPolicy.version + 1,
    };
    return { status: 204 };
  };

  // --- consent requests ------------------------------------------------------------------------

  const requestsRoot = 'identityGovernance/appConsent/appConsentRequests';
  const requireAppRequest = (params: Record<string, string>) => {
    const id = decode(params.requestId!);
    const found = tenant.appConsentRequests.find((candidate) => sameId(candidate.id, id));
    if (!found) throw kit.notFound(id);
    return found;
  };
  const requireUserRequest = (params: Record<string, string>) => {
    const appRequest = requireAppRequest(params);
    const id = decode(params.userRequestId!);
    const found = appRequest.userConsentRequests.find((candidate) => sameId(candidate.id, id));
    if (!found) throw kit.notFound(id);
    return { appRequest, userRequest: found };
  };
  const requireStage = (params: Record<string, string>) => {
    const { appRequest, userRequest } = requireUserRequest(params);
    const id = decode(params.stageId!);
    const stage = userRequest.stages.find((candidate) => sameId(candidate.id, id));
    if (!stage) throw kit.notFound(id);
    return { appRequest, userRequest, stage };
  };

  const renderAppRequest = (request: SampleAppConsentRequest): Record<string, unknown> => ({
    id: request.id,
    appDisplayName: request.appDisplayName,
    appId: request.appId,
    pendingScopes: request.pendingScopes.map((displayName) => ({ displayName })),
  });

  const renderUserRequest = (request: SampleUserConsentRequest): Record<string, unknown> => {
    const user = kit.findUser(request.userGraphId);
    return {
      id: request.id,
      approvalId: request.id,
      completedDateTime: timestamp(request.completedDateTime),
      createdBy: {
        application: null,
        device: null,
        user: user ? { id: user.graphId, displayName: `${user.givenName} ${user.familyName}`, userPrincipalName: user.primaryEmail, mail: user.primaryEmail } : { id: request.userGraphId, displayName: null, userPrincipalName: null, mail: null },
      },
      createdDateTime: timestamp(request.createdDateTime),
      customData: null,
      reason: request.reason,
      status: request.status,
    };
  };

  const renderStage = (stage: SampleApprovalStage): Record<string, unknown> => ({
    id: stage.id,
    // Every admin who may consent reviews these requests while the workflow names no one.
    assignedToMe: true,
    displayName: null,
    justification: stage.justification,
    reviewedBy: stage.reviewedBy ? { ...stage.reviewedBy, mail: stage.reviewedBy.userPrincipalName } : null,
    reviewedDateTime: timestamp(stage.reviewedDateTime),
    reviewResult: stage.reviewResult,
    status: stage.status,
  });
  const renderApproval = (request: SampleUserConsentRequest, withStages: boolean) => ({ id: request.id, ...(withStages ? { stages: request.stages.map(renderStage) } : {}) });

  /** The documented `userConsentRequests/any(u:u/status eq 'InProgress')`. */
  const anyUserRequestFilter = (text: string) => {
    const match = /^\s*userConsentRequests\/any\s*\(\s*(\w+)\s*:\s*(\w+)\/status\s+eq\s+'([^']*)'\s*\)\s*$/i.exec(text);
    if (!match) return undefined;
    if (match[1] !== match[2]) throw badRequest(`Could not find a property named '${match[2]}' on type 'microsoft.graph.appConsentRequest'.`);
    const status = match[3]!.toLowerCase();
    return (request: SampleAppConsentRequest) => request.userConsentRequests.some((user) => user.status.toLowerCase() === status);
  };

  const approvalExpansion = (text: string) => {
    const compact = text.replace(/\s+/g, '');
    if (/^approval$/i.test(compact)) return (item: SampleUserConsentRequest, rendered: Record<string, unknown>) => void (rendered.approval = renderApproval(item, false));
    if (/^approval\(\$expand=stages\)$/i.test(compact)) return (item: SampleUserConsentRequest, rendered: Record<string, unknown>) => void (rendered.approval = renderApproval(item, true));
    throw kit.fail(400, 'Request_UnsupportedQuery', `The query option '$expand=${text}' is not supported by this simulated Graph API; expand approval or approval($expand=stages).`);
  };

  const userRequestsSet = (appRequest: SampleAppConsentRequest) => `${requestsRoot}('${appRequest.id}')/userConsentRequests`;

  const decideStage: GraphHandler = async (request, params) => {
    const { userRequest, stage } = requireStage(params);
    const body = kit.requireBody(request);
    const { reviewResult, justification } = body;
    if (reviewResult !== 'Approve' && reviewResult !== 'Deny') throw invalidProperty('reviewResult', 'ApprovalStage');
    if (justification !== undefined && justification !== null && typeof justification !== 'string') throw invalidProperty('justification', 'ApprovalStage');
    // The reference: a stage another approver already decided answers 409 Conflict.
    if (stage.status === 'Completed') throw kit.fail(409, 'Conflict', 'The approval stage has already been reviewed.');
    const reviewer = await kit.caller(request);
    const now = kit.clock().toISOString();
    stage.status = 'Completed';
    stage.reviewResult = reviewResult;
    stage.justification = typeof justification === 'string' ? justification : null;
    stage.reviewedBy = { id: reviewer.graphId, displayName: `${reviewer.givenName} ${reviewer.familyName}`, userPrincipalName: reviewer.primaryEmail };
    stage.reviewedDateTime = now;
    if (userRequest.stages.every((candidate) => candidate.status === 'Completed')) {
      userRequest.status = 'Completed';
      userRequest.completedDateTime = now;
    }
    return { status: 204 };
  };

  // --- service principals ----------------------------------------------------------------------

  const createServicePrincipal: GraphHandler = (request) => {
    const body = kit.requireBody(request);
    const { appId } = body;
    if (typeof appId !== 'string' || appId.trim() === '') throw invalidProperty('appId', 'ServicePrincipal');
    const outcome = addServicePrincipal(tenant, appId.trim(), kit.clock());
    if ('problem' in outcome && outcome.problem === 'exists') throw kit.fail(409, 'Request_MultipleObjectsWithSameKeyValue', 'Another object with the same value for property servicePrincipalNames already exists.');
    if (!('added' in outcome)) throw badRequest(`The appId '${appId}' of the service principal does not reference a valid application object.`);
    return { status: 201, body: { '@odata.context': kit.context('servicePrincipals/$entity'), ...kit.renderServicePrincipal(outcome.added) } };
  };

  const updateServicePrincipal: GraphHandler = (request, params) => {
    const sp = kit.requireServicePrincipal(params);
    const body = kit.requireBody(request);
    const settings = { ...servicePrincipalSettings(tenant, sp.id) };
    for (const [property, value] of Object.entries(body)) {
      if (property !== 'accountEnabled' && property !== 'appRoleAssignmentRequired') throw badRequest(`Updating '${property}' is not supported by this simulated Graph API; only accountEnabled and appRoleAssignmentRequired can be changed.`);
      if (typeof value !== 'boolean') throw kit.fail(400, 'BadRequest', `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Boolean'.`);
      settings[property] = value;
    }
    tenant.servicePrincipalSettings.set(sp.id, settings);
    return { status: 204 };
  };

  const userRequestPath = `${requestsRoot}/(?<requestId>[^/]+)/userConsentRequests/(?<userRequestId>[^/]+)`;
  return [
    route('PATCH', 'policies/authorizationPolicy', scopes.authorizationPolicyWrite, 'graph.policies.authorizationPolicy.update', updateAuthorizationPolicy),
    route('GET', 'policies/adminConsentRequestPolicy', scopes.consentPolicyRead, 'graph.policies.adminConsentRequestPolicy.get', () => ({ status: 200, body: renderConsentPolicy() })),
    route('PUT', 'policies/adminConsentRequestPolicy', scopes.consentPolicyWrite, 'graph.policies.adminConsentRequestPolicy.update', replaceConsentPolicy),

    route('GET', requestsRoot, scopes.consentRequestsRead, 'graph.appConsentRequests.list', (request) =>
      kit.list(request, { items: tenant.appConsentRequests, type: appConsentRequestType, render: renderAppRequest, idOf: (item) => item.id, entitySet: requestsRoot, filter: anyUserRequestFilter }),
    ),
    route('GET', `${requestsRoot}/(?<requestId>[^/]+)`, scopes.consentRequestsRead, 'graph.appConsentRequests.get', (request, params) =>
      kit.entity(request, { item: requireAppRequest(params), type: appConsentRequestType, render: renderAppRequest, entitySet: requestsRoot }),
    ),
    route('GET', `${requestsRoot}/(?<requestId>[^/]+)/userConsentRequests`, scopes.consentRequestsRead, 'graph.userConsentRequests.list', (request, params) => {
      const appRequest = requireAppRequest(params);
      return kit.list(request, { items: appRequest.userConsentRequests, type: userConsentRequestType, render: renderUserRequest, idOf: (item) => item.id, entitySet: userRequestsSet(appRequest), expand: approvalExpansion });
    }),
    route('GET', userRequestPath, scopes.consentRequestsRead, 'graph.userConsentRequests.get', (request, params) => {
      const { appRequest, userRequest } = requireUserRequest(params);
      const answer = kit.entity(request, { item: userRequest, type: userConsentRequestType, render: renderUserRequest, entitySet: userRequestsSet(appRequest) });
      const expand = request.query.get('$expand');
      if (expand !== null) approvalExpansion(expand)(userRequest, answer.body as Record<string, unknown>);
      return answer;
    }),
    route('GET', `${userRequestPath}/approval`, scopes.consentRequestsRead, 'graph.userConsentRequests.approval.get', (request, params) => {
      const { appRequest, userRequest } = requireUserRequest(params);
      const withStages = /^stages$/i.test((request.query.get('$expand') ?? '').trim());
      return { status: 200, body: { '@odata.context': kit.context(`${userRequestsSet(appRequest)}('${userRequest.id}')/approval/$entity`), ...renderApproval(userRequest, withStages) } };
    }),
    route('GET', `${userRequestPath}/approval/stages`, scopes.consentRequestsRead, 'graph.userConsentRequests.approval.stages.list', (request, params) => {
      const { appRequest, userRequest } = requireUserRequest(params);
      return kit.list(request, { items: userRequest.stages, type: approvalStageType, render: renderStage, idOf: (item) => item.id, entitySet: `${userRequestsSet(appRequest)}('${userRequest.id}')/approval/stages` });
    }),
    route('GET', `${userRequestPath}/approval/stages/(?<stageId>[^/]+)`, scopes.consentRequestsRead, 'graph.userConsentRequests.approval.stages.get', (request, params) => {
      const { appRequest, userRequest, stage } = requireStage(params);
      return kit.entity(request, { item: stage, type: approvalStageType, render: renderStage, entitySet: `${userRequestsSet(appRequest)}('${userRequest.id}')/approval/stages` });
    }),
    route('PATCH', `${userRequestPath}/approval/stages/(?<stageId>[^/]+)`, scopes.consentRequestsWrite, 'graph.userConsentRequests.approval.stages.update', decideStage),

    route('POST', 'servicePrincipals', scopes.appsWrite, 'graph.servicePrincipals.create', createServicePrincipal),
    route('PATCH', kit.servicePrincipalPath, scopes.appsWrite, 'graph.servicePrincipals.update', updateServicePrincipal),
  ];
}
