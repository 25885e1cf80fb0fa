/**
 * Contract-shaped answers for the Connections tests. Every fixture is parsed through the
 * contract's own schema, so a change to the contract breaks these before it misleads a test.
 */
import { ConnectionPreviewSchema, ConnectionViewSchema, ProviderCatalogSchema, ScopeExplanationSchema, VaultStatusSchema, type ConnectionPreview, type ConnectionView, type ProviderPreset, type ScopeExplanation, type VaultStatus } from '../../../src-shared/contract/connections';
import type { BridgeFailure, Envelope } from '../../../src-shared/contract/envelope';
import type { CapabilityId } from '../../../src-shared/domain/ids';

export const ok = (value: unknown): Envelope => ({ ok: true, value });
export const refused = (error: BridgeFailure): Envelope => ({ ok: false, error });

const googleScope = (name: string) => `https://www.googleapis.com/auth/${name}`;
const explain = (scope: string, purpose: ScopeExplanation['purpose'], reason: string) => ScopeExplanationSchema.parse({ scope, purpose, reason });

export const googleScopes = {
  signIn: [explain('openid', 'sign-in', 'Identifies the admin who signed in.'), explain('email', 'sign-in', 'Shows which admin account this connection uses.')],
  audit: [
    explain(googleScope('admin.directory.user.readonly'), 'audit', 'Lists the users whose app grants are audited.'),
    explain(googleScope('admin.reports.audit.readonly'), 'audit', 'Reads token activity, to show when each app was last used.'),
  ],
  offboarding: [
    explain(googleScope('admin.directory.user'), 'offboarding', 'Suspends departed users, once their access is removed.'),
    explain(googleScope('admin.datatransfer'), 'offboarding', "Transfers a departed user's Drive and Calendar data to a manager."),
  ],
};

const adds = (...scopes: ScopeExplanation[]) => scopes.map(({ scope, reason }) => ({ scope, reason }));

/** What each capability adds at Google: revoking adds nothing, the audit scope already allows it. */
const googleCapabilities: ProviderPreset['capabilities'] = [
  { id: 'revoke_grants', scopes: [] },
  { id: 'consent', scopes: [{ scope: googleScope('cloud-identity.policies.readonly'), reason: 'Reads the API controls that decide which third-party apps users may authorize.' }] },
  { id: 'credentials', scopes: [{ scope: googleScope('cloud-platform'), reason: 'Creates, disables and deletes service-account keys and API keys when rotating them.' }] },
  { id: 'offboarding', scopes: adds(...googleScopes.offboarding) },
];

export const microsoftRevokeScopes = [
  { scope: 'DelegatedPermissionGrant.ReadWrite.All', reason: 'Deletes delegated permission grants, or narrows their scopes.' },
  { scope: 'AppRoleAssignment.ReadWrite.All', reason: 'Deletes application permissions (app role assignments).' },
];

const google: ProviderPreset = {
  id: 'google',
  label: 'Google Workspace',
  family: 'google',
  summary: 'Users, third-party app tokens, token activity and Cloud keys through the Admin SDK.',
  fields: [],
  clientSecret: 'required',
  clientSecretNote: 'A Desktop-app client has a secret that Google sends with it; it is not confidential, but Google requires it.',
  registration: {
    where: 'Google Cloud console › APIs & Services › Credentials › Create credentials › OAuth client ID › Desktop app',
    url: 'https://console.cloud.google.com/apis/credentials',
    steps: ['Enable the Admin SDK API in the project.', 'Create an OAuth client ID of type "Desktop app".'],
  },
  manualRevocation: { where: 'Google Admin console › Security › API controls › Manage third-party app access', url: 'https://myaccount.google.com/permissions' },
  scopes: [...googleScopes.signIn, ...googleScopes.audit],
  capabilities: googleCapabilities,
  scopesEditable: false,
  revocation: 'provider-call',
  clouds: [],
};

