/**
 * What each provider offers the credentials capability: reading every credential of a tenant (never
 * a secret value), reading one again, removing or disabling one, and, per kind, creating its
 * successor for a rotation. The credentials service and the rotation runner drive these through the
 * tenant's request scheduler (the call context); the adapters live in providers/<name>/ and know
 * only their provider's wire format. Failures are AppErrors with a code from error-codes.ts, naming
 * the permission when one is missing.
 */
import type { Credential, CredentialKind, OneTimeSecret } from '../../src-shared/contract/credentials';
import type { ErrorCode } from '../../src-shared/domain/error-codes';
import type { ProviderCallContext } from '../net/provider-call-context';

/** A credential as the provider gives it, before the policy is applied. */
export type ReadCredential = Omit<Credential, 'key' | 'connectionId' | 'tenantLabel' | 'provider' | 'status' | 'findings' | 'readAt' | 'rotationId'>;

/** A part of the tenant that could not be read; the rest is still listed. */
export interface CredentialReadProblem {
  /** What was not read, e.g. "API keys of project acme-prod". */
  what: string;
  code: ErrorCode;
  message: string;
  /** The scopes or permissions that would let Consentry read it; empty when none would. */
  missingScopes: string[];
}

export interface CredentialReading {
  credentials: ReadCredential[];
  problems: CredentialReadProblem[];
}

export interface CredentialReadOptions {
  /** Google Cloud project ids the admin named; other providers ignore them. */
  cloudProjects: readonly string[];
}

/** What the successor of a credential gets. */
export interface SuccessorRequest {
  /** Unique per rotation (it carries the rotation's short id), so a create in doubt can be found again. */
  displayName: string;
  /** Null when the kind has no expiry the caller can set. */
  expiresAt: string | null;
  /** A certificate rotation: the new public certificate (PEM) the admin supplied. */
  certificatePem?: string;
}

export interface CreatedSuccessor {
  created: ReadCredential;
  /** Shown to the admin once; null when there is none (a public certificate). */
  secret: OneTimeSecret | null;
}

export interface CredentialRotator {
  /** `api`: Consentry creates the successor; `manual`: the admin creates it in the provider's console (Okta API tokens). */
  creates: 'api' | 'manual';
  /** Service-account keys: the old key is disabled at hand-over and deleted after the overlap. */
  disablesOldFirst: boolean;
  /** The successor needs a public certificate from the admin. */
  needsCertificate: boolean;
  /** Where and how the admin creates the successor when `creates` is `manual`; null otherwise. */
  manualSteps: { where: string; url: string | null } | null;
  create?(context: ProviderCallContext, old: ReadCredential, request: SuccessorRequest): Promise<CreatedSuccessor>;
  /**
   * After a stop while the create was in doubt: the credential that create made (found by its
   * display name on the old one's owner), or null when the provider has none.
   */
  findCreated?(context: ProviderCallContext, old: ReadCredential, displayName: string): Promise<ReadCredential | null>;
  /** For kinds whose secret can be read again (API keys); absent when the provider shows it once only. */
  rereadSecret?(context: ProviderCallContext, created: ReadCredential): Promise<OneTimeSecret>;
}

export interface ProviderCredentials {
  read(context: ProviderCallContext, options: CredentialReadOptions): Promise<CredentialReading>;
  /** Reads one credential again (the read-back after a change); null when the provider no longer has it. */
  readOne(context: ProviderCallContext, credential: ReadCredential): Promise<ReadCredential | null>;
  /** How a kind is rotated, or null when the provider offers no way (the inventory says why in `rotation.note`). */
  rotator(kind: CredentialKind): CredentialRotator | null;
  /** Disables without deleting (service-account keys); absent when the provider cannot. */
  disable?(context: ProviderCallContext, credential: ReadCredential): Promise<'disabled' | 'already_disabled'>;
  /** Deletes or revokes it. `already_gone` when the provider no longer has it (a repeat after a stop). */
  remove(context: ProviderCallContext, credential: ReadCredential): Promise<'removed' | 'already_gone'>;
}
