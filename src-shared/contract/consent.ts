/**
 * Admin consent and consent policy: each tenant's consent settings checked against the baselines,
 * Microsoft's admin-consent request queue, granting tenant-wide consent for exactly the reviewed
 * scopes, blocking an app from signing in, and the Google app-access decisions Google offers no API for.
 */
import { z } from 'zod';
import { connectionId, ProviderIdSchema } from './connections';
import { type ChannelSpec, NoRequestSchema } from './envelope';
import { RiskLevelSchema } from './grants';
import { jobId, JobSummarySchema } from './jobs';

// --- policy -------------------------------------------------------------------------------------

export const policyCheckResults = ['pass', 'warn', 'fail', 'manual', 'error'] as const;
export const PolicyCheckResultSchema = z.enum(policyCheckResults);
export type PolicyCheckResult = z.infer<typeof PolicyCheckResultSchema>;

/** A setting Consentry can change through the provider's API (Microsoft only). */
export const policyChangeKinds = ['user_consent', 'group_owner_consent', 'app_registration', 'admin_consent_workflow'] as const;
export const PolicyChangeKindSchema = z.enum(policyChangeKinds);
export type PolicyChangeKind = z.infer<typeof PolicyChangeKindSchema>;

export const PolicyFixSchema = z.discriminatedUnion('kind', [
  /** Consentry changes it: the card offers the change dialog. */
  z.object({ kind: z.literal('change'), change: PolicyChangeKindSchema, label: z.string() }),
  /** Only the provider's console can: where, and a deep link. */
  z.object({ kind: z.literal('console'), where: z.string(), url: z.string() }),
]);
export type PolicyFix = z.infer<typeof PolicyFixSchema>;

/** One setting, what the baseline expects of it, and whether the tenant meets it. */
export const PolicyCheckSchema = z.object({
  /** Stable id of the check, e.g. `microsoft.user_consent`. */
  id: z.string(),
  /** The baseline control, e.g. `MS.AAD.5.2v1`; with the CIS benchmark item when one maps. */
  controlId: z.string(),
  cis: z.string().nullable(),
  criticality: z.enum(['shall', 'should']),
  /** The setting in the admin's words, e.g. "Who may consent to apps". */
  setting: z.string(),
  /** What the tenant has, in words. */
  value: z.string(),
  /** What the baseline expects, in words. */
  expected: z.string(),
  /** Why the baseline asks for it: one sentence. */
  why: z.string(),
  result: PolicyCheckResultSchema,
  /** One sentence that explains the result (for `error`: what could not be read and the permission needed). */
  reason: z.string(),
  /** How to make it pass; null when it passes or nothing can be done. */
  fix: PolicyFixSchema.nullable(),
});
export type PolicyCheck = z.infer<typeof PolicyCheckSchema>;

export const userConsentSettings = ['none', 'low_risk', 'legacy', 'custom'] as const;

export const ConsentWorkflowSchema = z.object({
  isEnabled: z.boolean(),
  notifyReviewers: z.boolean(),
  remindersEnabled: z.boolean(),
  requestDurationInDays: z.number().int().nonnegative(),
  /** Each reviewer as Graph names it (`/users/{id}`, a group or a role), with a display name where resolved. */
  reviewers: z.array(z.object({ query: z.string(), displayName: z.string().nullable() })),
});
export type ConsentWorkflow = z.infer<typeof ConsentWorkflowSchema>;

/** The Microsoft settings as read, for the change dialog's "before". */
export const MicrosoftConsentSettingsSchema = z.object({
  /** none: users cannot consent; low_risk: verified publishers' low-risk permissions only; legacy: anything. */
  userConsent: z.enum(userConsentSettings),
  /** permissionGrantPoliciesAssigned of the default user role, as read. */
  permissionGrantPoliciesAssigned: z.array(z.string()),
  groupOwnerConsent: z.boolean(),
  allowedToCreateApps: z.boolean(),
  /** Null when the admin consent workflow could not be read. */
  workflow: ConsentWorkflowSchema.nullable(),
});
export type MicrosoftConsentSettings = z.infer<typeof MicrosoftConsentSettingsSchema>;

