/**
 * The providers Consentry connects to, with their endpoints, scopes (and why each is needed),
 * revocation method and where an admin registers a client or revokes access by hand. Facts come
 * from each vendor's developer documentation (see README › Provider presets).
 */
import type { CapabilityScope, ConnectionSettings, MicrosoftCloud, ProviderField, ScopeExplanation } from '../../src-shared/contract/connections';
import type { FieldProblem } from '../../src-shared/contract/envelope';
import type { ProviderId } from '../../src-shared/domain/ids';
import { isLoopbackHostname } from '../security/external-url-policy';
import type { ProviderDefinition, ProviderEndpoints } from './provider-definition';

/** An https URL, or http on the loopback interface (a local test server). */
export function checkEndpointUrl(value: string, field: string, label: string): string | FieldProblem {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { field, message: `${label} must be a full URL such as https://login.example.com/oauth2/authorize.` };
  }
  if (url.username !== '' || url.password !== '') return { field, message: `${label} must not contain a user name or password.` };
  if (url.hash !== '') return { field, message: `${label} must not contain a #fragment.` };
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname))) return url.href;
  return { field, message: `${label} must use https (plain http is accepted for 127.0.0.1 and localhost only).` };
}

const hostLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

function required(settings: ConnectionSettings, name: keyof ConnectionSettings, label: string, problems: FieldProblem[]): string {
  const value = settings[name];
  if (typeof value !== 'string' || value === '') {
    problems.push({ field: `settings.${name}`, message: `Enter the ${label}.` });
    return '';
  }
  return value;
}

/** Applies the per-connection endpoint overrides (national clouds, tests) on top of a preset's endpoints. */
function withOverrides(settings: ConnectionSettings, base: ProviderEndpoints, problems: FieldProblem[]): ProviderEndpoints | FieldProblem[] {
  const result = { ...base };
  const overrides = [
    ['authorizationEndpoint', 'authorization', 'The authorization endpoint'],
    ['tokenEndpoint', 'token', 'The token endpoint'],
    ['revocationEndpoint', 'revocation', 'The revocation endpoint'],
    ['issuer', 'issuer', 'The issuer URL'],
  ] as const;
  for (const [name, key, label] of overrides) {
    const value = settings[name];
    if (!value) continue;
    const checked = checkEndpointUrl(value, `settings.${name}`, label);
    if (typeof checked === 'string') result[key] = key === 'issuer' ? value : checked;
    else problems.push(checked);
  }
  // Access tokens are sent there: the same rule as for the OAuth endpoints.
  if (settings.apiBaseUrl) {
    const checked = checkEndpointUrl(settings.apiBaseUrl, 'settings.apiBaseUrl', 'The API base URL');
    if (typeof checked !== 'string') problems.push(checked);
  }
  return problems.length > 0 ? problems : result;
}

