import { request } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * msal-node's HTTP client for an authority whose certificate Consentry made itself (the sample
 * workspace's Entra on 127.0.0.1): that one certificate is trusted for these requests only, so
 * nothing else in the process trusts it.
 */
export function pinnedCertificateNetworkClient(certificate: string): INetworkModule {
  const send = <T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions = {}, timeoutMs = 30_000) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const outgoing = request(url, { method, headers: options.headers ?? {}, ca: certificate, timeout: timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value ?? '')]));
          try {
            resolve({ status: response.statusCode ?? 0, headers, body: (text === '' ? {} : JSON.parse(text)) as T });
          } catch (error) {
            reject(error instanceof Error ? error : new Error('The authority answered with something other than JSON.'));
          }
        });
      });
      outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('The authority did not answer in time.'), { name: 'TimeoutError' })));
      outgoing.on('error', reject);
      outgoing.end(options.body);
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
