import type { Session } from 'electron';
import { originMatcher } from '../api/sender-policy';

export interface SessionPolicyOptions {
  /** Where the renderer's own files come from (app://consentry). */
  appOrigin: string;
  /** The development server's URL while running `npm start`; undefined in a packaged app. */
  devServerUrl: string | undefined;
}

// In-page data the renderer makes itself (a CSV download's blob:, inline images) and DevTools.
const localSchemes = ['data:', 'blob:', 'devtools:'];

// Vite's dev server injects an inline module script (React refresh) and talks to its HMR socket.
const devContentSecurityPolicy =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://localhost:* ws://127.0.0.1:*; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/**
 * Locks down the renderer's session: every permission request is refused, and the page can reach
 * nothing on the network: only its own origin (app://, or the dev server during `npm start`).
 */
export function applySessionPolicy(session: Session, options: SessionPolicyOptions): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));

  const { devServerUrl } = options;
  const devSocketUrl = devServerUrl?.replace(/^http/, 'ws');
  const isAllowedOrigin = originMatcher([options.appOrigin, devServerUrl, devSocketUrl]);
  session.webRequest.onBeforeRequest((details, callback) => {
    const local = localSchemes.some((scheme) => details.url.startsWith(scheme));
    callback({ cancel: !local && !isAllowedOrigin(details.url) });
  });

  if (devServerUrl) {
    const isDevServer = originMatcher([devServerUrl]);
    session.webRequest.onHeadersReceived((details, callback) => {
      const headers = { ...details.responseHeaders };
      if (isDevServer(details.url)) headers['Content-Security-Policy'] = [devContentSecurityPolicy];
      callback({ responseHeaders: headers });
    });
  }
}
