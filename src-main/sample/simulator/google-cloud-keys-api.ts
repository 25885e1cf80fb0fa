/**
 * Google Cloud credentials of the sample company's projects: IAM service accounts (list) and their
 * keys (list, get, create with the private key file, delete, disable, enable — at most 10
 * user-managed keys per account), and API Keys v2 (list, get, create, getKeyString, delete — soft,
 * as Google keeps deleted keys for 30 days — and the long-running operations they answer with), in
 * the shapes and with the error bodies of Google's references. A project the sample company does
 * not own answers 403, as Google does for a project the caller cannot reach or that does not exist.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { ApiResponse, ApiRoute } from './api-router';
import { googlePageToken, offsetOfGooglePageToken } from './google-page-token';
import type { SimulatedTenant } from './simulated-tenant';
import type { SampleApiKey, SampleApiKeyRestrictions, SampleCloudProject, SampleServiceAccount, SampleServiceAccountKey } from '../sample-tenant';

export const cloudRead = ['https://www.googleapis.com/auth/cloud-platform.read-only', 'https://www.googleapis.com/auth/cloud-platform'];
const cloudWrite = ['https://www.googleapis.com/auth/cloud-platform'];

/** IAM's documented limit: a service account holds at most 10 user-managed keys, disabled ones included. */
export const serviceAccountKeyLimit = 10;
const deletedApiKeyRetentionMs = 30 * 86_400_000;
const noExpiry = '9999-12-31T23:59:59Z';

export function cloudError(code: number, status: string, message: string, extra: { details?: unknown[]; reason?: string } = {}): ApiResponse {
  return {
    status: code,
    body: {
      error: {
        code,
        message,
        // One-platform APIs still send the v1 `errors` list next to the status and details.
        ...(extra.reason ? { errors: [{ message, domain: 'global', reason: extra.reason }] } : {}),
        status,
        ...(extra.details ? { details: extra.details } : {}),
      },
    },
  };
}

/** Google's answer for a resource the caller may not use, or that does not exist: it does not say which. */
export function permissionDenied(permission: string, domain: string): ApiResponse {
  return cloudError(403, 'PERMISSION_DENIED', `Permission '${permission}' denied on resource (or it may not exist).`, {
    details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain, metadata: { permission } }],
  });
}

const invalidArgument = (message: string) => cloudError(400, 'INVALID_ARGUMENT', message, { reason: 'badRequest' });
const failedPrecondition = () => cloudError(400, 'FAILED_PRECONDITION', 'Precondition check failed.', { reason: 'failedPrecondition' });

/** The project a path names by id or number, if the sample company owns it. */
export function cloudProjectOf(tenant: SimulatedTenant, idOrNumber: string): SampleCloudProject | undefined {
  return tenant.cloudProjects.find((project) => project.projectId === idOrNumber || project.projectNumber === idOrNumber);
}

/** The project, or Google's 403 when it is not the company's or its admins lack the permission there. */
export function reachProject(tenant: SimulatedTenant, idOrNumber: string, permission: string, domain: string): { project: SampleCloudProject } | { refusal: ApiResponse } {
  const project = cloudProjectOf(tenant, idOrNumber);
  return project && !project.adminLacks.includes(permission) ? { project } : { refusal: permissionDenied(permission, domain) };
}

/** A page of `items` from Google's opaque token (a non-positive size is ignored); null for a token this simulator did not issue. */
export function page<T>(items: readonly T[], token: string | null, requested: number, defaultSize: number, maxSize: number): { items: T[]; nextPageToken?: string } | null {
  const offset = offsetOfGooglePageToken(token);
  if (offset === null) return null;
  const size = requested > 0 ? Math.min(requested, maxSize) : defaultSize;
  const end = offset + size;
  return { items: items.slice(offset, end), ...(end < items.length ? { nextPageToken: googlePageToken(end) } : {}) };
}