export const GoogleApiControlsSchema = z.object({
  /** `api_controls.unconfigured_third_party_apps` access_level as read; null when no policy sets it. */
  unconfiguredThirdPartyApps: z.string().nullable(),
  /** `api_controls.internal_apps` trust_internal_apps. */
  trustInternalApps: z.boolean().nullable(),
  /** `api_controls.google_services`: each service and whether its high-risk scopes are restricted. */
  services: z.array(z.object({ service: z.string(), restricted: z.boolean() })),
  /** The Admin console page of the per-app access list (trusted, limited, blocked), which has no API. */
  appAccessUrl: z.string(),
});
export type GoogleApiControls = z.infer<typeof GoogleApiControlsSchema>;

export const OktaScopeGrantSchema = z.object({
  id: z.string(),
  scopeId: z.string(),
  status: z.string(),
  /** ADMIN (granted in the Admin Console or by API) or END_USER. */
  source: z.string().nullable(),
  issuer: z.string(),
  created: z.string().nullable(),
  level: RiskLevelSchema,
  reason: z.string(),
});
export const OktaAppGrantsSchema = z.object({
  appId: z.string(),
  label: z.string(),
  grants: z.array(OktaScopeGrantSchema),
});
export type OktaAppGrants = z.infer<typeof OktaAppGrantsSchema>;

export const ConsentFailureSchema = z.object({ code: z.string(), message: z.string(), nextStep: z.string().nullable() });

/** One connected tenant's consent settings, read live, each checked against the baseline. */
export const TenantConsentPolicySchema = z.object({
  connectionId: z.string(),
  label: z.string(),
  provider: ProviderIdSchema,
  /**
   * read: `checks` hold the results; needs_capability: reading needs the consent capability's scopes
   * (`missingScopes`); failed: the read failed (`failure`).
   */
  state: z.enum(['read', 'needs_capability', 'failed']),
  readAt: z.string().nullable(),
  failure: ConsentFailureSchema.nullable(),
  missingScopes: z.array(z.string()),
  /** The connection holds the consent capability (changes are possible without a new sign-in). */
  canChange: z.boolean(),
  checks: z.array(PolicyCheckSchema),
  microsoft: MicrosoftConsentSettingsSchema.nullable(),
  google: GoogleApiControlsSchema.nullable(),
  okta: z.array(OktaAppGrantsSchema).nullable(),
});
export type TenantConsentPolicy = z.infer<typeof TenantConsentPolicySchema>;

export const ConsentPoliciesSchema = z.object({
  tenants: z.array(TenantConsentPolicySchema),
  /** Connected providers whose consent settings Consentry cannot read, with why. */
  unsupported: z.array(z.object({ connectionId: z.string(), label: z.string(), provider: ProviderIdSchema, why: z.string() })),
});
export type ConsentPolicies = z.infer<typeof ConsentPoliciesSchema>;

const reviewerReference = z.string().trim().min(1, 'Enter a reviewer.').max(320);

export const PolicyChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user_consent'), value: z.enum(['none', 'low_risk']) }).strict(),
  z.object({ kind: z.literal('group_owner_consent'), allowed: z.boolean() }).strict(),
  z.object({ kind: z.literal('app_registration'), allowed: z.boolean() }).strict(),
  z
    .object({
      kind: z.literal('admin_consent_workflow'),
      isEnabled: z.boolean(),
      /** Reviewers by user principal name or object id; main resolves each and names any it cannot find. */
      reviewers: z.array(reviewerReference).max(25),
      notifyReviewers: z.boolean(),
      remindersEnabled: z.boolean(),
      requestDurationInDays: z.number().int().min(1, 'Requests must stay open at least one day.').max(30, 'Requests can stay open at most 30 days.'),
    })
    .strict()
    .refine((change) => !change.isEnabled || change.reviewers.length > 0, { error: 'Name at least one reviewer, or nobody can act on the requests.', path: ['reviewers'] }),
]);
export type PolicyChange = z.infer<typeof PolicyChangeSchema>;

