import type { ConnectionSettings } from '../../../src-shared/contract/connections';
import type { FieldProblem } from '../../../src-shared/contract/envelope';
import { adds, baseScope, field, preset } from '../../oauth/provider-definition';
import { apiAtHost, checkEndpointUrl, endpointsAtHost, requiredSetting } from '../../oauth/provider-endpoints';

function oktaHost(settings: ConnectionSettings, problems: FieldProblem[]): string {
  const value = requiredSetting(settings, 'orgUrl', 'Okta org URL', problems);
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

export const oktaPreset = preset({
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
    baseScope('openid', 'sign-in', 'Identifies the admin who signed in.'),
    baseScope('email', 'sign-in', 'Shows which admin account this connection uses.'),
    baseScope('offline_access', 'sign-in', 'Keeps the connection alive with a refresh token.'),
    baseScope('okta.users.read', 'audit', "Lists users and each user's app grants and tokens."),
    baseScope('okta.apps.read', 'audit', 'Lists app integrations and their grants.'),
    baseScope('okta.logs.read', 'audit', 'Reads the System Log of consent and token events.'),
  ],
  // Grants are revoked per user (DELETE /api/v1/users/{id}/grants/{grantId}): okta.apps.manage is not needed.
  capabilities: {
    revoke_grants: [adds('okta.users.manage', "Revokes a user's consent grants for an app.")],
    consent: [adds('okta.appGrants.read', "Lists the Okta API scopes granted to each app integration (/api/v1/apps/{appId}/grants).")],
    // API tokens cannot be created through the API: a rotation guides the admin, then revokes the old one.
    credentials: [
      adds('okta.apiTokens.read', "Lists the org's API tokens with their owner, expiry and network restriction (GET /api/v1/api-tokens)."),
      adds('okta.apiTokens.manage', 'Revokes an API token that is compromised or replaced by a rotation (DELETE /api/v1/api-tokens/{id}).'),
    ],
    offboarding: [
      adds('okta.users.manage', "Clears a departed user's sessions and OAuth tokens, revokes their consent grants and suspends the account."),
      adds('okta.roles.read', 'Finds the super admins (GET /api/v1/iam/assignees/users and each one’s roles), so a list never offboards the last one.'),
    ],
  },
  revocation: { kind: 'rfc7009' },
  endpoints: (settings) => endpointsAtHost(oktaHost, settings, (host) => ({ issuer: `https://${host}`, authorization: `https://${host}/oauth2/v1/authorize`, token: `https://${host}/oauth2/v1/token`, revocation: `https://${host}/oauth2/v1/revoke`, discover: false })),
  redirectPort: 'fixed',
  apiBaseUrl: (settings) => apiAtHost(oktaHost, settings),
});
