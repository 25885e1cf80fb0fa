/**
 * The credentials capability's Google Cloud adapter, over the projects the admin names: IAM
 * service-account keys and API Keys v2 (reading in google-cloud-credentials-read.ts). Reads take
 * cloud-platform.read-only; every change takes cloud-platform (the credentials capability) and the
 * IAM permission each refusal names. Service-account keys rotate as create → key file shown once →
 * disable the old → delete it; API keys as a new key with the old one's restrictions → its key
 * string → delete the old. Every call goes through the tenant's scheduler.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { apikeys_v2, iam_v1 } from 'googleapis';
import type { CredentialKind, OneTimeSecret } from '../../../src-shared/contract/credentials';
import type { CredentialRotator, ProviderCredentials, ReadCredential } from '../../credentials/credentials-port';
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import {
  apiKeyCredential,
  apiKeyName,
  calling,
  cloudApis,
  cloudFailure,
  emailOfAccount,
  googleErrorOf,
  lastSegment,
  listApiKeys,
  listUserManagedKeys,
  projectOfAccount,
  readCloudCredentials,
  serviceAccountKeyCredential,
  type CloudAction,
  type CloudApis,
} from './google-cloud-credentials-read';

/** IAM's documented limit of user-managed keys per service account, disabled ones included. */
export const serviceAccountKeyLimit = 10;
/** API Keys v2 takes display names of at most 63 characters. */
const apiKeyDisplayNameLength = 63;
/** An API Keys operation not done at once is read again this often, this many times. */
const operationPollMs = 1_000;
const operationPolls = 30;

/** How the admin recognises a key in a sentence: an API key by its name, an IAM key (which has none) by its id and account. */
const keyLabel = (credential: ReadCredential) =>
  credential.kind === 'api_key' ? `the API key ${credential.displayName ?? credential.credentialId}` : `key ${credential.credentialId.slice(0, 12)} of ${credential.ownerName}`;
const action = (what: string, permission: string, access: CloudAction['access']): CloudAction => ({ what, permission, access });

const keyNameOf = (credential: ReadCredential) => `${credential.ownerId}/keys/${credential.credentialId}`;
const statusOf = (error: unknown) => googleErrorOf(error).status;

const systemManagedRefusal = (credential: ReadCredential) =>
  new AppError('not_supported', `Google refused: key ${credential.credentialId.slice(0, 12)} of ${credential.ownerName} is system-managed, and only Google changes it.`, {
    nextStep: 'Nothing to do: Google rotates system-managed keys itself.',
  });

/** The key as IAM has it now; null when it is gone. */
async function currentServiceAccountKey(apis: CloudApis, credential: ReadCredential): Promise<iam_v1.Schema$ServiceAccountKey | null> {
  try {
    return await apis.call((options) => apis.iam.projects.serviceAccounts.keys.get({ name: keyNameOf(credential) }, options));
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw cloudFailure(error, action(`reading ${keyLabel(credential)}`, 'iam.serviceAccountKeys.get', 'read'));
  }
}

/** The API key as Google has it now; null when it is gone or deleted (a deleted key waits 30 days to be purged). */
async function currentApiKey(apis: CloudApis, credential: ReadCredential): Promise<apikeys_v2.Schema$V2Key | null> {
  try {
    const key = await apis.call((options) => apis.apikeys.projects.locations.keys.get({ name: apiKeyName(credential) }, options));
    return key.deleteTime ? null : key;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw cloudFailure(error, action(`reading ${keyLabel(credential)}`, 'apikeys.keys.get', 'read'));
  }
}

async function readOne(context: ProviderCallContext, credential: ReadCredential): Promise<ReadCredential | null> {
  const apis = cloudApis(context);
  if (credential.kind === 'api_key') {
    const key = await currentApiKey(apis, credential);
    return key ? apiKeyCredential(credential.ownerId, key) : null;
  }
  const key = await currentServiceAccountKey(apis, credential);
  // The last use is not read again: Policy Analyzer is a day behind anyway.
  const lastUse = { lastUsedAt: credential.lastUsedAt, lastUseKnown: credential.lastUseKnown, lastUsedNote: credential.lastUsedNote };
  return key ? serviceAccountKeyCredential({ id: credential.ownerId, name: credential.ownerName }, key, lastUse) : null;
}