export interface CloudKeysOptions {
  clock?: () => Date;
}

export function googleCloudKeysRoutes(tenant: SimulatedTenant, options: CloudKeysOptions = {}): ApiRoute[] {
  return [...serviceAccountRoutes(tenant, options), ...apiKeyRoutes(tenant, options)];
}

function serviceAccountRoutes(tenant: SimulatedTenant, options: CloudKeysOptions): ApiRoute[] {
  const clock = options.clock ?? (() => new Date());
  const iamDenied = (permission: string) => permissionDenied(permission, 'iam.googleapis.com');
  const accountResource = (account: SampleServiceAccount) => ({
    name: `projects/${account.projectId}/serviceAccounts/${account.email}`,
    projectId: account.projectId,
    uniqueId: account.uniqueId,
    email: account.email,
    displayName: account.displayName,
    etag: createHash('sha1').update(account.email).digest('base64').slice(0, 12),
    oauth2ClientId: account.uniqueId,
  });
  const keyResource = (key: SampleServiceAccountKey, account: SampleServiceAccount) => ({
    name: `projects/${account.projectId}/serviceAccounts/${account.email}/keys/${key.keyId}`,
    validAfterTime: key.validAfterTime,
    validBeforeTime: key.validBeforeTime,
    keyAlgorithm: 'KEY_ALG_RSA_2048',
    keyOrigin: 'GOOGLE_PROVIDED',
    keyType: key.keyType,
    ...(key.disabled ? { disabled: true, disableReason: 'SERVICE_ACCOUNT_KEY_DISABLE_REASON_USER_INITIATED' } : {}),
  });

  /** The account a key path names (`-` stands for any project), or Google's refusal. */
  const resolveAccount = (params: Record<string, string>, permission: string): { account: SampleServiceAccount } | { refusal: ApiResponse } => {
    const email = decodeURIComponent(params.account!);
    const account = tenant.serviceAccounts.find((candidate) => candidate.email === email || candidate.uniqueId === email);
    // `-` stands for the account's own project; Google then answers 403 for an account it does not find.
    if (params.project === '-' && !account) return { refusal: iamDenied(permission) };
    const reached = reachProject(tenant, params.project === '-' ? account!.projectId : params.project!, permission, 'iam.googleapis.com');
    if ('refusal' in reached) return reached;
    if (!account || account.projectId !== reached.project.projectId) return { refusal: cloudError(404, 'NOT_FOUND', `Service account projects/${params.project}/serviceAccounts/${email} does not exist.`) };
    return { account };
  };
  const resolveKey = (params: Record<string, string>, permission: string): { account: SampleServiceAccount; key: SampleServiceAccountKey } | { refusal: ApiResponse } => {
    const resolved = resolveAccount(params, permission);
    if ('refusal' in resolved) return resolved;
    const key = tenant.serviceAccountKeys.find((candidate) => candidate.serviceAccountEmail === resolved.account.email && candidate.keyId === params.keyId);
    return key ? { account: resolved.account, key } : { refusal: cloudError(404, 'NOT_FOUND', `Service account key ${params.keyId} does not exist.`) };
  };
  const setDisabled =
    (disabled: boolean, permission: string): ApiRoute['handle'] =>
    (_request, params) => {
      const resolved = resolveKey(params, permission);
      if ('refusal' in resolved) return resolved.refusal;
      // Google rotates its own keys; nobody else may switch them on or off.
      if (resolved.key.keyType === 'SYSTEM_MANAGED') return failedPrecondition();
      resolved.key.disabled = disabled;
      return { status: 200, body: {} };
    };

  const accountPath = String.raw`^/v1/projects/(?<project>[^/]+)/serviceAccounts/(?<account>[^/:]+)`;
  const keyPath = String.raw`${accountPath}/keys/(?<keyId>[0-9a-f]+)`;
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/projects\/(?<project>[^/]+)\/serviceAccounts$/,
      anyOfScopes: cloudRead,
      name: 'iam.serviceAccounts.list',
      handle(request, params) {
        const reached = reachProject(tenant, params.project!, 'iam.serviceAccounts.list', 'iam.googleapis.com');
        if ('refusal' in reached) return reached.refusal;
        const accounts = tenant.serviceAccounts.filter((account) => account.projectId === reached.project.projectId);
        const listed = page(accounts, request.query.get('pageToken'), Number(request.query.get('pageSize') ?? 0), 20, 100);
        if (!listed) return invalidArgument('Invalid page token.');
        return { status: 200, body: { accounts: listed.items.map(accountResource), ...(listed.nextPageToken ? { nextPageToken: listed.nextPageToken } : {}) } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${accountPath}/keys$`),
      anyOfScopes: cloudRead,
      name: 'iam.serviceAccounts.keys.list',
      handle(request, params) {
        const resolved = resolveAccount(params, 'iam.serviceAccountKeys.list');
        if ('refusal' in resolved) return resolved.refusal;
        const types = request.query.getAll('keyTypes');
        const keys = tenant.serviceAccountKeys.filter((key) => key.serviceAccountEmail === resolved.account.email && (types.length === 0 || types.includes(key.keyType)));
        return { status: 200, body: { keys: keys.map((key) => keyResource(key, resolved.account)) } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${keyPath}$`),
      anyOfScopes: cloudRead,
      name: 'iam.serviceAccounts.keys.get',
      handle: (_request, params) => {
        const resolved = resolveKey(params, 'iam.serviceAccountKeys.get');
        return 'refusal' in resolved ? resolved.refusal : { status: 200, body: keyResource(resolved.key, resolved.account) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`${accountPath}/keys$`),
      anyOfScopes: cloudWrite,
      name: 'iam.serviceAccounts.keys.create',
      handle(_request, params) {
        const resolved = resolveAccount(params, 'iam.serviceAccountKeys.create');
        if ('refusal' in resolved) return resolved.refusal;
        const { account } = resolved;
        const userManaged = tenant.serviceAccountKeys.filter((key) => key.serviceAccountEmail === account.email && key.keyType === 'USER_MANAGED');
        // At the limit Google answers with a bare precondition failure that does not name the limit.
        if (userManaged.length >= serviceAccountKeyLimit) return failedPrecondition();
        const key: SampleServiceAccountKey = {
          serviceAccountEmail: account.email,
          keyId: randomBytes(20).toString('hex'),
          keyType: 'USER_MANAGED',
          validAfterTime: clock().toISOString(),
          validBeforeTime: noExpiry,
          disabled: false,
          lastAuthenticatedTime: null,
        };
        tenant.serviceAccountKeys.push(key);
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
        // The credentials file Google hands over once, base64-encoded.
        const file = {
          type: 'service_account',
          project_id: account.projectId,
          private_key_id: key.keyId,
          private_key: privateKey,
          client_email: account.email,
          client_id: account.uniqueId,
          auth_uri: 'https://accounts.google.com/o/oauth2/auth',
          token_uri: 'https://oauth2.googleapis.com/token',
        };
        return { status: 200, body: { ...keyResource(key, account), privateKeyType: 'TYPE_GOOGLE_CREDENTIALS_FILE', privateKeyData: Buffer.from(JSON.stringify(file)).toString('base64') } };
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`${keyPath}$`),
      anyOfScopes: cloudWrite,
      name: 'iam.serviceAccounts.keys.delete',
      handle(_request, params) {
        const resolved = resolveKey(params, 'iam.serviceAccountKeys.delete');
        if ('refusal' in resolved) return resolved.refusal;
        if (resolved.key.keyType === 'SYSTEM_MANAGED') return failedPrecondition();
        tenant.serviceAccountKeys = tenant.serviceAccountKeys.filter((candidate) => candidate !== resolved.key);
        return { status: 200, body: {} };
      },
    },
    { method: 'POST', pattern: new RegExp(`${keyPath}:disable$`), anyOfScopes: cloudWrite, name: 'iam.serviceAccounts.keys.disable', handle: setDisabled(true, 'iam.serviceAccountKeys.disable') },
    { method: 'POST', pattern: new RegExp(`${keyPath}:enable$`), anyOfScopes: cloudWrite, name: 'iam.serviceAccounts.keys.enable', handle: setDisabled(false, 'iam.serviceAccountKeys.enable') },
  ];
}