export const PolicyChangePlanSchema = z.object({
  planId: z.string(),
  connectionId: z.string(),
  connectionLabel: z.string(),
  setting: z.string(),
  before: z.string(),
  after: z.string(),
  /** The call it makes, e.g. `PATCH /policies/authorizationPolicy`. */
  call: z.string(),
  /** What changes for users, in one or two sentences. */
  effect: z.string(),
  /** The consent capability's scopes the connection lacks; the change needs them first. */
  missingScopes: z.array(z.string()),
});
export type PolicyChangePlan = z.infer<typeof PolicyChangePlanSchema>;

export const PolicyChangeResultSchema = z.object({
  /** The read-back shows the setting as asked. */
  applied: z.boolean(),
  message: z.string(),
  policy: TenantConsentPolicySchema,
});
export type PolicyChangeResult = z.infer<typeof PolicyChangeResultSchema>;

// --- requests -----------------------------------------------------------------------------------

export const RatedPermissionSchema = z.object({
  scope: z.string(),
  level: RiskLevelSchema,
  reason: z.string(),
  unrated: z.boolean(),
});

export const UserConsentRequestSchema = z.object({
  id: z.string(),
  /** Who asked: their user principal name, or display name when that is all Graph gives. */
  requestedBy: z.string(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  /** InProgress or Completed, as Graph says. */
  status: z.string(),
});

export const ConsentRequestSchema = z.object({
  connectionId: z.string(),
  connectionLabel: z.string(),
  id: z.string(),
  appId: z.string(),
  appName: z.string(),
  publisher: z.string().nullable(),
  verifiedPublisher: z.boolean().nullable(),
  /** The app has a service principal in the tenant (its publisher is known); null when that could not be read. */
  inTenant: z.boolean().nullable(),
  /** The scopes asked for, rated. */
  scopes: z.array(RatedPermissionSchema),
  risk: RiskLevelSchema,
  requests: z.array(UserConsentRequestSchema),
  firstRequestedAt: z.string().nullable(),
  lastRequestedAt: z.string().nullable(),
});
export type ConsentRequest = z.infer<typeof ConsentRequestSchema>;

export const ConsentRequestListSchema = z.object({
  requests: z.array(ConsentRequestSchema),
  /** Tenants whose queue could not be read, with why (permission, workflow off, failure). */
  unavailable: z.array(z.object({ connectionId: z.string(), label: z.string(), code: z.string(), message: z.string(), nextStep: z.string().nullable() })),
});
export type ConsentRequestList = z.infer<typeof ConsentRequestListSchema>;

export const ConsentDecisionResultSchema = z.object({
  /** recorded: Microsoft recorded the decision on the request; local_only: Consentry's log has it, Microsoft's queue does not. */
  atProvider: z.enum(['recorded', 'local_only']),
  message: z.string(),
});
export type ConsentDecisionResult = z.infer<typeof ConsentDecisionResultSchema>;

// --- review and grant ---------------------------------------------------------------------------

const permissionName = z.string().trim().min(1).max(200).regex(/^[^\s]+$/, 'A permission name has no spaces.');

export const ConsentReviewRequestSchema = z
  .object({
    connectionId,
    /** The app's client id (Entra application id). */
    appId: z.string().trim().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'Enter the app’s client (application) id: a GUID such as 1b2c3d4e-0000-0000-0000-000000000000.'),
    /** The request being approved, when the review starts from one: its scopes are included. */
    requestId: z.string().max(200).optional(),
    /** Further Microsoft Graph delegated scopes and application permissions the admin names (e.g. from the vendor's documentation). */
    delegated: z.array(permissionName).max(200).default([]),
    application: z.array(permissionName).max(200).default([]),
  })
  .strict();

export const ReviewedPermissionSchema = z.object({
  scope: z.string(),
  level: RiskLevelSchema,
  reason: z.string(),
  unrated: z.boolean(),
  /** Microsoft Graph publishes it (a scope the tenant does not know cannot be granted). */
  known: z.boolean(),
  /** Already granted tenant-wide. */
  granted: z.boolean(),
  /** Where it comes from: the request, the current consent, or the admin. */
  source: z.enum(['request', 'granted', 'admin']),
});
export type ReviewedPermission = z.infer<typeof ReviewedPermissionSchema>;

