/**
 * A real authorization server for tests: oidc-provider (OpenID certified) on 127.0.0.1, over http
 * or https, with a native public client like the one an admin registers for Consentry.
 * It records every token it issues so tests can prove none of them reached the renderer.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import type { TestCertificate } from './self-signed-certificate';

export const testClientId = 'consentry-desktop';

export interface OidcTestServerOptions {
  tls?: TestCertificate;
  accessTokenTtlSeconds?: number;
  /** Scopes the server knows besides the OIDC ones; others are silently dropped, as real servers do. */
  extraScopes?: string[];
  /** Say so in metadata (RFC 9207); oidc-provider always sends `iss`. */
  redirectUris?: string[];
}

export interface OidcTestServer {
  issuer: string;
  provider: Provider;
  /** Every access and refresh token value the server issued. */
  issuedTokens: Set<string>;
  /** Asks the server whether a token is still active (RFC 7662), as the client itself. */
  isActive(token: string): Promise<boolean>;
  /** Refuses every request with 503 while true (a provider outage). */
  setUnavailable(unavailable: boolean): void;
  close(): Promise<void>;
}

const accounts: Record<string, { email: string; name: string }> = {
  alice: { email: 'alice@example.test', name: 'Alice Admin' },
};

export async function startOidcTestServer(options: OidcTestServerOptions = {}): Promise<OidcTestServer> {
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  let unavailable = false;
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    if (unavailable) {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"temporarily_unavailable"}');
      return;
    }
    handler(request, response);
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: testClientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.redirectUris ?? ['http://127.0.0.1/callback', 'http://localhost'],
      },
    ],
    scopes: ['openid', 'offline_access', 'email', 'profile', ...(options.extraScopes ?? [])],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    // Claims in the ID token even when an access token is issued: MSAL takes the user name from it.
    conformIdTokenClaims: false,
    async findAccount(_context, id) {
      const account = accounts[id] ?? { email: `${id}@example.test`, name: id };
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: true, name: account.name, preferred_username: account.email }) };
    },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
    },
    ttl: { AccessToken: options.accessTokenTtlSeconds ?? 3_600, AuthorizationCode: 60, IdToken: 3_600, RefreshToken: 14 * 86_400, Grant: 14 * 86_400, Session: 3_600, Interaction: 600 },
    // Like Google with access_type=offline: a refresh token for every code grant of this client.
    issueRefreshToken: async (_context, client) => client.grantTypeAllowed('refresh_token'),
    cookies: { keys: ['test-cookie-key-not-a-secret'] },
    renderError(context, out) {
      context.type = 'json';
      context.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  const issuedTokens = new Set<string>();
  // Opaque tokens are their own id (jti).
  provider.on('access_token.issued', (token: { jti: string }) => issuedTokens.add(token.jti));
  provider.on('refresh_token.saved', (token: { jti: string }) => issuedTokens.add(token.jti));
  provider.on('access_token.saved', (token: { jti: string }) => issuedTokens.add(token.jti));
  // Entra issues refresh tokens for offline_access without prompt=consent; oidc-provider drops the
  // scope unless asked to consent, and MSAL never sends prompt=consent.
  provider.use(async (context, next) => {
    if (context.method === 'GET' && context.path === '/auth') {
      const query = context.query as Record<string, string | undefined>;
      if (query.scope?.split(' ').includes('offline_access') && !(query.prompt ?? '').includes('consent')) {
        context.query = { ...query, prompt: [query.prompt, 'consent'].filter(Boolean).join(' ') };
      }
    }
    await next();
  });
  handler = provider.callback();

  return {
    issuer,
    provider,
    issuedTokens,
    async isActive(token) {
      const response = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: testClientId }),
      });
      return ((await response.json()) as { active: boolean }).active;
    },
    setUnavailable(value) {
      unavailable = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
