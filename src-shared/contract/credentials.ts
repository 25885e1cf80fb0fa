/**
 * Keys and secrets: one inventory of every tenant's app secrets, certificates, service-account keys,
 * API keys and API tokens (never their values), each checked against the credential policy; rotation
 * as a durable, resumable wizard; and revoking compromised credentials as a job.
 */
import { z } from 'zod';
import { connectionId, ConsoleLinkSchema, ProviderIdSchema } from './connections';
import { ActivityEntrySchema } from './activity';
import { type ChannelSpec, NoRequestSchema } from './envelope';
import { jobId, JobSummarySchema } from './jobs';

// --- the inventory ------------------------------------------------------------------------------

export { credentialKinds, CredentialKindSchema, type CredentialKind } from './credential-kinds';
import { CredentialKindSchema } from './credential-kinds';

/** Worst first: a credential's status is the first of its findings in this order, `ok` when none. */
export const credentialStatuses = ['expired', 'expiring', 'too_old', 'unused', 'unrestricted', 'disabled', 'ok'] as const;
export const CredentialStatusSchema = z.enum(credentialStatuses);
export type CredentialStatus = z.infer<typeof CredentialStatusSchema>;

export const CredentialFindingSchema = z.object({
  status: CredentialStatusSchema.exclude(['ok']),
  /** One sentence with the figures, e.g. "Expires in 10 days (on 14 Dec 2026); the warning window is 30 days." */
  reason: z.string(),
});
export type CredentialFinding = z.infer<typeof CredentialFindingSchema>;

export const credentialOwnerKinds = ['application', 'service_principal', 'service_account', 'project', 'account', 'connection'] as const;

/** How a credential is rotated: by Consentry through the API, with the admin guided through a console step, or not at all. */
export const RotationSupportSchema = z.object({
  mode: z.enum(['api', 'guided', 'none']),
  /** Why not `api`, or what the guided step is; null for `api`. */
  note: z.string().nullable(),
});
export type RotationSupport = z.infer<typeof RotationSupportSchema>;

export const CredentialSchema = z.object({
  /** Stable across reads: connection, kind, owner and the credential's own id. */
  key: z.string(),
  connectionId: z.string(),
  tenantLabel: z.string(),
  provider: ProviderIdSchema,
  kind: CredentialKindSchema,
  ownerKind: z.enum(credentialOwnerKinds),
  /** The owner's id at the provider: application object id, service account resource name, project id, … */
  ownerId: z.string(),
  ownerName: z.string(),
  /** The credential's id at the provider (keyId, key uid, token id): an identifier, never the secret. */
  credentialId: z.string(),
  displayName: z.string().nullable(),
  /** What the provider shows of the value to tell it apart (Graph's first characters, a token's last ones); never the secret. */
  hint: z.string().nullable(),
  createdAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  /**
   * The provider reported on use: a null `lastUsedAt` then means no use in its observation window.
   * False when the provider does not say or could not be asked (never a reason to call a key unused).
   */
  lastUseKnown: z.boolean().default(false),
  /** Why the last use is unknown or where it came from, e.g. "Policy Analyzer: no authentication in 180 days". */
  lastUsedNote: z.string().nullable(),
  /** Null when the kind has no restrictions; an empty list is an unrestricted API key. */
  restrictions: z.array(z.string()).nullable(),
  disabled: z.boolean(),
  /** `provider`: the provider creates and rotates it itself (Google's system-managed keys). */
  managedBy: z.enum(['admin', 'provider']),
  status: CredentialStatusSchema,
  findings: z.array(CredentialFindingSchema),
  rotation: RotationSupportSchema,
  /** Whether "Revoke now" can delete or disable it through the API. */
  revocable: z.boolean(),
  /** When the inventory read it. */
  readAt: z.string(),
  /** The unfinished rotation of this credential, if one is under way. */
  rotationId: z.string().nullable(),
});
export type Credential = z.infer<typeof CredentialSchema>;

export const credentialSourceStates = ['read', 'partial', 'failed', 'missing_scopes', 'needs_projects', 'not_supported'] as const;

/** How one connection's credentials were read, so a tenant that could not be read is never shown as clean. */
export const CredentialSourceSchema = z.object({
  connectionId: z.string(),
  tenantLabel: z.string(),
  provider: ProviderIdSchema,
  state: z.enum(credentialSourceStates),
  /** What was read or why not, in words; with the permission needed when one is missing. */
  message: z.string(),
  nextStep: z.string().nullable(),
  missingScopes: z.array(z.string()),
  count: z.number().int().nonnegative(),
  readAt: z.string().nullable(),
});
export type CredentialSource = z.infer<typeof CredentialSourceSchema>;

export const CredentialPolicySchema = z.object({
  /** Maximum age per kind, in days; a kind not listed uses `defaultMaxAgeDays`. */
  maxAgeDays: z.record(z.string(), z.number().int().positive()),
  defaultMaxAgeDays: z.number().int().positive(),
  warningDays: z.number().int().positive(),
  forbidUnrestrictedApiKeys: z.boolean(),
  /** Null: unused keys are not a finding. */
  unusedKeyDays: z.number().int().positive().nullable(),
});
export type CredentialPolicy = z.infer<typeof CredentialPolicySchema>;

