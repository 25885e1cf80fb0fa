/**
 * The one treaty between the renderer and the main process.
 *
 * Every channel names its request and response schema; main validates each request against it
 * and parses each response through it before anything crosses (zod strips keys a schema does not
 * name, so a field added by mistake to a service result never reaches the renderer). Events are
 * main → renderer only and are parsed the same way.
 */
import { z } from 'zod';
import { ipcChannels, isChannelName, isEventName, type ChannelName as ListedChannelName, type EventName as ListedEventName } from './channel-names';

// ---------- errors ----------

export const errorCodes = [
  'invalid_request',
  'unknown_channel',
  'forbidden_sender',
  'storage_unavailable',
  /** A profile file (settings, connections, vault) was damaged while the console ran. */
  'profile_file_damaged',
  'not_found',
  'external_url_refused',
  'internal',
  // connections and OAuth
  'consent_denied',
  'admin_consent_required',
  'blocked_by_policy',
  'invalid_client',
  'redirect_uri_mismatch',
  'invalid_scope',
  'needs_reconnect',
  'callback_rejected',
  'provider_error',
  'discovery_failed',
  'network',
  'timeout',
  'cancelled',
  'attempt_in_progress',
  'loopback_port_in_use',
  'vault_unavailable',
  // grant audit
  'scan_in_progress',
  'quota_exhausted',
  'permission_denied',
  'remediation_required',
  'confirmation_mismatch',
  'plan_expired',
  'not_supported',
  // jobs and storage
  'disk_full',
  'job_not_resumable',
] as const;
export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const FieldProblemSchema = z.object({
  /** Dotted path of the offending field, e.g. `keyAgePolicyDays`. */
  field: z.string(),
  message: z.string(),
});
export type FieldProblem = z.infer<typeof FieldProblemSchema>;

export const BridgeFailureSchema = z.object({
  code: ErrorCodeSchema,
  /** A sentence the admin can read: what went wrong. Never a stack trace or a secret. */
  message: z.string(),
  /** What the admin can do next, when there is something to do. */
  nextStep: z.string().optional(),
  fields: z.array(FieldProblemSchema).optional(),
});
export type BridgeFailure = z.infer<typeof BridgeFailureSchema>;

export const EnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: BridgeFailureSchema }),
]);
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: BridgeFailure };

// ---------- settings ----------

export const ThemePreferenceSchema = z.enum(['light', 'dark', 'system']);
export type ThemePreference = z.infer<typeof ThemePreferenceSchema>;

export const settingsLimits = {
  backgroundScanIntervalMinutes: { off: 0, min: 15, max: 10_080 },
  keyAgePolicyDays: { min: 1, max: 3_650 },
  expiryWarningDays: { min: 1, max: 365 },
} as const;

const wholeNumber = (label: string) =>
  z.number({ error: `${label} must be a number.` }).int({ error: `${label} must be a whole number.` });

export const SettingsSchema = z.object({
  theme: ThemePreferenceSchema,
  /** 0 turns background scans off. */
  backgroundScanIntervalMinutes: wholeNumber('Background scan interval').refine(
    (minutes) =>
      minutes === settingsLimits.backgroundScanIntervalMinutes.off ||
      (minutes >= settingsLimits.backgroundScanIntervalMinutes.min &&
        minutes <= settingsLimits.backgroundScanIntervalMinutes.max),
    {
      error: `Background scan interval must be 0 (off) or between ${settingsLimits.backgroundScanIntervalMinutes.min} and ${settingsLimits.backgroundScanIntervalMinutes.max} minutes (one week).`,
    },
  ),
  keyAgePolicyDays: wholeNumber('Key-age policy')
    .min(settingsLimits.keyAgePolicyDays.min, {
      error: `Key-age policy must be at least ${settingsLimits.keyAgePolicyDays.min} day.`,
    })
    .max(settingsLimits.keyAgePolicyDays.max, {
      error: `Key-age policy can be at most ${settingsLimits.keyAgePolicyDays.max} days (ten years).`,
    }),
  expiryWarningDays: wholeNumber('Expiry warning window')
    .min(settingsLimits.expiryWarningDays.min, {
      error: `Expiry warning window must be at least ${settingsLimits.expiryWarningDays.min} day.`,
    })
    .max(settingsLimits.expiryWarningDays.max, {
      error: `Expiry warning window can be at most ${settingsLimits.expiryWarningDays.max} days.`,
    }),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  backgroundScanIntervalMinutes: 0,
  keyAgePolicyDays: 90,
  expiryWarningDays: 30,
};

export const SettingsPatchSchema = SettingsSchema.partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'Name at least one setting to change.' });
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

// ---------- activity log ----------

export const ActivityResultSchema = z.enum(['succeeded', 'failed']);
export type ActivityResult = z.infer<typeof ActivityResultSchema>;

export const ActivityEntrySchema = z.object({
  seq: z.number().int().nonnegative(),
  /** ISO 8601, UTC. */
  at: z.string(),
  /** What was done, e.g. `settings.update`. */
  action: z.string(),
  /** What it was done to, e.g. `settings` or `tenant:contoso.onmicrosoft.com`. */
  target: z.string(),
  result: ActivityResultSchema,
  errorCode: z.string().nullable(),
  /** A short human description; never a secret. */
  detail: z.string().nullable(),
  hash: z.string(),
});
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;

const isoInstant = z.iso.datetime({ offset: true, error: 'Use an ISO 8601 date and time.' });

