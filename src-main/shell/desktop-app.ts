/**
 * The desktop app's wiring: builds the core services with Electron adapters, opens the window and
 * connects the IPC transport. Wiring only; behaviour lives in the modules it calls.
 */
import { join } from 'node:path';
import { app, session, type BrowserWindow } from 'electron';
import { originMatcher, trustOrigins } from '../api/sender-policy';
import { startConsoleServices } from '../app-services';
import { createExternalUrlPolicy } from '../security/external-url-policy';
import { ProfileFolder } from '../storage/profile-file-opening';
import { windowStateFile } from '../storage/profile-files';
import { appEntryUrl, appOrigin, registerAppScheme, serveRendererOverAppProtocol } from './app-protocol';
import { installApplicationMenu } from './application-menu';
import { openElectronStoreFile } from './electron-store';
import { createDesktopNotifier } from './desktop-notifier';
import { createElectronHttpFetch, outboundPartition } from './electron-http-fetch';
import { createGuardedOpener } from './external-opener';
import { connectIpcTransport } from './ipc-transport';
import { createMainWindow } from './main-window';
import { createSafeStorageCipher } from './safe-storage-cipher';
import { applySessionPolicy } from './session-policy';
import { guardAllWebContents } from './web-contents-guard';

function reportUnexpected(context: string, error: unknown): void {
  // Only the error's name and code: messages of library errors can carry request details.
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  console.error(`[consentry] unexpected failure in ${context}: ${name}${typeof code === 'string' ? ` (${code})` : ''}`);
}

/**
 * Starts the desktop app. `bundleDirectory` is where the main bundle runs from (out/main), next to
 * the preload and renderer builds.
 */
export function runDesktopApp(bundleDirectory: string): void {
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const devTools = !app.isPackaged;

  registerAppScheme();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    let mainWindow: BrowserWindow | undefined;

    app.on('second-instance', () => {
      if (!mainWindow) return;
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });

    void app.whenReady().then(async () => {
      const entryUrl = devServerUrl ?? appEntryUrl;
      const trustedOrigins = [appOrigin, ...(devServerUrl ? [devServerUrl] : [])];
      const isAppUrl = originMatcher(trustedOrigins);
      const openExternal = createGuardedOpener(createExternalUrlPolicy());

      applySessionPolicy(session.defaultSession, { appOrigin, devServerUrl });
      serveRendererOverAppProtocol(session.defaultSession, join(bundleDirectory, '../renderer'));
      guardAllWebContents(app, {
        isAppUrl,
        openExternal,
        reportRefusal: (what) => console.warn(`[consentry] refused ${what}`),
      });
      installApplicationMenu(process.platform, devTools);

      const userData = app.getPath('userData');
      const profile = new ProfileFolder(userData, { openStoreFile: openElectronStoreFile });
      // Opened before the services so a damaged window-state file is reported with the others.
      const windowStateStore = profile.open(windowStateFile);
      const services = await startConsoleServices({
        dataDirectory: userData,
        profile,
        cipher: createSafeStorageCipher(),
        openExternal,
        notify: createDesktopNotifier(),
        // Chromium's network stack: the system proxy and the OS trust store apply to every request.
        fetch: createElectronHttpFetch(session.fromPartition(outboundPartition)),
        description: {
          name: 'Consentry',
          version: app.getVersion(),
          platform: process.platform === 'darwin' || process.platform === 'win32' || process.platform === 'linux' ? process.platform : 'other',
          host: 'electron',
        },
        isTrustedSender: trustOrigins(trustedOrigins),
        reportUnexpected,
      });

      const openWindow = () => {
        const window = createMainWindow({ preloadPath: join(bundleDirectory, '../preload/index.cjs'), entryUrl, stateStore: windowStateStore, devTools });
        const disconnect = connectIpcTransport(services.dispatch, services.events, window);
        window.on('closed', () => {
          disconnect();
          mainWindow = undefined;
        });
        mainWindow = window;
      };
      openWindow();
      // macOS keeps an app running with no window; clicking its Dock icon opens the window again.
      app.on('activate', () => {
        if (!mainWindow) openWindow();
      });
      app.on('before-quit', () => {
        void services.close();
      });
    });
  }
}
