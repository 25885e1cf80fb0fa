/**
 * The credentials capability's Microsoft Graph adapter. Reading needs the audit's
 * Application.Read.All; every change needs Application.ReadWrite.All (the credentials capability):
 * addPassword and removePassword for secrets, and for certificates a PATCH of the app's whole
 * keyCredentials collection (addKey would need a proof signed by a current certificate).
 * Every call goes through the tenant's scheduler.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { CredentialKind } from '../../../src-shared/contract/credentials';
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { CreateIntent, CredentialRotator, ProviderCredentials, ReadCredential, SuccessorRequest } from '../../credentials/credentials-port';
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { describeGraphFailure, graphFailureCode } from './graph-failure';
import { graphEndpoint, graphRequest, isAbort, type GraphEndpoint } from './graph-request';
import { credentialsOf, ownerCollection, readMicrosoftCredentials, readOwner, thumbprintOf, type GraphCredentialOwner, type GraphKeyCredential, type GraphPasswordCredential, type OwnerKind } from './microsoft-credentials-read';

const writePermission = 'Application.ReadWrite.All';
const allowCredentialsCapability = 'Allow the Credentials capability for this connection, then sign in again when asked.';
/**
 * From "Validation differences by supported account types": two client secrets for an app whose
 * signInAudience takes personal Microsoft accounts (the page's column for both audiences below),
 * about 1,000 items per app object.
 */
const personalAccountAudiences: ReadonlySet<string> = new Set(['AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']);
const personalAccountSecretLimit = 2;
const appObjectItemLimit = 1_000;

const nextSteps: Partial<Record<ErrorCode, string>> = {
  permission_denied: allowCredentialsCapability,
  needs_reconnect: 'Reconnect this connection: its sign-in is no longer accepted.',
  quota_exhausted: 'Microsoft Graph is throttling this tenant; try again in a few minutes.',
  network: 'Check the network connection, then try again.',
};

const statusOf = (error: unknown) => (error as { status?: unknown } | null)?.status;

/** A failed call as the admin reads it: a refusal names the permission; never Graph's own text. */
function failure(graph: GraphEndpoint, error: unknown, what: string, permission: string): AppError {
  if (error instanceof AppError) return error;
  if (isAbort(error, graph)) throw error;
  const code = graphFailureCode(error);
  if (code === 'permission_denied') return new AppError(code, `Microsoft Graph refused ${what}: the connection lacks ${permission}.`, { nextStep: allowCredentialsCapability, cause: error });
  const failed = `${what.charAt(0).toUpperCase()}${what.slice(1)} failed`;
  if (code === 'not_found') return new AppError(code, `${failed}: Microsoft Entra no longer has it.`, { cause: error });
  const nextStep = nextSteps[code];
  return new AppError(statusOf(error) === 400 ? 'invalid_request' : code, `${failed}: ${describeGraphFailure(error)}`, { ...(nextStep ? { nextStep } : {}), cause: error });
}

const ownerKindOf = (credential: ReadCredential): OwnerKind => (credential.ownerKind === 'service_principal' ? 'service_principal' : 'application');

/** The owner as it is now; null when Entra no longer has it. */
async function currentOwner(graph: GraphEndpoint, credential: ReadCredential, withKeys = false): Promise<GraphCredentialOwner | null> {
  try {
    return await readOwner(graph, ownerKindOf(credential), credential.ownerId, withKeys);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw failure(graph, error, `reading ${credential.ownerName}`, 'Application.Read.All');
  }
}

async function readOne(context: ProviderCallContext, credential: ReadCredential): Promise<ReadCredential | null> {
  const owner = await currentOwner(graphEndpoint(context), credential);
  return owner ? (credentialsOf(owner, ownerKindOf(credential)).find((candidate) => candidate.kind === credential.kind && candidate.credentialId === credential.credentialId) ?? null) : null;
}

/**
 * A refused add: when the app holds as many credentials as Entra allows it, the limit (Graph names
 * it in words only, so the app is read again to tell); anything else as it is.
 */
async function refusedAdd(graph: GraphEndpoint, error: unknown, old: ReadCredential, what: string): Promise<AppError> {
  if (statusOf(error) === 400) {
    const owner = await currentOwner(graph, old);
    const secrets = owner?.passwordCredentials?.length ?? 0;
    const items = secrets + (owner?.keyCredentials?.length ?? 0);
    const personal = personalAccountAudiences.has(owner?.signInAudience ?? '');
    if ((personal && secrets >= personalAccountSecretLimit) || items >= appObjectItemLimit) {
      const held = personal && secrets >= personalAccountSecretLimit ? `the ${personalAccountSecretLimit} secrets Microsoft Entra allows an app that also signs in personal Microsoft accounts` : `about ${appObjectItemLimit} credentials, the most Microsoft Entra allows one app`;
      return new AppError('credential_limit_reached', `${old.ownerName} already holds ${held}; nothing was added and its credentials still work.`, {
        nextStep: `Remove an unused secret of ${old.ownerName} first, then retry.`,
        cause: error,
      });
    }
  }
  return failure(graph, error, what, writePermission);
}

