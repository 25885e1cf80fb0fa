/**
 * What each provider offers the consent capability. The consent service drives these through the
 * tenant's request scheduler (the call context); the adapters live in providers/<name>/ and know
 * their provider's wire format only. Every method that changes something reads back, and reports
 * what exists afterwards rather than what was asked.
 */
import type { ConsentWorkflow, GoogleApiControls, OktaAppGrants, PolicyChange } from '../../src-shared/contract/consent';
import type { ErrorCode } from '../../src-shared/domain/error-codes';
import type { ProviderCallContext } from '../net/provider-call-context';

/** The settings as read from the provider, before any baseline is applied. */
export type ConsentPolicyReading =
  | {
      provider: 'microsoft';
      /** authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned. */
      permissionGrantPoliciesAssigned: string[];
      allowedToCreateApps: boolean;
      /** Null when adminConsentRequestPolicy could not be read (with why). */
      workflow: ConsentWorkflow | null;
      workflowProblem: { code: ErrorCode; message: string } | null;
    }
  | { provider: 'google'; controls: Omit<GoogleApiControls, 'appAccessUrl'> }
  | { provider: 'okta'; apps: OktaAppReading[] };

/** An Okta app integration's scope grants as read: the service rates them. */
export type OktaAppReading = Omit<OktaAppGrants, 'grants'> & { grants: Omit<OktaAppGrants['grants'][number], 'level' | 'reason'>[] };

/** A policy change with its reviewers resolved to Graph queries (`/users/{id}`). */
export type ResolvedPolicyChange =
  | Exclude<PolicyChange, { kind: 'admin_consent_workflow' }>
  | (Omit<Extract<PolicyChange, { kind: 'admin_consent_workflow' }>, 'reviewers'> & { reviewers: { query: string }[] });

/** One appConsentRequest with its userConsentRequests, as Graph gives them. */
export interface ConsentRequestReading {
  id: string;
  appId: string;
  appDisplayName: string;
  /** pendingScopes' displayName values: delegated Microsoft Graph scopes. */
  pendingScopes: string[];
  userRequests: {
    id: string;
    /** The approval's stage ids, to record a decision on. */
    stageIds: string[];
    requestedBy: string;
    reason: string | null;
    createdAt: string;
    status: string;
  }[];
}

/** One approval stage of a request as the provider keeps it, decided or not: who decided what. */
export interface ConsentStageReading {
  userRequestId: string;
  /** The user request's status, e.g. `InProgress`, `Completed`, `Expired`. */
  userRequestStatus: string;
  stageId: string;
  /** The stage's status, e.g. `InProgress`, `Completed`, `Expired`. */
  status: string;
  /** `Approve`/`Approved`, `Deny`/`Denied`, `NotReviewed`, or null when not given. */
  reviewResult: string | null;
  /** Null while nobody reviewed it; the user principal name is absent when the provider gives a plain identity. */
  reviewedBy: { id: string | null; displayName: string | null; userPrincipalName: string | null } | null;
  reviewedAt: string | null;
}

/** An app as the tenant knows it: its service principal (if any) and what it holds tenant-wide. */
export interface AppConsentState {
  appId: string;
  /** From the service principal, or from the request when the app has none yet. */
  displayName: string | null;
  publisher: string | null;
  verifiedPublisher: boolean | null;
  servicePrincipalId: string | null;
  accountEnabled: boolean | null;
  appRoleAssignmentRequired: boolean | null;
  /** The AllPrincipals oauth2PermissionGrant to Microsoft Graph, if any. */
  tenantWideGrant: { id: string; scopes: string[] } | null;
  /** Application permissions (app role assignments) it holds on Microsoft Graph. */
  appRoles: { assignmentId: string; permission: string }[];
}

/** What Microsoft Graph (the resource) publishes: the names a grant may use. */
export interface ResourcePermissions {
  servicePrincipalId: string;
  delegated: ReadonlySet<string>;
  /** Application permission name → app role id. */
  appRoles: ReadonlyMap<string, string>;
}

export interface ConsentCallOutcome {
  ok: boolean;
  /** e.g. `created`, `updated`, `already_done`, `not_found`, `forbidden`. */
  code: string;
  message: string;
  errorCode: ErrorCode | null;
}

export interface ProviderConsent {
  /** The scopes reading the policy needs beyond the audit's; the service compares them with what the connection holds. */
  readScopes: readonly string[];
  readPolicy(context: ProviderCallContext): Promise<ConsentPolicyReading>;
  /** Microsoft only: the rest is absent where the provider has no API for it. */
  changePolicy?(context: ProviderCallContext, change: ResolvedPolicyChange): Promise<ConsentCallOutcome>;
  /** Resolves reviewer references (UPN or id) to Graph queries; names those not found. */
  resolveReviewers?(context: ProviderCallContext, references: readonly string[]): Promise<{ found: { query: string; displayName: string }[]; notFound: string[] }>;
  pendingRequests?(context: ProviderCallContext): Promise<ConsentRequestReading[]>;
  /** Every stage of the request's user requests, closed ones too: finds out who decided a request no longer pending. */
  requestDecisions?(context: ProviderCallContext, requestId: string): Promise<ConsentStageReading[]>;
  /** Records Approve or Deny on each stage of the user requests; `already_decided` when someone else did. */
  decideRequest?(context: ProviderCallContext, request: ConsentRequestReading, decision: 'Approve' | 'Deny', justification: string): Promise<ConsentCallOutcome>;
  appState?(context: ProviderCallContext, appId: string): Promise<AppConsentState>;
  resourcePermissions?(context: ProviderCallContext): Promise<ResourcePermissions>;
  createServicePrincipal?(context: ProviderCallContext, appId: string): Promise<ConsentCallOutcome & { servicePrincipalId: string | null }>;
  /** Creates, replaces the scopes of, or (empty `scopes`) deletes the AllPrincipals grant to Microsoft Graph. */
  setTenantWideScopes?(context: ProviderCallContext, servicePrincipalId: string, scopes: readonly string[]): Promise<ConsentCallOutcome>;
  assignAppRole?(context: ProviderCallContext, servicePrincipalId: string, permission: string): Promise<ConsentCallOutcome>;
  removeAppRole?(context: ProviderCallContext, servicePrincipalId: string, assignmentId: string): Promise<ConsentCallOutcome>;
  setSignIn?(context: ProviderCallContext, servicePrincipalId: string, change: { accountEnabled?: boolean; appRoleAssignmentRequired?: boolean }): Promise<ConsentCallOutcome>;
  /** Microsoft's admin-consent prompt for these scopes (application permissions need `/.default`). */
  adminConsentUrl?(context: ProviderCallContext, appId: string, scopes: readonly string[]): string;
  /** A code and one sentence for an error a read threw; never the provider's raw text or a secret. */
  describeFailure(error: unknown): { code: ErrorCode; message: string; nextStep: string | null };
}
