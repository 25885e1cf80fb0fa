/**
 * What each provider offers the credentials capability: reading every credential of a tenant (never
 * a secret value), reading one again, removing or disabling one, and, per kind, creating its
 * successor for a rotation. The credentials service and the rotation runner drive these through the
 * tenant's request scheduler (the call context); the adapters live in providers/<name>/ and know
 * only their provider's wire format. Failures are AppErrors with a code from error-codes.ts, naming
 * the permission when one is missing.
 */
import type { ConnectionSettings } from '../../src-shared/contract/connections';
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

/** What the rotation wrote to its journal before sending a create: enough to recognise its result. */
export interface CreateIntent {
  displayName: string;
  /** When the create was about to be sent (the journal's intent time). */
  sentAt: string;
  /** The ids of the owner's credentials of this kind read just before the create was sent. */
  existingIds: readonly string[];
}

export interface CreatedSuccessor {
  created: ReadCredential;
  /** Shown to the admin once; null when there is none (a public certificate). */
  secret: OneTimeSecret | null;
}

/**
 * The admin's part of a rotation, done in the provider's console. In the steps, `{new}` stands for
 * the successor's planned name and `{old}` for the old credential's name: the rotation fills them in.
 */
export interface ManualSteps {
  /** Where in the console, e.g. "Okta Admin Console › Security › API › Tokens". */
  where: string;
  /** What the admin does there, in order (the rotation's prompt says what Consentry does after the confirmation). */
  steps: string[];
  /** That page of this tenant's console, or null when it cannot be built from the connection's settings. */
  url: string | null;
}

export interface CredentialRotator {
  /** `api`: Consentry creates the successor; `manual`: the admin creates it in the provider's console (Okta and Zendesk API tokens). */
  creates: 'api' | 'manual';
  /**
   * `api`: Consentry removes the old credential (`remove`); `manual`: the provider offers no call
   * for it, so the admin deletes it in the console as part of the manual steps and Consentry only
   * reads back that it is gone (Zendesk API tokens).
   */
  removes: 'api' | 'manual';
  /** Service-account keys: the old key is disabled at hand-over and deleted after the overlap. */
  disablesOldFirst: boolean;
  /** The successor needs a public certificate from the admin. */
  needsCertificate: boolean;
  /** Where and how the admin creates the successor (and deletes the old one) when `creates` is `manual`; null otherwise. */
  manualSteps: ManualSteps | null;
  create?(context: ProviderCallContext, old: ReadCredential, request: SuccessorRequest): Promise<CreatedSuccessor>;
  /**
   * After a stop while the create was in doubt: the credential that create made on the old one's
   * owner, or null when the provider has none. Matched by display name where the kind has one;
   * otherwise (service-account keys) only a credential absent from `intent.existingIds` and made
   * at or after `intent.sentAt` qualifies, and more than one such is refused as ambiguous
   * (an AppError), never guessed: a wrong match could later be deleted as an orphan.
   */
  findCreated?(context: ProviderCallContext, old: ReadCredential, intent: CreateIntent): Promise<ReadCredential | null>;
  /** For kinds whose secret can be read again (API keys); absent when the provider shows it once only. */
  rereadSecret?(context: ProviderCallContext, created: ReadCredential): Promise<OneTimeSecret>;
}

export interface ProviderCredentials {
  read(context: ProviderCallContext, options: CredentialReadOptions): Promise<CredentialReading>;
  /** Reads one credential again (the read-back after a change); null when the provider no longer has it. */
  readOne(context: ProviderCallContext, credential: ReadCredential): Promise<ReadCredential | null>;
  /**
   * How a kind is rotated, or null when the provider offers no way (the inventory says why in
   * `rotation.note`). `settings` are the connection's, for the console URL of the manual steps.
   */
  rotator(kind: CredentialKind, settings: ConnectionSettings): CredentialRotator | null;
  /** Disables without deleting (service-account keys); absent when the provider cannot. */
  disable?(context: ProviderCallContext, credential: ReadCredential): Promise<'disabled' | 'already_disabled' | 'already_gone'>;
  /**
   * The ids of the credentials of `kind` the owner holds now, read just before a create is sent so
   * a create in doubt can be told from credentials someone else made.
   */
  ownerCredentialIds(context: ProviderCallContext, old: ReadCredential): Promise<string[]>;
  /** Deletes or revokes it. `already_gone` when the provider no longer has it (a repeat after a stop). */
  remove(context: ProviderCallContext, credential: ReadCredential): Promise<'removed' | 'already_gone'>;
}
