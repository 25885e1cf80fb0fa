import { baseScope, preset } from '../../oauth/provider-definition';
import { withOverrides } from '../../oauth/provider-endpoints';

export const zoomPreset = preset({
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
    baseScope('user:read:list_users:admin', 'audit', 'Lists the users of the account.'),
    baseScope('user:read:user:admin', 'audit', "Reads one user's details."),
    baseScope('marketplace:read:list_apps:admin', 'audit', 'Lists Marketplace apps added or approved for the account.'),
  ],
  // No admin listing of users' grants, so nothing to revoke from a scan.
  // Offboarding at Zoom is manual (Consentry calls no Zoom API), so it adds no scope.
  capabilities: { offboarding: [] },
  revocation: { kind: 'rfc7009' },
  endpoints: (settings) => withOverrides(settings, { issuer: null, authorization: 'https://zoom.us/oauth/authorize', token: 'https://zoom.us/oauth/token', revocation: 'https://zoom.us/oauth/revoke', discover: false }, []),
  scopeParameter: 'none',
});
