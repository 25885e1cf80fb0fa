import { OAuth2Client, type Credentials } from 'google-auth-library';
import { decodeJwt } from 'jose';
import type { HttpFetch } from '../net/http-fetch';
import type { ConnectionSecrets } from '../vault/secret-vault';
import { sameSecretValue } from './authorization-request';
import { authorizeThroughLoopback } from './loopback-authorization';
import { splitScopes, type OAuthClient, type ResolvedConnection, type TokenGrant } from './oauth-client';
import { failureFromTokenCall, OAuthFailure } from './oauth-failure';

const googleIssuers = new Set(['https://accounts.google.com', 'accounts.google.com']);

function oauth2Client(connection: ResolvedConnection, secrets: ConnectionSecrets, fetch: HttpFetch, redirectUri?: string): OAuth2Client {
  return new OAuth2Client({
    clientId: connection.clientId,
    clientSecret: secrets.clientSecret,
    redirectUri,
    endpoints: { oauth2AuthBaseUrl: connection.endpoints.authorization, oauth2TokenUrl: connection.endpoints.token },
    // gaxios would otherwise send through its own bundled node-fetch.
    transporterOptions: { fetchImplementation: fetch },
  });
}

/**
 * Checks the ID token's claims. It came straight from the token endpoint over TLS, which OIDC Core
 * §3.1.3.7 accepts instead of a signature check (Google's certificates are fetched online anyway).
 */
function identityFrom(connection: ResolvedConnection, idToken: string | null | undefined, nonce: string | undefined): { account: string | null; tenant: string | null } {
  if (!idToken) {
    if (connection.expectsIdToken) throw new OAuthFailure('provider_error', 'Google returned no ID token for an OpenID sign-in.', { nextStep: 'Connect again.' });
    return { account: null, tenant: null };
  }
  const claims = decodeJwt(idToken);
  const issuerOk = connection.endpoints.issuer === 'https://accounts.google.com' ? googleIssuers.has(String(claims.iss)) : claims.iss === connection.endpoints.issuer;
  const audienceOk = Array.isArray(claims.aud) ? claims.aud.includes(connection.clientId) : claims.aud === connection.clientId;
  const fresh = typeof claims.exp === 'number' && claims.exp * 1_000 > Date.now() - 60_000;
  if (!issuerOk || !audienceOk || !fresh || (nonce !== undefined && !sameSecretValue(nonce, claims['nonce'] as string | undefined))) {
    throw new OAuthFailure('callback_rejected', 'The ID token Google returned does not belong to this sign-in (issuer, audience, nonce or expiry).', {
      nextStep: 'Connect again. If it keeps happening, another program may be interfering with the sign-in.',
    });
  }
  const account = [claims['email'], claims.sub].find((value): value is string => typeof value === 'string') ?? null;
  return { account, tenant: typeof claims['hd'] === 'string' ? claims['hd'] : null };
}

function grantFrom(credentials: Credentials, previousRefreshToken: string | undefined, identity: { account: string | null; tenant: string | null }): TokenGrant {
  if (!credentials.access_token) throw new OAuthFailure('provider_error', 'Google returned no access token.', { transient: true });
  return {
    secrets: { accessToken: credentials.access_token, refreshToken: credentials.refresh_token ?? previousRefreshToken },
    accessTokenExpiresAt: typeof credentials.expiry_date === 'number' ? new Date(credentials.expiry_date) : null,
    scopesGranted: splitScopes(credentials.scope),
    ...identity,
  };
}

/**
 * Google Workspace through google-auth-library's OAuth2Client, as a Desktop-app client; its token
 * and revocation requests go through `fetch`, the outbound HTTP port.
 */
export function createGoogleOAuthClient({ fetch }: { fetch: HttpFetch }): OAuthClient {
  return {
    async authorize(connection, secrets, signIn) {
      let client: OAuth2Client | undefined;
      return authorizeThroughLoopback(connection, signIn, { issuerRequired: false }, {
        buildUrl(request, redirectUri) {
          client = oauth2Client(connection, secrets, fetch, redirectUri);
          return new URL(
            client.generateAuthUrl({
              response_type: 'code',
              scope: connection.scopes,
              state: request.state,
              code_challenge: request.codeChallenge,
              // The library sends no method unless told, which means `plain`.
              code_challenge_method: 'S256' as never,
              redirect_uri: redirectUri,
              ...(request.nonce ? { nonce: request.nonce } : {}),
              ...connection.authorizationParameters,
            }),
          );
        },
        async redeem(callback, request, redirectUri) {
          const { tokens } = await client!.getToken({ code: callback.code, codeVerifier: request.codeVerifier, redirect_uri: redirectUri });
          return grantFrom(tokens, undefined, identityFrom(connection, tokens.id_token, request.nonce));
        },
      });
    },

    async refresh(connection, secrets) {
      if (!secrets.refreshToken) {
        throw new OAuthFailure('needs_reconnect', 'Google issued no refresh token for this connection.', { nextStep: 'Reconnect; Consentry asks for offline access.' });
      }
      const client = oauth2Client(connection, secrets, fetch);
      // A rotated refresh token only shows up on the 'tokens' event, and right after the event the
      // library writes the old one back into that same object: copy it while it is still the new one.
      let issued: Credentials | undefined;
      client.on('tokens', (tokens) => {
        issued = { ...tokens };
      });
      client.setCredentials({ refresh_token: secrets.refreshToken });
      try {
        await client.getAccessToken();
      } catch (error) {
        throw failureFromTokenCall(error, connection.failureContext);
      }
      if (!issued) throw new OAuthFailure('provider_error', 'Google answered the refresh without tokens.', { transient: true });
      return grantFrom(issued, secrets.refreshToken, { account: null, tenant: null });
    },

    async revoke(connection, secrets) {
      const token = secrets.refreshToken ?? secrets.accessToken;
      if (!token || !connection.endpoints.revocation) return 'nothing_to_revoke';
      let response: Response;
      try {
        // A form body, not the query string the library uses: tokens stay out of server logs.
        response = await fetch(connection.endpoints.revocation, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, client_id: connection.clientId }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        throw failureFromTokenCall(error, connection.failureContext);
      }
      if (response.ok) return 'revoked';
      const body = (await response.json().catch(() => ({}))) as { error?: unknown; error_description?: unknown };
      // Google answers invalid_token for a token that is already gone.
      if (response.status === 400 && body.error === 'invalid_token') return 'nothing_to_revoke';
      throw failureFromTokenCall({ error: typeof body.error === 'string' ? body.error : `http_${response.status}`, status: response.status }, connection.failureContext);
    },
  };
}
