import * as client from 'openid-client';
import { AppError } from '../errors/app-error';
import type { HttpFetch } from '../net/http-fetch';
import { isLoopbackHostname } from '../security/external-url-policy';
import type { ConnectionSecrets } from '../vault/secret-vault';
import { authorizeThroughLoopback } from './loopback-authorization';
import { expiryFrom, splitScopes, type OAuthClient, type ResolvedConnection, type TokenGrant } from './oauth-client';
import { failureFromTokenCall, OAuthFailure } from './oauth-failure';
import { slackTokenFetch } from './slack-token-response';

const requestTimeoutSeconds = 30;

/** Plain http is allowed for a local test server only, never for a provider on the network. */
function isLoopbackHttp(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && isLoopbackHostname(parsed.hostname);
}

function clientAuthentication(connection: ResolvedConnection, secrets: ConnectionSecrets): client.ClientAuth {
  if (!secrets.clientSecret) return client.None();
  return connection.definition.clientAuthentication === 'basic' ? client.ClientSecretBasic(secrets.clientSecret) : client.ClientSecretPost(secrets.clientSecret);
}

/**
 * Configuration for openid-client: discovered from the issuer (custom providers) or built from the
 * preset's endpoints. Discovery checks that the issuer answers for itself and offers PKCE S256.
 */
/** Discovered metadata per issuer: refreshes need no new discovery round trip. */
const discovered = new Map<string, client.ServerMetadata>();

async function configure(connection: ResolvedConnection, secrets: ConnectionSecrets, outbound: HttpFetch): Promise<{ config: client.Configuration; issuerRequired: boolean }> {
  const { endpoints } = connection;
  // Its body types are fetch's own, only spelled more narrowly than the DOM's.
  const fetch: client.CustomFetch = (url, options) => outbound(url, options as RequestInit);
  const auth = clientAuthentication(connection, secrets);
  let config: client.Configuration;
  if (endpoints.discover && endpoints.issuer) {
    const known = discovered.get(endpoints.issuer);
    if (known) {
      config = new client.Configuration(known, connection.clientId, undefined, auth);
      config.timeout = requestTimeoutSeconds;
      config[client.customFetch] = fetch;
      if (isLoopbackHttp(endpoints.issuer)) client.allowInsecureRequests(config);
      return { config, issuerRequired: known.authorization_response_iss_parameter_supported === true };
    }
    try {
      config = await client.discovery(new URL(endpoints.issuer), connection.clientId, undefined, auth, {
        execute: isLoopbackHttp(endpoints.issuer) ? [client.allowInsecureRequests] : [],
        timeout: requestTimeoutSeconds,
        // Kept by the configuration for every later request too.
        [client.customFetch]: fetch,
      });
    } catch (error) {
      const failure = failureFromTokenCall(error, connection.failureContext);
      if (failure.transient || failure.code === 'network') throw failure;
      throw new OAuthFailure('discovery_failed', `Consentry could not read the OpenID configuration of ${endpoints.issuer}.`, {
        cause: error,
        nextStep: 'Check the issuer URL (it must be exactly the issuer the provider names, without /.well-known), or enter the endpoints by hand.',
      });
    }
    const metadata = config.serverMetadata();
    const methods = metadata.code_challenge_methods_supported;
    if (Array.isArray(methods) && !methods.includes('S256')) {
      throw new OAuthFailure('discovery_failed', `${endpoints.issuer} does not support PKCE with S256, which Consentry requires for desktop sign-in.`, {
        nextStep: 'Enable PKCE (S256) for this authorization server or client at the provider.',
      });
    }
    if (!metadata.token_endpoint || !metadata.authorization_endpoint) {
      throw new OAuthFailure('discovery_failed', `${endpoints.issuer} publishes no authorization or token endpoint.`, { nextStep: 'Enter the endpoints by hand instead.' });
    }
    discovered.set(endpoints.issuer, metadata);
    return { config, issuerRequired: metadata.authorization_response_iss_parameter_supported === true };
  }
  config = new client.Configuration(
    {
      // Without a known issuer openid-client still needs an identifier; `iss` is then not checkable.
      issuer: endpoints.issuer ?? new URL(endpoints.authorization).origin,
      authorization_endpoint: endpoints.authorization,
      token_endpoint: endpoints.token,
      ...(endpoints.revocation ? { revocation_endpoint: endpoints.revocation } : {}),
    },
    connection.clientId,
    undefined,
    auth,
  );
  config.timeout = requestTimeoutSeconds;
  if ([endpoints.authorization, endpoints.token, endpoints.revocation].some((url) => url && isLoopbackHttp(url))) client.allowInsecureRequests(config);
  config[client.customFetch] = connection.definition.tokenResponse === 'slack' ? slackTokenFetch(fetch) : fetch;
  return { config, issuerRequired: false };
}

