import { request } from 'node:https';
import type { HttpFetch } from './http-fetch';

/**
 * The outbound fetch, except for an API whose certificate Consentry made itself (the sample
 * workspace's Entra and Graph on 127.0.0.1): that one certificate is trusted for those requests
 * only, over Node's https, so nothing else in the process trusts it. They stay on Node because
 * https.request takes a CA per request; the global fetch takes none, and Electron's network stack
 * offers only a session-wide verify hook, which would sit in the path of every other request.
 * These hosts are loopback, where no proxy or inspecting CA applies anyway.
 */
export function pinnedCertificateFetch(certificateFor: (url: URL) => string | undefined, outbound: HttpFetch): HttpFetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const certificate = url.protocol === 'https:' ? certificateFor(url) : undefined;
    if (!certificate) return outbound(input, init);
    const outgoing = new Request(input, init);
    const body = outgoing.body ? Buffer.from(await outgoing.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const call = request(url, { method: outgoing.method, headers: Object.fromEntries(outgoing.headers), ca: certificate, signal: outgoing.signal }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value === undefined) continue;
            for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
          }
          const status = response.statusCode ?? 0;
          // A Response may not carry a body with these statuses.
          const empty = status === 204 || status === 205 || status === 304;
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage ?? '', headers }));
        });
      });
      call.on('error', reject);
      call.end(body);
    });
  };
}
