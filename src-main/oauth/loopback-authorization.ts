import { maxExternalUrlLength } from '../security/external-url-policy';
import type { AuthorizationRequestSecrets } from './authorization-request';
import { newAuthorizationRequest } from './authorization-request';
import { LoopbackListener, type AcceptedCallback } from './loopback-listener';
import type { InteractiveSignIn, ResolvedConnection, TokenGrant } from './oauth-client';
import { failureFromTokenCall, OAuthFailure } from './oauth-failure';

export interface LoopbackAuthorizationSteps {
  /** The authorization URL for this request and redirect URI. */
  buildUrl(request: AuthorizationRequestSecrets, redirectUri: string): URL | Promise<URL>;
  /** Redeems the accepted code; only called after state and issuer were checked. */
  redeem(callback: AcceptedCallback, request: AuthorizationRequestSecrets, redirectUri: string): Promise<TokenGrant>;
}

/**
 * The system-browser flow of RFC 8252 shared by the Google and generic clients: listener first,
 * then the browser, then exactly one callback, then the code exchange; the browser page says how
 * it ended. Every exit closes the listener.
 */
export async function authorizeThroughLoopback(
  connection: ResolvedConnection,
  signIn: InteractiveSignIn,
  options: { issuerRequired: boolean },
  steps: LoopbackAuthorizationSteps,
): Promise<TokenGrant> {
  const request = await newAuthorizationRequest({ expectIdToken: connection.expectsIdToken });
  const listener = await LoopbackListener.open({
    expect: {
      state: request.state,
      issuer: connection.endpoints.issuer,
      issuerRequired: options.issuerRequired,
      providerLabel: connection.failureContext.providerLabel,
    },
    port: connection.redirectPort,
    path: connection.redirectPath,
    timeoutMs: signIn.timeoutMs,
    signal: signIn.signal,
  });
  const context = { ...connection.failureContext, redirectUri: listener.redirectUri };
  try {
    const url = await steps.buildUrl(request, listener.redirectUri);
    if (url.href.length > maxExternalUrlLength) {
      throw new OAuthFailure('invalid_scope', `The sign-in address would be ${url.href.length} characters long; Windows cuts links at ${maxExternalUrlLength}.`, {
        nextStep: 'Ask for fewer scopes (for a custom provider, shorten the scope list) and try again.',
      });
    }
    signIn.onWaitingForBrowser(url);
    await signIn.openBrowser(url.href);
    const callback = await listener.callback;
    signIn.onExchangingCode();
    let grant: TokenGrant;
    try {
      grant = await steps.redeem(callback, request, listener.redirectUri);
    } catch (error) {
      throw failureFromTokenCall(error, context);
    }
    await listener.finish({
      outcome: 'connected',
      title: 'Connected',
      message: `Consentry is connected to ${connection.failureContext.providerLabel}${grant.account ? ` as ${grant.account}` : ''}.`,
    });
    return grant;
  } catch (error) {
    const failure = failureFromTokenCall(error, context);
    await listener.finish({ outcome: 'failed', title: 'Not connected', message: failure.message, nextStep: failure.nextStep });
    throw failure;
  } finally {
    await listener.close();
  }
}
