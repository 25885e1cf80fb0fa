/**
 * The simulated Microsoft Graph v1.0 subset Consentry uses: users (list, get, enable/disable,
 * revokeSignInSessions), the organization (the tenant id), delegated permission grants, service
 * principals and their app role assignments, app registrations with their secrets and
 * certificates, the authorization policy and JSON batching (the consent routes are in
 * graph-consent-api.ts). Shapes, paging (`@odata.nextLink` with an opaque `$skiptoken`), `$select`,
 * the `$filter` subset and error bodies follow the Graph v1.0 reference, so the official Graph
 * client can talk to it unchanged.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { graphAppRoleIds, type SampleApp, type SampleAppRegistration, type SamplePublishedApp, type SampleAppRoleAssignment, type SamplePermissionGrant, type SampleUser } from '../sample-tenant';
import { microsoftGraphAppId } from '../sample-apps';
import type { ApiErrorShapes, ApiRequest, ApiResponse, ApiRoute } from './api-router';
import type { ApiFaultShapes } from './fault-plan';
import { graphConsentRoutes, graphPermissionScopes, type GraphListSpec, type GraphRouteKit } from './graph-consent-api';
import { graphCredentialRoutes, renderKeyCredential, renderPasswordCredential, selectsKeyCredentials, servicePrincipalCredentials } from './graph-credentials-api';
import { appServicePrincipals, servicePrincipalSettings, type SimulatedTenant } from './simulated-tenant';

/** The tenant that owns Microsoft's first-party apps (appOwnerOrganizationId of Microsoft Graph). */
export const microsoftServicesTenantId = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** Graph answers a 401 with this challenge. */
export const graphWwwAuthenticate = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

const graphJson = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const versionPrefix = '/v1.0';
const maxPageSize = 999;
const defaultPageSize = 100;
const maxBatchRequests = 20;
/** Directory role members come in one answer of at most this many (the reference: no paging). */
const maxRoleMembers = 1_000;
/** The Global Administrator role's template id, the same in every tenant. */
const globalAdministratorTemplateId = '62e90394-69f5-4237-9190-012177145e10';
/** Assigns a principal to an app that publishes no app roles (the appRoleAssignment reference). */
const defaultAppRoleId = '00000000-0000-0000-0000-000000000000';

// ---------------------------------------------------------------------------------------------
// Errors

/** A Graph error body: `{error:{code,message,innerError:{date,request-id,client-request-id}}}`. */
function graphError(status: number, code: string, message: string, now: Date = new Date()): ApiResponse {
  const requestId = randomUUID();
  const clientRequestId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache', 'request-id': requestId, 'client-request-id': clientRequestId },
    body: { error: { code, message, innerError: { date: now.toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': clientRequestId } } },
  };
}

function lastSegment(path: string): string {
  const segment = path.split('/').filter(Boolean).at(-1) ?? path;
  return safeDecode(segment);
}

/** How Microsoft Graph words its errors. */
export const graphErrors: ApiErrorShapes = {
  unauthenticated() {
    const answer = graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    return { ...answer, headers: { ...answer.headers, 'www-authenticate': graphWwwAuthenticate } };
  },
  insufficientScopes: () => graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  notFound: (path) => graphError(404, 'Request_ResourceNotFound', `Resource '${lastSegment(path)}' does not exist or one of its queried reference-property objects are not present.`),
  badRequest: (message) => graphError(400, 'BadRequest', message),
};

/** Graph throttles with 429 and Retry-After, and says 503 when a service is down. */
export const graphFaults: ApiFaultShapes = {
  rateLimited(retryAfterSeconds) {
    const answer = graphError(429, 'TooManyRequests', 'Too many requests. Retry after the interval in the Retry-After header.');
    return { ...answer, headers: { ...answer.headers, 'retry-after': String(retryAfterSeconds) } };
  },
  unavailable(retryAfterSeconds = 2) {
    const answer = graphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.');
    if (retryAfterSeconds === null) return answer;
    return { ...answer, headers: { ...answer.headers, 'retry-after': String(retryAfterSeconds) } };
  },
};

/** Thrown inside a handler to answer with a Graph error; the route wrapper turns it into the response. */
class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Entra's own account status (Google's suspension is another account's). */
function entraAccountEnabled(tenant: SimulatedTenant, user: SampleUser): boolean {
  return tenant.entraAccountEnabled.get(user.graphId) ?? true;
}

const notFound = (id: string) => new GraphFailure(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
const badRequest = (message: string) => new GraphFailure(400, 'Request_BadRequest', message);
const unsupportedQuery = (message: string) => new GraphFailure(400, 'Request_UnsupportedQuery', message);
const invalidProperty = (property: string, resource: string) => badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`);

// ---------------------------------------------------------------------------------------------
// Small helpers

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** Graph writes whole seconds without a fraction. */
function graphTimestamp(iso: string): string {
  return iso.replace(/\.000Z$/, 'Z');
}

/** A GUID in .NET byte order, the way Graph builds grant and assignment ids from object ids. */
function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) return createHash('md5').update(guid).digest();
  const bytes = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from(bytes.subarray(0, 4)).reverse(), Buffer.from(bytes.subarray(4, 6)).reverse(), Buffer.from(bytes.subarray(6, 8)).reverse(), bytes.subarray(8)]);
}

/** Graph's grant ids are the client, resource (and principal) object ids, base64url-encoded. */
export function permissionGrantId(clientId: string, resourceId: string, principalId: string | null): string {
  return Buffer.concat([guidBytes(clientId), guidBytes(resourceId), ...(principalId === null ? [] : [guidBytes(principalId)])]).toString('base64url');
}

/** An app role assignment id starts with the principal's object id. */
export function appRoleAssignmentId(principalId: string): string {
  return Buffer.concat([guidBytes(principalId), randomBytes(16)]).toString('base64url');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** A stable GUID for an object the seed does not hold (an activated directory role). */
function guidFrom(text: string): string {
  const hex = digest(text).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function readHeader(headers: IncomingHttpHeaders | Record<string, string>, name: string): string | undefined {
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = found?.[1];
  return Array.isArray(value) ? value[0] : value;
}

// ---------------------------------------------------------------------------------------------
// Resource types: which properties exist, which are returned by default, which can be filtered

type FilterValue = string | boolean | null;

/** A property `$filter` can test: one value with `eq`, or a string collection with `any(x:x eq …)`. */
type Filterable<T> = { kind: 'string' | 'boolean'; get(item: T): FilterValue } | { kind: 'collection'; get(item: T): readonly string[] };

export interface ResourceType<T> {
  /** `microsoft.graph.user`, for "Could not find a property" errors. */
  odataType: string;
  /** `User`, for Request_UnsupportedQuery errors. */
  resourceName: string;
  /** Every property, in the order Graph writes them. */
  properties: readonly string[];
  /** Returned without `$select` (all properties when absent). */
  defaultProperties?: readonly string[];
  /** Properties that support `$filter` with `eq` (a collection: inside `any`). */
  filters: Readonly<Record<string, Filterable<T>>>;
}

function canonicalProperty(type: ResourceType<unknown>, name: string): string | undefined {
  return type.properties.find((property) => property.toLowerCase() === name.toLowerCase());
}

interface Selection {
  properties: readonly string[];
  /** For `@odata.context`: `users(id,displayName)`. */
  contextSuffix: string;
}

function parseSelect<T>(query: URLSearchParams, type: ResourceType<T>): Selection {
  const raw = query.get('$select');
  if (raw === null || raw.trim() === '') return { properties: type.defaultProperties ?? type.properties, contextSuffix: '' };
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const selected: string[] = [];
  for (const name of names) {
    if (name === '*') {
      selected.push(...type.properties);
      continue;
    }
    const property = canonicalProperty(type, name);
    if (!property) throw new GraphFailure(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${type.odataType}'.`);
    selected.push(property);
  }
  const unique = new Set(selected);
  return { properties: type.properties.filter((property) => unique.has(property)), contextSuffix: `(${[...unique].join(',')})` };
}