export const ActivityFilterSchema = z
  .object({
    action: z.string().max(200).optional(),
    result: ActivityResultSchema.optional(),
    /** Case-insensitive match on action, target, detail and error code. */
    text: z.string().max(200).optional(),
    since: isoInstant.optional(),
    until: isoInstant.optional(),
  })
  .strict()
  .refine((filter) => !filter.since || !filter.until || filter.since <= filter.until, {
    error: 'The start of the period must not be after its end.',
    path: ['since'],
  });
export type ActivityFilter = z.infer<typeof ActivityFilterSchema>;

export const ActivityQuerySchema = z
  .object({
    filter: ActivityFilterSchema.default({}),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(1_000).default(100),
  })
  .strict();
export type ActivityQuery = z.input<typeof ActivityQuerySchema>;

export const IntegrityProblemSchema = z.object({
  kind: z.enum([
    'unreadable_line',
    'hash_mismatch',
    'broken_chain',
    'sequence_gap',
    'truncated',
    /** The head anchor is missing, unreadable or does not match the log. */
    'anchor_missing',
    'anchor_mismatch',
    /** Sealed with a key the vault does not hold. */
    'unknown_key',
    /** Not sealed, after sealed entries. */
    'not_sealed',
    /** The log file could not be read and was set aside; a new log was started. */
    'set_aside',
    /** More problems than are listed. */
    'more_problems',
  ]),
  /** The sequence number or line where the problem shows. */
  at: z.string(),
  message: z.string(),
});
export type IntegrityProblem = z.infer<typeof IntegrityProblemSchema>;

export const ActivityIntegritySchema = z.object({
  /** No problem found in what has been checked so far. */
  intact: z.boolean(),
  checkedEntries: z.number().int().nonnegative(),
  /** Entries in the log (while `checking` without a head anchor: the last sequence number). */
  totalEntries: z.number().int().nonnegative(),
  /** `checking`: a large log is opened at once and its whole chain verified in the background. */
  verification: z.enum(['complete', 'checking']),
  /** Which part of the chain is sealed with the vault's key (HMAC), in a sentence. */
  keying: z.object({ state: z.enum(['keyed', 'partly_keyed', 'not_keyed']), note: z.string() }),
  problems: z.array(IntegrityProblemSchema),
});
export type ActivityIntegrity = z.infer<typeof ActivityIntegritySchema>;

export const ActivityPageSchema = z.object({
  entries: z.array(ActivityEntrySchema),
  /** Entries matching the filter, across all pages. */
  total: z.number().int().nonnegative(),
  /** False while a large log is still being counted: `total` is then the count so far. */
  totalExact: z.boolean(),
  /** Every action recorded so far, for the filter menu. */
  actions: z.array(z.string()),
  integrity: ActivityIntegritySchema,
});
export type ActivityPage = z.infer<typeof ActivityPageSchema>;

export const CsvExportSchema = z.object({
  fileName: z.string(),
  /** RFC 4180, UTF-8 with BOM. Empty when the export was too large to send and was saved as `savedTo`. */
  content: z.string(),
  rows: z.number().int().nonnegative(),
  /** Where main saved an export too large to hand to the window. */
  savedTo: z.string().optional(),
});
export type CsvExport = z.infer<typeof CsvExportSchema>;

// ---------- connections ----------

export const providerIds = ['google', 'microsoft', 'zoom', 'salesforce', 'hubspot', 'pipedrive', 'slack', 'okta', 'zendesk', 'custom'] as const;
export const ProviderIdSchema = z.enum(providerIds);
export type ProviderId = z.infer<typeof ProviderIdSchema>;

export const ClientFamilySchema = z.enum(['google', 'microsoft', 'generic']);
export type ClientFamily = z.infer<typeof ClientFamilySchema>;

/**
 * What Consentry may change in a tenant, each asked for on its own when first used. The audit
 * (read) scopes are the base every connection has; a capability adds only the scopes it needs
 * (possibly none: revoking Google grants uses the audit scope itself).
 */
export const capabilityIds = ['revoke_grants', 'consent', 'credentials', 'offboarding'] as const;
export const CapabilityIdSchema = z.enum(capabilityIds);
export type CapabilityId = z.infer<typeof CapabilityIdSchema>;

/** A scope a capability adds, with why it needs it. */
export const CapabilityScopeSchema = z.object({ scope: z.string(), reason: z.string() });
export type CapabilityScope = z.infer<typeof CapabilityScopeSchema>;

export const MicrosoftCloudSchema = z.enum(['global', 'usgov', 'china']);
export type MicrosoftCloud = z.infer<typeof MicrosoftCloudSchema>;

export const ScopeExplanationSchema = z.object({
  scope: z.string(),
  /** Why Consentry needs it, in one sentence. */
  reason: z.string(),
  /** `sign-in` scopes identify the admin and keep the connection alive; a capability id: what it adds. */
  purpose: z.enum(['sign-in', 'audit', ...capabilityIds]),
});
export type ScopeExplanation = z.infer<typeof ScopeExplanationSchema>;

export const providerFieldNames = ['tenant', 'cloud', 'myDomain', 'orgUrl', 'subdomain', 'issuer'] as const;
export const ProviderFieldNameSchema = z.enum(providerFieldNames);
export type ProviderFieldName = z.infer<typeof ProviderFieldNameSchema>;

export const ProviderFieldSchema = z.object({
  name: ProviderFieldNameSchema,
  label: z.string(),
  description: z.string(),
  placeholder: z.string(),
  required: z.boolean(),
});
export type ProviderField = z.infer<typeof ProviderFieldSchema>;

export const ConsoleLinkSchema = z.object({
  /** Where in the provider's console, e.g. "Google Cloud console › APIs & Services › Credentials". */
  where: z.string(),
  /** A page to open; may contain the tenant placeholder already filled in. */
  url: z.string().nullable(),
});
export type ConsoleLink = z.infer<typeof ConsoleLinkSchema>;