/** `already_gone` when the key was deleted meanwhile: a revocation repeated after a stop between its delete and its outcome. */
async function disable(context: ProviderCallContext, credential: ReadCredential): Promise<'disabled' | 'already_disabled' | 'already_gone'> {
  if (credential.kind !== 'service_account_key') throw new AppError('not_supported', 'Google offers no way to disable an API key; delete it instead.');
  const apis = cloudApis(context);
  const key = await currentServiceAccountKey(apis, credential);
  if (!key) return 'already_gone';
  if (key.disabled) return 'already_disabled';
  try {
    await apis.call((options) => apis.iam.projects.serviceAccounts.keys.disable({ name: keyNameOf(credential), requestBody: {} }, options));
    return 'disabled';
  } catch (error) {
    if (statusOf(error) === 404) return 'already_gone';
    if (googleErrorOf(error).body.status === 'FAILED_PRECONDITION') throw systemManagedRefusal(credential);
    throw cloudFailure(error, action(`disabling ${keyLabel(credential)}`, 'iam.serviceAccountKeys.disable', 'write'));
  }
}

async function remove(context: ProviderCallContext, credential: ReadCredential): Promise<'removed' | 'already_gone'> {
  const apis = cloudApis(context);
  const apiKey = credential.kind === 'api_key';
  try {
    await apis.call((options) =>
      apiKey ? apis.apikeys.projects.locations.keys.delete({ name: apiKeyName(credential) }, options) : apis.iam.projects.serviceAccounts.keys.delete({ name: keyNameOf(credential) }, options),
    );
    return 'removed';
  } catch (error) {
    // Google answers 404 for a key it no longer has (an API key already deleted included): a repeat after a stop.
    if (statusOf(error) === 404) return 'already_gone';
    if (!apiKey && googleErrorOf(error).body.status === 'FAILED_PRECONDITION') throw systemManagedRefusal(credential);
    throw cloudFailure(error, action(`deleting ${keyLabel(credential)}`, apiKey ? 'apikeys.keys.delete' : 'iam.serviceAccountKeys.delete', 'write'));
  }
}

// --- service-account keys -----------------------------------------------------------------------

/**
 * A refused key create: Google answers its 10-key limit with a bare 400 FAILED_PRECONDITION (once
 * 429 RESOURCE_EXHAUSTED), as it does an organization policy against key creation, so the keys
 * are counted to tell which.
 */
async function refusedKeyCreate(apis: CloudApis, error: unknown, old: ReadCredential): Promise<AppError> {
  const { status, body } = googleErrorOf(error);
  const creating = action(`creating a key for ${old.ownerName}`, 'iam.serviceAccountKeys.create', 'write');
  if (body.status !== 'FAILED_PRECONDITION' && body.status !== 'RESOURCE_EXHAUSTED') return cloudFailure(error, creating);
  const keys = await listUserManagedKeys(apis, old.ownerId).catch(() => null);
  if (status === 429 || (keys !== null && keys.length >= serviceAccountKeyLimit)) {
    return new AppError('credential_limit_reached', `${old.ownerName} already holds ${keys?.length ?? serviceAccountKeyLimit} keys, the most Google allows a service account (disabled keys count too); nothing was created and its keys still work.`, {
      nextStep: `Delete a key of ${old.ownerName} that nothing uses any more, then retry.`,
    });
  }
  const policy = (body.details ?? []).flatMap((detail) => detail.violations ?? []).find((violation) => violation.type?.includes('iam.disableServiceAccountKeyCreation'));
  if (policy) {
    return new AppError('blocked_by_policy', 'The organization policy iam.disableServiceAccountKeyCreation forbids new service-account keys in this project; nothing was created.', {
      nextStep: 'Ask an organization policy administrator for an exception for this project, or move what uses the key to workload identity federation.',
    });
  }
  return new AppError('provider_error', `Google refused to create a key for ${old.ownerName} (precondition failed); nothing was created.`, { nextStep: 'Check the service account in the Google Cloud console, then retry.' });
}

const newKeyUse = { lastUsedAt: null, lastUseKnown: false, lastUsedNote: 'A new key: no authentication yet.' };

/** How far Google's validAfterTime of a new key may be before the journal's intent time (clocks differ). */
const clockSkewMs = 5 * 60_000;

