import { baseScope, preset } from '../../oauth/provider-definition';
import { withOverrides } from '../../oauth/provider-endpoints';

export const slackPreset = preset({
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
    baseScope('admin.users:read', 'audit', 'Lists the users of the organisation.'),
    baseScope('admin.apps:read', 'audit', 'Lists approved, restricted and requested apps.'),
    baseScope('admin.teams:read', 'audit', 'Lists the workspaces of the organisation.'),
  ],
  // Offboarding at Slack is manual (Consentry calls no Slack API), so it adds no scope.
  capabilities: { offboarding: [] },
  revocation: { kind: 'bearer-call', method: 'POST' },
  endpoints: (settings) => withOverrides(settings, { issuer: null, authorization: 'https://slack.com/oauth/v2/authorize', token: 'https://slack.com/api/oauth.v2.access', revocation: 'https://slack.com/api/auth.revoke', discover: false }, []),
  redirectPort: 'fixed',
  scopeParameter: 'user_scope',
  scopeSeparator: ',',
  tokenResponse: 'slack',
});