export const ProviderPresetSchema = z.object({
  id: ProviderIdSchema,
  label: z.string(),
  family: ClientFamilySchema,
  summary: z.string(),
  fields: z.array(ProviderFieldSchema),
  clientSecret: z.enum(['required', 'optional', 'none']),
  clientSecretNote: z.string(),
  /** How to create the OAuth client the admin brings. */
  registration: ConsoleLinkSchema.extend({ steps: z.array(z.string()) }),
  /** Where an admin removes Consentry's access by hand when revocation at the provider fails. */
  manualRevocation: ConsoleLinkSchema,
  /** The base scopes every connection asks for: sign-in and audit (read). */
  scopes: z.array(ScopeExplanationSchema),
  /** The capabilities this provider supports, each with the scopes it adds (possibly none). */
  capabilities: z.array(z.object({ id: CapabilityIdSchema, scopes: z.array(CapabilityScopeSchema) })),
  /** True when the admin types the scopes (custom providers). */
  scopesEditable: z.boolean(),
  revocation: z.enum(['standard', 'provider-call', 'none']),
  clouds: z.array(z.object({ id: MicrosoftCloudSchema, label: z.string() })),
});
export type ProviderPreset = z.infer<typeof ProviderPresetSchema>;

export const ProviderCatalogSchema = z.object({ providers: z.array(ProviderPresetSchema) });
export type ProviderCatalog = z.infer<typeof ProviderCatalogSchema>;

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `${label} can be at most ${max} characters.` })
    .transform((value) => (value === '' ? undefined : value))
    .optional();

const scopeList = z
  .array(z.string().trim().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, { error: 'A scope is one word without spaces, quotes or backslashes.' }))
  .max(100, { error: 'At most 100 scopes.' });

/** Everything about a connection except the capabilities the admin allowed; kept for reconnects. */
export const ConnectionSettingsSchema = z
  .object({
    tenant: optionalText('Tenant', 200),
    cloud: MicrosoftCloudSchema.optional(),
    myDomain: optionalText('My Domain', 200),
    orgUrl: optionalText('Org URL', 300),
    subdomain: optionalText('Subdomain', 100),
    issuer: optionalText('Issuer URL', 500),
    /** Overrides for any provider: national clouds, My Domains, test servers. */
    authorizationEndpoint: optionalText('Authorization endpoint', 500),
    tokenEndpoint: optionalText('Token endpoint', 500),
    revocationEndpoint: optionalText('Revocation endpoint', 500),
    /** The provider API's base URL when not the public one (national clouds, test tenants, the sample). */
    apiBaseUrl: optionalText('API base URL', 500),
    /** Calls per minute Consentry may make to this tenant's API (the provider's quota for your project). */
    apiQuotaPerMinute: z
      .number({ error: 'The API quota must be a number.' })
      .int({ error: 'The API quota must be a whole number of calls per minute.' })
      .min(10, { error: 'Allow at least 10 calls per minute.' })
      .max(1_000_000, { error: 'At most 1,000,000 calls per minute.' })
      .optional(),
    /** For providers that require the exact registered redirect URI, port included. */
    redirectPort: z
      .number({ error: 'The redirect port must be a number.' })
      .int({ error: 'The redirect port must be a whole number.' })
      .min(1024, { error: 'Use a redirect port between 1024 and 65535.' })
      .max(65_535, { error: 'Use a redirect port between 1024 and 65535.' })
      .optional(),
    /** Custom providers only: the scopes to read with (they have no capabilities). */
    auditScopes: scopeList.optional(),
  })
  .strict();
export type ConnectionSettings = z.infer<typeof ConnectionSettingsSchema>;

export const ConnectionDraftSchema = z
  .object({
    provider: ProviderIdSchema,
    label: z.string().trim().min(1, { error: 'Give the connection a name.' }).max(80, { error: 'A name can be at most 80 characters.' }),
    clientId: z.string().trim().min(1, { error: 'Enter the OAuth client ID.' }).max(300, { error: 'A client ID can be at most 300 characters.' }),
    /** Sent once, kept in the vault, never sent back. */
    clientSecret: optionalText('Client secret', 500),
    settings: ConnectionSettingsSchema.default({}),
    /** What Consentry may change beyond reading; none unless the admin allows it. */
    capabilities: z.array(CapabilityIdSchema).max(capabilityIds.length).default([]),
  })
  .strict();
export type ConnectionDraft = z.input<typeof ConnectionDraftSchema>;

/** What a preview needs: the redirect URI and scopes depend on neither the name nor the client ID. */
export const ConnectionPreviewRequestSchema = z
  .object({ provider: ProviderIdSchema, settings: ConnectionSettingsSchema.default({}), capabilities: z.array(CapabilityIdSchema).max(capabilityIds.length).default([]) })
  .strict();
export type ConnectionPreviewRequest = z.input<typeof ConnectionPreviewRequestSchema>;

const attemptId = z.uuid({ error: 'An attempt ID must be a UUID.' });

export const ConnectRequestSchema = z.object({ attemptId, draft: ConnectionDraftSchema }).strict();

export const ConnectionPreviewSchema = z.object({
  redirectUri: z.string(),
  /** How the provider matches it, e.g. "any port" for loopback clients. */
  redirectNote: z.string(),
  /** Exactly the scopes that will be asked for, each with its reason. */
  scopes: z.array(ScopeExplanationSchema),
  /** Set when the provider takes scopes from the registered app rather than from the request. */
  scopesNote: z.string().nullable(),
  authorizationHost: z.string(),
});
export type ConnectionPreview = z.infer<typeof ConnectionPreviewSchema>;

