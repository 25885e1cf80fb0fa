/**
 * Reading a Google Cloud project's credentials for the inventory: its service accounts
 * (`projects.serviceAccounts.list`), each account's keys, user-managed and system-managed
 * (`keys.list`), their last authentication from Policy Analyzer's
 * `serviceAccountKeyLastAuthentication` activities, and its API keys with their restrictions
 * (API Keys v2 `keys.list`; never a key string). What Google refuses becomes a problem naming the
 * permission or scope; the rest is still listed. Every call goes through the tenant's scheduler.
 */
import { google, type apikeys_v2, type iam_v1, type policyanalyzer_v1 } from 'googleapis';
import type { CredentialReadProblem, CredentialReading, ReadCredential } from '../../credentials/credentials-port';
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { googleApiOptions } from './google-api-options';
import { classifyGoogleFailure } from './google-failure';

const scope = (name: string) => `https://www.googleapis.com/auth/${name}`;
const readScope = scope('cloud-platform.read-only');
const writeScope = scope('cloud-platform');
/** A call that hangs this long is abandoned and retried like a network failure. */
const callTimeoutMs = 60_000;
const day = 86_400_000;
/** IAM's sentinel for a key that never expires. */
const noExpiryYear = '9999';

/** The predefined role that carries each permission Consentry uses, for the admin's next step. */
const roleOf: Record<string, string> = {
  'iam.serviceAccounts.list': 'Security Reviewer (roles/iam.securityReviewer)',
  'iam.serviceAccountKeys.list': 'Security Reviewer (roles/iam.securityReviewer)',
  'iam.serviceAccountKeys.get': 'Security Reviewer (roles/iam.securityReviewer)',
  'iam.serviceAccountKeys.create': 'Service Account Key Admin (roles/iam.serviceAccountKeyAdmin)',
  'iam.serviceAccountKeys.disable': 'Service Account Key Admin (roles/iam.serviceAccountKeyAdmin)',
  'iam.serviceAccountKeys.delete': 'Service Account Key Admin (roles/iam.serviceAccountKeyAdmin)',
  'apikeys.keys.list': 'API Keys Viewer (roles/serviceusage.apiKeysViewer)',
  'apikeys.keys.get': 'API Keys Viewer (roles/serviceusage.apiKeysViewer)',
  'apikeys.keys.getKeyString': 'API Keys Viewer (roles/serviceusage.apiKeysViewer)',
  'apikeys.keys.create': 'API Keys Admin (roles/serviceusage.apiKeysAdmin)',
  'apikeys.keys.delete': 'API Keys Admin (roles/serviceusage.apiKeysAdmin)',
  'policyanalyzer.serviceAccountKeyLastAuthenticationActivities.query': 'Activity Analysis Viewer (roles/policyanalyzer.activityAnalysisViewer)',
};

export interface CloudCallOptions {
  headers: Record<string, string>;
  retry: false;
  timeout: number;
  signal?: AbortSignal;
}

/** The googleapis clients of one tenant and one way to call them: through its scheduler, with a fresh token. */
export interface CloudApis {
  iam: iam_v1.Iam;
  apikeys: apikeys_v2.Apikeys;
  analyzer: policyanalyzer_v1.Policyanalyzer;
  call<T>(send: (options: CloudCallOptions) => Promise<{ data: T }>): Promise<T>;
}

export function cloudApis(context: ProviderCallContext): CloudApis {
  const options = googleApiOptions(context);
  return {
    iam: google.iam({ version: 'v1', ...options }),
    apikeys: google.apikeys({ version: 'v2', ...options }),
    analyzer: google.policyanalyzer({ version: 'v1', ...options }),
    async call(send) {
      // The scheduler owns retries; the library's own would double them and hide rate limits.
      const response = await context.scheduler.schedule(
        async () => send({ headers: { authorization: `Bearer ${await context.accessToken()}` }, retry: false, timeout: callTimeoutMs, ...(context.signal ? { signal: context.signal } : {}) }),
        { signal: context.signal },
      );
      return response.data;
    },
  };
}

// --- failures -----------------------------------------------------------------------------------

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  errors?: { reason?: string }[];
  details?: { '@type'?: string; reason?: string; metadata?: Record<string, string>; violations?: { type?: string }[] }[];
}

