/**
 * The desktop app's outbound HTTP: Chromium's network stack through Electron's `ses.fetch`, so
 * token, discovery, revocation and provider API requests follow the system proxy (PAC, WPAD, a
 * proxy that signs in with the OS account) and trust the OS certificate store, where a
 * TLS-inspecting corporate proxy's CA lives. Node's fetch knows neither.
 *
 * Where it differs from Node's fetch, and what this adapter does about it:
 * - The renderer's session (the default one) refuses every request that is not the app's own, and
 *   would mix its cookies in. Requests go through a session of their own, kept in memory.
 * - `ses.fetch` sends the session's cookies unless told not to; Node's sends none. Cookies are left
 *   out: a provider's sign-in cookies have no business on token or API calls.
 * - `ses.fetch` also serves file: and custom schemes; a discovery document naming one is refused.
 * - Chromium sets Content-Length, Host and a few others itself, and fails a request that names one
 *   (net::ERR_INVALID_ARGUMENT); they are dropped.
 * - It fails with `Error('net::ERR_…')`; the core reads no answer as fetch's `TypeError('fetch
 *   failed')`, with a Node error code as the cause where one means the same.
 * Known gaps: a redirect answering a `redirect: 'manual'` request (openid-client's token calls)
 * fails instead of being handed back, and a proxy asking for a user name and password is not
 * answered (only the OS sign-in is offered). Both end as "could not reach" with a next step.
 */
import type { Session } from 'electron';
import type { HttpFetch } from '../net/http-fetch';

/** A partition without `persist:` lives in memory only: nothing of it is written to the profile. */
export const outboundPartition = 'consentry-outbound';

/** Headers Chromium computes itself and refuses to take from a caller. */
const headersChromiumSets = new Set(['content-length', 'host', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'cookie2']);

/** Chromium's failures that mean what a Node error code already tells the admin. */
const nodeCodeOf: Record<string, string> = {
  'net::ERR_CONNECTION_REFUSED': 'ECONNREFUSED',
  'net::ERR_CONNECTION_RESET': 'ECONNRESET',
  'net::ERR_CONNECTION_CLOSED': 'ECONNRESET',
  'net::ERR_EMPTY_RESPONSE': 'ECONNRESET',
  'net::ERR_NAME_NOT_RESOLVED': 'ENOTFOUND',
  'net::ERR_CONNECTION_TIMED_OUT': 'ETIMEDOUT',
  'net::ERR_TIMED_OUT': 'ETIMEDOUT',
  'net::ERR_ADDRESS_UNREACHABLE': 'EHOSTUNREACH',
  'net::ERR_INTERNET_DISCONNECTED': 'ENETUNREACH',
  'net::ERR_CERT_AUTHORITY_INVALID': 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'net::ERR_CERT_DATE_INVALID': 'CERT_HAS_EXPIRED',
};

export function createElectronHttpFetch(session: Pick<Session, 'fetch'>): HttpFetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const { protocol } = new URL(request.url);
    if (protocol !== 'https:' && protocol !== 'http:') throw new TypeError(`Consentry sends requests over http and https only, not ${protocol}`);
    const headers = new Headers();
    for (const [name, value] of request.headers) if (!headersChromiumSets.has(name)) headers.append(name, value);
    try {
      return await session.fetch(new Request(request, { headers, credentials: 'omit' }), { bypassCustomProtocolHandlers: true });
    } catch (error) {
      if (request.signal.aborted) throw error;
      const code = error instanceof Error ? nodeCodeOf[error.message] : undefined;
      if (code) Object.assign(error as Error, { code });
      throw new TypeError('fetch failed', { cause: error });
    }
  };
}
