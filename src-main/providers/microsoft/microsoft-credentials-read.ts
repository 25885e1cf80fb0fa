/**
 * Reads a Microsoft Entra tenant's credentials into the inventory model: every app registration's
 * `passwordCredentials` (app_secret) and `keyCredentials` (app_certificate), and service
 * principals' own credentials: a password of their own (sp_secret) and certificates (sp_certificate),
 * a SAML token-signing certificate's Sign and Verify halves and PFX password counted as the one
 * certificate they are. Paged, every call through the tenant's scheduler; a listing that cannot be
 * read is a problem naming the permission, and what was read is still listed.
 */
import type { CredentialReadProblem, CredentialReading, ReadCredential } from '../../credentials/credentials-port';
import { describeGraphFailure, graphFailureCode } from './graph-failure';
import { graphPages, graphRequest, isAbort, type GraphEndpoint } from './graph-request';

export interface GraphPasswordCredential {
  keyId: string;
  displayName?: string | null;
  hint?: string | null;
  customKeyIdentifier?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface GraphKeyCredential {
  keyId: string;
  displayName?: string | null;
  customKeyIdentifier?: string | null;
  key?: string | null;
  type?: string | null;
  usage?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface GraphCredentialOwner {
  id: string;
  displayName?: string | null;
  signInAudience?: string | null;
  passwordCredentials?: GraphPasswordCredential[];
  keyCredentials?: GraphKeyCredential[];
  preferredTokenSigningKeyThumbprint?: string | null;
}

export type OwnerKind = 'application' | 'service_principal';

export const ownerFields: Record<OwnerKind, string> = {
  application: 'id,displayName,signInAudience,passwordCredentials,keyCredentials',
  service_principal: 'id,displayName,passwordCredentials,keyCredentials,preferredTokenSigningKeyThumbprint',
};
export const ownerCollection: Record<OwnerKind, string> = { application: 'applications', service_principal: 'servicePrincipals' };
const ownerWords: Record<OwnerKind, string> = { application: 'app registrations', service_principal: 'service principals' };

const lastUsedNote = 'Microsoft Graph v1.0 does not report when an app credential was last used.';
const spSecretNote =
  "Consentry cannot tell what signs in with a service principal's own password, so it does not create its successor: add the new one where that app is configured, then revoke this one.";
const samlNote =
  'Rotate it in the Microsoft Entra admin center: Enterprise applications › (the app) › Single sign-on › SAML Certificates: add a new certificate, give its metadata to the app, make it active, then delete the old one.';

// 999 is Graph's largest page.
const pageSize = 999;

/** A certificate's thumbprint in hex, when its customKeyIdentifier is one (Graph's default). */
export function thumbprintOf(customKeyIdentifier: string | null | undefined): string | null {
  if (!customKeyIdentifier) return null;
  const bytes = Buffer.from(customKeyIdentifier, 'base64');
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : null;
}

function base(owner: GraphCredentialOwner, ownerKind: OwnerKind): Pick<ReadCredential, 'ownerKind' | 'ownerId' | 'ownerName' | 'lastUsedAt' | 'lastUseKnown' | 'lastUsedNote' | 'restrictions' | 'disabled' | 'managedBy'> {
  return { ownerKind, ownerId: owner.id, ownerName: owner.displayName ?? owner.id, lastUsedAt: null, lastUseKnown: false, lastUsedNote, restrictions: null, disabled: false, managedBy: 'admin' };
}

function secret(owner: GraphCredentialOwner, ownerKind: OwnerKind, password: GraphPasswordCredential): ReadCredential {
  const isApp = ownerKind === 'application';
  return {
    ...base(owner, ownerKind),
    kind: isApp ? 'app_secret' : 'sp_secret',
    credentialId: password.keyId,
    displayName: password.displayName ?? null,
    hint: password.hint ?? null,
    createdAt: password.startDateTime ?? null,
    expiresAt: password.endDateTime ?? null,
    rotation: isApp ? { mode: 'api', note: null } : { mode: 'none', note: spSecretNote },
    revocable: true,
  };
}

function certificate(owner: GraphCredentialOwner, ownerKind: OwnerKind, key: GraphKeyCredential): ReadCredential {
  const isApp = ownerKind === 'application';
  return {
    ...base(owner, ownerKind),
    kind: isApp ? 'app_certificate' : 'sp_certificate',
    credentialId: key.keyId,
    displayName: key.displayName ?? null,
    hint: thumbprintOf(key.customKeyIdentifier),
    createdAt: key.startDateTime ?? null,
    expiresAt: key.endDateTime ?? null,
    // A service principal's certificate is the SAML signing one: its private key is Entra's, so it is rotated there.
    rotation: isApp ? { mode: 'api', note: null } : { mode: 'guided', note: samlNote },
    revocable: isApp,
  };
}

/** Every credential of one app registration or service principal. */
export function credentialsOf(owner: GraphCredentialOwner, ownerKind: OwnerKind): ReadCredential[] {
  const keys = owner.keyCredentials ?? [];
  if (ownerKind === 'application') return [...(owner.passwordCredentials ?? []).map((password) => secret(owner, ownerKind, password)), ...keys.map((key) => certificate(owner, ownerKind, key))];
  // One certificate per identifier: the Sign and Verify halves (listed by the Verify one) and the PFX password.
  const identifiers = new Set(keys.map((key) => key.customKeyIdentifier ?? key.keyId));
  const certificates = [...identifiers].map((identifier) => {
    const halves = keys.filter((key) => (key.customKeyIdentifier ?? key.keyId) === identifier);
    return certificate(owner, ownerKind, halves.find((key) => key.usage === 'Verify') ?? halves[0]!);
  });
  const keyIds = new Set(keys.map((key) => key.keyId.toLowerCase()));
  const passwords = (owner.passwordCredentials ?? []).filter((password) => !keyIds.has(password.keyId.toLowerCase()) && !(password.customKeyIdentifier && identifiers.has(password.customKeyIdentifier)));
  return [...passwords.map((password) => secret(owner, ownerKind, password)), ...certificates];
}

/** What a failed listing becomes: a 403 names the permission that reads it. */
function readProblem(what: string, error: unknown): CredentialReadProblem {
  const code = graphFailureCode(error);
  if (code === 'permission_denied') return { what, code, message: `Microsoft Graph refused to list the ${what}: the connection lacks Application.Read.All.`, missingScopes: ['Application.Read.All'] };
  return { what, code, message: describeGraphFailure(error), missingScopes: [] };
}

export async function readMicrosoftCredentials(graph: GraphEndpoint): Promise<CredentialReading> {
  const credentials: ReadCredential[] = [];
  const problems: CredentialReadProblem[] = [];
  for (const ownerKind of ['application', 'service_principal'] as const) {
    const what = `secrets and certificates of ${ownerWords[ownerKind]}`;
    try {
      for await (const page of graphPages<GraphCredentialOwner>(graph, `/${ownerCollection[ownerKind]}?$select=${ownerFields[ownerKind]}&$top=${pageSize}`)) {
        for (const owner of page) credentials.push(...credentialsOf(owner, ownerKind));
      }
    } catch (error) {
      if (isAbort(error, graph)) throw error;
      problems.push(readProblem(what, error));
    }
  }
  return { credentials, problems };
}

/** One app registration or service principal; `withKeys` asks for certificate keys (`$select=keyCredentials` alone). */
export function readOwner(graph: GraphEndpoint, ownerKind: OwnerKind, ownerId: string, withKeys = false): Promise<GraphCredentialOwner> {
  const fields = withKeys ? 'keyCredentials' : ownerFields[ownerKind];
  return graphRequest<GraphCredentialOwner>(graph, 'GET', `/${ownerCollection[ownerKind]}/${encodeURIComponent(ownerId)}?$select=${fields}`);
}