export const ConsentReviewSchema = z.object({
  reviewId: z.string(),
  connectionId: z.string(),
  connectionLabel: z.string(),
  appId: z.string(),
  appName: z.string(),
  publisher: z.string().nullable(),
  verifiedPublisher: z.boolean().nullable(),
  /** Null when the app has no service principal in the tenant yet: granting creates it. */
  servicePrincipalId: z.string().nullable(),
  /** The service principal may sign in (false: blocked). Null without one. */
  accountEnabled: z.boolean().nullable(),
  appRoleAssignmentRequired: z.boolean().nullable(),
  requestId: z.string().nullable(),
  delegated: z.array(ReviewedPermissionSchema),
  application: z.array(ReviewedPermissionSchema),
  warnings: z.array(z.string()),
});
export type ConsentReview = z.infer<typeof ConsentReviewSchema>;

export const ConsentGrantPlanRequestSchema = z
  .object({
    reviewId: z.string().max(100),
    keepDelegated: z.array(permissionName).max(200),
    keepApplication: z.array(permissionName).max(200),
    method: z.enum(['graph', 'browser']),
  })
  .strict();

export const ConsentGrantPlanSchema = z.object({
  planId: z.string(),
  connectionId: z.string(),
  connectionLabel: z.string(),
  appId: z.string(),
  appName: z.string(),
  method: z.enum(['graph', 'browser']),
  /** What will be done, in order, e.g. "Create the service principal of Board Notes". */
  steps: z.array(z.string()),
  keptDelegated: z.array(z.string()),
  keptApplication: z.array(z.string()),
  /** Asked for or granted now, and left out by the admin. */
  droppedDelegated: z.array(z.string()),
  droppedApplication: z.array(z.string()),
  warnings: z.array(z.string()),
  missingScopes: z.array(z.string()),
  /** The text to type to confirm a grant that includes Critical permissions; null when a click is enough. */
  confirmationText: z.string().nullable(),
});
export type ConsentGrantPlan = z.infer<typeof ConsentGrantPlanSchema>;

/** What the tenant holds for an app after a grant, read back, against what was asked. */
export const GrantedConsentSchema = z.object({
  connectionId: z.string(),
  appId: z.string(),
  appName: z.string(),
  readAt: z.string(),
  delegated: z.array(z.string()),
  application: z.array(z.string()),
  askedDelegated: z.array(z.string()),
  askedApplication: z.array(z.string()),
  /** Asked for and not held now. */
  missing: z.array(z.string()),
  /** Held now and not asked for (a grant made outside this one, or by the prompt). */
  extra: z.array(z.string()),
  matches: z.boolean(),
});
export type GrantedConsent = z.infer<typeof GrantedConsentSchema>;

export const ConsentStepResultSchema = z.object({
  label: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'skipped', 'in_doubt', 'not_started']),
  message: z.string(),
});

export const ConsentGrantResultSchema = z.object({
  jobId: z.string(),
  job: JobSummarySchema,
  steps: z.array(ConsentStepResultSchema),
  /** Null while the job runs. */
  granted: GrantedConsentSchema.nullable(),
});
export type ConsentGrantResult = z.infer<typeof ConsentGrantResultSchema>;

// --- block --------------------------------------------------------------------------------------

export const BlockModeSchema = z.enum(['disable_sign_in', 'require_assignment', 'allow_sign_in']);
export type BlockMode = z.infer<typeof BlockModeSchema>;

export const BlockPlanSchema = z.object({
  planId: z.string(),
  connectionId: z.string(),
  appId: z.string(),
  appName: z.string(),
  mode: BlockModeSchema,
  before: z.string(),
  after: z.string(),
  effect: z.string(),
  missingScopes: z.array(z.string()),
  confirmationText: z.string().nullable(),
});
export type BlockPlan = z.infer<typeof BlockPlanSchema>;

export const BlockResultSchema = z.object({
  applied: z.boolean(),
  accountEnabled: z.boolean().nullable(),
  appRoleAssignmentRequired: z.boolean().nullable(),
  message: z.string(),
});
export type BlockResult = z.infer<typeof BlockResultSchema>;

// --- Google app access decisions (no API: kept here and exported for the Admin console) -----------

