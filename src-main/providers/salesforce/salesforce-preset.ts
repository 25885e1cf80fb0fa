import type { ConnectionSettings } from '../../../src-shared/contract/connections';
import type { FieldProblem } from '../../../src-shared/contract/envelope';
import { baseScope, field, preset } from '../../oauth/provider-definition';
import { apiAtHost, endpointsAtHost, requiredSetting } from '../../oauth/provider-endpoints';

/** My Domain: `acme` or `acme.my.salesforce.com` (sandboxes `acme--dev.sandbox.my.salesforce.com`). */
function salesforceHost(settings: ConnectionSettings, problems: FieldProblem[]): string {
  const value = requiredSetting(settings, 'myDomain', 'My Domain', problems).toLowerCase().replace(/^https:\/\//, '').replace(/\/.*$/, '');
  if (value === '') return '';
  const host = value.includes('.') ? value : `${value}.my.salesforce.com`;
  if (!/^[a-z0-9-]+(--[a-z0-9-]+)?(\.sandbox)?\.my\.salesforce\.com$/.test(host)) {
    problems.push({ field: 'settings.myDomain', message: 'Enter your My Domain name (e.g. acme) or its host, acme.my.salesforce.com.' });
    return '';
  }
  return host;
}

export const salesforcePreset = preset({
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
    baseScope('api', 'audit', 'Queries OauthToken (AppName, LastUsedDate, UseCount) and users through the REST API; Salesforce has no read-only API scope. Revoking with DeleteToken uses it too.'),
    baseScope('refresh_token', 'sign-in', 'Keeps the connection alive with a refresh token.'),
  ],
  // Revoking a user's token (POST /services/oauth2/revoke with its DeleteToken) needs only `api`.
  capabilities: { revoke_grants: [], offboarding: [] },
  revocation: { kind: 'rfc7009' },
  endpoints: (settings) => endpointsAtHost(salesforceHost, settings, (host) => ({ issuer: null, authorization: `https://${host}/services/oauth2/authorize`, token: `https://${host}/services/oauth2/token`, revocation: `https://${host}/services/oauth2/revoke`, discover: false })),
  redirectPort: 'fixed',
  // Salesforce gives no expires_in; sessions last the org's timeout, two hours by default.
  assumedAccessTokenLifetimeSeconds: 2 * 60 * 60,
  apiBaseUrl: (settings) => apiAtHost(salesforceHost, settings),
});
