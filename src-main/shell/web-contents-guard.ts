import type { App, WebContents } from 'electron';
import type { ExternalOpener } from './external-opener';

export interface WebContentsGuardOptions {
  /** True for URLs of the app's own documents; everything else is navigation away from the app. */
  isAppUrl: (url: string) => boolean;
  openExternal: ExternalOpener;
  reportRefusal: (what: string, url: string) => void;
}

/**
 * No page inside Consentry may navigate elsewhere, open a window or embed a webview. A link to a
 * known provider page goes to the system browser through the guarded opener instead.
 */
export function guardAllWebContents(app: App, options: WebContentsGuardOptions): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (options.isAppUrl(url)) return;
      event.preventDefault();
      options.reportRefusal('navigation', url);
    });
    contents.on('will-redirect', (event, url) => {
      if (options.isAppUrl(url)) return;
      event.preventDefault();
      options.reportRefusal('redirect', url);
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      options.reportRefusal('webview', '');
    });
    contents.setWindowOpenHandler(({ url }) => {
      options.openExternal(url).catch(() => options.reportRefusal('new window', url));
      return { action: 'deny' };
    });
  });
}