export const AppAccessDecisionSchema = z.enum(['trusted', 'limited', 'blocked']);
export type AppAccessDecision = z.infer<typeof AppAccessDecisionSchema>;

export const GoogleAppDecisionSchema = z.object({
  connectionId: z.string(),
  clientId: z.string(),
  appName: z.string(),
  decision: AppAccessDecisionSchema,
  note: z.string().nullable(),
  decidedAt: z.string(),
});
export type GoogleAppDecision = z.infer<typeof GoogleAppDecisionSchema>;

export const GoogleAppDecisionListSchema = z.object({
  decisions: z.array(GoogleAppDecisionSchema),
  /** Admin console › Security › API controls › App access control. */
  adminConsoleUrl: z.string(),
});

export const ClientIdListSchema = z.object({
  fileName: z.string(),
  /** One client id per line, as the Admin console's "Configure new app" search takes them. */
  content: z.string(),
  count: z.number().int().nonnegative(),
});

// --- the bridge ----------------------------------------------------------------------------------

const planRef = z.object({ planId: z.string().max(100), confirmation: z.string().max(200).default('') }).strict();

export const consentChannels = {
  /** Every connected tenant's consent settings, read live, checked against the baselines. */
  'consent.policies': { request: z.object({ connectionIds: z.array(connectionId).max(100).optional() }).strict(), response: ConsentPoliciesSchema },
  'consent.planPolicyChange': { request: z.object({ connectionId, change: PolicyChangeSchema }).strict(), response: PolicyChangePlanSchema },
  /** Applies a planned change and reads the policy back. */
  'consent.changePolicy': { request: planRef, response: PolicyChangeResultSchema },
  'consent.requests': { request: NoRequestSchema, response: ConsentRequestListSchema },
  /** Denies a pending request with a reason. */
  'consent.deny': { request: z.object({ connectionId, requestId: z.string().min(1).max(200), reason: z.string().trim().min(1, 'Say why, for the requester and the log.').max(500) }).strict(), response: ConsentDecisionResultSchema },
  /** Everything an app asks for and holds, rated, for the admin to keep or drop. */
  'consent.review': { request: ConsentReviewRequestSchema, response: ConsentReviewSchema },
  'consent.planGrant': { request: ConsentGrantPlanRequestSchema, response: ConsentGrantPlanSchema },
  /** Grants through Graph as a job (survives a restart); progress arrives as `jobs.progress`. */
  'consent.grant': { request: planRef, response: JobSummarySchema },
  'consent.grantResult': { request: z.object({ jobId }).strict(), response: ConsentGrantResultSchema },
  /** Opens Microsoft's admin-consent prompt for the planned scopes in the system browser. */
  'consent.openConsentPrompt': { request: z.object({ planId: z.string().max(100) }).strict(), response: z.object({ opened: z.boolean() }) },
  /** Reads back what the tenant holds for an app now, against a plan's kept scopes. */
  'consent.readBack': { request: z.object({ planId: z.string().max(100) }).strict(), response: GrantedConsentSchema },
  'consent.planBlock': { request: z.object({ connectionId, appId: ConsentReviewRequestSchema.shape.appId, mode: BlockModeSchema }).strict(), response: BlockPlanSchema },
  'consent.block': { request: planRef, response: BlockResultSchema },
  'consent.googleDecisions': { request: NoRequestSchema, response: GoogleAppDecisionListSchema },
  'consent.decideGoogleApp': {
    request: z.object({ connectionId, clientId: z.string().trim().min(1).max(300), appName: z.string().max(300), decision: AppAccessDecisionSchema.nullable(), note: z.string().max(500).optional() }).strict(),
    response: GoogleAppDecisionListSchema,
  },
  /** The client ids decided trusted or blocked, one per line, to paste into the Admin console. */
  'consent.exportGoogleList': { request: z.object({ decision: AppAccessDecisionSchema }).strict(), response: ClientIdListSchema },
} as const satisfies Record<string, ChannelSpec>;

export const consentEvents = {
  /** A policy, request or consent changed on a tenant: pages re-read. */
  'consent.changed': z.object({ connectionId: z.string() }),
} as const satisfies Record<string, z.ZodType>;
