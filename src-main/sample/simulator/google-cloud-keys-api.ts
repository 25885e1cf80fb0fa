/**
 * Google Cloud credentials of the sample project: IAM service-account keys (list, get, create with
 * the private key file, delete, disable, enable) and API Keys v2 (list, create, getKeyString,
 * delete — soft, as Google keeps deleted keys for 30 days), in the shapes of Google's references.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { ApiResponse, ApiRoute } from './api-router';
import type { SimulatedTenant } from './simulated-tenant';
import type { SampleServiceAccountKey } from '../sample-tenant';

const cloudRead = ['https://www.googleapis.com/auth/cloud-platform.read-only', 'https://www.googleapis.com/auth/cloud-platform'];
const cloudWrite = ['https://www.googleapis.com/auth/cloud-platform'];

const error = (code: number, status: string, message: string): ApiResponse => ({ status: code, body: { error: { code, message, status } } });
const notFound = (what: string) => error(404, 'NOT_FOUND', `${what} not found.`);

export interface CloudKeysOptions {
  clock?: () => Date;
}

export function googleCloudKeysRoutes(tenant: SimulatedTenant, options: CloudKeysOptions = {}): ApiRoute[] {
  const clock = options.clock ?? (() => new Date());
  const projectIds = new Set([tenant.cloudProjectId, tenant.cloudProjectNumber, '-']);
  const accounts = () => new Set(tenant.serviceAccountKeys.map((key) => key.serviceAccountEmail));
  const keyName = (key: SampleServiceAccountKey) => `projects/${tenant.cloudProjectId}/serviceAccounts/${key.serviceAccountEmail}/keys/${key.keyId}`;
  const keyResource = (key: SampleServiceAccountKey) => ({
    name: keyName(key),
    validAfterTime: key.validAfterTime,
    validBeforeTime: key.validBeforeTime,
    keyAlgorithm: 'KEY_ALG_RSA_2048',
    keyOrigin: 'GOOGLE_PROVIDED',
    keyType: key.keyType,
    ...(key.disabled ? { disabled: true } : {}),
  });
  const serviceAccountPath = String.raw`^/v1/projects/(?<project>[^/]+)/serviceAccounts/(?<account>[^/]+)`;
  const findKey = (params: Record<string, string>) =>
    projectIds.has(params.project!) ? tenant.serviceAccountKeys.find((key) => key.serviceAccountEmail === decodeURIComponent(params.account!) && key.keyId === params.keyId) : undefined;
  const setDisabled = (disabled: boolean): ApiRoute['handle'] => (_request, params) => {
    const key = findKey(params);
    if (!key) return notFound('Service account key');
    if (key.keyType === 'SYSTEM_MANAGED') return error(400, 'FAILED_PRECONDITION', 'System-managed keys cannot be disabled or enabled.');
    key.disabled = disabled;
    return { status: 200, body: {} };
  };

  const apiKeyName = (uid: string) => `projects/${tenant.cloudProjectNumber}/locations/global/keys/${uid}`;
  const keyString = (uid: string) => `AIza${createHash('sha256').update(`apikey:${uid}`).digest('base64url').slice(0, 35)}`;
  const apiKeyResource = (key: SimulatedTenant['apiKeys'][number]) => {
    const deleteTime = tenant.deletedApiKeys.get(key.uid);
    return {
      name: apiKeyName(key.uid),
      uid: key.uid,
      displayName: key.displayName,
      createTime: key.createTime,
      updateTime: deleteTime ?? key.createTime,
      ...(deleteTime ? { deleteTime } : {}),
      etag: `W/"${createHash('sha1').update(key.uid + (deleteTime ?? '')).digest('base64')}"`,
      ...(key.restricted ? { restrictions: { browserKeyRestrictions: { allowedReferrers: ['https://www.sample-company.example/*'] } } } : {}),
    };
  };
  const operation = (response: Record<string, unknown>) => ({
    name: `operations/akmf.p7-${tenant.cloudProjectNumber}-${randomBytes(8).toString('hex')}`,
    done: true,
    response: { '@type': 'type.googleapis.com/google.api.apikeys.v2.Key', ...response },
  });
  const apiKeysPath = String.raw`^/v2/projects/(?<project>[^/]+)/locations/global/keys`;
  const findApiKey = (params: Record<string, string>) => (projectIds.has(params.project!) ? tenant.apiKeys.find((key) => key.uid === params.uid) : undefined);

  return [
    {
      method: 'GET',
      pattern: new RegExp(`${serviceAccountPath}/keys$`),
      anyOfScopes: cloudRead,
      name: 'iam.serviceAccounts.keys.list',
      handle(request, params) {
        const email = decodeURIComponent(params.account!);
        if (!projectIds.has(params.project!) || !accounts().has(email)) return notFound(`Service account projects/${params.project}/serviceAccounts/${email}`);
        const types = request.query.getAll('keyTypes');
        const keys = tenant.serviceAccountKeys.filter((key) => key.serviceAccountEmail === email && (types.length === 0 || types.includes(key.keyType)));
        return { status: 200, body: { keys: keys.map(keyResource) } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${serviceAccountPath}/keys/(?<keyId>[0-9a-f]+)$`),
      anyOfScopes: cloudRead,
      name: 'iam.serviceAccounts.keys.get',
      handle: (_request, params) => {
        const key = findKey(params);
        return key ? { status: 200, body: keyResource(key) } : notFound('Service account key');
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`${serviceAccountPath}/keys$`),
      anyOfScopes: cloudWrite,
      name: 'iam.serviceAccounts.keys.create',
      handle(_request, params) {
        const email = decodeURIComponent(params.account!);
        if (!projectIds.has(params.project!) || !accounts().has(email)) return notFound(`Service account projects/${params.project}/serviceAccounts/${email}`);
        const now = clock();
        const key: SampleServiceAccountKey = { serviceAccountEmail: email, keyId: randomBytes(20).toString('hex'), keyType: 'USER_MANAGED', validAfterTime: now.toISOString(), validBeforeTime: '9999-12-31T23:59:59Z', disabled: false };
        tenant.serviceAccountKeys.push(key);
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
        // The credentials file Google hands over once, base64-encoded.
        const file = {
          type: 'service_account',
          project_id: tenant.cloudProjectId,
          private_key_id: key.keyId,
          private_key: privateKey,
          client_email: email,
          client_id: createHash('sha256').update(email).digest('hex').replace(/\D/g, '').slice(0, 21),
          auth_uri: 'https://accounts.google.com/o/oauth2/auth',
          token_uri: 'https://oauth2.googleapis.com/token',
        };
        return { status: 200, body: { ...keyResource(key), privateKeyType: 'TYPE_GOOGLE_CREDENTIALS_FILE', privateKeyData: Buffer.from(JSON.stringify(file)).toString('base64') } };
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`${serviceAccountPath}/keys/(?<keyId>[0-9a-f]+)$`),
      anyOfScopes: cloudWrite,
      name: 'iam.serviceAccounts.keys.delete',
      handle(_request, params) {
        const key = findKey(params);
        if (!key) return notFound('Service account key');
        tenant.serviceAccountKeys = tenant.serviceAccountKeys.filter((candidate) => candidate !== key);
        return { status: 200, body: {} };
      },
    },
    { method: 'POST', pattern: new RegExp(`${serviceAccountPath}/keys/(?<keyId>[0-9a-f]+):disable$`), anyOfScopes: cloudWrite, name: 'iam.serviceAccounts.keys.disable', handle: setDisabled(true) },
    { method: 'POST', pattern: new RegExp(`${serviceAccountPath}/keys/(?<keyId>[0-9a-f]+):enable$`), anyOfScopes: cloudWrite, name: 'iam.serviceAccounts.keys.enable', handle: setDisabled(false) },
    {
      method: 'GET',
      pattern: new RegExp(`${apiKeysPath}$`),
      anyOfScopes: cloudRead,
      name: 'apikeys.keys.list',
      handle(request, params) {
        if (!projectIds.has(params.project!)) return notFound('Project');
        const showDeleted = request.query.get('showDeleted') === 'true';
        return { status: 200, body: { keys: tenant.apiKeys.filter((key) => showDeleted || !tenant.deletedApiKeys.has(key.uid)).map(apiKeyResource) } };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`${apiKeysPath}$`),
      anyOfScopes: cloudWrite,
      name: 'apikeys.keys.create',
      handle(request, params) {
        if (!projectIds.has(params.project!)) return notFound('Project');
        const body = (request.body ?? {}) as { displayName?: unknown; restrictions?: unknown };
        const key = { uid: crypto.randomUUID(), displayName: typeof body.displayName === 'string' ? body.displayName : '', createTime: clock().toISOString(), restricted: body.restrictions !== undefined };
        tenant.apiKeys.push(key);
        return { status: 200, body: operation({ ...apiKeyResource(key), keyString: keyString(key.uid) }) };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${apiKeysPath}/(?<uid>[^/]+)/keyString$`),
      anyOfScopes: cloudRead,
      name: 'apikeys.keys.getKeyString',
      handle: (_request, params) => {
        const key = findApiKey(params);
        return key && !tenant.deletedApiKeys.has(key.uid) ? { status: 200, body: { keyString: keyString(key.uid) } } : notFound('Key');
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`${apiKeysPath}/(?<uid>[^/]+)$`),
      anyOfScopes: cloudWrite,
      name: 'apikeys.keys.delete',
      handle: (_request, params) => {
        const key = findApiKey(params);
        if (!key || tenant.deletedApiKeys.has(key.uid)) return notFound('Key');
        tenant.deletedApiKeys.set(key.uid, clock().toISOString());
        return { status: 200, body: operation(apiKeyResource(key)) };
      },
    },
  ];
}