function project(record: Record<string, unknown>, properties: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of properties) if (property in record) out[property] = record[property];
  return out;
}

interface Token {
  kind: 'string' | 'word' | 'punct';
  value: string;
  at: number;
}

function tokenizeFilter(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:'((?:[^']|'')*)'|([(),])|([^\s(),']+))/y;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) throw new GraphFailure(400, 'BadRequest', `Invalid filter clause: There is an unterminated string literal at position ${index} in '${text}'.`);
    const at = match.index + match[0].length - match[0].trimStart().length;
    if (match[1] !== undefined) tokens.push({ kind: 'string', value: match[1].replace(/''/g, "'"), at });
    else if (match[2] !== undefined) tokens.push({ kind: 'punct', value: match[2], at });
    else tokens.push({ kind: 'word', value: match[3]!, at });
    index = pattern.lastIndex;
  }
  return tokens;
}

const comparisonOperators = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'has']);

/**
 * The `$filter` subset the simulator understands: `property eq literal` and, on a string
 * collection, `collection/any(x:x eq literal)`, joined with `and`, on the properties a resource
 * lets you filter. Anything else is refused with a 400, as Graph refuses what a directory resource
 * does not support.
 */
function parseFilter<T>(text: string, type: ResourceType<T>): (item: T) => boolean {
  const tokens = tokenizeFilter(text);
  const syntaxError = (at: number) => new GraphFailure(400, 'BadRequest', `Invalid filter clause: Syntax error at position ${at} in '${text}'.`);
  const unsupportedFor = (property: string) => unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${property}' of resource '${type.resourceName}'.`);
  const clauses: ((item: T) => boolean)[] = [];
  let index = 0;
  if (tokens.length === 0) throw syntaxError(0);
  for (;;) {
    const name = tokens[index];
    const operator = tokens[index + 1];
    if (!name) throw syntaxError(text.length);
    if (name.kind === 'punct' && name.value === '(') throw unsupportedQuery('Unsupported Query.');
    if (name.kind !== 'word') throw syntaxError(name.at);
    const collection = /^([^/]+)\/any$/i.exec(name.value)?.[1];
    const lambda = collection !== undefined && operator?.kind === 'punct' && operator.value === '(';
    clauses.push(lambda ? anyClause(tokens.slice(index + 2, index + 6), collection) : eqClause(name, operator, tokens[index + 2]));
    index += lambda ? 6 : 3;
    const joiner = tokens[index];
    if (!joiner) break;
    if (joiner.kind === 'word' && joiner.value.toLowerCase() === 'and') {
      index += 1;
      continue;
    }
    if (joiner.kind === 'word' && joiner.value.toLowerCase() === 'or') throw unsupportedQuery('Unsupported Query.');
    throw syntaxError(joiner.at);
  }
  return (item) => clauses.every((clause) => clause(item));

  /** `property eq literal`. */
  function eqClause(name: Token, operator: Token | undefined, literal: Token | undefined): (item: T) => boolean {
    if (['not', 'any', 'all'].includes(name.value.toLowerCase()) || (operator?.kind === 'punct' && operator.value === '(')) throw unsupportedQuery('Unsupported Query.');
    const property = canonicalProperty(type as ResourceType<unknown>, name.value);
    if (!property) throw new GraphFailure(400, 'BadRequest', `Could not find a property named '${name.value}' on type '${type.odataType}'.`);
    if (!operator || operator.kind !== 'word' || !comparisonOperators.has(operator.value.toLowerCase())) throw syntaxError(operator?.at ?? text.length);
    const filter = type.filters[property];
    if (!filter || filter.kind === 'collection' || operator.value.toLowerCase() !== 'eq') throw unsupportedFor(property);
    if (!literal) throw syntaxError(text.length);
    let expected: FilterValue;
    if (literal.kind === 'string') expected = literal.value;
    else if (literal.kind === 'word' && ['true', 'false'].includes(literal.value.toLowerCase())) expected = literal.value.toLowerCase() === 'true';
    else if (literal.kind === 'word' && literal.value.toLowerCase() === 'null') expected = null;
    else throw syntaxError(literal.at);
    if (expected !== null && typeof expected !== (filter.kind === 'boolean' ? 'boolean' : 'string')) {
      const edm = (kind: string) => (kind === 'boolean' ? 'Edm.Boolean' : 'Edm.String');
      throw new GraphFailure(400, 'BadRequest', `A binary operator with incompatible types was detected. Found operand types '${edm(filter.kind)}' and '${edm(typeof expected)}' for operator kind 'Equal'.`);
    }
    return (item) => {
      const actual = filter.get(item);
      if (expected === null || actual === null) return actual === expected;
      return typeof expected === 'string' ? String(actual).toLowerCase() === expected.toLowerCase() : actual === expected;
    };
  }

  /** `(x:x eq 'literal')` after `collection/any`: a member equal to the literal, ignoring case as the directory does. */
  function anyClause(lambdaTokens: Token[], collection: string): (item: T) => boolean {
    const property = canonicalProperty(type as ResourceType<unknown>, collection);
    if (!property) throw new GraphFailure(400, 'BadRequest', `Could not find a property named '${collection}' on type '${type.odataType}'.`);
    const filter = type.filters[property];
    if (filter?.kind !== 'collection') throw unsupportedFor(property);
    const [variable, operator, literal, close] = lambdaTokens;
    const [range, used] = variable?.kind === 'word' ? variable.value.split(':') : [];
    if (!range || range !== used || operator?.kind !== 'word' || operator.value.toLowerCase() !== 'eq' || literal?.kind !== 'string' || close?.kind !== 'punct' || close.value !== ')') {
      throw unsupportedQuery('Unsupported Query.');
    }
    const expected = literal.value.toLowerCase();
    return (item) => filter.get(item).some((value) => value.toLowerCase() === expected);
  }
}

// ---------------------------------------------------------------------------------------------
// Paging: an opaque $skiptoken that remembers where the last page ended

interface PageCursor {
  /** Offset of the next item. */
  o: number;
  /** Id of the last item returned, so a page boundary survives deletions made while paging. */
  k: string;
}

function encodeSkipToken(cursor: PageCursor): string {
  // Graph's directory tokens start with "RFNwdA" ("DSpt"); these do too, and are just as opaque.
  return Buffer.from(`DSpt${JSON.stringify(cursor)}`, 'utf8').toString('base64url');
}

function decodeSkipToken(token: string): PageCursor {
  try {
    const text = Buffer.from(token, 'base64url').toString('utf8');
    if (!text.startsWith('DSpt')) throw new Error('not ours');
    const cursor = asRecord(JSON.parse(text.slice(4)));
    if (cursor && typeof cursor.o === 'number' && Number.isInteger(cursor.o) && cursor.o >= 0 && typeof cursor.k === 'string') return { o: cursor.o, k: cursor.k };
  } catch {
    // fall through
  }
  throw new GraphFailure(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
}

const unsupportedQueryOptions = ['$orderby', '$search', '$expand', '$count', '$skip', '$format', '$compute', '$apply'];

function rejectUnsupportedOptions(query: URLSearchParams, allowed: readonly string[] = []): void {
  for (const option of unsupportedQueryOptions) {
    if (query.has(option) && !allowed.includes(option)) throw unsupportedQuery(`The query option '${option}' is not supported by this simulated Graph API.`);
  }
}

function pageSize(query: URLSearchParams): number {
  const raw = query.get('$top');
  if (raw === null) return defaultPageSize;
  const size = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) throw unsupportedQuery(`Invalid page size specified: '${raw}'. Must be between 1 and ${maxPageSize} inclusive.`);
  return size;
}

/** The query string of the next page: the caller's options (in their order) with a new $skiptoken. */
function nextLinkQuery(query: URLSearchParams, skipToken: string): string {
  const parts: string[] = [];
  for (const [key, value] of query) {
    if (key.toLowerCase() === '$skiptoken') continue;
    // Commas stay readable, as in Graph's own links ($select=id,displayName).
    parts.push(`${key}=${encodeURIComponent(value).replace(/%2C/gi, ',')}`);
  }
  parts.push(`$skiptoken=${skipToken}`);
  return parts.join('&');
}

