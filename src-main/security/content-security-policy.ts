import { randomBytes } from 'node:crypto';

/** The placeholder Vite writes into index.html (`html.cspNonce` in electron.vite.config.ts). */
export const cspNoncePlaceholder = '__CSP_NONCE__';

export function createCspNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The renderer's Content-Security-Policy: its own files only, no inline script, no eval, no
 * remote origin. Styles Mantine injects at run time carry the per-load nonce.
 * `connectSources` is empty in the desktop app; the browser bridge adds its own WebSocket.
 */
export function contentSecurityPolicy(nonce: string, connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
  ].join('; ');
}