const applicationRestrictions = ['browserKeyRestrictions', 'serverKeyRestrictions', 'androidKeyRestrictions', 'iosKeyRestrictions'] as const;

/** Why Google would refuse these `restrictions`, or null when it takes them. */
function restrictionsProblem(restrictions: unknown): string | null {
  if (restrictions === undefined) return null;
  if (typeof restrictions !== 'object' || restrictions === null || Array.isArray(restrictions)) return 'Invalid value at \'key.restrictions\'.';
  const kinds = applicationRestrictions.filter((kind) => kind in restrictions);
  return kinds.length > 1 ? `Only one application restriction may be set; found ${kinds.join(', ')}.` : null;
}

function apiKeyRoutes(tenant: SimulatedTenant, options: CloudKeysOptions): ApiRoute[] {
  const clock = options.clock ?? (() => new Date());
  const apiKeysDomain = 'apikeys.googleapis.com';
  const operations = new Map<string, Record<string, unknown>>();
  const projectNumberOf = (key: SampleApiKey) => cloudProjectOf(tenant, key.projectId)?.projectNumber ?? key.projectId;
  const keyString = (uid: string) => `AIza${createHash('sha256').update(`apikey:${uid}`).digest('base64url').slice(0, 35)}`;
  /** Deleted within 30 days: still listed with `showDeleted`; later purged. */
  const deleteTimeOf = (key: SampleApiKey) => tenant.deletedApiKeys.get(key.uid) ?? null;
  const purged = (key: SampleApiKey) => {
    const deleted = deleteTimeOf(key);
    return deleted !== null && Date.parse(deleted) + deletedApiKeyRetentionMs < clock().getTime();
  };
  const keyResource = (key: SampleApiKey) => {
    const deleteTime = deleteTimeOf(key);
    return {
      name: `projects/${projectNumberOf(key)}/locations/global/keys/${key.uid}`,
      uid: key.uid,
      displayName: key.displayName,
      createTime: key.createTime,
      updateTime: deleteTime ?? key.createTime,
      ...(deleteTime ? { deleteTime } : {}),
      ...(key.restrictions ? { restrictions: structuredClone(key.restrictions) } : {}),
      etag: `W/"${createHash('sha1').update(key.uid + (deleteTime ?? '')).digest('base64')}"`,
    };
  };
  /** Every change answers with a long-running operation; these finish at once, and operations.get reads them back. */
  const operation = (key: SampleApiKey, response: Record<string, unknown>) => {
    const name = `operations/akmf.p7-${projectNumberOf(key)}-${randomUUID()}`;
    const done = { name, done: true, response: { '@type': 'type.googleapis.com/google.api.apikeys.v2.Key', ...response } };
    operations.set(name, done);
    return done;
  };
  const findKey = (params: Record<string, string>) => {
    const project = cloudProjectOf(tenant, params.project!);
    return project ? tenant.apiKeys.find((key) => key.uid === params.uid && key.projectId === project.projectId && !purged(key)) : undefined;
  };
  const keyNotFound = () => cloudError(404, 'NOT_FOUND', 'The key does not exist.');

  const keysPath = String.raw`^/v2/projects/(?<project>[^/]+)/locations/global/keys`;
  const keyPath = String.raw`${keysPath}/(?<uid>[^/:]+)`;
  return [
    {
      method: 'GET',
      pattern: new RegExp(`${keysPath}$`),
      anyOfScopes: cloudRead,
      name: 'apikeys.keys.list',
      handle(request, params) {
        const reached = reachProject(tenant, params.project!, 'apikeys.keys.list', apiKeysDomain);
        if ('refusal' in reached) return reached.refusal;
        const { project } = reached;
        const showDeleted = request.query.get('showDeleted') === 'true';
        const keys = tenant.apiKeys.filter((key) => key.projectId === project.projectId && !purged(key) && (showDeleted || deleteTimeOf(key) === null));
        const listed = page(keys, request.query.get('pageToken'), Number(request.query.get('pageSize') ?? 0), 300, 300);
        if (!listed) return invalidArgument('Invalid page token.');
        return { status: 200, body: { keys: listed.items.map(keyResource), ...(listed.nextPageToken ? { nextPageToken: listed.nextPageToken } : {}) } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${keyPath}$`),
      anyOfScopes: cloudRead,
      name: 'apikeys.keys.get',
      handle(_request, params) {
        const reached = reachProject(tenant, params.project!, 'apikeys.keys.get', apiKeysDomain);
        if ('refusal' in reached) return reached.refusal;
        const key = findKey(params);
        return key ? { status: 200, body: keyResource(key) } : keyNotFound();
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`${keysPath}$`),
      anyOfScopes: cloudWrite,
      name: 'apikeys.keys.create',
      handle(request, params) {
        const reached = reachProject(tenant, params.project!, 'apikeys.keys.create', apiKeysDomain);
        if ('refusal' in reached) return reached.refusal;
        const { project } = reached;
        const body = (request.body ?? {}) as { displayName?: unknown; restrictions?: unknown };
        const displayName = typeof body.displayName === 'string' ? body.displayName : '';
        if (displayName.length > 63) return invalidArgument('The display name of a key may be at most 63 characters long.');
        const problem = restrictionsProblem(body.restrictions);
        if (problem) return invalidArgument(problem);
        const key: SampleApiKey = {
          projectId: project.projectId,
          uid: randomUUID(),
          displayName,
          createTime: clock().toISOString(),
          // Kept exactly as sent.
          restrictions: body.restrictions === undefined ? null : (structuredClone(body.restrictions) as SampleApiKeyRestrictions),
        };
        tenant.apiKeys.push(key);
        return { status: 200, body: operation(key, { ...keyResource(key), keyString: keyString(key.uid) }) };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${keyPath}/keyString$`),
      anyOfScopes: cloudRead,
      name: 'apikeys.keys.getKeyString',
      handle: (_request, params) => {
        const reached = reachProject(tenant, params.project!, 'apikeys.keys.getKeyString', apiKeysDomain);
        if ('refusal' in reached) return reached.refusal;
        const key = findKey(params);
        return key && deleteTimeOf(key) === null ? { status: 200, body: { keyString: keyString(key.uid) } } : keyNotFound();
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`${keyPath}$`),
      anyOfScopes: cloudWrite,
      name: 'apikeys.keys.delete',
      handle: (_request, params) => {
        const reached = reachProject(tenant, params.project!, 'apikeys.keys.delete', apiKeysDomain);
        if ('refusal' in reached) return reached.refusal;
        const key = findKey(params);
        if (!key || deleteTimeOf(key) !== null) return keyNotFound();
        tenant.deletedApiKeys.set(key.uid, clock().toISOString());
        return { status: 200, body: operation(key, keyResource(key)) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v2\/operations\/(?<operation>[^/]+)$/,
      anyOfScopes: cloudRead,
      name: 'apikeys.operations.get',
      handle: (_request, params) => {
        const found = operations.get(`operations/${params.operation}`);
        return found ? { status: 200, body: found } : cloudError(404, 'NOT_FOUND', 'Operation not found.');
      },
    },
  ];
}