/** Google's status and error body of a failed call (gaxios puts them on `response`). */
export function googleErrorOf(error: unknown): { status: number | undefined; body: GoogleErrorBody } {
  const failure = (error ?? {}) as { status?: number; response?: { status?: number; data?: { error?: GoogleErrorBody } } };
  return { status: failure.response?.status ?? failure.status, body: failure.response?.data?.error ?? {} };
}

const lacksScope = (body: GoogleErrorBody) =>
  body.errors?.[0]?.reason === 'insufficientPermissions' || (body.details ?? []).some((detail) => detail.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT') || /insufficient authentication scopes/i.test(body.message ?? '');

/** What Consentry was doing when Google refused: the words for it, the IAM permission and the OAuth scope it takes. */
export interface CloudAction {
  what: string;
  permission: string;
  access: 'read' | 'write';
}

const isAbort = (error: unknown) => (error as { name?: string } | null)?.name === 'AbortError';

/** A failed call as the admin reads it: a refusal names the scope or the IAM permission; never Google's own text. */
export function cloudFailure(error: unknown, action: CloudAction): AppError {
  if (error instanceof AppError) return error;
  if (isAbort(error)) return new AppError('cancelled', `Cancelled before Google answered ${action.what}.`);
  const { status, body } = googleErrorOf(error);
  const scopeNeeded = action.access === 'write' ? writeScope : readScope;
  if (status === 401) return new AppError('needs_reconnect', `Google no longer accepts this connection’s sign-in (${action.what}).`, { nextStep: 'Reconnect it on the Connections page, then try again.' });
  if (classifyGoogleFailure(error).kind === 'rate_limited') return new AppError('quota_exhausted', `Google’s API quota stayed exhausted (${action.what}).`, { nextStep: 'Try again in a few minutes.' });
  if (status === 403 && lacksScope(body)) {
    return new AppError('permission_denied', `Google refused ${action.what}: the connection lacks the ${scopeNeeded} scope.`, {
      nextStep: action.access === 'write' ? 'Allow the Credentials capability for this connection, then sign in again when asked.' : 'Reconnect this connection so Google grants the scopes it asks for, then try again.',
    });
  }
  const disabledApi = (body.details ?? []).find((detail) => detail.reason === 'SERVICE_DISABLED');
  if (status === 403 && disabledApi) {
    const service = disabledApi.metadata?.service ?? 'the API';
    return new AppError('remediation_required', `Google refused ${action.what}: ${service} is not enabled in that project.`, { nextStep: `Enable ${service} in Google Cloud console › APIs & Services › Library for the project, then try again.` });
  }
  if (status === 403) {
    return new AppError('permission_denied', `Google refused ${action.what}: the signed-in admin lacks ${action.permission} there, or the project does not exist.`, {
      nextStep: `Check the project id, and grant the admin a role with ${action.permission} on it${roleOf[action.permission] ? ` (such as ${roleOf[action.permission]})` : ''}, then try again.`,
    });
  }
  if (status === 404) return new AppError('not_found', `Google no longer has what ${action.what} needs.`);
  if (status === undefined) return new AppError('network', `Google could not be reached (${action.what}).`, { nextStep: 'Check the network connection, then try again.' });
  return new AppError(status === 400 ? 'invalid_request' : 'provider_error', `Google answered ${status}${body.status ? ` ${body.status}` : ''} to ${action.what}.`, { nextStep: 'Try again; if it keeps failing, check the project in the Google Cloud console.' });
}

/**
 * What the inventory lists instead of a part Google refused, with the permission or scope that
 * would let it read it. A cancel, or a sign-in Google no longer takes, ends the whole read instead.
 */
export function readProblem(what: string, error: unknown, action: CloudAction): CredentialReadProblem {
  const failure = cloudFailure(error, action);
  if (failure.code === 'cancelled' || failure.code === 'needs_reconnect') throw failure;
  const { status, body } = googleErrorOf(error);
  const missingScopes = failure.code !== 'permission_denied' ? [] : status === 403 && lacksScope(body) ? [readScope] : [action.permission];
  return { what, code: failure.code, message: failure.message, missingScopes };
}

/** Runs one call; a failure becomes the AppError `cloudFailure` describes. */
export async function calling<T>(action: CloudAction, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw cloudFailure(error, action);
  }
}