export const connectionStatuses = ['active', 'expiring_soon', 'expired', 'refreshing', 'refresh_failing', 'needs_reconnect', 'revoked', 'error'] as const;
export const ConnectionStatusSchema = z.enum(connectionStatuses);
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

export const ConnectionProblemSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  nextStep: z.string().optional(),
  at: z.string(),
});
export type ConnectionProblem = z.infer<typeof ConnectionProblemSchema>;

const instant = z.string().nullable();

/** What the renderer may know about a connection: metadata only, never a token or secret. */
export const ConnectionViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  provider: ProviderIdSchema,
  providerLabel: z.string(),
  family: ClientFamilySchema,
  /** The signed-in admin (email or user name) and the tenant, as the provider reported them. */
  account: z.string().nullable(),
  tenant: z.string().nullable(),
  /**
   * Every capability the provider supports. `allowed`: the admin allowed it. `held`: allowed and
   * every scope it adds is granted, so Consentry may use it now; never true for one the admin stopped.
   */
  capabilities: z.array(
    z.object({ id: CapabilityIdSchema, allowed: z.boolean(), held: z.boolean(), extraScopes: z.array(CapabilityScopeSchema) }),
  ),
  status: ConnectionStatusSchema,
  /** One sentence about the status, e.g. "Refresh failed; next try at 10:42". */
  statusDetail: z.string(),
  scopesRequested: z.array(z.string()),
  scopesGranted: z.array(z.string()),
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  redirectUri: z.string(),
  settings: ConnectionSettingsSchema,
  storage: z.enum(['encrypted', 'session-only']),
  createdAt: z.string(),
  connectedAt: instant,
  accessTokenExpiresAt: instant,
  lastRefreshAt: instant,
  nextRefreshAt: instant,
  lastError: ConnectionProblemSchema.nullable(),
  manualRevocation: ConsoleLinkSchema,
  /** Connected to the built-in sample workspace: shown as SAMPLE everywhere. */
  sample: z.boolean(),
});
export type ConnectionView = z.infer<typeof ConnectionViewSchema>;

export const VaultStatusSchema = z.object({
  /** `encrypted`: the OS keychain protects secrets at rest. `session-only`: kept in memory, lost on quit. */
  mode: z.enum(['encrypted', 'session-only', 'unavailable']),
  /** Why secrets cannot be stored encrypted, and what to do about it. */
  problem: z.string().nullable(),
  nextStep: z.string().nullable(),
});
export type VaultStatus = z.infer<typeof VaultStatusSchema>;

export const ConnectionListSchema = z.object({
  connections: z.array(ConnectionViewSchema),
  vault: VaultStatusSchema,
});
export type ConnectionList = z.infer<typeof ConnectionListSchema>;

const connectionId = z.string().min(1).max(100);

export const DisconnectOutcomeSchema = z.object({
  connection: ConnectionViewSchema,
  /** `revoked`: the provider confirmed. `not_supported`: the provider has no revocation call. */
  revocation: z.enum(['revoked', 'failed', 'not_supported', 'nothing_to_revoke']),
  message: z.string(),
  /** Set when the admin must finish by hand. */
  manualRevocation: ConsoleLinkSchema.nullable(),
});
export type DisconnectOutcome = z.infer<typeof DisconnectOutcomeSchema>;

export const attemptStages = ['preparing', 'waiting_for_browser', 'exchanging_code', 'connected', 'failed', 'cancelled'] as const;
export const ConnectAttemptSchema = z.object({
  attemptId: z.string(),
  stage: z.enum(attemptStages),
  /** The host the browser was sent to, so the admin can recognise the page. */
  authorizationHost: z.string().nullable(),
  message: z.string(),
});
export type ConnectAttempt = z.infer<typeof ConnectAttemptSchema>;

export const ConnectionAlertSchema = z.object({
  connectionId: z.string(),
  label: z.string(),
  code: ErrorCodeSchema,
  message: z.string(),
  nextStep: z.string().optional(),
});
export type ConnectionAlert = z.infer<typeof ConnectionAlertSchema>;

// ---------- sample workspace ----------

export const SampleProviderSchema = z.enum(['google', 'microsoft']);
export type SampleProvider = z.infer<typeof SampleProviderSchema>;

export const SampleWorkspaceStatusSchema = z.object({
  /** The simulated tenant is running inside Consentry. */
  running: z.boolean(),
  users: z.number().int().nonnegative().nullable(),
  /** Sample connections in the list. */
  connections: z.number().int().nonnegative(),
});
export type SampleWorkspaceStatus = z.infer<typeof SampleWorkspaceStatusSchema>;

// ---------- grant audit ----------

export const riskLevelNames = ['critical', 'high', 'medium', 'low'] as const;
export const RiskLevelSchema = z.enum(riskLevelNames);
export type RiskLevelName = z.infer<typeof RiskLevelSchema>;

export const RatedScopeSchema = z.object({
  scope: z.string(),
  level: RiskLevelSchema,
  reason: z.string(),
  /** Rated from the scope's name because the catalog does not know it. */
  unrated: z.boolean(),
});
export type RatedScope = z.infer<typeof RatedScopeSchema>;

export const RiskFactorSchema = z.object({
  code: z.string(),
  text: z.string(),
  /** This factor raised the app's rating by one level. */
  raises: z.boolean(),
});
export type RiskFactorView = z.infer<typeof RiskFactorSchema>;

export const ConsentKindSchema = z.enum(['user', 'tenant']);
export const AccessKindSchema = z.enum(['delegated', 'application']);

