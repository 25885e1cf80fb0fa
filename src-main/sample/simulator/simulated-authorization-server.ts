/**
 * An OAuth 2.0 / OpenID Connect authorization server for the sample workspace and the tests:
 * oidc-provider (OpenID certified) on 127.0.0.1, over http or https, with native public clients
 * like the one an admin registers for Consentry. The simulated APIs ask it which scopes a bearer
 * token carries, so a revoked or expired token stops working there too.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

export interface AuthorizationServerAccount {
  email: string;
  name: string;
}

export interface AuthorizationServerOptions {
  /** Public native clients (no secret), as the sample workspace's. */
  clientIds: readonly string[];
  /** Clients with a secret, as an admin's own Desktop-app client at Google. */
  confidentialClients?: readonly { clientId: string; clientSecret: string }[];
  /** Scopes the server grants besides the OIDC ones; others are dropped, as real servers do. */
  scopes: readonly string[];
  tls?: { key: string; cert: string };
  accessTokenTtlSeconds?: number;
  /** The person behind a login name at the sign-in page. */
  account(login: string): AuthorizationServerAccount;
  /** Answered before oidc-provider sees the request: an outage, say. */
  intercept?(request: IncomingMessage, response: ServerResponse): boolean;
  /**
   * With `tls`: also serve the browser's pages (authorization, sign-in, consent) over plain http on
   * 127.0.0.1, and say so in the discovery document. The admin's browser does not trust the
   * generated certificate; msal-node still reaches the token endpoint over https.
   */
  browserPagesOverHttp?: boolean;
}

export interface AuthorizationServer {
  issuer: string;
  provider: Provider;
  /** Where the browser goes to sign in (the http origin when `browserPagesOverHttp`). */
  authorizationEndpoint: string;
  /** The scopes of a live access token; null when unknown, expired or revoked. */
  accessTokenScopes(token: string): Promise<ReadonlySet<string> | null>;
  close(): Promise<void>;
}

export async function startAuthorizationServer(options: AuthorizationServerOptions): Promise<AuthorizationServer> {
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    if (options.intercept?.(request, response)) return;
    handler(request, response);
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      ...options.clientIds.map((clientId) => ({ client_id: clientId, token_endpoint_auth_method: 'none' as const })),
      ...(options.confidentialClients ?? []).map(({ clientId, clientSecret }) => ({ client_id: clientId, client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_post' as const })),
    ].map((client) => ({
      ...client,
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // Native clients: any loopback port; Entra-style clients use http://localhost (MSAL).
      redirect_uris: ['http://127.0.0.1/callback', 'http://localhost'],
    })),
    scopes: ['openid', 'offline_access', 'email', 'profile', ...options.scopes],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    // Claims in the ID token even when an access token is issued: MSAL takes the user name from it.
    conformIdTokenClaims: false,
    async findAccount(_context, id) {
      const account = options.account(id);
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: true, name: account.name, preferred_username: account.email }) };
    },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true }, introspection: { enabled: true } },
    ttl: { AccessToken: options.accessTokenTtlSeconds ?? 3_600, AuthorizationCode: 60, IdToken: 3_600, RefreshToken: 14 * 86_400, Grant: 14 * 86_400, Session: 3_600, Interaction: 600 },
    // Like Google with access_type=offline: a refresh token for every code grant.
    issueRefreshToken: async (_context, client) => client.grantTypeAllowed('refresh_token'),
    cookies: { keys: ['sample-workspace-cookie-key-not-a-secret'] },
    renderError(context, out) {
      context.type = 'json';
      context.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  let browserServer: Server | undefined;
  let authorizationEndpoint = `${issuer}/auth`;
  if (options.tls && options.browserPagesOverHttp) {
    browserServer = createHttpServer(listener);
    await new Promise<void>((resolve) => browserServer!.listen(0, '127.0.0.1', resolve));
    authorizationEndpoint = `http://127.0.0.1:${(browserServer.address() as AddressInfo).port}/auth`;
    // The metadata sends the browser to the http pages; everything else stays on the https issuer.
    provider.use(async (context, next) => {
      await next();
      if (context.path === '/.well-known/openid-configuration' && context.body && typeof context.body === 'object') {
        context.body = { ...(context.body as Record<string, unknown>), authorization_endpoint: authorizationEndpoint };
      }
    });
  }
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
    authorizationEndpoint,
    async accessTokenScopes(token) {
      const found = await provider.AccessToken.find(token);
      if (!found || found.isExpired) return null;
      return new Set(String(found.scope ?? '').split(' ').filter(Boolean));
    },
    async close() {
      for (const running of [server, browserServer]) {
        if (!running) continue;
        running.closeAllConnections();
        await new Promise<void>((resolve) => running.close(() => resolve()));
      }
    },
  };
}
