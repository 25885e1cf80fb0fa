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
import type { CredentialRotator, ProviderCredentials, ReadCredential, SuccessorRequest } from '../../credentials/credentials-port';
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { describeGraphFailure, graphFailureCode } from './graph-failure';
import { graphEndpoint, graphRequest, isAbort, type GraphEndpoint } from './graph-request';
import { credentialsOf, ownerCollection, readMicrosoftCredentials, readOwner, thumbprintOf, type GraphCredentialOwner, type GraphKeyCredential, type GraphPasswordCredential, type OwnerKind } from './microsoft-credentials-read';

const writePermission = 'Application.ReadWrite.All';
const allowCredentialsCapability = 'Allow the Credentials capability for this connection, then sign in again when asked.';
/** From "Validation differences by supported account types": two secrets for apps that take personal accounts, about 1,000 items per app object. */
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

/** Runs one call; a failure becomes the AppError `failure` describes. */
async function calling<T>(graph: GraphEndpoint, what: string, permission: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw failure(graph, error, what, permission);
  }
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
    const personal = owner?.signInAudience === 'AzureADandPersonalMicrosoftAccount' || owner?.signInAudience === 'PersonalMicrosoftAccount';
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

async function remove(context: ProviderCallContext, credential: ReadCredential): Promise<'removed' | 'already_gone'> {
  const graph = graphEndpoint(context);
  const what = `removing ${credential.displayName ?? credential.kind} of ${credential.ownerName}`;
  if (credential.kind === 'app_secret' || credential.kind === 'sp_secret') {
    try {
      await graphRequest(graph, 'POST', `/${ownerCollection[ownerKindOf(credential)]}/${encodeURIComponent(credential.ownerId)}/removePassword`, { keyId: credential.credentialId });
      return 'removed';
    } catch (error) {
      // Graph answers 404 for an owner or a keyId it no longer has: a repeat after a stop.
      if (statusOf(error) === 404) return 'already_gone';
      throw failure(graph, error, what, writePermission);
    }
  }
  if (credential.kind === 'app_certificate') {
    const owner = await currentOwner(graph, credential, true);
    const keys = owner?.keyCredentials ?? [];
    if (!keys.some((key) => key.keyId === credential.credentialId)) return 'already_gone';
    await calling(graph, what, writePermission, () => patchKeyCredentials(graph, credential.ownerId, keys.filter((key) => key.keyId !== credential.credentialId)));
    return 'removed';
  }
  throw new AppError('not_supported', `Consentry does not remove ${credential.ownerName}'s SAML signing certificate: single sign-on would stop at once.`, { nextStep: credential.rotation.note ?? undefined });
}

/** A certificate to add: Graph gives it its keyId. */
type NewKeyCredential = Omit<GraphKeyCredential, 'keyId'>;

/** PATCH replaces the whole collection: the certificates kept are sent back as read, each with its key. */
function patchKeyCredentials(graph: GraphEndpoint, applicationId: string, keyCredentials: readonly (GraphKeyCredential | NewKeyCredential)[]): Promise<unknown> {
  return graphRequest(graph, 'PATCH', `/applications/${encodeURIComponent(applicationId)}`, { keyCredentials });
}

/** The credential of this kind on the old one's owner that carries the rotation's display name. */
async function findCreated(context: ProviderCallContext, old: ReadCredential, displayName: string): Promise<ReadCredential | null> {
  const owner = await currentOwner(graphEndpoint(context), old);
  return owner ? (credentialsOf(owner, ownerKindOf(old)).find((candidate) => candidate.kind === old.kind && candidate.displayName === displayName) ?? null) : null;
}

/** What both rotators share: Consentry creates the successor, and the old one stays enabled until it is removed. */
const byApi = { creates: 'api', disablesOldFirst: false, manualSteps: null, findCreated } as const;

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
    const created = await findCreated(context, old, request.displayName);
    if (!created) throw new AppError('provider_error', `Microsoft Graph accepted the certificate for ${old.ownerName}, but it is not on the app when read back.`, { nextStep: 'Read the credentials again, then retry.' });
    return { created, secret: null };
  },
};

const rotators: Partial<Record<CredentialKind, CredentialRotator>> = { app_secret: appSecretRotator, app_certificate: appCertificateRotator };

export const microsoftCredentials: ProviderCredentials = {
  read: (context) => readMicrosoftCredentials(graphEndpoint(context)),
  readOne,
  rotator: (kind) => rotators[kind] ?? null,
  remove,
};
