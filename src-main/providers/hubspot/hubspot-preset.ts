import { baseScope, preset } from '../../oauth/provider-definition';
import { withOverrides } from '../../oauth/provider-endpoints';

export const hubspotPreset = preset({
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
    baseScope('oauth', 'sign-in', 'Required by HubSpot for every OAuth app.'),
    baseScope('settings.users.read', 'audit', 'Lists users, roles and teams.'),
    baseScope('account-info.security.read', 'audit', 'Reads login history and security activity.'),
  ],
  // Offboarding at HubSpot is manual (Consentry calls no HubSpot API), so it adds no scope.
  capabilities: { offboarding: [] },
  revocation: { kind: 'rfc7009' },
  endpoints: (settings) =>
    withOverrides(settings, { issuer: null, authorization: 'https://app.hubspot.com/oauth/authorize', token: 'https://api.hubapi.com/oauth/2026-03/token', revocation: 'https://api.hubapi.com/oauth/2026-03/token/revoke', discover: false }, []),
  redirectPort: 'fixed',
});
