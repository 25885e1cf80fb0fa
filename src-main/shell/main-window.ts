import { BrowserWindow, screen } from 'electron';
import type { KeyValueStore } from '../storage/key-value-store';
import { chooseWindowBounds, minimumWindowSize, parseSavedWindowState, type SavedWindowState } from './window-bounds';

const windowStateKey = 'window';

export interface MainWindowOptions {
  preloadPath: string;
  /** app://consentry/index.html, or the dev server's URL during `npm start`. */
  entryUrl: string;
  /** Where size, position and maximised state are kept between runs. */
  stateStore: KeyValueStore;
  devTools: boolean;
}

/** The saved size and place; a store that cannot be read means the default size, not a window that fails to open. */
function readSavedState(store: KeyValueStore): unknown {
  try {
    return store.get(windowStateKey);
  } catch {
    return undefined;
  }
}

/** The console's single window, with every web preference that limits what its page can do. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((display) => display.workArea);
  const placement = chooseWindowBounds(parseSavedWindowState(readSavedState(options.stateStore)), workAreas);

  const window = new BrowserWindow({
    ...placement.bounds,
    minWidth: minimumWindowSize.width,
    minHeight: minimumWindowSize.height,
    show: false,
    title: 'Consentry',
    backgroundColor: '#1a1b1e',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would otherwise try to open links in a new window (denied anyway by the window-open handler).
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools,
    },
  });

  if (placement.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  const saveState = () => {
    const state: SavedWindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      options.stateStore.set(windowStateKey, state);
    } catch (error) {
      // Closing the window must not fail over its size: the next run opens at the default size.
      console.warn(`[consentry] the window's size and place were not saved: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
  };
  window.on('close', saveState);

  void window.loadURL(options.entryUrl);
  return window;
}
