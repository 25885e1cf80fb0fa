import type { FieldProblem } from '../../../src-shared/contract/envelope';
import { baseScope, field, preset } from '../../oauth/provider-definition';
import { checkEndpointUrl, withOverrides } from '../../oauth/provider-endpoints';

/** A provider the admin describes by its issuer (discovery) or endpoints entered by hand. */
export const customPreset = preset({
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
    baseScope('openid', 'sign-in', 'Identifies the admin who signed in (OpenID Connect providers).'),
    baseScope('email', 'sign-in', 'Shows which admin account this connection uses.'),
    baseScope('offline_access', 'sign-in', 'Keeps the connection alive with a refresh token.'),
  ],
  scopesEditable: true,
  // Offboarding at a custom provider is manual (its admin console's steps), so it adds no scope.
  capabilities: { offboarding: [] },
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
});
