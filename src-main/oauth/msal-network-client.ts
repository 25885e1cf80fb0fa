import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { HttpFetch } from '../net/http-fetch';

/** MSAL gives token requests no timeout of its own; a hung authority must not hold a sign-in. */
const defaultTimeoutMs = 30_000;

/**
 * msal-node's HTTP client over the outbound HTTP port, so its discovery and token requests take
 * the same road as every other one (Electron's network stack in the app). Shaped like msal-node's
 * own fetch client: an answer of any status resolves with its JSON body, which MSAL reads errors
 * from; a request that fails or a body that is not JSON rejects, which MSAL reports as a network
 * error.
 */
export function msalNetworkClient(fetch: HttpFetch): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions = {}, timeoutMs = defaultTimeoutMs): Promise<NetworkResponse<T>> => {
    const response = await fetch(url, {
      method,
      headers: options.headers ?? {},
      ...(method === 'POST' ? { body: options.body ?? '' } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: T;
    try {
      body = (text === '' ? {} : JSON.parse(text)) as T;
    } catch {
      throw new Error(`The authority answered ${response.status} with something other than JSON.`);
    }
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
