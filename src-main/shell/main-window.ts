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

/** The console's single window, with every web preference that limits what its page can do. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((display) => display.workArea);
  const placement = chooseWindowBounds(parseSavedWindowState(options.stateStore.get(windowStateKey)), workAreas);

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
    options.stateStore.set(windowStateKey, state);
  };
  window.on('close', saveState);

  void window.loadURL(options.entryUrl);
  return window;
}
