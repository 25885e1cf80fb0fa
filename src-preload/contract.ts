/**
 * The one treaty between the renderer and the main process.
 *
 * Every channel names its request and response schema; main validates each request against it
 * and parses each response through it before anything crosses (zod strips keys a schema does not
 * name, so a field added by mistake to a service result never reaches the renderer). Events are
 * main → renderer only and are parsed the same way.
 */
import { z } from 'zod';

// ---------- errors ----------

export const errorCodes = [
  'invalid_request',
  'unknown_channel',
  'forbidden_sender',
  'storage_unavailable',
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
  'vault_unavailable',
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
  kind: z.enum(['unreadable_line', 'hash_mismatch', 'broken_chain', 'sequence_gap', 'truncated']),
  /** The sequence number or line where the problem shows. */
  at: z.string(),
  message: z.string(),
});
export type IntegrityProblem = z.infer<typeof IntegrityProblemSchema>;

export const ActivityIntegritySchema = z.object({
  intact: z.boolean(),
  checkedEntries: z.number().int().nonnegative(),
  problems: z.array(IntegrityProblemSchema),
});
export type ActivityIntegrity = z.infer<typeof ActivityIntegritySchema>;

export const ActivityPageSchema = z.object({
  entries: z.array(ActivityEntrySchema),
  /** Entries matching the filter, across all pages. */
  total: z.number().int().nonnegative(),
  /** Every action recorded so far, for the filter menu. */
  actions: z.array(z.string()),
  integrity: ActivityIntegritySchema,
});
export type ActivityPage = z.infer<typeof ActivityPageSchema>;

export const CsvExportSchema = z.object({
  fileName: z.string(),
  /** RFC 4180, UTF-8 with BOM. */
  content: z.string(),
  rows: z.number().int().nonnegative(),
});
export type CsvExport = z.infer<typeof CsvExportSchema>;

// ---------- connections ----------

export const providerIds = ['google', 'microsoft', 'zoom', 'salesforce', 'hubspot', 'pipedrive', 'slack', 'okta', 'zendesk', 'custom'] as const;
export const ProviderIdSchema = z.enum(providerIds);
export type ProviderId = z.infer<typeof ProviderIdSchema>;

export const ClientFamilySchema = z.enum(['google', 'microsoft', 'generic']);
export type ClientFamily = z.infer<typeof ClientFamilySchema>;

/** Audit asks for read access only; remediate adds what revoking and rotating need. */
export const AccessProfileSchema = z.enum(['audit', 'remediate']);
export type AccessProfile = z.infer<typeof AccessProfileSchema>;

export const MicrosoftCloudSchema = z.enum(['global', 'usgov', 'china']);
export type MicrosoftCloud = z.infer<typeof MicrosoftCloudSchema>;

export const ScopeExplanationSchema = z.object({
  scope: z.string(),
  /** Why Consentry needs it, in one sentence. */
  reason: z.string(),
  /** `sign-in` scopes identify the admin and keep the connection alive. */
  purpose: z.enum(['sign-in', 'audit', 'remediate']),
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
  scopes: z.array(ScopeExplanationSchema),
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

/** Everything about a connection except the admin's choice of profile; kept for reconnects. */
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
    /** For providers that require the exact registered redirect URI, port included. */
    redirectPort: z
      .number({ error: 'The redirect port must be a number.' })
      .int({ error: 'The redirect port must be a whole number.' })
      .min(1024, { error: 'Use a redirect port between 1024 and 65535.' })
      .max(65_535, { error: 'Use a redirect port between 1024 and 65535.' })
      .optional(),
    /** Custom providers only: the scopes for each profile. */
    auditScopes: scopeList.optional(),
    remediateScopes: scopeList.optional(),
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
    profile: AccessProfileSchema,
  })
  .strict();
export type ConnectionDraft = z.input<typeof ConnectionDraftSchema>;

/** What a preview needs: the redirect URI and scopes depend on neither the name nor the client ID. */
export const ConnectionPreviewRequestSchema = z
  .object({ provider: ProviderIdSchema, settings: ConnectionSettingsSchema.default({}), profile: AccessProfileSchema })
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
  profile: AccessProfileSchema,
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
  'connections.catalog': { request: NoRequestSchema, response: ProviderCatalogSchema },
  'connections.list': { request: NoRequestSchema, response: ConnectionListSchema },
  'connections.preview': { request: ConnectionPreviewRequestSchema, response: ConnectionPreviewSchema },
  'connections.connect': { request: ConnectRequestSchema, response: ConnectionViewSchema },
  'connections.cancelAttempt': { request: z.object({ attemptId }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'connections.reconnect': {
    request: z.object({ id: connectionId, attemptId, profile: AccessProfileSchema.optional() }).strict(),
    response: ConnectionViewSchema,
  },
  'connections.refresh': { request: z.object({ id: connectionId }).strict(), response: ConnectionViewSchema },
  'connections.disconnect': { request: z.object({ id: connectionId }).strict(), response: DisconnectOutcomeSchema },
  'connections.remove': { request: z.object({ id: connectionId }).strict(), response: z.object({ removed: z.literal(true) }) },
  'sample.status': { request: NoRequestSchema, response: SampleWorkspaceStatusSchema },
  'sample.connect': { request: z.object({ attemptId, provider: SampleProviderSchema }).strict(), response: ConnectionViewSchema },
  'sample.remove': { request: NoRequestSchema, response: z.object({ removed: z.number().int().nonnegative() }) },
  'vault.useSessionOnly': { request: z.object({ enabled: z.boolean() }).strict(), response: VaultStatusSchema },
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
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventPayloadOf<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

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

/** The IPC channel names the preload and the shell agree on. */
export const ipcChannels = {
  invoke: 'consentry:invoke',
  event: 'consentry:event',
} as const;