const microsoft: ProviderPreset = {
  id: 'microsoft',
  label: 'Microsoft Entra ID / Microsoft 365',
  family: 'microsoft',
  summary: 'Delegated permission grants, service principals, app role assignments and app secrets through Microsoft Graph.',
  fields: [
    { name: 'tenant', label: 'Tenant', description: 'Tenant ID or primary domain.', placeholder: 'contoso.onmicrosoft.com', required: false },
    { name: 'cloud', label: 'Cloud', description: 'National clouds have their own sign-in and Graph endpoints.', placeholder: 'global', required: false },
  ],
  clientSecret: 'none',
  clientSecretNote: 'Public client: Microsoft sign-in for desktop apps uses no secret.',
  registration: { where: 'Microsoft Entra admin center › App registrations › New registration', url: 'https://entra.microsoft.com/', steps: ['Register an application.'] },
  manualRevocation: { where: 'Microsoft Entra admin center › Enterprise applications', url: 'https://entra.microsoft.com/' },
  scopes: [explain('openid', 'sign-in', 'Identifies the admin who signed in.'), explain('Directory.Read.All', 'audit', 'Lists users and delegated permission grants.')],
  capabilities: [{ id: 'revoke_grants', scopes: microsoftRevokeScopes }],
  scopesEditable: false,
  revocation: 'provider-call',
  clouds: [
    { id: 'global', label: 'Global (login.microsoftonline.com)' },
    { id: 'usgov', label: 'US Government (login.microsoftonline.us)' },
  ],
};

const salesforce: ProviderPreset = {
  id: 'salesforce',
  label: 'Salesforce',
  family: 'generic',
  summary: 'Connected-app OAuth tokens of every user (OauthToken) through your My Domain.',
  fields: [{ name: 'myDomain', label: 'My Domain', description: 'Your My Domain name or host.', placeholder: 'acme', required: true }],
  clientSecret: 'optional',
  clientSecretNote: 'Only if your External Client App requires the secret.',
  registration: { where: 'Salesforce Setup › External Client Apps › New External Client App', url: null, steps: ['Create the app with the callback URL shown here.'] },
  manualRevocation: { where: 'Salesforce Setup › Connected Apps OAuth Usage › Consentry › Revoke', url: null },
  scopes: [explain('api', 'audit', 'Queries OauthToken through the REST API.'), explain('refresh_token', 'sign-in', 'Keeps the connection alive with a refresh token.')],
  capabilities: [{ id: 'revoke_grants', scopes: [] }],
  scopesEditable: false,
  revocation: 'standard',
  clouds: [],
};

const pipedrive: ProviderPreset = {
  id: 'pipedrive',
  label: 'Pipedrive',
  family: 'generic',
  summary: 'Users and their permissions. Pipedrive has no admin view of other apps.',
  fields: [],
  clientSecret: 'required',
  clientSecretNote: 'Pipedrive gives every app a client secret.',
  registration: { where: 'Pipedrive › Settings › Developer Hub › Create an app', url: null, steps: ['Create an app.'] },
  manualRevocation: { where: 'Pipedrive › Tools and apps › Installed apps › Consentry › Uninstall', url: null },
  scopes: [explain('users:read', 'audit', 'Reads users, their permissions and roles.')],
  capabilities: [{ id: 'offboarding', scopes: [{ scope: 'admin', reason: 'Deactivates departed users.' }] }],
  scopesEditable: false,
  revocation: 'none',
  clouds: [],
};