export const CredentialInventorySchema = z.object({
  credentials: z.array(CredentialSchema),
  sources: z.array(CredentialSourceSchema),
  policy: CredentialPolicySchema,
  /** When the last read finished; null before the first. */
  readAt: z.string().nullable(),
  /** A read is under way; `credentials.changed` follows when it ends. */
  reading: z.boolean(),
});
export type CredentialInventory = z.infer<typeof CredentialInventorySchema>;

// --- rotation -----------------------------------------------------------------------------------

export const rotationStates = [
  /** Planned: nothing done at the provider yet. */
  'ready',
  /** The create call was sent (its intent is on disk). */
  'creating',
  /** Okta API tokens: the admin creates the new token in the Admin Console. */
  'awaiting_manual_create',
  /** The new credential exists; its secret is shown once; the admin updates the consumer and confirms. */
  'handover',
  /** The new credential exists but Consentry stopped before its secret was shown: nobody holds it. */
  'secret_lost',
  /** Removing a new credential nobody holds, before creating another. */
  'discarding',
  /** Service-account keys: the old key is being disabled. */
  'disabling_old',
  /** Both work until `overlapUntil`; then the old one is removed. */
  'overlap',
  /** The old credential's removal was sent. */
  'retiring',
  /** Consentry's own client secret: a token refresh with the new secret is proving it. */
  'proving',
  'done',
  'cancelled',
  /** Stopped at a step; `failure` says which, and the credentials in place still work. */
  'failed',
] as const;
export const RotationStateSchema = z.enum(rotationStates);
export type RotationState = z.infer<typeof RotationStateSchema>;

export const RotationCredentialSchema = z.object({
  credentialId: z.string(),
  displayName: z.string().nullable(),
  hint: z.string().nullable(),
  createdAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type RotationCredential = z.infer<typeof RotationCredentialSchema>;

export const RotationStepSchema = z.object({
  id: z.string(),
  label: z.string(),
  status: z.enum(['done', 'current', 'waiting', 'failed', 'skipped']),
  at: z.string().nullable(),
});

export const RotationSchema = z.object({
  id: z.string(),
  credentialKey: z.string(),
  connectionId: z.string(),
  tenantLabel: z.string(),
  provider: ProviderIdSchema,
  kind: CredentialKindSchema,
  ownerName: z.string(),
  old: RotationCredentialSchema,
  /** The name and expiry the new credential gets (from the policy). */
  planned: z.object({ displayName: z.string(), expiresAt: z.string().nullable() }),
  created: RotationCredentialSchema.nullable(),
  state: RotationStateSchema,
  steps: z.array(RotationStepSchema),
  /** A one-time secret waits in memory to be shown (`credentials.revealSecret`). */
  secretWaiting: z.boolean(),
  /** How the secret is handed over: text to copy, or a key file to save. */
  secretFormat: z.enum(['text', 'file', 'none']),
  overlapUntil: z.string().nullable(),
  failure: z
    .object({ at: RotationStateSchema, code: z.string(), message: z.string(), nextStep: z.string().nullable(), retryable: z.boolean() })
    .nullable(),
  /** What the admin must do in the current state, in one sentence; null while Consentry works. */
  prompt: z.string().nullable(),
  /** A rotation done partly in the provider's console: where, the admin's steps in order, and that page of the tenant's console when known. Null when Consentry makes every call. */
  guide: ConsoleLinkSchema.extend({ steps: z.array(z.string()) }).nullable().default(null),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Rotation = z.infer<typeof RotationSchema>;

export const RotationActionSchema = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('create'),
      /** A certificate rotation: the new public certificate, PEM (never a private key). */
      certificatePem: z
        .string()
        .max(20_000)
        .refine((pem) => !/PRIVATE KEY/.test(pem), 'That is a private key. Paste only the public certificate (BEGIN CERTIFICATE).')
        .optional(),
    })
    .strict(),
  z.object({ action: z.literal('confirm_handover'), overlapDays: z.number().int().min(0).max(90) }).strict(),
  z.object({ action: z.literal('confirm_manual_create') }).strict(),
  z.object({ action: z.literal('retire_now') }).strict(),
  z.object({ action: z.literal('discard_and_recreate') }).strict(),
  z.object({ action: z.literal('retry') }).strict(),
  z.object({ action: z.literal('cancel') }).strict(),
  z
    .object({
      action: z.literal('submit_client_secret'),
      clientSecret: z.string().trim().min(1, 'Enter the new client secret.').max(4_096),
    })
    .strict(),
]);
export type RotationAction = z.infer<typeof RotationActionSchema>;

/** Shown once: after this answer Consentry holds no copy. */
export const OneTimeSecretSchema = z.discriminatedUnion('format', [
  z.object({ format: z.literal('text'), label: z.string(), value: z.string() }),
  z.object({ format: z.literal('file'), label: z.string(), fileName: z.string(), mimeType: z.string(), content: z.string() }),
]);
export type OneTimeSecret = z.infer<typeof OneTimeSecretSchema>;