const readingKeysOf = (old: ReadCredential) => action(`reading the keys of ${old.ownerName}`, 'iam.serviceAccountKeys.list', 'read');
const readingApiKeysOf = (old: ReadCredential) => action(`reading the API keys of project ${old.ownerId}`, 'apikeys.keys.list', 'read');

const serviceAccountKeyRotator: CredentialRotator = {
  creates: 'api',
  removes: 'api',
  disablesOldFirst: true,
  needsCertificate: false,
  manualSteps: null,
  // IAM keys have no name and no expiry a caller sets (an organization policy may set one): the request's display name and expiry are not sent.
  async create(context, old) {
    const apis = cloudApis(context);
    let created: iam_v1.Schema$ServiceAccountKey;
    try {
      created = await apis.call((options) =>
        apis.iam.projects.serviceAccounts.keys.create({ name: old.ownerId, requestBody: { privateKeyType: 'TYPE_GOOGLE_CREDENTIALS_FILE', keyAlgorithm: 'KEY_ALG_RSA_2048' } }, options),
      );
    } catch (error) {
      throw await refusedKeyCreate(apis, error, old);
    }
    const { privateKeyData, privateKeyType: _type, ...key } = created;
    const content = privateKeyData ? Buffer.from(privateKeyData, 'base64').toString('utf8') : '';
    const credential = serviceAccountKeyCredential({ id: old.ownerId, name: old.ownerName }, key, newKeyUse);
    if (content === '') throw new AppError('provider_error', `Google created key ${credential.credentialId.slice(0, 12)} for ${old.ownerName} but sent no key file.`, { nextStep: 'Discard that key and create another.' });
    const secret: OneTimeSecret = {
      format: 'file',
      label: `Key file of ${emailOfAccount(old.ownerId)}`,
      fileName: `${projectOfAccount(old.ownerId)}-${credential.credentialId.slice(0, 12)}.json`,
      mimeType: 'application/json',
      content,
    };
    return { created: credential, secret };
  },
  /**
   * IAM keys carry no display name: the key a create in doubt made is a user-managed key of the
   * account that was not there just before the create and was made from the intent's time on
   * (less the clock skew). Two such keys are refused, never guessed: the one taken would be kept
   * and the other, perhaps in use elsewhere, deleted as an orphan.
   */
  async findCreated(context, old, intent) {
    const existing = new Set([...intent.existingIds, old.credentialId]);
    const since = Date.parse(intent.sentAt) - clockSkewMs;
    const keys = await calling(readingKeysOf(old), () => listUserManagedKeys(cloudApis(context), old.ownerId));
    const candidates = keys.filter((key) => !existing.has(lastSegment(key.name)) && (Date.parse(key.validAfterTime ?? '') || 0) >= since);
    if (candidates.length > 1) {
      throw new AppError('rotation_step_refused', `${old.ownerName} has ${candidates.length} keys made since this rotation's create was sent, so Consentry cannot tell which one it made; none was taken.`, {
        nextStep: `Check the keys of ${old.ownerName} in the Google Cloud console (IAM & Admin › Service accounts › Keys): delete the one this rotation made if nothing uses it, then retry.`,
      });
    }
    return candidates[0] ? serviceAccountKeyCredential({ id: old.ownerId, name: old.ownerName }, candidates[0], newKeyUse) : null;
  },
};

// --- API keys -----------------------------------------------------------------------------------

/** A display name Google takes: a long old name is shortened before its rotation suffix, which stays whole. */
export function apiKeyDisplayName(displayName: string): string {
  if (displayName.length <= apiKeyDisplayNameLength) return displayName;
  const suffix = /\s\([^()]*\)$/.exec(displayName)?.[0] ?? '';
  const room = apiKeyDisplayNameLength - suffix.length - 1;
  return room > 0 ? `${displayName.slice(0, displayName.length - suffix.length).slice(0, room).trimEnd()}…${suffix}` : displayName.slice(-apiKeyDisplayNameLength);
}