// --- the model ----------------------------------------------------------------------------------

/** The project part of a service account's resource name (`projects/{project}/serviceAccounts/{email}`). */
export const projectOfAccount = (accountName: string) => accountName.split('/')[1] ?? '';
export const emailOfAccount = (accountName: string) => accountName.split('/')[3] ?? accountName;
/** The last part of a resource name: a key's id. */
export const lastSegment = (name: string | null | undefined) => (name ?? '').split('/').at(-1) ?? '';

export interface LastUse {
  lastUsedAt: string | null;
  /** Policy Analyzer answered for the key's project and its analysis covers the key. */
  lastUseKnown: boolean;
  lastUsedNote: string | null;
}

const systemManagedRotation = { mode: 'none' as const, note: 'Google creates and rotates system-managed keys itself; nobody can download, disable or delete them.' };

/** An IAM key as the inventory lists it: `ownerId` is the account's resource name, the key id its credential id. */
export function serviceAccountKeyCredential(owner: { id: string; name: string }, key: iam_v1.Schema$ServiceAccountKey, lastUse: LastUse): ReadCredential {
  const systemManaged = key.keyType === 'SYSTEM_MANAGED';
  const expires = key.validBeforeTime ?? null;
  return {
    kind: 'service_account_key',
    ownerKind: 'service_account',
    ownerId: owner.id,
    ownerName: owner.name,
    credentialId: lastSegment(key.name),
    // IAM keys have no name of their own.
    displayName: null,
    hint: null,
    createdAt: key.validAfterTime ?? null,
    expiresAt: expires === null || expires.startsWith(noExpiryYear) ? null : expires,
    ...lastUse,
    restrictions: null,
    disabled: key.disabled === true,
    managedBy: systemManaged ? 'provider' : 'admin',
    rotation: systemManaged ? systemManagedRotation : { mode: 'api', note: null },
    revocable: !systemManaged,
  };
}

/** API key restrictions as one readable line per kind; empty for an unrestricted key. */
export function describeRestrictions(restrictions: apikeys_v2.Schema$V2Restrictions | null | undefined): string[] {
  if (!restrictions) return [];
  const listed = (values: readonly (string | null | undefined)[] | null | undefined) => ((values ?? []).filter(Boolean).join(', ') || 'none');
  const lines: string[] = [];
  if (restrictions.browserKeyRestrictions) lines.push(`Websites: ${listed(restrictions.browserKeyRestrictions.allowedReferrers)}`);
  if (restrictions.serverKeyRestrictions) lines.push(`IP addresses: ${listed(restrictions.serverKeyRestrictions.allowedIps)}`);
  if (restrictions.androidKeyRestrictions) {
    lines.push(`Android apps: ${listed((restrictions.androidKeyRestrictions.allowedApplications ?? []).map((app) => `${app.packageName ?? '?'}${app.sha1Fingerprint ? ` (SHA-1 ${app.sha1Fingerprint})` : ''}`))}`);
  }
  if (restrictions.iosKeyRestrictions) lines.push(`iOS apps: ${listed(restrictions.iosKeyRestrictions.allowedBundleIds)}`);
  if (restrictions.apiTargets?.length) lines.push(`APIs: ${listed(restrictions.apiTargets.map((target) => `${target.service ?? '?'}${target.methods?.length ? ` (${target.methods.join(', ')})` : ''}`))}`);
  return lines;
}

const apiKeyLastUse: LastUse = { lastUsedAt: null, lastUseKnown: false, lastUsedNote: 'Google reports API key use only in Cloud Monitoring metrics, which Consentry does not read.' };

/** An API key as the inventory lists it: owned by the project as the admin named it, its uid its credential id. */
export function apiKeyCredential(projectId: string, key: apikeys_v2.Schema$V2Key): ReadCredential {
  return {
    kind: 'api_key',
    ownerKind: 'project',
    ownerId: projectId,
    ownerName: `Project ${projectId}`,
    credentialId: key.uid ?? lastSegment(key.name),
    displayName: key.displayName || null,
    // The key string is read only when a rotation shows it; the inventory never fetches it.
    hint: null,
    createdAt: key.createTime ?? null,
    // API keys do not expire.
    expiresAt: null,
    ...apiKeyLastUse,
    restrictions: describeRestrictions(key.restrictions),
    disabled: false,
    managedBy: 'admin',
    rotation: { mode: 'api', note: null },
    revocable: true,
  };
}