// --- revoking compromised credentials -----------------------------------------------------------

export const RevokePlanSchema = z.object({
  planId: z.string(),
  items: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      /** What the call does: "Deletes the secret", "Disables, then deletes the key". */
      action: z.string(),
      /** What stops working, in the admin's words. */
      breaks: z.string(),
    }),
  ),
  /** Credentials asked for that cannot be revoked through an API, with why. */
  refused: z.array(z.object({ key: z.string(), label: z.string(), reason: z.string() })),
  confirmationText: z.string(),
  expiresAt: z.string(),
});
export type RevokePlan = z.infer<typeof RevokePlanSchema>;

export const RevokeReportSchema = z.object({
  job: JobSummarySchema,
  items: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      status: z.enum(['pending', 'running', 'in_doubt', 'succeeded', 'failed', 'skipped']),
      message: z.string().nullable(),
      verified: z.boolean(),
    }),
  ),
});
export type RevokeReport = z.infer<typeof RevokeReportSchema>;

// --- alerts -------------------------------------------------------------------------------------

export const CredentialAlertSchema = z.object({
  credentialKey: z.string(),
  status: z.enum(['expiring', 'expired']),
  title: z.string(),
  message: z.string(),
});
export type CredentialAlert = z.infer<typeof CredentialAlertSchema>;

const CredentialAlertListSchema = z.object({ alerts: z.array(CredentialAlertSchema) });

// --- channels -----------------------------------------------------------------------------------

const credentialKey = z.string().min(1).max(2_000);
const rotationId = z.string().min(1).max(100);

export const CloudProjectsSchema = z.object({
  connectionId: z.string(),
  /** Project ids (or numbers) whose keys the inventory reads. */
  projects: z.array(z.string()),
});

export const credentialsChannels = {
  /** The inventory as last read (read once on first ask). */
  'credentials.inventory': { request: NoRequestSchema, response: CredentialInventorySchema },
  /** Reads the named connections (all when none) again; the answer is the whole inventory. */
  'credentials.read': { request: z.object({ connectionIds: z.array(connectionId).max(100).optional() }).strict(), response: CredentialInventorySchema },
  /** One credential's activity (rotations, revocations) and its rotations. */
  'credentials.history': {
    request: z.object({ key: credentialKey }).strict(),
    response: z.object({ entries: z.array(ActivityEntrySchema), rotations: z.array(RotationSchema) }),
  },
  'credentials.exportCsv': { request: NoRequestSchema, response: z.object({ fileName: z.string(), content: z.string(), rows: z.number().int() }) },
  'credentials.cloudProjects': { request: NoRequestSchema, response: z.array(CloudProjectsSchema) },
  'credentials.setCloudProjects': {
    request: z
      .object({
        connectionId,
        projects: z
          .array(
            z
              .string()
              .trim()
              .regex(/^([a-z][a-z0-9-]{4,28}[a-z0-9]|\d{6,20})$/, 'A project id is 6–30 lower-case letters, digits and hyphens (or the project number).'),
          )
          .max(50),
      })
      .strict(),
    response: z.array(CloudProjectsSchema),
  },
  /** Every unfinished rotation and those finished in the last 30 days. */
  'credentials.rotations': { request: NoRequestSchema, response: z.array(RotationSchema) },
  /** Plans a rotation of one credential (nothing is sent yet), or returns the one under way. */
  'credentials.startRotation': { request: z.object({ key: credentialKey }).strict(), response: RotationSchema },
  'credentials.advanceRotation': { request: z.object({ rotationId, step: RotationActionSchema }).strict(), response: RotationSchema },
  /** The new secret, once: a second ask is refused. */
  'credentials.revealSecret': { request: z.object({ rotationId }).strict(), response: OneTimeSecretSchema },
  'credentials.planRevoke': { request: z.object({ keys: z.array(credentialKey).min(1).max(1_000) }).strict(), response: RevokePlanSchema },
  /** Revokes as a job (survives a restart); per-item results in `credentials.revokeReport`. */
  'credentials.revoke': { request: z.object({ planId: z.string().max(100), typed: z.string().max(500) }).strict(), response: JobSummarySchema },
  'credentials.revokeReport': { request: z.object({ jobId }).strict(), response: RevokeReportSchema },
  /** The expiry alerts raised since Consentry started that the admin has not dismissed: a window opened later shows them. */
  'credentials.pendingAlerts': { request: NoRequestSchema, response: CredentialAlertListSchema },
  /** The admin dismissed these credentials' alerts (or went to rotate them); the answer is those left. */
  'credentials.dismissAlerts': { request: z.object({ credentialKeys: z.array(credentialKey).max(10_000) }).strict(), response: CredentialAlertListSchema },
} as const satisfies Record<string, ChannelSpec>;

export const credentialsEvents = {
  /** The inventory changed (a read ended, a rotation or revocation changed a credential). */
  'credentials.changed': z.object({ connectionId: z.string().nullable() }),
  'credentials.rotationChanged': RotationSchema,
  /** Credentials entering the warning window or expiring, once each. */
  'credentials.alert': CredentialAlertListSchema,
} as const satisfies Record<string, z.ZodType>;
