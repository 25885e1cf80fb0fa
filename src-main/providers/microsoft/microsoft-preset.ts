import { microsoftAuthority, microsoftCloud, microsoftCloudChoices } from '../../oauth/microsoft-clouds';
import { adds, baseScope, field, preset } from '../../oauth/provider-definition';
import { withOverrides } from '../../oauth/provider-endpoints';

export const microsoftPreset = preset({
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
    baseScope('openid', 'sign-in', 'Identifies the admin who signed in.'),
    baseScope('profile', 'sign-in', 'Shows which admin account this connection uses.'),
    baseScope('offline_access', 'sign-in', 'Keeps the connection alive with a refresh token.'),
    baseScope('Directory.Read.All', 'audit', 'Lists users and delegated permission grants (the least privilege Graph accepts for oauth2PermissionGrants).'),
    baseScope('Application.Read.All', 'audit', 'Lists service principals, their publishers, app role assignments and app secret expiry.'),
    baseScope('Policy.Read.All', 'audit', "Reads the tenant's user-consent policy."),
    baseScope('AuditLog.Read.All', 'audit', 'Reads sign-in activity, to show when apps were last used.'),
  ],
  // Least privileges as the Graph reference lists them for each call (checked December 2026).
  capabilities: {
    revoke_grants: [
      adds('DelegatedPermissionGrant.ReadWrite.All', 'Deletes delegated permission grants, or narrows their scopes (the least privilege for deleting an oauth2PermissionGrant).'),
      adds('AppRoleAssignment.ReadWrite.All', 'Deletes application permissions (app role assignments); Graph offers nothing narrower.'),
      adds('User.RevokeSessions.All', 'Signs the affected users out when you choose it in a revocation, so refresh tokens already issued stop working (the least privilege for revokeSignInSessions).'),
    ],
    consent: [
      adds('DelegatedPermissionGrant.ReadWrite.All', 'Grants tenant-wide admin consent with exactly the delegated scopes you reviewed, narrows it and removes it.'),
      adds('AppRoleAssignment.ReadWrite.All', 'Grants and removes the application permissions you consent to for an app.'),
      adds('ConsentRequest.ReadWrite.All', "Reads your users' requests for admin consent and records your approval or denial on them."),
      adds('Policy.ReadWrite.Authorization', 'Changes who may consent to apps and who may register them (authorizationPolicy), when you choose a fix.'),
      adds('Policy.ReadWrite.ConsentRequest', 'Turns the admin consent workflow on and sets its reviewers (adminConsentRequestPolicy).'),
      // Creating a service principal and PATCHing accountEnabled take nothing narrower for a signed-in admin.
      adds('Application.ReadWrite.All', 'Adds the service principal of an app you grant consent to, and blocks an app from signing in (accountEnabled false).'),
    ],
    credentials: [
      // Application.ReadWrite.OwnedBy exists as an application permission only, not for a signed-in admin.
      adds('Application.ReadWrite.All', "Adds and removes app secrets (addPassword, removePassword) and app certificates (an update of the app's keyCredentials) when you rotate or revoke them, and removes a service principal's own password you revoke."),
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
  clouds: microsoftCloudChoices,
  apiBaseUrl: (settings) => `${microsoftCloud(settings).graph}/v1.0`,
});
