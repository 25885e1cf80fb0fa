import type { ConnectionSettings } from '../../../src-shared/contract/connections';
import type { FieldProblem } from '../../../src-shared/contract/envelope';
import { adds, baseScope, field, preset } from '../../oauth/provider-definition';
import { apiAtHost, endpointsAtHost, requiredSetting } from '../../oauth/provider-endpoints';

const hostLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

function zendeskHost(settings: ConnectionSettings, problems: FieldProblem[]): string {
  const value = requiredSetting(settings, 'subdomain', 'Zendesk subdomain', problems).toLowerCase().replace(/\.zendesk\.com$/, '');
  if (value === '') return '';
  if (!hostLabel.test(value)) {
    problems.push({ field: 'settings.subdomain', message: 'Enter the subdomain only: acme for acme.zendesk.com.' });
    return '';
  }
  return `${value}.zendesk.com`;
}

export const zendeskPreset = preset({
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
    baseScope('read', 'audit', "Lists every user's OAuth tokens (GET /oauth/tokens?all=true); Zendesk documents no narrower scope for it."),
    baseScope('users:read', 'audit', 'Lists users.'),
    baseScope('auditlogs:read', 'audit', 'Reads the audit log.'),
  ],
  capabilities: {
    revoke_grants: [adds('write', "Deletes other apps' OAuth tokens (DELETE /api/v2/oauth/tokens/{id}); Zendesk documents no narrower scope for it.")],
    // The base `read` scope lists API tokens (GET /api/v2/api_tokens, admins only). Zendesk documents
    // no call to create or delete one, so rotating and revoking are Admin Center steps: no write scope.
    credentials: [],
    offboarding: [adds('write', "Deletes a departed user's OAuth tokens.")],
  },
  revocation: { kind: 'zendesk-current-token' },
  endpoints: (settings) => endpointsAtHost(zendeskHost, settings, (host) => ({ issuer: null, authorization: `https://${host}/oauth/authorizations/new`, token: `https://${host}/oauth/tokens`, revocation: `https://${host}/api/v2/oauth/tokens`, discover: false })),
  apiBaseUrl: (settings) => apiAtHost(zendeskHost, settings),
});
