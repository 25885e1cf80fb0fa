import { LogLevel, ProtocolMode, PublicClientApplication, type AuthenticationResult, type ICachePlugin } from '@azure/msal-node';
import type { HttpFetch } from '../net/http-fetch';
import { renderCallbackPage } from './callback-page';
import { msalNetworkClient } from './msal-network-client';
import type { InteractiveSignIn, OAuthClient, ResolvedConnection, TokenGrant } from './oauth-client';
import { failureFromTokenCall, OAuthFailure } from './oauth-failure';
import { microsoftAuthority, isMicrosoftLoginHost } from './microsoft-clouds';

/** msal-node's serialized cache for one connection, read and written through its cache plugin. */
interface CacheHolder {
  serialized: string | undefined;
}

function cachePlugin(holder: CacheHolder): ICachePlugin {
  return {
    async beforeCacheAccess(context) {
      if (holder.serialized) context.tokenCache.deserialize(holder.serialized);
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) holder.serialized = context.tokenCache.serialize();
    },
  };
}

/**
 * A PublicClientApplication for one connection. Against a server that is not Microsoft's (a test
 * authority), MSAL must be told to speak plain OIDC and to trust that host.
 */
function application(connection: ResolvedConnection, holder: CacheHolder, options: MicrosoftClientOptions): PublicClientApplication {
  const authority = microsoftAuthority(connection.settings);
  const host = new URL(authority).host;
  const microsoft = isMicrosoftLoginHost(new URL(authority).hostname);
  return new PublicClientApplication({
    auth: { clientId: connection.clientId, authority, ...(microsoft ? {} : { knownAuthorities: [host] }) },
    cache: { cachePlugin: cachePlugin(holder) },
    system: {
      networkClient: msalNetworkClient(options.fetch),
      protocolMode: microsoft ? ProtocolMode.AAD : ProtocolMode.OIDC,
      // Never log personal data or tokens; errors reach the admin through OAuthFailure instead.
      loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined },
    },
  });
}

const oidcScopes = new Set(['openid', 'profile', 'offline_access']);

/**
 * The granted scopes in the form they were asked for. Entra never echoes the OIDC scopes (the ID
 * token and the cached refresh token are their proof) and may name Graph permissions by their full
 * URI when they were asked for by short name.
 */
function hasRefreshToken(holder: CacheHolder): boolean {
  try {
    return Object.keys((JSON.parse(holder.serialized ?? '{}') as { RefreshToken?: object }).RefreshToken ?? {}).length > 0;
  } catch {
    return false;
  }
}

