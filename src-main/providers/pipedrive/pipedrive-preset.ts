import { baseScope, preset } from '../../oauth/provider-definition';
import { withOverrides } from '../../oauth/provider-endpoints';

export const pipedrivePreset = preset({
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
    baseScope('users:read', 'audit', 'Reads users, their permissions and roles.'),
  ],
  // Offboarding at Pipedrive is manual (Consentry calls no Pipedrive API), so it adds no scope.
  capabilities: { offboarding: [] },
  revocation: { kind: 'rfc7009' },
  endpoints: (settings) => withOverrides(settings, { issuer: null, authorization: 'https://oauth.pipedrive.com/oauth/authorize', token: 'https://oauth.pipedrive.com/oauth/token', revocation: 'https://oauth.pipedrive.com/oauth/revoke', discover: false }, []),
  redirectPort: 'fixed',
  scopeParameter: 'none',
});