/**
 * A removal Graph refused with 400 or 404: what it answers for a keyId it no longer has is not
 * documented (404 in the simulator), so the owner is read again: gone is a repeat after a stop.
 */
async function refusedRemoval(context: ProviderCallContext, error: unknown, credential: ReadCredential, what: string): Promise<'already_gone'> {
  const graph = graphEndpoint(context);
  if (isAbort(error, graph)) throw error;
  const status = statusOf(error);
  if ((status === 400 || status === 404) && (await readOne(context, credential)) === null) return 'already_gone';
  throw failure(graph, error, what, writePermission);
}

async function remove(context: ProviderCallContext, credential: ReadCredential): Promise<'removed' | 'already_gone'> {
  const graph = graphEndpoint(context);
  const what = `removing ${credential.displayName ?? credential.kind} of ${credential.ownerName}`;
  if (credential.kind === 'app_secret' || credential.kind === 'sp_secret') {
    try {
      await graphRequest(graph, 'POST', `/${ownerCollection[ownerKindOf(credential)]}/${encodeURIComponent(credential.ownerId)}/removePassword`, { keyId: credential.credentialId });
      return 'removed';
    } catch (error) {
      return refusedRemoval(context, error, credential, what);
    }
  }
  if (credential.kind === 'app_certificate') {
    return changingCertificates(graph, credential.ownerId, async () => {
      const owner = await currentOwner(graph, credential, true);
      const keys = owner?.keyCredentials ?? [];
      if (!keys.some((key) => key.keyId === credential.credentialId)) return 'already_gone';
      const kept = keys.filter((key) => key.keyId !== credential.credentialId);
      try {
        await patchKeyCredentials(graph, credential.ownerId, kept);
      } catch (error) {
        return refusedRemoval(context, error, credential, what);
      }
      await readBack(graph, credential, kept, [credential.credentialId]);
      return 'removed';
    });
  }
  throw new AppError('not_supported', `Consentry does not remove ${credential.ownerName}'s SAML signing certificate: single sign-on would stop at once.`, { nextStep: credential.rotation.note ?? undefined });
}

/** A certificate to add: Graph gives it its keyId. */
type NewKeyCredential = Omit<GraphKeyCredential, 'keyId'>;

/** PATCH replaces the whole collection: the certificates kept are sent back as read, each with its key. */
function patchKeyCredentials(graph: GraphEndpoint, applicationId: string, keyCredentials: readonly (GraphKeyCredential | NewKeyCredential)[]): Promise<unknown> {
  return graphRequest(graph, 'PATCH', `/applications/${encodeURIComponent(applicationId)}`, { keyCredentials });
}

/**
 * The certificate changes under way per app: each is a read of the whole collection and a PATCH of
 * it, so two at once (two removals of one revoke job) would each write back what the other removed
 * or added. They run one after another per app. The object id is unique across tenants; the
 * Graph root keeps a simulator's apps apart from a cloud's.
 */
const certificateChanges = new Map<string, Promise<unknown>>();

function changingCertificates<T>(graph: GraphEndpoint, applicationId: string, change: () => Promise<T>): Promise<T> {
  const key = `${graph.baseUrl}|${applicationId.toLowerCase()}`;
  const next = (certificateChanges.get(key) ?? Promise.resolve()).then(change, change);
  const settled = next.catch(() => undefined);
  certificateChanges.set(key, settled);
  void settled.then(() => {
    if (certificateChanges.get(key) === settled) certificateChanges.delete(key);
  });
  return next;
}

/**
 * After a PATCH: the certificates kept are on the app and those removed are not. Someone changing
 * the app in the admin center at the same moment is the only way this fails.
 */
async function readBack(graph: GraphEndpoint, credential: ReadCredential, kept: readonly GraphKeyCredential[], removed: readonly string[]): Promise<void> {
  const now = new Set((await currentOwner(graph, credential, true))?.keyCredentials?.map((key) => key.keyId.toLowerCase()) ?? []);
  const missing = kept.filter((key) => !now.has(key.keyId.toLowerCase())).length;
  const left = removed.filter((keyId) => now.has(keyId.toLowerCase())).length;
  if (missing === 0 && left === 0) return;
  throw new AppError('provider_error', `Read back after changing the certificates of ${credential.ownerName}, ${missing > 0 ? `${missing} certificate${missing === 1 ? ' it kept is' : 's it kept are'} missing` : 'the removed certificate is still there'}: the app was changed elsewhere at the same time.`, {
    nextStep: `Check the certificates of ${credential.ownerName} in the Microsoft Entra admin center (App registrations › Certificates & secrets), then read the credentials again.`,
  });
}