/** My Domain: `acme` or `acme.my.salesforce.com` (sandboxes `acme--dev.sandbox.my.salesforce.com`). */
function salesforceHost(settings: ConnectionSettings, problems: FieldProblem[]): string {
  const value = required(settings, 'myDomain', 'My Domain', problems).toLowerCase().replace(/^https:\/\//, '').replace(/\/.*$/, '');
  if (value === '') return '';
  const host = value.includes('.') ? value : `${value}.my.salesforce.com`;
  if (!/^[a-z0-9-]+(--[a-z0-9-]+)?(\.sandbox)?\.my\.salesforce\.com$/.test(host)) {
    problems.push({ field: 'settings.myDomain', message: 'Enter your My Domain name (e.g. acme) or its host, acme.my.salesforce.com.' });
    return '';
  }
  return host;
}

function oktaHost(settings: ConnectionSettings, problems: FieldProblem[]): string {
  const value = required(settings, 'orgUrl', 'Okta org URL', problems);
  if (value === '') return '';
  const checked = checkEndpointUrl(value.includes('://') ? value : `https://${value}`, 'settings.orgUrl', 'The Okta org URL');
  if (typeof checked !== 'string') {
    problems.push(checked);
    return '';
  }
  const url = new URL(checked);
  if (url.pathname !== '/' || url.search !== '') {
    problems.push({ field: 'settings.orgUrl', message: 'Enter only the org URL, e.g. https://acme.okta.com (no path).' });
    return '';
  }
  return url.host;
}

function zendeskHost(settings: ConnectionSettings, problems: FieldProblem[]): string {
  const value = required(settings, 'subdomain', 'Zendesk subdomain', problems).toLowerCase().replace(/\.zendesk\.com$/, '');
  if (value === '') return '';
  if (!hostLabel.test(value)) {
    problems.push({ field: 'settings.subdomain', message: 'Enter the subdomain only: acme for acme.zendesk.com.' });
    return '';
  }
  return `${value}.zendesk.com`;
}

const microsoftClouds: Record<MicrosoftCloud, { label: string; login: string; graph: string; portal: string }> = {
  global: { label: 'Global (login.microsoftonline.com)', login: 'login.microsoftonline.com', graph: 'https://graph.microsoft.com', portal: 'https://entra.microsoft.com' },
  usgov: { label: 'US Government (login.microsoftonline.us)', login: 'login.microsoftonline.us', graph: 'https://graph.microsoft.us', portal: 'https://portal.azure.us' },
  china: { label: 'China, operated by 21Vianet (login.chinacloudapi.cn)', login: 'login.chinacloudapi.cn', graph: 'https://microsoftgraph.chinacloudapi.cn', portal: 'https://portal.azure.cn' },
};

export function microsoftCloud(settings: ConnectionSettings) {
  return microsoftClouds[settings.cloud ?? 'global'];
}

export function isMicrosoftLoginHost(hostname: string): boolean {
  return Object.values(microsoftClouds).some((cloud) => cloud.login === hostname);
}

/**
 * Where a connection's provider API lives: the override when set (a test tenant, the sample
 * workspace), else the provider's public host for the connection's cloud, domain or org.
 * Undefined means the client library's own default (Google APIs).
 */
export function providerApiBaseUrl(provider: ProviderId, settings: ConnectionSettings): string | undefined {
  if (settings.apiBaseUrl) return settings.apiBaseUrl;
  const problems: FieldProblem[] = [];
  const host = (() => {
    switch (provider) {
      case 'microsoft':
        return `${microsoftCloud(settings).graph}/v1.0`;
      case 'salesforce':
        return `https://${salesforceHost(settings, problems)}`;
      case 'zendesk':
        return `https://${zendeskHost(settings, problems)}`;
      case 'okta':
        return `https://${oktaHost(settings, problems)}`;
      default:
        return undefined;
    }
  })();
  return problems.length > 0 ? undefined : host;
}

/** The MSAL authority: the cloud's login host and the tenant, or the issuer override (tests). */
export function microsoftAuthority(settings: ConnectionSettings): string {
  return settings.issuer ?? `https://${microsoftCloud(settings).login}/${settings.tenant ?? 'organizations'}`;
}

const scope = (value: string, purpose: 'sign-in' | 'audit', reason: string): ScopeExplanation => ({ scope: value, purpose, reason });
/** A scope a capability adds to the base, and why that capability needs it. */
const adds = (value: string, reason: string): CapabilityScope => ({ scope: value, reason });

const field = (name: ProviderField['name'], label: string, description: string, placeholder: string, isRequired = true): ProviderField => ({
  name,
  label,
  description,
  placeholder,
  required: isRequired,
});

const googleScope = (name: string) => `https://www.googleapis.com/auth/${name}`;

/** What most presets share; each entry states only where it differs. */
const presetDefaults = {
  fields: [],
  scopesEditable: false,
  redirectPort: 'any',
  authorizationParameters: {},
  scopeParameter: 'scope',
  scopeSeparator: ' ',
  tokenResponse: 'standard',
  assumedAccessTokenLifetimeSeconds: null,
  clouds: [],
  capabilities: {},
} satisfies Partial<ProviderDefinition>;

function preset(definition: Omit<ProviderDefinition, keyof typeof presetDefaults> & Partial<ProviderDefinition>): ProviderDefinition {
  return { ...presetDefaults, ...definition };
}

const definitions: ProviderDefinition[] = [
  preset({
    id: 'google',
    label: 'Google Workspace',
    family: 'google',
    summary: 'Users, third-party app tokens, token activity and Cloud keys through the Admin SDK.',
    clientSecret: 'required',
    clientSecretNote: 'A Desktop-app client has a secret that Google sends with it; it is not confidential, but Google requires it.',
    clientAuthentication: 'post',
    registration: {
      where: 'Google Cloud console › APIs & Services › Credentials › Create credentials › OAuth client ID › Desktop app',
      url: 'https://console.cloud.google.com/apis/credentials',
      steps: [
        'Enable the Admin SDK API (and Cloud Resource Manager, IAM and API Keys for key inventory) in the project.',
        'Create an OAuth client ID of type "Desktop app". Google accepts the loopback redirect below on any port for Desktop clients, so there is nothing to enter for it.',
        'Sign in with a super admin (or a delegated admin with the user security privileges).',
      ],
    },
    manualRevocation: () => ({
      where: 'Google Admin console › Security › Access and data control › API controls › Manage third-party app access, or your account › Security › Third-party apps with account access',
      url: 'https://myaccount.google.com/permissions',
    }),
    scopes: [
      scope('openid', 'sign-in', 'Identifies the admin who signed in.'),
      scope('email', 'sign-in', 'Shows which admin account this connection uses.'),
      scope(googleScope('admin.directory.user.readonly'), 'audit', 'Lists the users whose app grants are audited.'),
      scope(googleScope('admin.directory.user.security'), 'audit', "Lists each user's third-party app tokens and app passwords; Google offers no read-only version of this scope. Consentry changes nothing with it unless you allow revoking grants."),
      scope(googleScope('admin.reports.audit.readonly'), 'audit', 'Reads token activity, to show when each app was last used.'),
      scope(googleScope('cloud-platform.read-only'), 'audit', 'Lists service-account keys and API keys with their age.'),
    ],
    capabilities: {
      // tokens.delete and asps.delete take admin.directory.user.security, which the audit holds already.
      revoke_grants: [],
      consent: [
        adds(googleScope('cloud-identity.policies.readonly'), 'Reads the API controls that decide which third-party apps users may authorize (Cloud Identity Policy API, super admins only). Google offers no API to change them or the per-app access list; that stays in the Admin console.'),
      ],
      credentials: [
        // Service-account keys alone would take the narrower `iam` scope; API Keys v2 writes take only cloud-platform.
        adds(googleScope('cloud-platform'), 'Creates, disables and deletes service-account keys and API keys when rotating them; the API Keys API takes no narrower scope.'),
      ],
      offboarding: [
        // Sign-out, app passwords, backup codes and tokens use admin.directory.user.security (audit).
        adds(googleScope('admin.directory.user'), 'Suspends departed users, once their access is removed.'),
        adds(googleScope('admin.datatransfer'), "Transfers a departed user's Drive and Calendar data to a manager."),
      ],
    },
    revocation: { kind: 'google' },
    endpoints: (settings) =>
      withOverrides(settings, { issuer: 'https://accounts.google.com', authorization: 'https://accounts.google.com/o/oauth2/v2/auth', token: 'https://oauth2.googleapis.com/token', revocation: 'https://oauth2.googleapis.com/revoke', discover: false }, []),
    // offline + consent: a refresh token every time; include_granted_scopes: incremental consent.
    authorizationParameters: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
  }),
  preset({
    id: 'microsoft',
    label: 'Microsoft Entra ID / Microsoft 365',
    family: 'microsoft',
    summary: 'Delegated permission grants, service principals, app role assignments and app secrets through Microsoft Graph.',
    fields: [
      field('tenant', 'Tenant', 'Tenant ID or primary domain. Leave empty to sign in to the tenant of the account you use.', 'contoso.onmicrosoft.com', false),
      field('cloud', 'Cloud', 'National clouds have their own sign-in and Graph endpoints.', 'global', false),
    ],
    clientSecret: 'none',
    clientSecretNote: 'Public client: Microsoft sign-in for desktop apps uses no secret.',
    clientAuthentication: 'post',
    registration: {
      where: 'Microsoft Entra admin center › App registrations › New registration › Authentication › Add a platform › Mobile and desktop applications',
      url: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
      steps: [
        'Register an application (single tenant is enough).',
        'Under Authentication, add the "Mobile and desktop applications" platform with the redirect URI http://localhost and allow public client flows.',
        'Under API permissions, add the Microsoft Graph delegated permissions listed on the scopes step, then grant admin consent.',
      ],
    },
    manualRevocation: (settings) => ({
      where: 'Microsoft Entra admin center › Enterprise applications › (your Consentry registration) › Permissions, or Users › (the admin) › Revoke sessions',
      url: `${microsoftCloud(settings).portal}/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview`,
    }),
    scopes: [
      scope('openid', 'sign-in', 'Identifies the admin who signed in.'),
      scope('profile', 'sign-in', 'Shows which admin account this connection uses.'),
      scope('offline_access', 'sign-in', 'Keeps the connection alive with a refresh token.'),
      scope('Directory.Read.All', 'audit', 'Lists users and delegated permission grants (the least privilege Graph accepts for oauth2PermissionGrants).'),
      scope('Application.Read.All', 'audit', 'Lists service principals, their publishers, app role assignments and app secret expiry.'),
      scope('Policy.Read.All', 'audit', "Reads the tenant's user-consent policy."),
      scope('AuditLog.Read.All', 'audit', 'Reads sign-in activity, to show when apps were last used.'),
    ],
    // Least privileges as the Graph reference lists them for each call (checked December 2026).
    capabilities: {
      revoke_grants: [
        adds('DelegatedPermissionGrant.ReadWrite.All', 'Deletes delegated permission grants, or narrows their scopes (the least privilege for deleting an oauth2PermissionGrant).'),
        adds('AppRoleAssignment.ReadWrite.All', 'Deletes application permissions (app role assignments); Graph offers nothing narrower.'),
        adds('User.RevokeSessions.All', 'Signs the affected users out when you choose it in a revocation, so refresh tokens already issued stop working (the least privilege for revokeSignInSessions).'),
      ],
      consent: [
        adds('DelegatedPermissionGrant.ReadWrite.All', 'Grants tenant-wide admin consent with exactly the delegated scopes you reviewed, and removes it.'),
        adds('AppRoleAssignment.ReadWrite.All', 'Grants and removes the application permissions you consent to for an app.'),
        adds('ConsentRequest.Read.All', "Reads your users' requests for admin consent (appConsentRequests)."),
        // Changing the user-consent policy would take Policy.ReadWrite.Authorization (unconfirmed on
        // Microsoft's own page); checking it needs only Policy.Read.All, held by the audit.
      ],
      credentials: [
        // Application.ReadWrite.OwnedBy exists as an application permission only, not for a signed-in admin.
        adds('Application.ReadWrite.All', 'Adds and removes app secrets when rotating them (addPassword, removePassword).'),
      ],
      offboarding: [
        adds('User.RevokeSessions.All', 'Signs departed users out everywhere first (revokeSignInSessions).'),
        adds('DelegatedPermissionGrant.ReadWrite.All', "Removes departed users' delegated permission grants."),
        adds('AppRoleAssignment.ReadWrite.All', "Removes departed users' app role assignments."),
        // Unconfirmed: the user-update reference lists it among higher privileges; reading the user
        // it pairs with is covered by Directory.Read.All.
        adds('User.EnableDisableAccount.All', 'Disables departed accounts (accountEnabled false), and nothing else about them.'),
      ],
    },
    revocation: { kind: 'none', why: 'Microsoft has no endpoint that revokes a refresh token issued to a public client.' },
    endpoints: (settings) => {
      const authority = microsoftAuthority(settings).replace(/\/$/, '');
      if (settings.tenant && !/^[A-Za-z0-9.-]{1,200}$/.test(settings.tenant)) return [{ field: 'settings.tenant', message: 'Enter a tenant ID (GUID) or domain such as contoso.onmicrosoft.com.' }];
      return withOverrides(settings, { issuer: null, authorization: `${authority}/oauth2/v2.0/authorize`, token: `${authority}/oauth2/v2.0/token`, revocation: null, discover: false }, []);
    },
    clouds: (Object.entries(microsoftClouds) as [MicrosoftCloud, { label: string }][]).map(([id, cloud]) => ({ id, label: cloud.label })),
  }),
  preset({
    id: 'zoom',
    label: 'Zoom',
    family: 'generic',
    summary: 'Account users and Marketplace apps added to the account.',
    clientSecret: 'optional',
    clientSecretNote: 'Leave empty when you use the public client ID of a PKCE app; enter it for a classic OAuth app.',
    clientAuthentication: 'basic',
    registration: {
      where: 'Zoom App Marketplace › Develop › Build App › General App (user-managed) › Basic information',
      url: 'https://marketplace.zoom.us/develop/create',
      steps: [
        'Add the redirect URI below; Zoom ignores the port of loopback redirect URIs.',
        'Under Scopes, add exactly the scopes listed on the scopes step: Zoom takes them from the app, not from the sign-in request.',
      ],
    },
    manualRevocation: () => ({ where: 'Zoom web portal › Advanced › App Marketplace › Manage › Added apps › Remove', url: 'https://marketplace.zoom.us/user/installed' }),
    scopes: [
      scope('user:read:list_users:admin', 'audit', 'Lists the users of the account.'),
      scope('user:read:user:admin', 'audit', "Reads one user's details."),
      scope('marketplace:read:list_apps:admin', 'audit', 'Lists Marketplace apps added or approved for the account.'),
    ],
    // No admin listing of users' grants, so nothing to revoke from a scan.
    capabilities: { offboarding: [adds('user:delete:token:admin', "Signs a departed user out by deleting the user's SSO token.")] },
    revocation: { kind: 'rfc7009' },
    endpoints: (settings) => withOverrides(settings, { issuer: null, authorization: 'https://zoom.us/oauth/authorize', token: 'https://zoom.us/oauth/token', revocation: 'https://zoom.us/oauth/revoke', discover: false }, []),
    scopeParameter: 'none',
  }),
  preset({
    id: 'salesforce',
    label: 'Salesforce',
    family: 'generic',
    summary: 'Connected-app OAuth tokens of every user (OauthToken) through your My Domain.',
    fields: [field('myDomain', 'My Domain', 'Your My Domain name or host; sandboxes look like acme--dev.sandbox.my.salesforce.com.', 'acme')],
    clientSecret: 'optional',
    clientSecretNote: 'Leave empty when "Require secret for Web Server Flow" is off (recommended with PKCE).',
    clientAuthentication: 'post',
    registration: {
      where: 'Salesforce Setup › External Client Apps › New External Client App (Connected Apps can no longer be created since Spring ’26)',
      url: null,
      steps: [
        'Enable OAuth with the scopes "api" and "refresh_token, offline_access", require PKCE and turn off "Require secret for Web Server Flow".',
        'Add the callback URL below exactly, port included: Salesforce matches it exactly.',
        'The admin who connects needs "Customize Application" to see every user\'s OAuth tokens.',
      ],
    },
    manualRevocation: (settings) => ({
      where: 'Salesforce Setup › Connected Apps OAuth Usage (or External Client Apps › OAuth Usage) › Consentry › Revoke',
      url: settings.myDomain ? `https://${settings.myDomain.includes('.') ? settings.myDomain : `${settings.myDomain}.my.salesforce.com`}/lightning/setup/ConnectedAppsUsage/home` : null,
    }),
    scopes: [
      scope('api', 'audit', 'Queries OauthToken (AppName, LastUsedDate, UseCount) and users through the REST API; Salesforce has no read-only API scope. Revoking with DeleteToken uses it too.'),
      scope('refresh_token', 'sign-in', 'Keeps the connection alive with a refresh token.'),
    ],
    // Revoking a user's token (POST /services/oauth2/revoke with its DeleteToken) needs only `api`.
    capabilities: { revoke_grants: [], offboarding: [] },
    revocation: { kind: 'rfc7009' },
    endpoints: (settings) => {
      const problems: FieldProblem[] = [];
      const host = salesforceHost(settings, problems);
      if (problems.length > 0) return problems;
      return withOverrides(settings, { issuer: null, authorization: `https://${host}/services/oauth2/authorize`, token: `https://${host}/services/oauth2/token`, revocation: `https://${host}/services/oauth2/revoke`, discover: false }, problems);
    },
    redirectPort: 'fixed',
    // Salesforce gives no expires_in; sessions last the org's timeout, two hours by default.
    assumedAccessTokenLifetimeSeconds: 2 * 60 * 60,
  }),
  preset({
    id: 'hubspot',
    label: 'HubSpot',
    family: 'generic',
    summary: 'Users and security activity of the HubSpot account.',
    clientSecret: 'required',
    clientSecretNote: "HubSpot's token endpoint requires the app's client secret.",
    clientAuthentication: 'post',
    registration: {
      where: 'HubSpot developer account › Apps › Create app › Auth',
      url: 'https://app.hubspot.com/',
      steps: ['Add the redirect URL below exactly, port included.', 'Add the scopes listed on the scopes step as required scopes.'],
    },
    manualRevocation: () => ({ where: 'HubSpot › Settings › Integrations › Connected apps › Consentry › Uninstall', url: 'https://app.hubspot.com/' }),
    scopes: [
      scope('oauth', 'sign-in', 'Required by HubSpot for every OAuth app.'),
      scope('settings.users.read', 'audit', 'Lists users, roles and teams.'),
      scope('account-info.security.read', 'audit', 'Reads login history and security activity.'),
    ],
    capabilities: { offboarding: [adds('settings.users.write', 'Deactivates departed users.')] },
    revocation: { kind: 'rfc7009' },
    endpoints: (settings) =>
      withOverrides(settings, { issuer: null, authorization: 'https://app.hubspot.com/oauth/authorize', token: 'https://api.hubapi.com/oauth/2026-03/token', revocation: 'https://api.hubapi.com/oauth/2026-03/token/revoke', discover: false }, []),
    redirectPort: 'fixed',
  }),
  preset({
    id: 'pipedrive',
    label: 'Pipedrive',
    family: 'generic',
    summary: 'Users and their permissions. Pipedrive has no admin view of other apps.',
    clientSecret: 'required',
    clientSecretNote: "Pipedrive's token endpoint requires the app's client secret (HTTP Basic).",
    clientAuthentication: 'basic',
    registration: {
      where: 'Pipedrive › Settings › Developer Hub › Create an app › OAuth & access scopes',
      url: null,
      steps: [
        'Pipedrive allows one callback URL per app: enter the redirect URI below exactly, port included.',
        'Select the scopes listed on the scopes step in the app: Pipedrive takes them from the app, not from the sign-in request.',
        'If Pipedrive refuses a plain-http loopback callback for your app, Consentry cannot connect to it: it never routes sign-ins through a web relay.',
      ],
    },
    manualRevocation: () => ({ where: 'Pipedrive › Tools and apps › Installed apps › Consentry › Uninstall', url: null }),
    scopes: [
      scope('users:read', 'audit', 'Reads users, their permissions and roles.'),
    ],
    capabilities: { offboarding: [adds('admin', 'Deactivates departed users; Pipedrive has no narrower scope for it.')] },
    revocation: { kind: 'rfc7009' },
    endpoints: (settings) => withOverrides(settings, { issuer: null, authorization: 'https://oauth.pipedrive.com/oauth/authorize', token: 'https://oauth.pipedrive.com/oauth/token', revocation: 'https://oauth.pipedrive.com/oauth/revoke', discover: false }, []),
    redirectPort: 'fixed',
    scopeParameter: 'none',
  }),
  preset({
    id: 'slack',
    label: 'Slack (Enterprise Grid)',
    family: 'generic',
    summary: 'Org users and approved, restricted and requested apps; session resets.',
    clientSecret: 'none',
    clientSecretNote: 'Turn on PKCE for the app: Slack then treats it as a public client without a secret.',
    clientAuthentication: 'basic',
    registration: {
      where: 'api.slack.com › Your apps › Create New App › OAuth & Permissions',
      url: 'https://api.slack.com/apps',
      steps: [
        'Turn on PKCE for the app (this cannot be undone without Slack support).',
        'Add the redirect URL below; add the user token scopes listed on the scopes step (desktop redirects cannot ask for bot scopes).',
        'An Org Owner or Org Admin installs it at the organisation level, as the admin scopes require.',
      ],
    },
    manualRevocation: () => ({ where: 'Slack org dashboard › Organization settings › Apps › Installed apps › Consentry › Remove', url: null }),
    scopes: [
      scope('admin.users:read', 'audit', 'Lists the users of the organisation.'),
      scope('admin.apps:read', 'audit', 'Lists approved, restricted and requested apps.'),
      scope('admin.teams:read', 'audit', 'Lists the workspaces of the organisation.'),
    ],
    capabilities: { offboarding: [adds('admin.users:write', "Resets a departed user's sessions everywhere (admin.users.session.reset).")] },
    revocation: { kind: 'bearer-call', method: 'POST' },
    endpoints: (settings) => withOverrides(settings, { issuer: null, authorization: 'https://slack.com/oauth/v2/authorize', token: 'https://slack.com/api/oauth.v2.access', revocation: 'https://slack.com/api/auth.revoke', discover: false }, []),
    redirectPort: 'fixed',
    scopeParameter: 'user_scope',
    scopeSeparator: ',',
    tokenResponse: 'slack',
  }),
  preset({
    id: 'okta',
    label: 'Okta',
    family: 'generic',
    summary: "Users' app grants and tokens, app integrations and the System Log, through the org authorization server.",
    fields: [field('orgUrl', 'Okta org URL', 'Your Okta org, e.g. https://acme.okta.com (the Management API scopes come from the org authorization server).', 'https://acme.okta.com')],
    clientSecret: 'none',
    clientSecretNote: 'Native app with client authentication "None" and PKCE: no secret.',
    clientAuthentication: 'basic',
    registration: {
      where: 'Okta Admin Console › Applications › Create App Integration › OIDC › Native Application',
      url: null,
      steps: [
        'Allow the Authorization Code and Refresh Token grants; require PKCE; client authentication None.',
        'Add the sign-in redirect URI below exactly, port included.',
        'On the Okta API Scopes tab, grant the okta.* scopes listed on the scopes step. The admin who signs in still needs a matching admin role.',
      ],
    },
    manualRevocation: (settings) => ({ where: 'Okta Admin Console › Directory › People › (the admin) › Clear user sessions, including OAuth tokens', url: settings.orgUrl ? `${settings.orgUrl.replace(/\/$/, '')}/admin/users` : null }),
    scopes: [
      scope('openid', 'sign-in', 'Identifies the admin who signed in.'),
      scope('email', 'sign-in', 'Shows which admin account this connection uses.'),
      scope('offline_access', 'sign-in', 'Keeps the connection alive with a refresh token.'),
      scope('okta.users.read', 'audit', "Lists users and each user's app grants and tokens."),
      scope('okta.apps.read', 'audit', 'Lists app integrations and their grants.'),
      scope('okta.logs.read', 'audit', 'Reads the System Log of consent and token events.'),
    ],
    // Grants are revoked per user (DELETE /api/v1/users/{id}/grants/{grantId}): okta.apps.manage is not needed.
    capabilities: {
      revoke_grants: [adds('okta.users.manage', "Revokes a user's consent grants for an app.")],
      offboarding: [adds('okta.users.manage', "Clears a departed user's sessions and OAuth tokens and deactivates the account.")],
    },
    revocation: { kind: 'rfc7009' },
    endpoints: (settings) => {
      const problems: FieldProblem[] = [];
      const host = oktaHost(settings, problems);
      if (problems.length > 0) return problems;
      return withOverrides(settings, { issuer: `https://${host}`, authorization: `https://${host}/oauth2/v1/authorize`, token: `https://${host}/oauth2/v1/token`, revocation: `https://${host}/oauth2/v1/revoke`, discover: false }, problems);
    },
    redirectPort: 'fixed',
  }),
  preset({
    id: 'zendesk',
    label: 'Zendesk',
    family: 'generic',
    summary: "Every user's OAuth tokens (admins see all) and the audit log.",
    fields: [field('subdomain', 'Subdomain', 'The part before .zendesk.com.', 'acme')],
    clientSecret: 'none',
    clientSecretNote: 'Create the OAuth client as "Public": public clients use PKCE and no secret.',
    clientAuthentication: 'post',
    registration: {
      where: 'Zendesk Admin Center › Apps and integrations › APIs › OAuth clients › Add OAuth client',
      url: null,
      steps: ['Client kind: Public.', 'Add the redirect URL below (http is accepted for 127.0.0.1).'],
    },
    manualRevocation: (settings) => ({
      where: 'Zendesk Admin Center › Apps and integrations › APIs › OAuth clients, or your profile › Security settings › Devices and apps › Revoke',
      url: settings.subdomain ? `https://${settings.subdomain}.zendesk.com/admin/apps-integrations/apis/zendesk-api/oauth_clients` : null,
    }),
    scopes: [
      scope('read', 'audit', "Lists every user's OAuth tokens (GET /oauth/tokens?all=true); Zendesk documents no narrower scope for it."),
      scope('users:read', 'audit', 'Lists users.'),
      scope('auditlogs:read', 'audit', 'Reads the audit log.'),
    ],
    capabilities: {
      revoke_grants: [adds('write', "Deletes other apps' OAuth tokens (DELETE /api/v2/oauth/tokens/{id}); Zendesk documents no narrower scope for it.")],
      offboarding: [adds('write', "Deletes a departed user's OAuth tokens.")],
    },
    revocation: { kind: 'zendesk-current-token' },
    endpoints: (settings) => {
      const problems: FieldProblem[] = [];
      const host = zendeskHost(settings, problems);
      if (problems.length > 0) return problems;
      return withOverrides(settings, { issuer: null, authorization: `https://${host}/oauth/authorizations/new`, token: `https://${host}/oauth/tokens`, revocation: `https://${host}/api/v2/oauth/tokens`, discover: false }, problems);
    },
  }),
  preset({
    id: 'custom',
    label: 'Other OAuth 2.0 / OpenID Connect provider',
    family: 'generic',
    summary: 'Any standard provider: from its issuer URL (discovery) or with the endpoints entered by hand.',
    fields: [field('issuer', 'Issuer URL', 'The OpenID Connect / RFC 8414 issuer; Consentry reads the endpoints from it. Leave empty to enter them by hand under Endpoints.', 'https://id.example.com', false)],
    clientSecret: 'optional',
    clientSecretNote: 'Leave empty for a public (native) client.',
    clientAuthentication: 'basic',
    registration: {
      where: "The provider's admin console › applications / OAuth clients",
      url: null,
      steps: ['Create a native or public client allowing the authorization code grant with PKCE (S256) and refresh tokens.', 'Register the redirect URI below.'],
    },
    manualRevocation: () => ({ where: "The provider's admin console › applications › Consentry › revoke or delete its grants", url: null }),
    scopes: [
      scope('openid', 'sign-in', 'Identifies the admin who signed in (OpenID Connect providers).'),
      scope('email', 'sign-in', 'Shows which admin account this connection uses.'),
      scope('offline_access', 'sign-in', 'Keeps the connection alive with a refresh token.'),
    ],
    scopesEditable: true,
    revocation: { kind: 'rfc7009' },
    endpoints: (settings) => {
      const problems: FieldProblem[] = [];
      if (settings.issuer) {
        const checked = checkEndpointUrl(settings.issuer, 'settings.issuer', 'The issuer URL');
        if (typeof checked !== 'string') return [checked];
        if (new URL(checked).search !== '') return [{ field: 'settings.issuer', message: 'An issuer URL has no query string.' }];
        return { issuer: settings.issuer, authorization: '', token: '', revocation: null, discover: true };
      }
      if (!settings.authorizationEndpoint) problems.push({ field: 'settings.authorizationEndpoint', message: 'Enter the issuer URL, or the authorization and token endpoints.' });
      if (!settings.tokenEndpoint) problems.push({ field: 'settings.tokenEndpoint', message: 'Enter the token endpoint too.' });
      if (problems.length > 0) return problems;
      return withOverrides(settings, { issuer: null, authorization: '', token: '', revocation: null, discover: false }, problems);
    },
  }),
];

const byId = new Map(definitions.map((definition) => [definition.id, definition]));

export function providerDefinition(id: ProviderId): ProviderDefinition {
  const definition = byId.get(id);
  if (!definition) throw new Error(`No provider preset ${id}.`);
  return definition;
}

export const providerDefinitions: readonly ProviderDefinition[] = definitions;

/** Every scope a preset may ask for, base and capabilities alike (what a test authorization server must know). */
export function everyScopeOf(definition: ProviderDefinition): string[] {
  const capabilityScopes = Object.values(definition.capabilities).flatMap((scopes) => scopes.map((added) => added.scope));
  return [...new Set([...definition.scopes.map((base) => base.scope), ...capabilityScopes])];
}