/** One third-party app in the last scan, with everything the app-centric table shows. */
export const GrantAppRowSchema = z.object({
  key: z.string(),
  provider: ProviderIdSchema,
  connectionId: z.string(),
  connectionLabel: z.string(),
  clientId: z.string(),
  name: z.string(),
  publisher: z.string().nullable(),
  /** Null when the provider does not say. */
  verifiedPublisher: z.boolean().nullable(),
  internal: z.boolean(),
  anonymous: z.boolean(),
  risk: RiskLevelSchema,
  /** The worst scope's level, before the factors. */
  scopeRisk: RiskLevelSchema,
  factors: z.array(RiskFactorSchema),
  /** Users who granted it; a tenant-wide consent counts every user as one grant with no user. */
  users: z.number().int().nonnegative(),
  grants: z.number().int().nonnegative(),
  consent: z.array(ConsentKindSchema),
  access: z.array(AccessKindSchema),
  scopes: z.array(z.string()),
  lastUsed: z.string().nullable(),
  /** Not in the scan before this one. */
  isNew: z.boolean(),
});
export type GrantAppRow = z.infer<typeof GrantAppRowSchema>;

/** One grant: an app's access for one user, or for everyone (tenant-wide). */
export const GrantRowSchema = z.object({
  key: z.string(),
  appKey: z.string(),
  appName: z.string(),
  provider: ProviderIdSchema,
  connectionId: z.string(),
  /** Null for tenant-wide consent. */
  user: z.string().nullable(),
  scopes: z.array(z.string()),
  risk: RiskLevelSchema,
  consent: ConsentKindSchema,
  access: AccessKindSchema,
  lastUsed: z.string().nullable(),
  isNew: z.boolean(),
});
export type GrantRow = z.infer<typeof GrantRowSchema>;

export const GrantFilterSchema = z
  .object({
    providers: z.array(ProviderIdSchema).max(providerIds.length).optional(),
    risks: z.array(RiskLevelSchema).max(4).optional(),
    /** Exact scope, as listed in the scan's scope menu. */
    scope: z.string().max(500).optional(),
    consent: ConsentKindSchema.optional(),
    access: AccessKindSchema.optional(),
    /** Matches app name, client id, publisher and user. */
    text: z.string().trim().max(200, { error: 'Search text can be at most 200 characters.' }).optional(),
    /** Only what is new since the scan before. */
    onlyNew: z.boolean().optional(),
  })
  .strict();
export type GrantFilter = z.input<typeof GrantFilterSchema>;

export const grantAppSortColumns = ['risk', 'name', 'publisher', 'users', 'scopes', 'lastUsed', 'provider'] as const;
export const grantSortColumns = ['risk', 'user', 'app', 'scopes', 'lastUsed', 'provider'] as const;
const sortDirection = z.enum(['asc', 'desc']);
const pageWindow = {
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(1_000).default(200),
};

export const GrantAppQuerySchema = z
  .object({
    filter: GrantFilterSchema.default({}),
    sort: z.object({ column: z.enum(grantAppSortColumns), direction: sortDirection }).strict().default({ column: 'risk', direction: 'desc' }),
    ...pageWindow,
  })
  .strict();
export type GrantAppQuery = z.input<typeof GrantAppQuerySchema>;

export const GrantQuerySchema = z
  .object({
    filter: GrantFilterSchema.default({}),
    sort: z.object({ column: z.enum(grantSortColumns), direction: sortDirection }).strict().default({ column: 'risk', direction: 'desc' }),
    ...pageWindow,
  })
  .strict();
export type GrantQuery = z.input<typeof GrantQuerySchema>;

export const GrantAppPageSchema = z.object({ snapshotId: z.string().nullable(), total: z.number().int().nonnegative(), rows: z.array(GrantAppRowSchema) });
export type GrantAppPage = z.infer<typeof GrantAppPageSchema>;
export const GrantPageSchema = z.object({ snapshotId: z.string().nullable(), total: z.number().int().nonnegative(), rows: z.array(GrantRowSchema) });
export type GrantPage = z.infer<typeof GrantPageSchema>;

export const IncompleteItemSchema = z.object({ what: z.string(), reason: z.string(), user: z.string().optional(), detailOnly: z.literal(true).optional() });

/**
 * A newer read of a connection that read less than the one shown (cancelled, failed, partial, or
 * the connection was disconnected meanwhile): kept aside, never shown unless the admin chooses it.
 */
export const NewerReadSchema = z.object({
  readAt: z.string(),
  outcome: z.enum(['partial', 'failed', 'cancelled']),
  completed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  note: z.string().nullable(),
  errorCode: ErrorCodeSchema.nullable(),
  /** Grants it read; 0 when nothing was read, and then there is nothing to choose. */
  grants: z.number().int().nonnegative(),
});
export type NewerRead = z.infer<typeof NewerReadSchema>;

/** How one connection's part of a scan went. */
export const ScannedConnectionSchema = z.object({
  connectionId: z.string(),
  label: z.string(),
  provider: ProviderIdSchema,
  /** `not_supported`: the provider offers no admin listing of third-party grants. */
  outcome: z.enum(['complete', 'partial', 'failed', 'cancelled', 'not_supported']),
  /** Units read in full, of all there were. */
  completed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** What `completed` and `total` count, plural: "users", "service principals", "result pages". */
  unit: z.string(),
  incomplete: z.array(IncompleteItemSchema),
  /** Why it failed or is not supported, and what to do. */
  note: z.string().nullable(),
  errorCode: ErrorCodeSchema.nullable(),
  /** When this read was made: a connection's last complete read outlives a later scan that read less. */
  readAt: z.string(),
  newerRead: NewerReadSchema.nullable(),
});
export type ScannedConnection = z.infer<typeof ScannedConnectionSchema>;