/** The owner's credentials of the old one's kind. */
async function ownerCredentials(context: ProviderCallContext, old: ReadCredential): Promise<ReadCredential[]> {
  const owner = await currentOwner(graphEndpoint(context), old);
  return owner ? credentialsOf(owner, ownerKindOf(old)).filter((candidate) => candidate.kind === old.kind) : [];
}

/** The credential of this kind on the old one's owner that carries the rotation's display name and was not there before the create. */
async function findCreated(context: ProviderCallContext, old: ReadCredential, intent: CreateIntent): Promise<ReadCredential | null> {
  const existing = new Set(intent.existingIds.map((id) => id.toLowerCase()));
  return (await ownerCredentials(context, old)).find((candidate) => candidate.displayName === intent.displayName && !existing.has(candidate.credentialId.toLowerCase())) ?? null;
}

/** What both rotators share: Consentry creates the successor and removes the old one, which stays enabled until then. */
const byApi = { creates: 'api', removes: 'api', disablesOldFirst: false, manualSteps: null, findCreated } as const;

const appSecretRotator: CredentialRotator = {
  ...byApi,
  needsCertificate: false,
  async create(context, old, request) {
    const graph = graphEndpoint(context);
    const passwordCredential = { displayName: request.displayName, ...(request.expiresAt ? { endDateTime: request.expiresAt } : {}) };
    let added: GraphPasswordCredential & { secretText?: string | null };
    try {
      added = await graphRequest(graph, 'POST', `/applications/${encodeURIComponent(old.ownerId)}/addPassword`, { passwordCredential });
    } catch (error) {
      throw await refusedAdd(graph, error, old, `adding a secret to ${old.ownerName}`);
    }
    const { secretText, ...credential } = added;
    if (!secretText) throw new AppError('provider_error', `Microsoft Graph added a secret to ${old.ownerName} but did not return its value.`, { nextStep: 'Discard that secret and create another.' });
    const [created] = credentialsOf({ id: old.ownerId, displayName: old.ownerName, passwordCredentials: [credential] }, 'application');
    return { created: created!, secret: { format: 'text', label: `Client secret of ${old.ownerName}`, value: secretText } };
  },
};

/** The public certificate the admin pasted, as Graph's keyCredential: key, thumbprint as customKeyIdentifier, its validity. */
function keyCredentialFrom(request: SuccessorRequest): NewKeyCredential {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(request.certificatePem ?? '');
  } catch (error) {
    throw new AppError('invalid_request', 'That is not a PEM certificate.', { nextStep: 'Paste the public certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.', cause: error });
  }
  return {
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: certificate.raw.toString('base64'),
    displayName: request.displayName,
    customKeyIdentifier: createHash('sha1').update(certificate.raw).digest('base64'),
    startDateTime: new Date(certificate.validFrom).toISOString(),
    endDateTime: new Date(certificate.validTo).toISOString(),
  };
}

const appCertificateRotator: CredentialRotator = {
  ...byApi,
  needsCertificate: true,
  async create(context, old, request) {
    const graph = graphEndpoint(context);
    const added = keyCredentialFrom(request);
    return changingCertificates(graph, old.ownerId, async () => {
      const owner = await currentOwner(graph, old, true);
      if (!owner) throw new AppError('not_found', `Microsoft Entra no longer has ${old.ownerName}.`);
      const keys = owner.keyCredentials ?? [];
      if (keys.some((key) => key.customKeyIdentifier === added.customKeyIdentifier)) {
        throw new AppError('invalid_request', `${old.ownerName} already has that certificate (thumbprint ${thumbprintOf(added.customKeyIdentifier)}).`, { nextStep: 'Paste the new certificate, not the one in use.' });
      }
      try {
        await patchKeyCredentials(graph, old.ownerId, [...keys, added]);
      } catch (error) {
        throw await refusedAdd(graph, error, old, `adding a certificate to ${old.ownerName}`);
      }
      await readBack(graph, old, keys, []);
      const created = await findCreated(context, old, { displayName: request.displayName, sentAt: '', existingIds: keys.map((key) => key.keyId) });
      if (!created) throw new AppError('provider_error', `Microsoft Graph accepted the certificate for ${old.ownerName}, but it is not on the app when read back.`, { nextStep: 'Read the credentials again, then retry.' });
      return { created, secret: null };
    });
  },
};

const rotators: Partial<Record<CredentialKind, CredentialRotator>> = { app_secret: appSecretRotator, app_certificate: appCertificateRotator };

export const microsoftCredentials: ProviderCredentials = {
  read: (context) => readMicrosoftCredentials(graphEndpoint(context)),
  readOne,
  rotator: (kind) => rotators[kind] ?? null,
  ownerCredentialIds: async (context, old) => (await ownerCredentials(context, old)).map((credential) => credential.credentialId),
  remove,
};