const custom: ProviderPreset = {
  id: 'custom',
  label: 'Other OAuth 2.0 / OpenID Connect provider',
  family: 'generic',
  summary: 'Any standard provider: from its issuer URL (discovery) or with the endpoints entered by hand.',
  fields: [{ name: 'issuer', label: 'Issuer URL', description: 'The OpenID Connect issuer.', placeholder: 'https://id.example.com', required: false }],
  clientSecret: 'optional',
  clientSecretNote: 'Only for confidential clients.',
  registration: { where: "The provider's admin console › applications / OAuth clients", url: null, steps: ['Register a native app.'] },
  manualRevocation: { where: "The provider's admin console › applications › Consentry", url: null },
  scopes: [explain('openid', 'sign-in', 'Identifies the admin who signed in (OpenID Connect providers).')],
  capabilities: [],
  scopesEditable: true,
  revocation: 'standard',
  clouds: [],
};

export const catalog = ProviderCatalogSchema.parse({ providers: [google, microsoft, salesforce, pipedrive, custom] });

export const encryptedVault: VaultStatus = VaultStatusSchema.parse({ mode: 'encrypted', problem: null, nextStep: null });

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

export const googleAuditScopes = [...googleScopes.signIn, ...googleScopes.audit].map((scope) => scope.scope);

/** A Google connection's capabilities as main reports them: held = allowed and every added scope granted. */
export function googleCapabilityViews(allowed: CapabilityId[] = [], granted: readonly string[] = googleAuditScopes): ConnectionView['capabilities'] {
  return googleCapabilities.map(({ id, scopes }) => ({
    id,
    allowed: allowed.includes(id),
    held: allowed.includes(id) && scopes.every((added) => granted.includes(added.scope)),
    extraScopes: scopes,
  }));
}

export function connectionView(overrides: Partial<ConnectionView> = {}): ConnectionView {
  return ConnectionViewSchema.parse({
    id: 'conn-acme',
    label: 'Acme Workspace',
    provider: 'google',
    providerLabel: 'Google Workspace',
    family: 'google',
    account: 'admin@acme.example',
    tenant: 'acme.example',
    capabilities: googleCapabilityViews(),
    status: 'active',
    statusDetail: 'Connected. The access token is renewed before it expires.',
    scopesRequested: googleAuditScopes,
    scopesGranted: googleAuditScopes,
    clientId: '1234-desktop.apps.googleusercontent.com',
    hasClientSecret: true,
    redirectUri: 'http://127.0.0.1/callback',
    settings: {},
    storage: 'encrypted',
    createdAt: minutesFromNow(-60 * 24),
    connectedAt: minutesFromNow(-60 * 24),
    accessTokenExpiresAt: minutesFromNow(50),
    lastRefreshAt: minutesFromNow(-10),
    nextRefreshAt: minutesFromNow(45),
    lastError: null,
    manualRevocation: google.manualRevocation,
    sample: false,
    ...overrides,
  });
}

export function preview(overrides: Partial<ConnectionPreview> = {}): ConnectionPreview {
  return ConnectionPreviewSchema.parse({
    redirectUri: 'http://127.0.0.1/callback',
    redirectNote: 'Loopback redirect: the port is chosen at each sign-in and the provider accepts any port (RFC 8252 §7.3).',
    scopes: [...googleScopes.signIn, ...googleScopes.audit],
    scopesNote: null,
    authorizationHost: 'accounts.google.com',
    ...overrides,
  });
}

type Handler = (request: unknown) => Envelope | Promise<Envelope>;

/**
 * A console that answers the catalog and the list, plus whatever a test adds. A channel nobody
 * answers fails loudly as an unknown channel.
 */
export function consoleAnswering(handlers: Record<string, Handler> = {}, list: { connections?: ConnectionView[]; vault?: VaultStatus } = {}) {
  const defaults: Record<string, Handler> = {
    'connections.catalog': () => ok(catalog),
    'connections.list': () => ok({ connections: list.connections ?? [], vault: list.vault ?? encryptedVault }),
  };
  return (channel: string, request: unknown): Envelope | Promise<Envelope> => {
    const handler = handlers[channel] ?? defaults[channel];
    return handler ? handler(request) : refused({ code: 'unknown_channel', message: `No answer scripted for ${channel}.` });
  };
}