function accountFromClaims(claims: client.IDToken | undefined): string | null {
  if (!claims) return null;
  for (const key of ['email', 'preferred_username', 'upn', 'sub']) {
    const value = claims[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

function tenantOf(connection: ResolvedConnection, response: client.TokenEndpointResponse, claims: client.IDToken | undefined): string | null {
  const reported = [claims?.['hd'], claims?.['tid'], response['instance_url'], (response['team'] as { name?: unknown } | undefined)?.name].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (reported) return reported.startsWith('https://') ? new URL(reported).host : reported;
  return new URL(connection.endpoints.issuer ?? connection.endpoints.authorization).host;
}

function grantFrom(connection: ResolvedConnection, response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers, previousRefreshToken?: string): TokenGrant {
  const claims = response.claims();
  return {
    // Persist the newest refresh token: servers that rotate revoke the whole grant on reuse.
    secrets: { accessToken: response.access_token, refreshToken: response.refresh_token ?? previousRefreshToken },
    accessTokenExpiresAt: expiryFrom(response.expires_in),
    scopesGranted: splitScopes(response.scope),
    account: accountFromClaims(claims),
    tenant: tenantOf(connection, response, claims),
  };
}

/** Every other provider through openid-client; its requests go through `fetch`, the outbound HTTP port. */
export function createGenericOAuthClient({ fetch }: { fetch: HttpFetch }): OAuthClient {
  return {
    async authorize(connection, secrets, signIn) {
      const { config, issuerRequired } = await configure(connection, secrets, fetch);
      const definition = connection.definition;
      return authorizeThroughLoopback(connection, signIn, { issuerRequired }, {
        buildUrl: (request, redirectUri) =>
          client.buildAuthorizationUrl(config, {
            response_type: 'code',
            redirect_uri: redirectUri,
            ...(definition.scopeParameter === 'none' ? {} : { [definition.scopeParameter]: connection.scopes.join(definition.scopeSeparator) }),
            state: request.state,
            code_challenge: request.codeChallenge,
            code_challenge_method: 'S256',
            ...(request.nonce ? { nonce: request.nonce } : {}),
            ...connection.authorizationParameters,
          }),
        async redeem(callback, request) {
          const url = new URL(callback.url);
          // The listener already compared `iss` when the issuer is known; with no issuer to compare to
          // it cannot be checked, and openid-client would compare it to a made-up identifier.
          if (connection.endpoints.issuer === null) url.searchParams.delete('iss');
          const response = await client.authorizationCodeGrant(config, url, {
            pkceCodeVerifier: request.codeVerifier,
            expectedState: request.state,
            ...(request.nonce ? { expectedNonce: request.nonce } : {}),
            idTokenExpected: connection.expectsIdToken,
          });
          return grantFrom(connection, response);
        },
      });
    },

    async refresh(connection, secrets) {
      if (!secrets.refreshToken) {
        throw new OAuthFailure('needs_reconnect', `${connection.failureContext.providerLabel} issued no refresh token, so this connection cannot renew itself.`, {
          nextStep: 'Reconnect when the access token expires; check that the client is allowed offline access.',
        });
      }
      try {
        const { config } = await configure(connection, secrets, fetch);
        const response = await client.refreshTokenGrant(config, secrets.refreshToken);
        return grantFrom(connection, response, secrets.refreshToken);
      } catch (error) {
        throw failureFromTokenCall(error, connection.failureContext);
      }
    },

    async revoke(connection, secrets) {
      const method = connection.definition.revocation;
      if (method.kind === 'none') return 'not_supported';
      const revocationEndpoint = connection.endpoints.revocation;
      try {
        if (method.kind === 'bearer-call') {
          if (!secrets.accessToken || !revocationEndpoint) return 'nothing_to_revoke';
          const response = await fetch(revocationEndpoint, {
            method: method.method,
            headers: { authorization: `Bearer ${secrets.accessToken}`, accept: 'application/json' },
            signal: AbortSignal.timeout(requestTimeoutSeconds * 1_000),
          });
          if (response.status === 401) return 'nothing_to_revoke';
          if (!response.ok) throw failureFromTokenCall({ response: { status: response.status } }, connection.failureContext);
          const body = (await response.json().catch(() => ({}))) as { ok?: unknown; error?: unknown };
          if (body.ok === false && body.error !== 'invalid_auth' && body.error !== 'token_revoked') {
            throw failureFromTokenCall({ error: String(body.error), status: 400 }, connection.failureContext);
          }
          return 'revoked';
        }
        const token = secrets.refreshToken ?? secrets.accessToken;
        if (!token) return 'nothing_to_revoke';
        const { config } = await configure(connection, secrets, fetch);
        if (!config.serverMetadata().revocation_endpoint) return 'not_supported';
        // Revoking the refresh token revokes the grant and its access tokens (RFC 7009 §2.1).
        await client.tokenRevocation(config, token, { token_type_hint: secrets.refreshToken ? 'refresh_token' : 'access_token' });
        return 'revoked';
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw failureFromTokenCall(error, connection.failureContext);
      }
    },
  };
}
