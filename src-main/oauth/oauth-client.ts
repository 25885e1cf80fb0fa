import type { ConnectionSettings } from '../../src-shared/contract/connections';
import type { ConnectionSecrets } from '../vault/secret-vault';
import type { FailureContext } from './oauth-failure';
import type { ProviderDefinition, ProviderEndpoints } from './provider-definition';

/** A connection as a client family needs it: the provider, its endpoints and the exact scopes. Never secrets. */
export interface ResolvedConnection {
  definition: ProviderDefinition;
  endpoints: ProviderEndpoints;
  settings: ConnectionSettings;
  clientId: string;
  /** Exactly what is asked for, in order. */
  scopes: string[];
  /** 0: any port the OS gives us. */
  redirectPort: number;
  redirectPath: string;
  /** `openid` is among the scopes: an ID token must come back, bound to our nonce. */
  expectsIdToken: boolean;
  /** Extra authorization parameters: the preset's, plus `prompt=consent` when offline access is asked of an OIDC server. */
  authorizationParameters: Record<string, string>;
  /** Microsoft: which cached account this connection is. */
  msalHomeAccountId: string | null;
  failureContext: FailureContext;
}

/** What the console tells the client while an interactive sign-in runs. */
export interface InteractiveSignIn {
  /** The guarded opener: https provider pages (and loopback in tests) only. */
  openBrowser(url: string): Promise<void>;
  onWaitingForBrowser(authorizationUrl: URL): void;
  onExchangingCode(): void;
  signal: AbortSignal;
  timeoutMs: number;
}

export interface TokenGrant {
  /** What to write into the vault, merged with what is there. */
  secrets: Partial<ConnectionSecrets>;
  accessTokenExpiresAt: Date | null;
  /** Scopes the provider says it granted; null when it does not say. */
  scopesGranted: string[] | null;
  account: string | null;
  tenant: string | null;
  msalHomeAccountId?: string;
}

export type RevocationResult = 'revoked' | 'nothing_to_revoke' | 'not_supported';

/** One interface over google-auth-library, msal-node and openid-client. Failures are OAuthFailure. */
export interface OAuthClient {
  authorize(connection: ResolvedConnection, secrets: ConnectionSecrets, signIn: InteractiveSignIn): Promise<TokenGrant>;
  refresh(connection: ResolvedConnection, secrets: ConnectionSecrets): Promise<TokenGrant>;
  revoke(connection: ResolvedConnection, secrets: ConnectionSecrets): Promise<RevocationResult>;
}

export function splitScopes(value: unknown): string[] | null {
  if (typeof value !== 'string') return null;
  return value.split(/[\s,]+/).filter((scope) => scope !== '');
}

export function expiryFrom(expiresInSeconds: unknown, now: Date = new Date()): Date | null {
  const seconds = Number(expiresInSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(now.getTime() + seconds * 1_000) : null;
}
