import { adds, baseScope, preset } from '../../oauth/provider-definition';
import { withOverrides } from '../../oauth/provider-endpoints';

const googleScope = (name: string) => `https://www.googleapis.com/auth/${name}`;

export const googlePreset = preset({
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
      'Enable the Admin SDK API (and IAM, API Keys and Policy Analyzer for the key inventory) in the project.',
      'Create an OAuth client ID of type "Desktop app". Google accepts the loopback redirect below on any port for Desktop clients, so there is nothing to enter for it.',
      'Sign in with a super admin (or a delegated admin with the user security privileges).',
    ],
  },
  manualRevocation: () => ({
    where: 'Google Admin console › Security › Access and data control › API controls › Manage third-party app access, or your account › Security › Third-party apps with account access',
    url: 'https://myaccount.google.com/permissions',
  }),
  scopes: [
    baseScope('openid', 'sign-in', 'Identifies the admin who signed in.'),
    baseScope('email', 'sign-in', 'Shows which admin account this connection uses.'),
    baseScope(googleScope('admin.directory.user.readonly'), 'audit', 'Lists the users whose app grants are audited.'),
    baseScope(googleScope('admin.directory.user.security'), 'audit', "Lists each user's third-party app tokens and app passwords; Google offers no read-only version of this scope. Consentry changes nothing with it unless you allow revoking grants."),
    baseScope(googleScope('admin.reports.audit.readonly'), 'audit', 'Reads token activity, to show when each app was last used.'),
    baseScope(googleScope('cloud-platform.read-only'), 'audit', 'Lists service-account keys and API keys with their age.'),
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
});