const riskCounts = z.object({ critical: z.number().int(), high: z.number().int(), medium: z.number().int(), low: z.number().int() });

export const GrantChangesSchema = z.object({
  /** When the scan compared with was taken; null on the first scan. */
  previousTakenAt: z.string().nullable(),
  newApps: z.number().int().nonnegative(),
  /** New grants rated High or Critical. */
  newRiskyGrants: z.number().int().nonnegative(),
  goneGrants: z.number().int().nonnegative(),
});
export type GrantChanges = z.infer<typeof GrantChangesSchema>;

export const SnapshotSummarySchema = z.object({
  id: z.string(),
  takenAt: z.string(),
  /** Something could not be read: the numbers are a floor, not the whole. */
  partial: z.boolean(),
  connections: z.array(ScannedConnectionSchema),
  apps: z.number().int().nonnegative(),
  grants: z.number().int().nonnegative(),
  users: z.number().int().nonnegative(),
  appsByRisk: riskCounts,
  changes: GrantChangesSchema,
  /** Every scope in the scan, for the scope filter. */
  scopes: z.array(z.string()),
});
export type SnapshotSummary = z.infer<typeof SnapshotSummarySchema>;

export const SkippedScanSchema = z.object({
  /** The scan's file name, as it was in the snapshots folder. */
  file: z.string(),
  /** When it was taken, when that could be read. */
  takenAt: z.string().nullable(),
  /** What is wrong with it, in a sentence. */
  problem: z.string(),
  /** Where the file was moved to; null when it was left where it was. */
  keptAs: z.string().nullable(),
});
export type SkippedScan = z.infer<typeof SkippedScanSchema>;

/** New Critical grants found by a background scan. */
export const GrantAlertSchema = z.object({ snapshotId: z.string(), criticalGrants: z.number().int().positive(), message: z.string() });
export type GrantAlert = z.infer<typeof GrantAlertSchema>;

export const scanStates = ['running', 'cancelling', 'finished', 'cancelled', 'failed'] as const;
export const ScanProgressSchema = z.object({
  scanId: z.string(),
  state: z.enum(scanStates),
  startedAt: z.string(),
  /** Connections whose part has ended, of the connections in the scan. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /**
   * How far the whole scan is, 0–100; never goes back. Each connection counts alike and each of
   * its phases by a weight fixed up front, so a phase starting at 0 does not pull it back.
   */
  percent: z.number().min(0).max(100),
  /** Provider calls per minute over the last seconds. */
  callsPerMinute: z.number().nonnegative(),
  /** Null until there is a rate to estimate from. */
  etaSeconds: z.number().nonnegative().nullable(),
  connections: z.array(
    z.object({
      connectionId: z.string(),
      label: z.string(),
      provider: ProviderIdSchema,
      /** What it is reading now; `done` and `total` count that phase's units (users, pages…). */
      phase: z.string(),
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
      /** How far this connection's part is, 0–100; never goes back. */
      percent: z.number().min(0).max(100),
    }),
  ),
  /** Set when the scan ended without a snapshot. */
  error: BridgeFailureSchema.nullable(),
});
export type ScanProgress = z.infer<typeof ScanProgressSchema>;

export const GrantAuditStatusSchema = z.object({
  snapshot: SnapshotSummarySchema.nullable(),
  scan: ScanProgressSchema.nullable(),
  /** Connections a scan would read, and whether each can be scanned. */
  scannable: z.array(z.object({ connectionId: z.string(), label: z.string(), provider: ProviderIdSchema, supported: z.boolean(), ready: z.boolean(), note: z.string().nullable() })),
  /** Saved scans that could not be used (damaged files, set aside); the page shows the newest good one. */
  skippedScans: z.array(SkippedScanSchema),
});
export type GrantAuditStatus = z.infer<typeof GrantAuditStatusSchema>;

export const GrantAppDetailSchema = z.object({
  app: GrantAppRowSchema,
  /** Every scope it holds, each explained. */
  scopes: z.array(RatedScopeSchema),
  /** The first grants (users) of the app. */
  grants: z.array(GrantRowSchema),
  /** The provider's own records behind the first grants, as JSON text; handles that could revoke are removed. */
  evidence: z.array(z.object({ grantKey: z.string(), record: z.string() })),
});
export type GrantAppDetail = z.infer<typeof GrantAppDetailSchema>;

export const GrantChangeListSchema = z.object({
  newApps: z.array(GrantAppRowSchema),
  newRiskyGrants: z.array(GrantRowSchema),
  goneGrants: z.array(z.object({ key: z.string(), appName: z.string(), provider: ProviderIdSchema, user: z.string().nullable(), scopes: z.array(z.string()), risk: RiskLevelSchema })),
  /** Each list holds at most this many; the summary has the totals. */
  limit: z.number().int().positive(),
});
export type GrantChangeList = z.infer<typeof GrantChangeListSchema>;

export const RevocationSelectionSchema = z
  .object({
    snapshotId: z.string().min(1).max(100),
    /** Every grant of these apps… */
    appKeys: z.array(z.string().max(600)).max(10_000).default([]),
    /** …and these single grants. */
    grantKeys: z.array(z.string().max(1_200)).max(500_000).default([]),
  })
  .strict()
  .refine((selection) => selection.appKeys.length + selection.grantKeys.length > 0, { error: 'Select at least one app or grant to revoke.' });

export const RevocationPlanItemSchema = z.object({
  key: z.string(),
  connectionId: z.string(),
  provider: ProviderIdSchema,
  appName: z.string(),
  user: z.string().nullable(),
  scopes: z.array(z.string()),
  /** What exactly will be done, e.g. "Delete the user's tokens for this client". */
  action: z.string(),
});