// ---------------------------------------------------------------------------------------------
// The routes

export interface GraphRoutesOptions {
  /** The simulated service root, e.g. `https://127.0.0.1:PORT/v1.0`: `@odata.context` and `@odata.nextLink` start with it. */
  baseUrl: string;
  clock?: () => Date;
  /** The account (UPN or object id) a bearer token was issued to; the tenant's first admin when unknown. */
  callerOf?(token: string): Promise<string | null>;
}

const scopes = {
  usersRead: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  usersEnable: ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  usersRevoke: ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  grantsRead: ['DelegatedPermissionGrant.Read.All', 'Directory.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
  grantsWrite: ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
  appsRead: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  appsWrite: ['Application.ReadWrite.All', 'Directory.ReadWrite.All'],
  assignmentsRead: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'],
  assignmentsWrite: ['AppRoleAssignment.ReadWrite.All'],
  // The reference for GET /users/{id}/appRoleAssignments names these two only.
  userAssignmentsRead: ['AppRoleAssignment.ReadWrite.All', 'Directory.Read.All'],
  rolesRead: ['RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  policyRead: ['Policy.Read.All', 'Policy.ReadWrite.Authorization'],
  organizationRead: ['User.Read', 'Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All', 'Directory.ReadWrite.All'],
} as const;

interface GraphAppRole {
  allowedMemberTypes: string[];
  description: string;
  displayName: string;
  id: string;
  isEnabled: boolean;
  origin: string;
  value: string;
}

/** Microsoft Graph application permissions: the tenant's (ids from sample-tenant) and a few more admins meet. */
const graphAppRoleText: Record<string, [displayName: string, description: string]> = {
  'User.Read.All': ["Read all users' full profiles", 'Allows the app to read user profiles without a signed in user.'],
  'Directory.ReadWrite.All': ['Read and write directory data', "Allows the app to read and write data in your organization's directory, such as users, and groups, without a signed-in user. Does not allow user or group deletion."],
  'Mail.ReadWrite': ['Read and write mail in all mailboxes', 'Allows the app to create, read, update, and delete mail in all mailboxes without a signed-in user. Does not include permission to send mail.'],
  'Files.ReadWrite.All': ['Read and write files in all site collections', 'Allows the app to read, create, update and delete all files in all site collections without a signed in user.'],
  'Sites.ReadWrite.All': ['Read and write items in all site collections', 'Allows the app to create, read, update, and delete documents and list items in all site collections without a signed in user.'],
  'RoleManagement.ReadWrite.Directory': ['Read and write all directory RBAC settings', "Allows the app to read and manage the role-based access control (RBAC) settings for your company's directory, without a signed-in user."],
  'AppRoleAssignment.ReadWrite.All': ['Manage app permission grants and app role assignments', 'Allows the app to manage permission grants for application permissions to any API (including Microsoft Graph) and application assignments for any app, without a signed-in user.'],
  'Policy.Read.All': ["Read your organization's policies", "Allows the app to read all your organization's policies without a signed in user."],
  'Application.ReadWrite.All': ['Read and write all applications', 'Allows the app to create, read, update and delete applications and service principals without a signed-in user.'],
  'Directory.Read.All': ['Read directory data', "Allows the app to read data in your organization's directory, such as users, groups and apps, without a signed-in user."],
};

const extraGraphAppRoleIds: Record<string, string> = {
  'Application.ReadWrite.All': '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
};

export const graphAppRoles: readonly GraphAppRole[] = Object.entries({ ...graphAppRoleIds, ...extraGraphAppRoleIds }).map(([value, id]) => {
  const [displayName, description] = graphAppRoleText[value] ?? [value, value];
  return { allowedMemberTypes: ['Application'], description, displayName, id, isEnabled: true, origin: 'Application', value };
});

/** A service principal as the simulator knows it: one of the tenant's apps, or Microsoft Graph itself. */
interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  app?: SampleApp | SamplePublishedApp;
}

/** The tenant's initial domain, `<name>.onmicrosoft.com`, which Entra gives every tenant. */
function initialDomain(tenant: SimulatedTenant): string {
  return `${tenant.domain.split('.')[0]!.replace(/[^a-z0-9]/gi, '')}.onmicrosoft.com`;
}

/** A user's sign-in name: their primary address unless it was set apart. */
function userPrincipalName(tenant: SimulatedTenant, user: SampleUser): string {
  return tenant.entraUserPrincipalNames.get(user.graphId) ?? user.primaryEmail;
}

/**
 * The user's proxyAddresses as Exchange Online keeps them: `SMTP:` the primary (mail), `smtp:` each
 * alias; every mailbox has one on the tenant's initial domain.
 */
function proxyAddresses(tenant: SimulatedTenant, user: SampleUser): string[] {
  return [`SMTP:${user.primaryEmail}`, `smtp:${user.primaryEmail.split('@')[0]}@${initialDomain(tenant)}`];
}

/** Users as Graph serves them; accountEnabled is the tenant's own Entra status. */
const userTypeOf = (tenant: SimulatedTenant): ResourceType<SampleUser> => ({
  odataType: 'microsoft.graph.user',
  resourceName: 'User',
  properties: ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id', 'accountEnabled', 'createdDateTime', 'proxyAddresses', 'userType', 'signInSessionsValidFromDateTime'],
  // Graph's default set: accountEnabled and the rest come only with $select.
  defaultProperties: ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'],
  filters: {
    id: { kind: 'string', get: (user) => user.graphId },
    userPrincipalName: { kind: 'string', get: (user) => userPrincipalName(tenant, user) },
    mail: { kind: 'string', get: (user) => user.primaryEmail },
    proxyAddresses: { kind: 'collection', get: (user) => proxyAddresses(tenant, user) },
    displayName: { kind: 'string', get: (user) => `${user.givenName} ${user.familyName}` },
    givenName: { kind: 'string', get: (user) => user.givenName },
    surname: { kind: 'string', get: (user) => user.familyName },
    accountEnabled: { kind: 'boolean', get: (user) => entraAccountEnabled(tenant, user) },
    userType: { kind: 'string', get: () => 'Member' },
  },
});

const grantType: ResourceType<SamplePermissionGrant> = {
  odataType: 'microsoft.graph.oAuth2PermissionGrant',
  resourceName: 'OAuth2PermissionGrant',
  properties: ['clientId', 'consentType', 'id', 'principalId', 'resourceId', 'scope'],
  filters: {
    id: { kind: 'string', get: (grant) => grant.id },
    clientId: { kind: 'string', get: (grant) => grant.clientId },
    consentType: { kind: 'string', get: (grant) => grant.consentType },
    principalId: { kind: 'string', get: (grant) => grant.principalId },
    resourceId: { kind: 'string', get: (grant) => grant.resourceId },
  },
};

const servicePrincipalPropertyType: ResourceType<ServicePrincipal> = {
  odataType: 'microsoft.graph.servicePrincipal',
  resourceName: 'ServicePrincipal',
  properties: ['id', 'deletedDateTime', 'accountEnabled', 'appDisplayName', 'appId', 'appOwnerOrganizationId', 'appRoleAssignmentRequired', 'appRoles', 'displayName', 'homepage', 'keyCredentials', 'passwordCredentials', 'preferredTokenSigningKeyThumbprint', 'publisherName', 'replyUrls', 'servicePrincipalNames', 'servicePrincipalType', 'signInAudience', 'tags', 'oauth2PermissionScopes', 'verifiedPublisher'],
  filters: {
    id: { kind: 'string', get: (sp) => sp.id },
    appId: { kind: 'string', get: (sp) => sp.appId },
    displayName: { kind: 'string', get: (sp) => sp.displayName },
    servicePrincipalType: { kind: 'string', get: () => 'Application' },
  },
};

const assignmentType: ResourceType<SampleAppRoleAssignment> = {
  odataType: 'microsoft.graph.appRoleAssignment',
  resourceName: 'AppRoleAssignment',
  properties: ['id', 'deletedDateTime', 'appRoleId', 'createdDateTime', 'principalDisplayName', 'principalId', 'principalType', 'resourceDisplayName', 'resourceId'],
  filters: {
    principalId: { kind: 'string', get: (assignment) => assignment.principalId },
    resourceId: { kind: 'string', get: (assignment) => assignment.resourceId },
    appRoleId: { kind: 'string', get: (assignment) => assignment.appRoleId },
  },
};

/** The tenant itself: Graph lists exactly one organization, whose id is the tenant id. */
const organizationType: ResourceType<SimulatedTenant> = {
  odataType: 'microsoft.graph.organization',
  resourceName: 'Organization',
  properties: ['id', 'deletedDateTime', 'createdDateTime', 'displayName', 'tenantType', 'verifiedDomains'],
  filters: {},
};

const applicationType: ResourceType<SampleAppRegistration> = {
  odataType: 'microsoft.graph.application',
  resourceName: 'Application',
  properties: ['id', 'deletedDateTime', 'appId', 'createdDateTime', 'description', 'displayName', 'publisherDomain', 'signInAudience', 'tags', 'keyCredentials', 'passwordCredentials'],
  filters: {
    id: { kind: 'string', get: (application) => application.id },
    appId: { kind: 'string', get: (application) => application.appId },
    displayName: { kind: 'string', get: (application) => application.displayName },
  },
};

export type GraphHandler = (request: ApiRequest, params: Record<string, string>) => ApiResponse | Promise<ApiResponse>;
type Handler = GraphHandler;

/** The Graph routes over the live tenant. */
export function graphRoutes(tenant: SimulatedTenant, options: GraphRoutesOptions): ApiRoute[] {
  const clock = options.clock ?? (() => new Date());
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const context = (suffix: string) => `${baseUrl}/$metadata#${suffix}`;

  // --- lookups ---------------------------------------------------------------------------------

  let usersById = new Map<string, SampleUser>();
  let indexedUsers: SampleUser[] | undefined;
  let indexedCount = -1;
  const userIndex = () => {
    if (indexedUsers !== tenant.users || indexedCount !== tenant.users.length) {
      usersById = new Map(tenant.users.flatMap((user) => [[user.graphId.toLowerCase(), user] as const, [user.primaryEmail.toLowerCase(), user] as const]));
      indexedUsers = tenant.users;
      indexedCount = tenant.users.length;
    }
    return usersById;
  };
  /** By object id or sign-in name, as Graph's /users/{id | userPrincipalName}. */
  const findUser = (key: string) => {
    const wanted = key.toLowerCase();
    const renamed = [...tenant.entraUserPrincipalNames].find(([, name]) => name.toLowerCase() === wanted);
    if (renamed) return userIndex().get(renamed[0].toLowerCase());
    const user = userIndex().get(wanted);
    // Once a user's sign-in name is set apart from their mail, the mail no longer finds them.
    return user && (user.graphId.toLowerCase() === wanted || !tenant.entraUserPrincipalNames.has(user.graphId)) ? user : undefined;
  };
  const requireUser = (key: string) => {
    const user = findUser(key);
    if (!user) throw notFound(key);
    return user;
  };

  const graphServicePrincipal = (): ServicePrincipal => ({ id: tenant.graphServicePrincipalId, appId: microsoftGraphAppId, displayName: 'Microsoft Graph' });
  const servicePrincipals = (): ServicePrincipal[] => [graphServicePrincipal(), ...appServicePrincipals(tenant)];
  // Sign-in settings change through PATCH, so the type filters on the live values.
  const servicePrincipalType: ResourceType<ServicePrincipal> = {
    ...servicePrincipalPropertyType,
    filters: {
      ...servicePrincipalPropertyType.filters,
      accountEnabled: { kind: 'boolean', get: (sp) => servicePrincipalSettings(tenant, sp.id).accountEnabled },
      appRoleAssignmentRequired: { kind: 'boolean', get: (sp) => servicePrincipalSettings(tenant, sp.id).appRoleAssignmentRequired },
    },
  };
  const findServicePrincipal = (id: string) => servicePrincipals().find((sp) => sameId(sp.id, id));
  const requireServicePrincipal = (params: Record<string, string>) => {
    const appId = params.appId === undefined ? undefined : safeDecode(params.appId);
    const id = safeDecode(params.id ?? '');
    const sp = appId === undefined ? findServicePrincipal(id) : servicePrincipals().find((candidate) => sameId(candidate.appId, appId));
    if (!sp) throw notFound(appId ?? id);
    return sp;
  };
  const appRolesOf = (sp: ServicePrincipal): readonly GraphAppRole[] => (sp.id === tenant.graphServicePrincipalId ? graphAppRoles : []);

  const requireApplication = (params: Record<string, string>) => {
    const appId = params.appId === undefined ? undefined : safeDecode(params.appId);
    const id = safeDecode(params.id ?? '');
    const application = tenant.appRegistrations.find((candidate) => (appId === undefined ? sameId(candidate.id, id) : sameId(candidate.appId, appId)));
    if (!application) throw notFound(appId ?? id);
    return application;
  };

  const findGrant = (id: string) => tenant.permissionGrants.find((grant) => grant.id === id);

  // --- rendering -------------------------------------------------------------------------------

  const userType = userTypeOf(tenant);
  const renderUser = (user: SampleUser): Record<string, unknown> => ({
    businessPhones: [],
    displayName: `${user.givenName} ${user.familyName}`,
    givenName: user.givenName,
    jobTitle: null,
    mail: user.primaryEmail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: user.familyName,
    userPrincipalName: userPrincipalName(tenant, user),
    id: user.graphId,
    accountEnabled: entraAccountEnabled(tenant, user),
    createdDateTime: graphTimestamp(user.creationTime),
    proxyAddresses: proxyAddresses(tenant, user),
    userType: 'Member',
    signInSessionsValidFromDateTime: tenant.signInSessionsValidFrom.get(user.graphId) ?? graphTimestamp(user.creationTime),
  });

  const renderGrant = (grant: SamplePermissionGrant): Record<string, unknown> => ({
    clientId: grant.clientId,
    consentType: grant.consentType,
    id: grant.id,
    principalId: grant.principalId,
    resourceId: grant.resourceId,
    scope: grant.scope,
  });

  const verifiedPublisher = (app: ServicePrincipal['app']) => {
    if (!app?.verified) return { displayName: null, verifiedPublisherId: null, addedDateTime: null };
    const hash = digest(`mpn:${app.appId}`);
    const daysBefore = 30 + (hash.readUInt16BE(4) % 900);
    return {
      displayName: app.publisher,
      verifiedPublisherId: String(1_000_000 + (hash.readUInt32BE(0) % 9_000_000)),
      addedDateTime: graphTimestamp(new Date(Date.parse(tenant.referenceTime) - daysBefore * 86_400_000).toISOString()),
    };
  };

  /** `withKeys`: a `$select=keyCredentials` read of this one service principal, the only read that returns `key`. */
  const renderServicePrincipal = (sp: ServicePrincipal, withKeys = false): Record<string, unknown> => {
    const isGraph = sp.id === tenant.graphServicePrincipalId;
    const app = sp.app;
    const settings = servicePrincipalSettings(tenant, sp.id);
    const credentials = servicePrincipalCredentials(tenant.servicePrincipalCredentials, sp.id);
    return {
      id: sp.id,
      deletedDateTime: null,
      accountEnabled: settings.accountEnabled,
      appDisplayName: sp.displayName,
      appId: sp.appId,
      appOwnerOrganizationId: isGraph ? microsoftServicesTenantId : (app?.appOwnerOrganizationId ?? null),
      appRoleAssignmentRequired: settings.appRoleAssignmentRequired,
      appRoles: appRolesOf(sp),
      displayName: sp.displayName,
      homepage: null,
      keyCredentials: (credentials?.keyCredentials ?? []).map((credential) => renderKeyCredential(credential, withKeys)),
      passwordCredentials: (credentials?.passwordCredentials ?? []).map(renderPasswordCredential),
      preferredTokenSigningKeyThumbprint: credentials?.preferredTokenSigningKeyThumbprint ?? null,
      publisherName: isGraph ? 'Microsoft Services' : app && app.publisher !== 'unknown' ? app.publisher : null,
      replyUrls: [],
      servicePrincipalNames: isGraph ? [microsoftGraphAppId, 'https://graph.microsoft.com'] : [sp.appId],
      servicePrincipalType: 'Application',
      signInAudience: app && 'internal' in app && app.internal ? 'AzureADMyOrg' : 'AzureADMultipleOrgs',
      tags: isGraph ? [] : ['WindowsAzureActiveDirectoryIntegratedApp'],
      oauth2PermissionScopes: isGraph ? graphPermissionScopes : [],
      verifiedPublisher: verifiedPublisher(app),
    };
  };

  const principalTypeOf = (principalId: string) => (findUser(principalId) ? 'User' : 'ServicePrincipal');
  const renderAssignment = (assignment: SampleAppRoleAssignment): Record<string, unknown> => ({
    id: assignment.id,
    deletedDateTime: null,
    appRoleId: assignment.appRoleId,
    createdDateTime: graphTimestamp(assignment.createdDateTime),
    principalDisplayName: assignment.principalDisplayName,
    principalId: assignment.principalId,
    principalType: principalTypeOf(assignment.principalId),
    resourceDisplayName: assignment.resourceDisplayName,
    resourceId: assignment.resourceId,
  });

  const renderOrganization = (organization: SimulatedTenant): Record<string, unknown> => ({
    id: organization.entraTenantId,
    deletedDateTime: null,
    createdDateTime: graphTimestamp(new Date(Date.parse(organization.referenceTime) - 3 * 365 * 86_400_000).toISOString()),
    displayName: 'Sample Company',
    tenantType: 'AAD',
    verifiedDomains: [
      { capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: false, name: organization.domain, type: 'Managed' },
      { capabilities: 'Email, OfficeCommunicationsOnline', isDefault: false, isInitial: true, name: initialDomain(organization), type: 'Managed' },
    ],
  });

  /** `withKeys`: a `$select=keyCredentials` read of this one app, the only read that returns each certificate's `key`. */
  const renderApplication = (application: SampleAppRegistration, withKeys = false): Record<string, unknown> => {
    const starts = [...application.passwordCredentials, ...application.keyCredentials].map((credential) => Date.parse(credential.startDateTime));
    const created = starts.length > 0 ? new Date(Math.min(...starts)).toISOString() : tenant.referenceTime;
    return {
      id: application.id,
      deletedDateTime: null,
      appId: application.appId,
      createdDateTime: graphTimestamp(created),
      description: null,
      displayName: application.displayName,
      publisherDomain: tenant.domain,
      signInAudience: application.signInAudience,
      tags: [],
      keyCredentials: application.keyCredentials.map((credential) => renderKeyCredential(credential, withKeys)),
      passwordCredentials: application.passwordCredentials.map(renderPasswordCredential),
    };
  };

  // --- responses -------------------------------------------------------------------------------

  function list<T>(request: ApiRequest, spec: GraphListSpec<T>): ApiResponse {
    rejectUnsupportedOptions(request.query, spec.expand ? ['$expand'] : []);
    const selection = parseSelect(request.query, spec.type);
    const filterText = request.query.get('$filter');
    const expandText = request.query.get('$expand');
    const expand = expandText === null ? undefined : spec.expand?.(expandText);
    const matching = filterText === null ? spec.items : spec.items.filter(spec.filter?.(filterText) ?? parseFilter(filterText, spec.type));
    const size = pageSize(request.query);
    const token = request.query.get('$skiptoken') ?? request.query.get('$skipToken');
    let start = 0;
    if (token !== null) {
      const cursor = decodeSkipToken(token);
      const after = matching.findIndex((item) => spec.idOf(item) === cursor.k);
      start = after >= 0 ? after + 1 : Math.min(cursor.o, matching.length);
    }
    const page = matching.slice(start, start + size);
    const body: Record<string, unknown> = { '@odata.context': context(`${spec.entitySet}${selection.contextSuffix}`) };
    const last = page.at(-1);
    if (start + page.length < matching.length && last !== undefined) {
      const skipToken = encodeSkipToken({ o: start + page.length, k: spec.idOf(last) });
      body['@odata.nextLink'] = `${baseUrl}${request.path.slice(versionPrefix.length)}?${nextLinkQuery(request.query, skipToken)}`;
    }
    body.value = page.map((item) => {
      const rendered = project(spec.render(item), selection.properties);
      expand?.(item, rendered);
      return rendered;
    });
    return { status: 200, body };
  }

  function entity<T>(request: ApiRequest, spec: { item: T; type: ResourceType<T>; render(item: T): Record<string, unknown>; entitySet: string }): ApiResponse {
    const selection = parseSelect(request.query, spec.type);
    return { status: 200, body: { '@odata.context': context(`${spec.entitySet}${selection.contextSuffix}/$entity`), ...project(spec.render(spec.item), selection.properties) } };
  }

  const requireBody = (request: ApiRequest) => {
    const body = asRecord(request.body);
    if (!body) throw new GraphFailure(400, 'BadRequest', 'Empty Payload. JSON content expected.');
    return body;
  };

  // --- handlers --------------------------------------------------------------------------------

  const updateUser: Handler = (request, params) => {
    const user = requireUser(safeDecode(params.id!));
    const body = requireBody(request);
    for (const [property, value] of Object.entries(body)) {
      if (property === 'accountEnabled') {
        if (typeof value !== 'boolean') throw new GraphFailure(400, 'BadRequest', `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Boolean'.`);
      } else if (canonicalProperty(userType as ResourceType<unknown>, property)) {
        throw badRequest(`Updating '${property}' is not supported by this simulated Graph API; only accountEnabled can be changed.`);
      } else {
        throw new GraphFailure(400, 'BadRequest', `Invalid property '${property}'.`);
      }
    }
    // Graph answers 204 either way; only a change is an effect. Google's suspension is left alone.
    if (typeof body.accountEnabled !== 'boolean' || entraAccountEnabled(tenant, user) === body.accountEnabled) return { status: 204 };
    tenant.entraAccountEnabled.set(user.graphId, body.accountEnabled);
    return { status: 204, effects: [`microsoft.user.account_enabled:${user.graphId}:${String(body.accountEnabled)}`] };
  };

  const revokeSignInSessions: Handler = (_request, params) => {
    const user = requireUser(safeDecode(params.id!));
    tenant.revokedSessionGraphUsers.add(user.graphId);
    // Graph keeps whole seconds. Every call moves the time, so every call is an effect.
    tenant.signInSessionsValidFrom.set(user.graphId, `${clock().toISOString().slice(0, 19)}Z`);
    return { status: 200, body: { '@odata.context': context('Edm.Boolean'), value: true }, effects: [`microsoft.sessions.revoke:${user.graphId}`] };
  };

  const createGrant: Handler = (request) => {
    const body = requireBody(request);
    const resource = 'OAuth2PermissionGrant';
    const { clientId, consentType, principalId, resourceId, scope } = body;
    if (typeof clientId !== 'string' || !findServicePrincipal(clientId)) throw invalidProperty('clientId', resource);
    if (consentType !== 'AllPrincipals' && consentType !== 'Principal') throw invalidProperty('consentType', resource);
    if (typeof resourceId !== 'string' || !findServicePrincipal(resourceId)) throw invalidProperty('resourceId', resource);
    // The reference says each value "should match" a scope the resource publishes; it does not say
    // Graph refuses others, so any string is kept, as written.
    if (typeof scope !== 'string') throw invalidProperty('scope', resource);
    let principal: string | null = null;
    if (consentType === 'Principal') {
      if (typeof principalId !== 'string' || !findUser(principalId)) throw invalidProperty('principalId', resource);
      principal = findUser(principalId)!.graphId;
    } else if (principalId !== undefined && principalId !== null) {
      throw invalidProperty('principalId', resource);
    }
    const client = findServicePrincipal(clientId)!.id;
    const api = findServicePrincipal(resourceId)!.id;
    const duplicate = tenant.permissionGrants.some((grant) => sameId(grant.clientId, client) && grant.consentType === consentType && sameId(grant.resourceId, api) && (principal === null ? grant.principalId === null : sameId(grant.principalId, principal)));
    if (duplicate) throw new GraphFailure(409, 'Request_MultipleObjectsWithSameKeyValue', 'Permission entry already exists.');
    const id = permissionGrantId(client, api, principal);
    const grant: SamplePermissionGrant = { id, clientId: client, consentType, principalId: principal, resourceId: api, scope };
    tenant.permissionGrants.push(grant);
    return { status: 201, body: { '@odata.context': context('oauth2PermissionGrants/$entity'), ...renderGrant(grant) } };
  };

  const updateGrant: Handler = (request, params) => {
    const grant = findGrant(safeDecode(params.id!));
    if (!grant) throw notFound(safeDecode(params.id!));
    const body = requireBody(request);
    if (typeof body.scope !== 'string') throw invalidProperty('scope', 'OAuth2PermissionGrant');
    grant.scope = body.scope;
    return { status: 204 };
  };

  const deleteGrant: Handler = (_request, params) => {
    const id = safeDecode(params.id!);
    const index = tenant.permissionGrants.findIndex((grant) => grant.id === id);
    if (index < 0) throw notFound(id);
    const [deleted] = tenant.permissionGrants.splice(index, 1);
    return { status: 204, effects: [`microsoft.delegated_grant.delete:${deleted!.principalId ?? 'AllPrincipals'}:${id}`] };
  };

  /**
   * An assignment as both create routes make it: the role must be one the resource publishes, or
   * the default role when it publishes none (the principal is assigned to the app without a role).
   */
  const assign = (sp: ServicePrincipal, principalId: string, appRoleId: string): SampleAppRoleAssignment => {
    const user = findUser(principalId);
    const principalSp = user ? undefined : findServicePrincipal(principalId);
    if (!user && !principalSp) throw notFound(principalId);
    const roles = appRolesOf(sp);
    const role = roles.find((candidate) => sameId(candidate.id, appRoleId)) ?? (roles.length === 0 && appRoleId === defaultAppRoleId ? { id: defaultAppRoleId, value: '' } : undefined);
    if (!role) throw badRequest(`Permission being assigned was not found on application '${sp.appId}'.`);
    const principal = user ? user.graphId : principalSp!.id;
    if (tenant.appRoleAssignments.some((assignment) => sameId(assignment.principalId, principal) && sameId(assignment.resourceId, sp.id) && sameId(assignment.appRoleId, role.id))) {
      throw badRequest('Permission being assigned already exists on the object');
    }
    const assignment: SampleAppRoleAssignment = {
      id: appRoleAssignmentId(principal),
      principalId: principal,
      principalDisplayName: user ? `${user.givenName} ${user.familyName}` : principalSp!.displayName,
      resourceId: sp.id,
      resourceDisplayName: sp.displayName,
      appRoleId: role.id,
      permission: role.value,
      createdDateTime: clock().toISOString(),
    };
    tenant.appRoleAssignments.push(assignment);
    return assignment;
  };

  const assignmentBody = (request: ApiRequest) => {
    const body = requireBody(request);
    const resource = 'AppRoleAssignment';
    const { principalId, resourceId, appRoleId } = body;
    if (typeof resourceId !== 'string') throw invalidProperty('resourceId', resource);
    if (typeof principalId !== 'string') throw invalidProperty('principalId', resource);
    if (typeof appRoleId !== 'string') throw invalidProperty('appRoleId', resource);
    return { principalId, resourceId, appRoleId };
  };

  const createAssignment: Handler = (request, params) => {
    const sp = requireServicePrincipal(params);
    const { principalId, resourceId, appRoleId } = assignmentBody(request);
    if (!sameId(resourceId, sp.id)) throw invalidProperty('resourceId', 'AppRoleAssignment');
    const assignment = assign(sp, principalId, appRoleId);
    return { status: 201, body: { '@odata.context': context(`servicePrincipals('${sp.id}')/appRoleAssignedTo/$entity`), ...renderAssignment(assignment) } };
  };

  /** Removes one assignment found by `matches`; both delete routes record the same effect. */
  const removeAssignment = (assignmentId: string, matches: (assignment: SampleAppRoleAssignment) => boolean): ApiResponse => {
    const index = tenant.appRoleAssignments.findIndex((assignment) => assignment.id === assignmentId && matches(assignment));
    if (index < 0) throw notFound(assignmentId);
    const [removed] = tenant.appRoleAssignments.splice(index, 1);
    return { status: 204, effects: [`microsoft.app_role_assignment.delete:${removed!.principalId}:${assignmentId}`] };
  };

  const deleteAssignment: Handler = (_request, params) => {
    const sp = requireServicePrincipal(params);
    return removeAssignment(safeDecode(params.assignmentId!), (assignment) => sameId(assignment.resourceId, sp.id));
  };

  // --- a user's app role assignments (GET/POST/DELETE /users/{id}/appRoleAssignments) ---------

  /** The user's own assignments; the sample company assigns no groups, so none come through a group. */
  const listUserAssignments: Handler = (request, params) => {
    const user = requireUser(safeDecode(params.id!));
    const items = tenant.appRoleAssignments.filter((assignment) => sameId(assignment.principalId, user.graphId));
    return list(request, { items, type: assignmentType, render: renderAssignment, idOf: (item) => item.id, entitySet: `users('${user.graphId}')/appRoleAssignments` });
  };

  const createUserAssignment: Handler = (request, params) => {
    const user = requireUser(safeDecode(params.id!));
    const { principalId, resourceId, appRoleId } = assignmentBody(request);
    if (!sameId(principalId, user.graphId)) throw invalidProperty('principalId', 'AppRoleAssignment');
    const sp = findServicePrincipal(resourceId);
    if (!sp) throw notFound(resourceId);
    const assignment = assign(sp, user.graphId, appRoleId);
    return { status: 201, body: { '@odata.context': context(`users('${user.graphId}')/appRoleAssignments/$entity`), ...renderAssignment(assignment) } };
  };

  const deleteUserAssignment: Handler = (_request, params) => {
    const user = requireUser(safeDecode(params.id!));
    return removeAssignment(safeDecode(params.assignmentId!), (assignment) => sameId(assignment.principalId, user.graphId));
  };

  // --- directory roles: only Global Administrator is activated; the sample's admins hold it ----

  const globalAdministratorRoleId = guidFrom(`${tenant.entraTenantId}|${globalAdministratorTemplateId}`);
  const requireDirectoryRole = (params: Record<string, string>) => {
    const templateId = params.templateId === undefined ? undefined : safeDecode(params.templateId);
    const id = safeDecode(params.id ?? '');
    if (templateId === undefined ? sameId(id, globalAdministratorRoleId) : sameId(templateId, globalAdministratorTemplateId)) return globalAdministratorRoleId;
    throw notFound(templateId ?? id);
  };

  /** Members are directoryObjects, each with its @odata.type; Graph returns up to 1,000 and does not page them. */
  const listRoleMembers: Handler = (request, params) => {
    requireDirectoryRole(params);
    rejectUnsupportedOptions(request.query);
    const selection = parseSelect(request.query, userType);
    const members = tenant.users.filter((user) => user.isAdmin).slice(0, maxRoleMembers);
    return {
      status: 200,
      body: { '@odata.context': context(`directoryObjects${selection.contextSuffix}`), value: members.map((user) => ({ '@odata.type': '#microsoft.graph.user', ...project(renderUser(user), selection.properties) })) },
    };
  };

  const authorizationPolicy: Handler = () => ({
    status: 200,
    body: {
      '@odata.context': context('policies/authorizationPolicy/$entity'),
      id: 'authorizationPolicy',
      allowInvitesFrom: 'everyone',
      allowedToSignUpEmailBasedSubscriptions: true,
      allowedToUseSSPR: true,
      allowEmailVerifiedUsersToJoinOrganization: false,
      allowUserConsentForRiskyApps: null,
      blockMsolPowerShell: false,
      description: 'Used to manage authorization related settings across the company.',
      displayName: 'Authorization Policy',
      guestUserRoleId: '10dae51f-b6af-4016-8d66-8c2a99b929b3',
      defaultUserRolePermissions: {
        allowedToCreateApps: tenant.allowedToCreateApps,
        allowedToCreateSecurityGroups: true,
        allowedToCreateTenants: true,
        allowedToReadBitlockerKeysForOwnedDevice: true,
        allowedToReadOtherUsers: true,
        permissionGrantPoliciesAssigned: [...tenant.userConsentPolicies],
      },
    },
  });

  // --- the route table -------------------------------------------------------------------------

  const sp = String.raw`servicePrincipals(?:/(?<id>[^/()]+)|\(appId='(?<appId>[^']+)'\))`;
  const app = String.raw`applications(?:/(?<id>[^/()]+)|\(appId='(?<appId>[^']+)'\))`;
  const route = (method: ApiRoute['method'], path: string, anyOfScopes: readonly string[], name: string, handle: Handler): ApiRoute => ({
    method,
    pattern: new RegExp(`^/v1\\.0/${path}$`, 'i'),
    anyOfScopes,
    name,
    handle,
  });

  const kit: GraphRouteKit = {
    tenant,
    clock,
    context,
    route,
    fail: (status, code, message) => new GraphFailure(status, code, message),
    notFound,
    list,
    entity,
    requireBody,
    findUser,
    async caller(request) {
      const token = /^Bearer (.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
      const account = token ? await options.callerOf?.(token) : null;
      // The sign-in page takes a login with or without the domain.
      const signedIn = account ? (findUser(account) ?? findUser(`${account}@${tenant.domain}`)) : undefined;
      return signedIn ?? tenant.users.find((user) => user.isAdmin)!;
    },
    servicePrincipalPath: sp,
    requireServicePrincipal,
    renderServicePrincipal,
  };

  const apiRoutes: ApiRoute[] = [
    route('GET', 'users', scopes.usersRead, 'graph.users.list', (request) => list(request, { items: tenant.users, type: userType, render: renderUser, idOf: (user) => user.graphId, entitySet: 'users' })),
    route('GET', 'users/(?<id>[^/]+)', scopes.usersRead, 'graph.users.get', (request, params) => entity(request, { item: requireUser(safeDecode(params.id!)), type: userType, render: renderUser, entitySet: 'users' })),
    route('PATCH', 'users/(?<id>[^/]+)', scopes.usersEnable, 'graph.users.update', updateUser),
    route('POST', 'users/(?<id>[^/]+)/revokeSignInSessions', scopes.usersRevoke, 'graph.users.revokeSignInSessions', revokeSignInSessions),

    route('GET', 'oauth2PermissionGrants', scopes.grantsRead, 'graph.oauth2PermissionGrants.list', (request) => list(request, { items: tenant.permissionGrants, type: grantType, render: renderGrant, idOf: (grant) => grant.id, entitySet: 'oauth2PermissionGrants' })),
    route('GET', 'oauth2PermissionGrants/(?<id>[^/]+)', scopes.grantsRead, 'graph.oauth2PermissionGrants.get', (request, params) => {
      const grant = findGrant(safeDecode(params.id!));
      if (!grant) throw notFound(safeDecode(params.id!));
      return entity(request, { item: grant, type: grantType, render: renderGrant, entitySet: 'oauth2PermissionGrants' });
    }),
    route('POST', 'oauth2PermissionGrants', scopes.grantsWrite, 'graph.oauth2PermissionGrants.create', createGrant),
    route('PATCH', 'oauth2PermissionGrants/(?<id>[^/]+)', scopes.grantsWrite, 'graph.oauth2PermissionGrants.update', updateGrant),
    route('DELETE', 'oauth2PermissionGrants/(?<id>[^/]+)', scopes.grantsWrite, 'graph.oauth2PermissionGrants.delete', deleteGrant),

    route('GET', 'servicePrincipals', scopes.appsRead, 'graph.servicePrincipals.list', (request) => list(request, { items: servicePrincipals(), type: servicePrincipalType, render: (item) => renderServicePrincipal(item), idOf: (item) => item.id, entitySet: 'servicePrincipals' })),
    route('GET', sp, scopes.appsRead, 'graph.servicePrincipals.get', (request, params) =>
      entity(request, { item: requireServicePrincipal(params), type: servicePrincipalType, render: (item) => renderServicePrincipal(item, selectsKeyCredentials(request.query)), entitySet: 'servicePrincipals' }),
    ),
    route('GET', `${sp}/appRoleAssignments`, scopes.assignmentsRead, 'graph.servicePrincipals.appRoleAssignments.list', (request, params) => {
      const principal = requireServicePrincipal(params);
      const items = tenant.appRoleAssignments.filter((assignment) => sameId(assignment.principalId, principal.id));
      return list(request, { items, type: assignmentType, render: renderAssignment, idOf: (item) => item.id, entitySet: `servicePrincipals('${principal.id}')/appRoleAssignments` });
    }),
    route('GET', `${sp}/appRoleAssignedTo`, scopes.assignmentsRead, 'graph.servicePrincipals.appRoleAssignedTo.list', (request, params) => {
      const resource = requireServicePrincipal(params);
      const items = tenant.appRoleAssignments.filter((assignment) => sameId(assignment.resourceId, resource.id));
      return list(request, { items, type: assignmentType, render: renderAssignment, idOf: (item) => item.id, entitySet: `servicePrincipals('${resource.id}')/appRoleAssignedTo` });
    }),
    route('POST', `${sp}/appRoleAssignedTo`, scopes.assignmentsWrite, 'graph.servicePrincipals.appRoleAssignedTo.create', createAssignment),
    route('DELETE', `${sp}/appRoleAssignedTo/(?<assignmentId>[^/]+)`, scopes.assignmentsWrite, 'graph.servicePrincipals.appRoleAssignedTo.delete', deleteAssignment),
    route('GET', 'users/(?<id>[^/]+)/appRoleAssignments', scopes.userAssignmentsRead, 'graph.users.appRoleAssignments.list', listUserAssignments),
    route('POST', 'users/(?<id>[^/]+)/appRoleAssignments', scopes.assignmentsWrite, 'graph.users.appRoleAssignments.create', createUserAssignment),
    route('DELETE', 'users/(?<id>[^/]+)/appRoleAssignments/(?<assignmentId>[^/]+)', scopes.assignmentsWrite, 'graph.users.appRoleAssignments.delete', deleteUserAssignment),
    route('GET', String.raw`directoryRoles(?:/(?<id>[^/()]+)|\(roleTemplateId='(?<templateId>[^']+)'\))/members`, scopes.rolesRead, 'graph.directoryRoles.members.list', listRoleMembers),

    route('GET', 'applications', scopes.appsRead, 'graph.applications.list', (request) => list(request, { items: tenant.appRegistrations, type: applicationType, render: (item) => renderApplication(item), idOf: (item) => item.id, entitySet: 'applications' })),
    route('GET', app, scopes.appsRead, 'graph.applications.get', (request, params) =>
      entity(request, { item: requireApplication(params), type: applicationType, render: (item) => renderApplication(item, selectsKeyCredentials(request.query)), entitySet: 'applications' }),
    ),

    route('GET', 'organization', scopes.organizationRead, 'graph.organization.list', (request) => list(request, { items: [tenant], type: organizationType, render: renderOrganization, idOf: (organization) => organization.entraTenantId, entitySet: 'organization' })),
    route('GET', 'policies/authorizationPolicy', scopes.policyRead, 'graph.policies.authorizationPolicy.get', authorizationPolicy),
    ...graphConsentRoutes(kit),
    ...graphCredentialRoutes({ ...kit, applicationPath: app, requireApplication }),
  ].map((plain) => withGraphConventions(plain, clock));

  // $batch is not a permission of its own: any token that may call something here may send one.
  const anyGraphScope = [...new Set(apiRoutes.flatMap((candidate) => candidate.anyOfScopes))];
  // A container: the router logs, counts and faults each item on its own (as Graph throttles each), not the batch.
  const batchRoute = withGraphConventions({ ...route('POST', '\\$batch', anyGraphScope, 'graph.batch', (request) => runBatch(request, clock)), container: true }, clock);
  return [...apiRoutes, batchRoute];
}

/** Graph's headers on every answer, and GraphFailure turned into Graph's error body. */
function withGraphConventions(route: ApiRoute, clock: () => Date): ApiRoute {
  return {
    ...route,
    async handle(request, params) {
      let answer: ApiResponse;
      try {
        answer = await route.handle(request, params);
      } catch (error) {
        answer =
          error instanceof GraphFailure
            ? graphError(error.status, error.code, error.message, clock())
            : graphError(500, 'InternalServerError', error instanceof Error ? error.message : 'Internal error', clock());
      }
      const clientRequestId = readHeader(request.headers, 'client-request-id') ?? randomUUID();
      // Date by Graph's own clock, which need not agree with the client's.
      const headers: Record<string, string> = { 'cache-control': 'no-cache', date: clock().toUTCString(), 'request-id': randomUUID(), ...answer.headers, 'client-request-id': clientRequestId };
      const innerError = asRecord(asRecord(asRecord(answer.body)?.error)?.innerError);
      if (innerError) {
        innerError['client-request-id'] = clientRequestId;
        headers['request-id'] = String(innerError['request-id']);
      }
      if (answer.body !== undefined && !innerError) {
        headers['content-type'] = graphJson;
        headers['odata-version'] = '4.0';
      }
      return { ...answer, headers };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// JSON batching

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

interface BatchItem {
  id: string;
  method: string;
  url: string;
  body?: unknown;
  headers: Record<string, string>;
  dependsOn: string[];
}

const batchMethods = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

function parseBatch(body: unknown): BatchItem[] {
  const invalid = (message = 'Invalid batch payload format.') => new GraphFailure(400, 'BadRequest', message);
  const requests = asRecord(body)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw invalid();
  if (requests.length > maxBatchRequests) throw invalid(`Number of batch request steps exceeds the maximum of ${maxBatchRequests}.`);
  const items: BatchItem[] = requests.map((raw) => {
    const item = asRecord(raw);
    if (!item || typeof item.id !== 'string' || item.id === '' || typeof item.method !== 'string' || typeof item.url !== 'string') throw invalid();
    const headers = item.headers === undefined ? {} : asRecord(item.headers);
    if (!headers || Object.values(headers).some((value) => typeof value !== 'string')) throw invalid();
    const dependsOn = item.dependsOn === undefined ? [] : item.dependsOn;
    if (!Array.isArray(dependsOn) || dependsOn.some((id) => typeof id !== 'string')) throw invalid();
    const method = item.method.toUpperCase();
    if (!batchMethods.has(method)) throw invalid(`Invalid method '${item.method}' in request id : ${item.id}.`);
    const hasContentType = readHeader(headers as Record<string, string>, 'content-type') !== undefined;
    if ((item.body !== undefined && !hasContentType) || (['POST', 'PATCH', 'PUT'].includes(method) && (item.body === undefined || !hasContentType))) {
      throw invalid(`Write request id : ${item.id} does not contain Content-Type header or body.`);
    }
    return { id: item.id, method, url: item.url, body: item.body, headers: headers as Record<string, string>, dependsOn: dependsOn as string[] };
  });
  const ids = new Set<string>();
  for (const item of items) {
    const key = item.id.toLowerCase();
    if (ids.has(key)) throw invalid(`Batch request contains duplicate request id '${item.id}'.`);
    ids.add(key);
  }
  for (const item of items) {
    for (const dependency of item.dependsOn) if (!ids.has(dependency.toLowerCase())) throw invalid(`Request id '${item.id}' depends on '${dependency}', which is not in the batch.`);
  }
  // Refuse cycles: a request may only wait on requests that can finish.
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: BatchItem) => {
    const key = item.id.toLowerCase();
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') throw invalid(`The dependsOn of request id '${item.id}' forms a cycle.`);
    state.set(key, 'visiting');
    for (const dependency of item.dependsOn) visit(byId.get(dependency.toLowerCase())!);
    state.set(key, 'done');
  };
  items.forEach(visit);
  return items;
}

function batchResponseHeaders(answer: ApiResponse): Record<string, string> {
  const headers: Record<string, string> = { 'Cache-Control': 'no-cache' };
  if (answer.body !== undefined) {
    const isError = asRecord(answer.body)?.error !== undefined;
    headers['Content-Type'] = isError ? 'application/json' : graphJson;
    if (!isError) headers['OData-Version'] = '4.0';
  }
  const keep: Record<string, string> = { 'retry-after': 'Retry-After', location: 'Location', 'www-authenticate': 'WWW-Authenticate' };
  for (const [key, value] of Object.entries(answer.headers ?? {})) {
    const name = keep[key.toLowerCase()];
    if (name) headers[name] = value;
  }
  return headers;
}

/** POST /$batch: up to 20 requests, each routed, scope-checked, faulted and logged on its own; dependsOn honoured. */
async function runBatch(request: ApiRequest, clock: () => Date): Promise<ApiResponse> {
  const items = parseBatch(request.body);
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  const results = new Map<string, Promise<BatchResponse>>();
  const responses: BatchResponse[] = [];

  const answerItem = async (item: BatchItem): Promise<ApiResponse> => {
    const relative = item.url.replace(/^\/+/, '').replace(/^v1\.0\//i, '');
    if (/^[a-z][a-z0-9+.-]*:/i.test(relative)) return graphError(400, 'BadRequest', `Invalid request URL '${item.url}': batch requests use URLs relative to the service root.`, clock());
    if (/^\$batch(?:[/?]|$)/i.test(relative)) return graphError(400, 'BadRequest', 'A batch request cannot contain another batch request.', clock());
    const headers: IncomingHttpHeaders = Object.fromEntries(Object.entries(item.headers).map(([name, value]) => [name.toLowerCase(), value]));
    const bodyText = item.body === undefined ? '' : typeof item.body === 'string' ? item.body : JSON.stringify(item.body);
    return request.dispatch({ method: item.method, target: `${versionPrefix}/${relative}`, headers, bodyText });
  };

  const run = (item: BatchItem): Promise<BatchResponse> => {
    const key = item.id.toLowerCase();
    const existing = results.get(key);
    if (existing) return existing;
    const result = (async () => {
      const dependencies = await Promise.all(item.dependsOn.map((dependency) => run(byId.get(dependency.toLowerCase())!)));
      const failed = dependencies.find((dependency) => dependency.status < 200 || dependency.status > 299);
      // A request whose dependency failed is not run (nor counted): it fails with 424.
      const answer = failed ? graphError(424, 'FailedDependency', `The request could not be processed because request id '${failed.id}' it depends on failed.`, clock()) : await answerItem(item);
      const response: BatchResponse = { id: item.id, status: answer.status, headers: batchResponseHeaders(answer), ...(answer.body === undefined ? {} : { body: answer.body }) };
      responses.push(response);
      return response;
    })();
    results.set(key, result);
    return result;
  };

  await Promise.all(items.map(run));
  // Answered in completion order, as Graph may: clients correlate by id.
  return { status: 200, body: { responses } };
}
