/**
 * The authorization server the OAuth tests run against: the sample workspace's oidc-provider
 * server with one native public client, plus what tests need to look behind it — every token it
 * issued (to prove none reached the renderer), introspection, and an outage switch.
 */
import type Provider from 'oidc-provider';
import { startAuthorizationServer } from '../../src-main/sample/simulator/simulated-authorization-server';
import type { TestCertificate } from './self-signed-certificate';

export const testClientId = 'consentry-desktop';

export interface OidcTestServerOptions {
  tls?: TestCertificate;
  accessTokenTtlSeconds?: number;
  /** Scopes the server knows besides the OIDC ones; others are silently dropped, as real servers do. */
  extraScopes?: string[];
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

export async function startOidcTestServer(options: OidcTestServerOptions = {}): Promise<OidcTestServer> {
  let unavailable = false;
  const server = await startAuthorizationServer({
    clientIds: [testClientId],
    scopes: options.extraScopes ?? [],
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.accessTokenTtlSeconds ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds } : {}),
    account: (login) => ({ email: `${login}@example.test`, name: login === 'alice' ? 'Alice Admin' : login }),
    intercept: (_request, response) => {
      if (!unavailable) return false;
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"temporarily_unavailable"}');
      return true;
    },
  });
  const issuedTokens = new Set<string>();
  // Opaque tokens are their own id (jti).
  const record = (token: { jti: string }) => issuedTokens.add(token.jti);
  server.provider.on('access_token.issued', record);
  server.provider.on('access_token.saved', record);
  server.provider.on('refresh_token.saved', record);
  return {
    issuer: server.issuer,
    provider: server.provider,
    issuedTokens,
    async isActive(token) {
      const response = await fetch(`${server.issuer}/token/introspection`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: testClientId }),
      });
      return ((await response.json()) as { active: boolean }).active;
    },
    setUnavailable(value) {
      unavailable = value;
    },
    close: () => server.close(),
  };
}