export const RevocationPlanSchema = z.object({
  planId: z.string(),
  /** The first items, for the confirmation; `total` has them all. */
  items: z.array(RevocationPlanItemSchema),
  total: z.number().int().nonnegative(),
  apps: z.number().int().nonnegative(),
  users: z.number().int().nonnegative(),
  /** Grants that are tenant-wide consents (everyone in the organisation). */
  tenantWide: z.number().int().nonnegative(),
  connections: z.array(
    z.object({
      connectionId: z.string(),
      label: z.string(),
      provider: ProviderIdSchema,
      grants: z.number().int().nonnegative(),
      /** Revoking needs the connection's revoke_grants capability, which it does not hold yet. */
      needsRemediate: z.boolean(),
      /** The provider can also sign the affected users out (Microsoft revokeSignInSessions). */
      offersSessionRevocation: z.boolean(),
    }),
  ),
  /** What the admin must know before confirming (issued tokens stay valid until they expire, …). */
  warnings: z.array(z.string()),
  /** Text the admin must type to confirm a bulk revocation; null when a click is enough. */
  confirmationText: z.string().nullable(),
});
export type RevocationPlan = z.infer<typeof RevocationPlanSchema>;

export const RevocationResultItemSchema = z.object({
  key: z.string(),
  appName: z.string(),
  user: z.string().nullable(),
  provider: ProviderIdSchema,
  /**
   * `already_gone`: the provider no longer had it; counts as done. `in_doubt`: the call was sent
   * before Consentry stopped and no answer was recorded. `not_started`: the job was cancelled first.
   */
  outcome: z.enum(['revoked', 'already_gone', 'failed', 'skipped', 'in_doubt', 'not_started']),
  /** A read-back confirmed it is gone. */
  verified: z.boolean(),
  message: z.string(),
  errorCode: ErrorCodeSchema.nullable(),
});
export type RevocationResultItem = z.infer<typeof RevocationResultItemSchema>;

export const RevocationReportSchema = z.object({
  jobId: z.string(),
  items: z.array(RevocationResultItemSchema),
  revoked: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  inDoubt: z.number().int().nonnegative(),
  notStarted: z.number().int().nonnegative(),
  sessionsRevoked: z.number().int().nonnegative(),
});
export type RevocationReport = z.infer<typeof RevocationReportSchema>;

// ---------- jobs ----------

export const jobStates = ['running', 'pausing', 'paused', 'cancelling', 'cancelled', 'finished', 'interrupted'] as const;
export const JobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof JobStateSchema>;

/** A confirmed job (a bulk revocation, later rotations and offboarding) as the console shows it. */
export const JobSummarySchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** e.g. "Revoke 1,204 grants". */
  title: z.string(),
  state: JobStateSchema,
  /** Why it is paused or stopped (disk full, Consentry was closed), when it is. */
  reason: z.string().nullable(),
  total: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Sent before Consentry stopped, with no answer recorded: never counted as done. */
  inDoubt: z.number().int().nonnegative(),
  notStarted: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
  etaSeconds: z.number().nonnegative().nullable(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const JobListSchema = z.object({ jobs: z.array(JobSummarySchema) });
export type JobList = z.infer<typeof JobListSchema>;

const jobId = z.string().min(1).max(100);

// ---------- app ----------

export const AppDescriptionSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['darwin', 'win32', 'linux', 'other']),
  /** `electron` in the desktop app; `browser-bridge` when served to a browser for tests and demos. */
  host: z.enum(['electron', 'browser-bridge']),
  dataDirectory: z.string(),
});
export type AppDescription = z.infer<typeof AppDescriptionSchema>;

/** A profile file that could not be used at start: kept aside, and that part started empty. */
export const ProfileProblemSchema = z.object({
  id: z.string(),
  /** The file's name in the data folder, e.g. `settings.json`. */
  file: z.string(),
  /** What is wrong with it, in a sentence. */
  problem: z.string(),
  /** The full path the damaged file was moved to; null when it could not be moved (it is left as it is). */
  keptAs: z.string().nullable(),
  /** What starting without it means, and what to do. */
  consequence: z.string(),
  /** ISO 8601, UTC. */
  foundAt: z.string(),
});
export type ProfileProblem = z.infer<typeof ProfileProblemSchema>;

// ---------- channels and events ----------

const NoRequestSchema = z.object({}).strict();

interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
}