function grantedScopes(connection: ResolvedConnection, result: AuthenticationResult, holder: CacheHolder): string[] | null {
  if (result.scopes.length === 0) return null;
  const requested = new Set(connection.scopes);
  const granted = result.scopes.map((scope) => {
    const short = scope.replace(/^https:\/\/[^/]+\//, '');
    return !requested.has(scope) && requested.has(short) ? short : scope;
  });
  const proven = connection.scopes.filter((scope) => oidcScopes.has(scope) && (scope === 'offline_access' ? hasRefreshToken(holder) : result.idToken !== ''));
  return [...new Set([...proven, ...granted])];
}

function grantFrom(connection: ResolvedConnection, result: AuthenticationResult | null, holder: CacheHolder): TokenGrant {
  if (!result?.accessToken) throw new OAuthFailure('provider_error', `${connection.failureContext.providerLabel} returned no access token.`, { transient: true });
  return {
    secrets: { accessToken: result.accessToken, msalCache: holder.serialized },
    accessTokenExpiresAt: result.expiresOn ?? null,
    scopesGranted: grantedScopes(connection, result, holder),
    account: result.account?.username || null,
    tenant: result.account?.tenantId || result.tenantId || null,
    ...(result.account ? { msalHomeAccountId: result.account.homeAccountId } : {}),
  };
}

/**
 * MSAL runs its own loopback listener and exposes no way to stop it. Sending it a response that
 * carries its state and an error makes it settle and close its server; used on cancel and timeout.
 */
async function releaseMsalListener(authorizationUrl: string | undefined): Promise<void> {
  if (!authorizationUrl) return;
  const url = new URL(authorizationUrl);
  const redirect = url.searchParams.get('redirect_uri');
  const state = url.searchParams.get('state');
  if (!redirect || !state) return;
  const port = new URL(redirect).port;
  // Node's fetch, not the outbound port: this is MSAL's listener in this very process, not the network.
  await fetch(`http://127.0.0.1:${port}/?${new URLSearchParams({ error: 'cancelled', state })}`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
}

async function interactive(connection: ResolvedConnection, holder: CacheHolder, signIn: InteractiveSignIn, options: MicrosoftClientOptions): Promise<AuthenticationResult> {
  const pca = application(connection, holder, options);
  let authorizationUrl: string | undefined;
  const label = connection.failureContext.providerLabel;
  const microsoft = isMicrosoftLoginHost(new URL(microsoftAuthority(connection.settings)).hostname);
  const acquisition = pca.acquireTokenInteractive({
    scopes: connection.scopes,
    // Admins often have several Microsoft accounts; plain OIDC servers do not know this prompt.
    ...(microsoft ? { prompt: 'select_account' } : {}),
    openBrowser: async (url) => {
      authorizationUrl = url;
      signIn.onWaitingForBrowser(new URL(url));
      await signIn.openBrowser(url);
    },
    successTemplate: renderCallbackPage({ outcome: 'connected', title: 'Signed in', message: `Consentry received the sign-in from ${label}. Return to the app to see the connection.` }).html,
    errorTemplate: renderCallbackPage({ outcome: 'failed', title: 'Not connected', message: `${label} reported a problem with the sign-in. Return to Consentry for the details.` }).html,
  });
  let stop: ((failure: OAuthFailure) => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  // If an unregistered redirect URI leaves the browser on an error page, MSAL never settles: time it out.
  const timer = setTimeout(
    () =>
      stop?.(
        new OAuthFailure('timeout', `No answer came back from ${label} within ${Math.round(signIn.timeoutMs / 60_000)} minutes.`, {
          nextStep: 'Connect again and finish the sign-in in the browser. If the browser showed an error about the redirect URI, register http://localhost as a "Mobile and desktop applications" redirect URI.',
        }),
      ),
    signIn.timeoutMs,
  );
  const onAbort = () => stop?.(new OAuthFailure('cancelled', 'The connection attempt was cancelled.', { nextStep: 'Connect again when you are ready.' }));
  signIn.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([acquisition, stopped]);
  } catch (error) {
    if (error instanceof OAuthFailure) {
      await releaseMsalListener(authorizationUrl);
      acquisition.catch(() => undefined);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    signIn.signal.removeEventListener('abort', onAbort);
  }
}

export interface MicrosoftClientOptions {
  /**
   * The outbound HTTP port MSAL's discovery and token requests go through. The app's keeps the
   * sample workspace's Entra, whose certificate Consentry made itself, on that one certificate.
   */
  fetch: HttpFetch;
}

/** Microsoft Entra through msal-node's PublicClientApplication; MSAL stays behind this interface. */
export function createMicrosoftOAuthClient(options: MicrosoftClientOptions): OAuthClient {
  return {
  async authorize(connection, secrets, signIn) {
    const holder: CacheHolder = { serialized: secrets.msalCache };
    try {
      const result = await interactive(connection, holder, signIn, options);
      signIn.onExchangingCode();
      return grantFrom(connection, result, holder);
    } catch (error) {
      throw failureFromTokenCall(error, connection.failureContext);
    }
  },

  async refresh(connection, secrets) {
    const holder: CacheHolder = { serialized: secrets.msalCache };
    try {
      const pca = application(connection, holder, options);
      const account = connection.msalHomeAccountId ? await pca.getTokenCache().getAccountByHomeId(connection.msalHomeAccountId) : null;
      if (!account) {
        throw new OAuthFailure('needs_reconnect', 'The Microsoft sign-in of this connection is no longer in its token cache.', { nextStep: 'Reconnect to sign in again.' });
      }
      const result = await pca.acquireTokenSilent({ account, scopes: connection.scopes, forceRefresh: true });
      return grantFrom(connection, result, holder);
    } catch (error) {
      throw failureFromTokenCall(error, connection.failureContext);
    }
  },

  async revoke() {
    return 'not_supported';
  },
};
}

