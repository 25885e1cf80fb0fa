import { protocol, type Session } from 'electron';
import { createRendererAssetServer } from '../renderer-assets/renderer-asset-server';

export const appScheme = 'app';
export const appOrigin = `${appScheme}://consentry`;
export const appEntryUrl = `${appOrigin}/index.html`;

/** Must run before the app is ready: app:// behaves like https (standard, secure origin, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer over app:// (not file://, which would give the page file-system reach). */
export function serveRendererOverAppProtocol(session: Session, rendererRoot: string): void {
  const serve = createRendererAssetServer({ root: rendererRoot });
  session.protocol.handle(appScheme, (request) => {
    if (!request.url.startsWith(`${appOrigin}/`)) return new Response('Not found', { status: 404 });
    return serve(request.url, request.method);
  });
}