export const apiKeyName = (credential: Pick<ReadCredential, 'ownerId' | 'credentialId'>) => `projects/${credential.ownerId}/locations/global/keys/${credential.credentialId}`;

// --- reading ------------------------------------------------------------------------------------

async function allPages<T>(fetchPage: (pageToken: string | undefined) => Promise<{ items: T[]; nextPageToken?: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await fetchPage(pageToken);
    items.push(...page.items);
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return items;
}

export function listApiKeys(apis: CloudApis, projectId: string): Promise<apikeys_v2.Schema$V2Key[]> {
  return allPages(async (pageToken) => {
    const page = await apis.call((options) => apis.apikeys.projects.locations.keys.list({ parent: `projects/${projectId}/locations/global`, pageSize: 300, ...(pageToken ? { pageToken } : {}) }, options));
    return { items: page.keys ?? [], nextPageToken: page.nextPageToken };
  });
}

export function listUserManagedKeys(apis: CloudApis, accountName: string): Promise<iam_v1.Schema$ServiceAccountKey[]> {
  return apis.call((options) => apis.iam.projects.serviceAccounts.keys.list({ name: accountName, keyTypes: ['USER_MANAGED'] }, options)).then((listed) => listed.keys ?? []);
}

const keyLastAuthentication = 'policyanalyzer.serviceAccountKeyLastAuthenticationActivities.query';

/** Policy Analyzer's last authentication per key, by the `serviceAccounts/{email}/keys/{id}` end of its name. */
async function lastAuthentications(apis: CloudApis, projectId: string): Promise<Map<string, policyanalyzer_v1.Schema$GoogleCloudPolicyanalyzerV1Activity>> {
  const activities = await allPages(async (pageToken) => {
    const page = await apis.call((options) =>
      apis.analyzer.projects.locations.activityTypes.activities.query({ parent: `projects/${projectId}/locations/global/activityTypes/serviceAccountKeyLastAuthentication`, pageSize: 1_000, ...(pageToken ? { pageToken } : {}) }, options),
    );
    return { items: page.activities ?? [], nextPageToken: page.nextPageToken };
  });
  return new Map(activities.map((activity) => [keySuffix(activity.fullResourceName ?? ''), activity]));
}

/** Policy Analyzer names a key by project id or number; the account and key id are what is sure. */
const keySuffix = (name: string) => /serviceAccounts\/.+$/.exec(name)?.[0] ?? name;

const dateOf = (iso: string) => iso.slice(0, 10);

/** Where a key's last use came from, or why it is not known. */
function lastUseOf(key: iam_v1.Schema$ServiceAccountKey, activities: Map<string, policyanalyzer_v1.Schema$GoogleCloudPolicyanalyzerV1Activity> | string): LastUse {
  const unknown = (lastUsedNote: string): LastUse => ({ lastUsedAt: null, lastUseKnown: false, lastUsedNote });
  if (key.keyType === 'SYSTEM_MANAGED') return unknown('A system-managed key: Google uses it for its own services.');
  if (typeof activities === 'string') return unknown(`Last authentication unknown: ${activities}`);
  const activity = activities.get(keySuffix(key.name ?? ''));
  const lastAuthenticated = (activity?.activity as { lastAuthenticatedTime?: string } | undefined)?.lastAuthenticatedTime;
  if (lastAuthenticated) return { lastUsedAt: lastAuthenticated, lastUseKnown: true, lastUsedNote: 'Policy Analyzer, to the day; the latest days may not be analysed yet.' };
  const period = activity?.observationPeriod ?? [...activities.values()].find((candidate) => candidate.observationPeriod)?.observationPeriod;
  // Without an analysis period nothing says which days were looked at: no use reported is not no use.
  if (!period?.startTime || !period.endTime) return unknown('Policy Analyzer reports no authentication for this key.');
  if (!activity && key.validAfterTime && key.validAfterTime > period.endTime) {
    return unknown(`Made after Policy Analyzer’s latest analysis (up to ${dateOf(period.endTime)}); no use reported yet.`);
  }
  const days = Math.round((Date.parse(period.endTime) - Date.parse(period.startTime)) / day);
  return { lastUsedAt: null, lastUseKnown: true, lastUsedNote: `No authentication recorded in the last ${days} days (Policy Analyzer, ${dateOf(period.startTime)} to ${dateOf(period.endTime)}).` };
}

async function readServiceAccountKeys(apis: CloudApis, projectId: string): Promise<CredentialReading> {
  let accounts: iam_v1.Schema$ServiceAccount[];
  try {
    accounts = await allPages(async (pageToken) => {
      const page = await apis.call((options) => apis.iam.projects.serviceAccounts.list({ name: `projects/${projectId}`, pageSize: 100, ...(pageToken ? { pageToken } : {}) }, options));
      return { items: page.accounts ?? [], nextPageToken: page.nextPageToken };
    });
  } catch (error) {
    const action = { what: `listing the service accounts of project ${projectId}`, permission: 'iam.serviceAccounts.list', access: 'read' } as const;
    return { credentials: [], problems: [readProblem(`Service-account keys of project ${projectId}`, error, action)] };
  }
  const problems: CredentialReadProblem[] = [];
  const analyzerAction = { what: `reading Policy Analyzer for project ${projectId}`, permission: keyLastAuthentication, access: 'read' } as const;
  const [keysByAccount, activities] = await Promise.all([
    Promise.all(
      accounts.map(async (account) => {
        const accountName = account.name ?? `projects/${projectId}/serviceAccounts/${account.email}`;
        try {
          return { account, accountName, keys: (await apis.call((options) => apis.iam.projects.serviceAccounts.keys.list({ name: accountName }, options))).keys ?? [] };
        } catch (error) {
          const action = { what: `listing the keys of ${account.email}`, permission: 'iam.serviceAccountKeys.list', access: 'read' } as const;
          problems.push(readProblem(`Keys of service account ${account.email}`, error, action));
          return { account, accountName, keys: [] };
        }
      }),
    ),
    // Without Policy Analyzer the keys are still listed, with why their last use is unknown.
    lastAuthentications(apis, projectId).catch((error: unknown) => {
      const problem = readProblem(`Last authentication of the keys in project ${projectId}`, error, analyzerAction);
      problems.push(problem);
      return problem.message;
    }),
  ]);
  const credentials = keysByAccount.flatMap(({ account, accountName, keys }) => {
    const owner = { id: accountName, name: account.displayName ? `${account.displayName} (${account.email})` : (account.email ?? accountName) };
    return keys.map((key) => serviceAccountKeyCredential(owner, key, lastUseOf(key, activities)));
  });
  return { credentials, problems };
}

async function readApiKeys(apis: CloudApis, projectId: string): Promise<CredentialReading> {
  try {
    return { credentials: (await listApiKeys(apis, projectId)).map((key) => apiKeyCredential(projectId, key)), problems: [] };
  } catch (error) {
    const action = { what: `listing the API keys of project ${projectId}`, permission: 'apikeys.keys.list', access: 'read' } as const;
    return { credentials: [], problems: [readProblem(`API keys of project ${projectId}`, error, action)] };
  }
}

/** Every credential of the named projects; a project (or a part of one) Google refuses is a problem, not a failed read. */
export async function readCloudCredentials(context: ProviderCallContext, projects: readonly string[]): Promise<CredentialReading> {
  if (projects.length === 0) {
    return {
      credentials: [],
      problems: [{ what: 'Google Cloud service-account keys and API keys', code: 'invalid_request', message: 'No Google Cloud project is named: name the projects whose keys Consentry should list.', missingScopes: [] }],
    };
  }
  const apis = cloudApis(context);
  const readings = await Promise.all(projects.flatMap((projectId) => [readServiceAccountKeys(apis, projectId), readApiKeys(apis, projectId)]));
  return { credentials: readings.flatMap((reading) => reading.credentials), problems: readings.flatMap((reading) => reading.problems) };
}
