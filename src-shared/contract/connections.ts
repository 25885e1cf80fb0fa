/**
 * Connections: provider presets, drafts, views, the vault, sign-in attempts.
 */
import { z } from 'zod';
import { type ChannelSpec, ErrorCodeSchema, NoRequestSchema } from './envelope';
import { capabilityIds, providerIds } from '../domain/ids';

export const ProviderIdSchema = z.enum(providerIds);

export const ClientFamilySchema = z.enum(['google', 'microsoft', 'generic']);
export type ClientFamily = z.infer<typeof ClientFamilySchema>;

export const CapabilityIdSchema = z.enum(capabilityIds);

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

export const attemptId = z.uuid({ error: 'An attempt ID must be a UUID.' });

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

export const connectionId = z.string().min(1).max(100);

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

export const connectionsChannels = {
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
  'vault.useSessionOnly': { request: z.object({ enabled: z.boolean() }).strict(), response: VaultStatusSchema },
} as const satisfies Record<string, ChannelSpec>;

export const connectionsEvents = {
  /** A connection was added, changed or removed; the renderer reloads the list. */
  'connections.changed': z.object({ connectionId: z.string() }),
  'connections.attempt': ConnectAttemptSchema,
  /** A connection needs the admin: refresh failed, reconnect needed. */
  'connections.alert': ConnectionAlertSchema,
} as const satisfies Record<string, z.ZodType>;