export const channels = {
  'app.describe': { request: NoRequestSchema, response: AppDescriptionSchema },
  'settings.get': { request: NoRequestSchema, response: SettingsSchema },
  'settings.update': { request: SettingsPatchSchema, response: SettingsSchema },
  'activity.list': { request: ActivityQuerySchema, response: ActivityPageSchema },
  'activity.exportCsv': { request: ActivityFilterSchema, response: CsvExportSchema },
  'app.openExternal': { request: z.object({ url: z.string().max(4_000) }).strict(), response: z.object({ opened: z.literal(true) }) },
  /** Profile files found damaged at start that the admin has not dismissed yet. */
  'app.profileProblems': { request: NoRequestSchema, response: z.object({ problems: z.array(ProfileProblemSchema) }) },
  'app.dismissProfileProblems': { request: z.object({ ids: z.array(z.string().max(200)).max(100) }).strict(), response: z.object({ dismissed: z.number().int().nonnegative() }) },
  'connections.catalog': { request: NoRequestSchema, response: ProviderCatalogSchema },
  'connections.list': { request: NoRequestSchema, response: ConnectionListSchema },
  'connections.preview': { request: ConnectionPreviewRequestSchema, response: ConnectionPreviewSchema },
  'connections.connect': { request: ConnectRequestSchema, response: ConnectionViewSchema },
  'connections.cancelAttempt': { request: z.object({ attemptId }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'connections.reconnect': { request: z.object({ id: connectionId, attemptId }).strict(), response: ConnectionViewSchema },
  /** Allows a capability: a sign-in asking for base + held + its scopes, or none when it adds no scope. */
  'connections.enableCapability': {
    request: z.object({ connectionId, attemptId, capability: CapabilityIdSchema }).strict(),
    response: ConnectionViewSchema,
  },
  /** Stops a capability at once; its scopes leave the token at the next sign-in where the provider allows. */
  'connections.disableCapability': { request: z.object({ connectionId, capability: CapabilityIdSchema }).strict(), response: ConnectionViewSchema },
  'connections.refresh': { request: z.object({ id: connectionId }).strict(), response: ConnectionViewSchema },
  'connections.disconnect': { request: z.object({ id: connectionId }).strict(), response: DisconnectOutcomeSchema },
  'connections.remove': { request: z.object({ id: connectionId }).strict(), response: z.object({ removed: z.literal(true) }) },
  'connections.setApiQuota': {
    request: z.object({ id: connectionId, quotaPerMinute: ConnectionSettingsSchema.shape.apiQuotaPerMinute.unwrap().nullable() }).strict(),
    response: ConnectionViewSchema,
  },
  'sample.status': { request: NoRequestSchema, response: SampleWorkspaceStatusSchema },
  'sample.connect': { request: z.object({ attemptId, provider: SampleProviderSchema }).strict(), response: ConnectionViewSchema },
  'sample.remove': { request: NoRequestSchema, response: z.object({ removed: z.number().int().nonnegative() }) },
  'vault.useSessionOnly': { request: z.object({ enabled: z.boolean() }).strict(), response: VaultStatusSchema },
  'grants.status': { request: NoRequestSchema, response: GrantAuditStatusSchema },
  'grants.scan': { request: z.object({ connectionIds: z.array(connectionId).max(100).optional() }).strict(), response: ScanProgressSchema },
  'grants.cancelScan': { request: z.object({ scanId: z.string().max(100) }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'grants.apps': { request: GrantAppQuerySchema, response: GrantAppPageSchema },
  'grants.list': { request: GrantQuerySchema, response: GrantPageSchema },
  'grants.app': { request: z.object({ key: z.string().max(600) }).strict(), response: GrantAppDetailSchema },
  'grants.changes': { request: NoRequestSchema, response: GrantChangeListSchema },
  /** Shows a connection's newer read that was kept aside (it read less than the one shown). */
  'grants.useNewerRead': { request: z.object({ connectionId }).strict(), response: SnapshotSummarySchema },
  'grants.exportCsv': { request: z.object({ view: z.enum(['apps', 'grants']), filter: GrantFilterSchema.default({}) }).strict(), response: CsvExportSchema },
  'grants.planRevocation': { request: RevocationSelectionSchema, response: RevocationPlanSchema },
  'grants.revoke': {
    request: z.object({ planId: z.string().max(100), revokeSessions: z.boolean().default(false), confirmation: z.string().max(200).default('') }).strict(),
    response: JobSummarySchema,
  },
  'grants.revocationReport': { request: z.object({ jobId }).strict(), response: RevocationReportSchema },
  'jobs.list': { request: NoRequestSchema, response: JobListSchema },
  'jobs.pause': { request: z.object({ jobId }).strict(), response: JobSummarySchema },
  'jobs.resume': { request: z.object({ jobId }).strict(), response: JobSummarySchema },
  'jobs.cancel': { request: z.object({ jobId }).strict(), response: JobSummarySchema },
} as const satisfies Record<string, ChannelSpec>;

export type ChannelName = keyof typeof channels;
/** What the renderer passes (defaults may be left out). */
export type RequestOf<C extends ChannelName> = z.input<(typeof channels)[C]['request']>;
/** What a main-side handler receives, after validation and defaults. */
export type ParsedRequestOf<C extends ChannelName> = z.output<(typeof channels)[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<(typeof channels)[C]['response']>;

export const events = {
  'activity.appended': ActivityEntrySchema,
  'settings.changed': SettingsSchema,
  /** A connection was added, changed or removed; the renderer reloads the list. */
  'connections.changed': z.object({ connectionId: z.string() }),
  'connections.attempt': ConnectAttemptSchema,
  /** A connection needs the admin: refresh failed, reconnect needed. */
  'connections.alert': ConnectionAlertSchema,
  'grants.scanProgress': ScanProgressSchema,
  /** A scan finished or a revocation changed the snapshot. */
  'grants.changed': z.object({ snapshotId: z.string() }),
  /** A background scan found new Critical grants. */
  'grants.alert': GrantAlertSchema,
  /** A job's progress or state changed. */
  'jobs.progress': JobSummarySchema,
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventPayloadOf<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

// The preload checks names against plain lists (no zod in its bundle); they must name exactly these.
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelListsAgree: SameNames<ChannelName, ListedChannelName> = true;
const eventListsAgree: SameNames<EventName, ListedEventName> = true;
void channelListsAgree;
void eventListsAgree;

export { isChannelName, isEventName, ipcChannels };

// ---------- the API object every transport exposes to the renderer ----------

/**
 * What `window.consentry` is, whichever transport carries it: Electron IPC through the preload,
 * or a WebSocket in the browser bridge used for tests and demos.
 */
export interface ConsentryTransport {
  /** Resolves to an envelope; never rejects for a failure main reported. */
  invoke(channel: ChannelName, request: unknown): Promise<Envelope>;
  /** Calls `listener` for every main → renderer event; returns the unsubscribe function. */
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}