/** The key a long-running operation made; read again until Google says it is done. */
async function finishedOperation(apis: CloudApis, context: ProviderCallContext, operation: apikeys_v2.Schema$Operation, creating: CloudAction): Promise<apikeys_v2.Schema$V2Key> {
  let current = operation;
  for (let poll = 0; !current.done && poll < operationPolls; poll += 1) {
    await sleep(operationPollMs, undefined, context.signal ? { signal: context.signal } : {});
    const name = current.name ?? '';
    current = await calling(creating, () => apis.call((options) => apis.apikeys.operations.get({ name }, options)));
  }
  if (!current.done) throw new AppError('provider_error', 'Google did not finish creating the API key in time.', { nextStep: 'Read the credentials again; if the new key is listed, continue the rotation from there.' });
  // Google's own words are never shown: its status code only.
  if (current.error) throw new AppError('provider_error', `Google could not create the API key (the operation ended with status ${current.error.code ?? 'unknown'}); nothing was created.`, { nextStep: `Check that the admin holds ${creating.permission} on the project, then try again.` });
  return (current.response ?? {}) as apikeys_v2.Schema$V2Key;
}

const keyStringSecret = (credential: ReadCredential, keyString: string): OneTimeSecret => ({ format: 'text', label: `API key ${credential.displayName ?? credential.credentialId}`, value: keyString });

async function readKeyString(apis: CloudApis, credential: ReadCredential): Promise<string> {
  const read = await calling(action(`reading the key string of ${keyLabel(credential)}`, 'apikeys.keys.getKeyString', 'read'), () =>
    apis.call((options) => apis.apikeys.projects.locations.keys.getKeyString({ name: apiKeyName(credential) }, options)),
  );
  if (!read.keyString) throw new AppError('secret_unavailable', `Google sent no key string for ${credential.displayName ?? credential.credentialId}.`, { nextStep: 'Discard that key and create another.' });
  return read.keyString;
}

const apiKeyRotator: CredentialRotator = {
  creates: 'api',
  removes: 'api',
  disablesOldFirst: false,
  needsCertificate: false,
  manualSteps: null,
  // API keys do not expire, so the request's expiry is not sent.
  async create(context, old, request) {
    const apis = cloudApis(context);
    // The restrictions are copied as Google holds them, not from the inventory's words.
    const current = await currentApiKey(apis, old);
    if (!current) throw new AppError('not_found', `Google no longer has the API key ${old.displayName ?? old.credentialId}; there is nothing to rotate.`, { nextStep: 'Read the credentials again.' });
    const creating = action(`creating a successor of ${keyLabel(old)}`, 'apikeys.keys.create', 'write');
    const requestBody: apikeys_v2.Schema$V2Key = {
      displayName: apiKeyDisplayName(request.displayName),
      ...(current.restrictions ? { restrictions: current.restrictions } : {}),
      // A key bound to a service account authenticates as it; the successor must too.
      ...(current.serviceAccountEmail ? { serviceAccountEmail: current.serviceAccountEmail } : {}),
    };
    const operation = await calling(creating, () => apis.call((options) => apis.apikeys.projects.locations.keys.create({ parent: `projects/${old.ownerId}/locations/global`, requestBody }, options)));
    const { keyString, ...key } = await finishedOperation(apis, context, operation, creating);
    const created = apiKeyCredential(old.ownerId, key);
    return { created, secret: keyStringSecret(created, keyString ?? (await readKeyString(apis, created))) };
  },
  async findCreated(context, old, intent) {
    const wanted = apiKeyDisplayName(intent.displayName);
    const existing = new Set([...intent.existingIds, old.credentialId]);
    const keys = await calling(readingApiKeysOf(old), () => listApiKeys(cloudApis(context), old.ownerId));
    const found = keys.find((key) => key.displayName === wanted && !existing.has(apiKeyCredential(old.ownerId, key).credentialId));
    return found ? apiKeyCredential(old.ownerId, found) : null;
  },
  async rereadSecret(context, created) {
    return keyStringSecret(created, await readKeyString(cloudApis(context), created));
  },
};

const rotators: Partial<Record<CredentialKind, CredentialRotator>> = { service_account_key: serviceAccountKeyRotator, api_key: apiKeyRotator };

export const googleCloudCredentials: ProviderCredentials = {
  read: (context, options) => readCloudCredentials(context, options.cloudProjects),
  readOne,
  rotator: (kind) => rotators[kind] ?? null,
  disable,
  async ownerCredentialIds(context, old) {
    const apis = cloudApis(context);
    if (old.kind === 'api_key') return (await calling(readingApiKeysOf(old), () => listApiKeys(apis, old.ownerId))).map((key) => apiKeyCredential(old.ownerId, key).credentialId);
    return (await calling(readingKeysOf(old), () => listUserManagedKeys(apis, old.ownerId))).map((key) => lastSegment(key.name));
  },
  remove,
};
