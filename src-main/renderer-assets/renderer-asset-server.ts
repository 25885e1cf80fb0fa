import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { contentSecurityPolicy, createCspNonce, cspNoncePlaceholder } from '../security/content-security-policy';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const commonHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface RendererAssetServerOptions {
  /** The built renderer (out/renderer). */
  root: string;
  /** Extra `connect-src` entries (the browser bridge's WebSocket). */
  connectSources?: readonly string[];
}

/**
 * Serves the built renderer as Web `Response`s: Electron's app:// protocol handler returns them
 * directly, and the browser bridge writes them to its HTTP responses. index.html gets a fresh CSP
 * nonce on every load; paths that leave the renderer folder are refused.
 */
export function createRendererAssetServer(options: RendererAssetServerOptions) {
  const root = resolve(options.root);

  return async function serve(requestUrl: string, method = 'GET'): Promise<Response> {
    if (method !== 'GET' && method !== 'HEAD') return new Response('Method not allowed', { status: 405, headers: commonHeaders });
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(requestUrl).pathname);
    } catch {
      return new Response('Bad request', { status: 400, headers: commonHeaders });
    }
    if (pathname === '/' || pathname === '') pathname = '/index.html';
    const filePath = resolve(root, `.${pathname}`);
    if (pathname.includes('\0') || !filePath.startsWith(root + sep)) {
      return new Response('Not found', { status: 404, headers: commonHeaders });
    }
    let body: Buffer;
    try {
      body = await readFile(filePath);
    } catch {
      return new Response('Not found', { status: 404, headers: commonHeaders });
    }
    const extension = extname(filePath).toLowerCase();
    const contentType = contentTypes[extension] ?? 'application/octet-stream';
    if (extension !== '.html') {
      return new Response(new Uint8Array(body), { status: 200, headers: { ...commonHeaders, 'Content-Type': contentType } });
    }
    const nonce = createCspNonce();
    const html = body.toString('utf8').replaceAll(cspNoncePlaceholder, nonce);
    return new Response(html, {
      status: 200,
      headers: {
        ...commonHeaders,
        'Content-Type': contentType,
        'Content-Security-Policy': contentSecurityPolicy(nonce, options.connectSources),
        'Cache-Control': 'no-store',
      },
    });
  };
}
