import { beforeEach, describe, expect, test, vi } from 'vitest';
import { createMainWindow } from '../../../../src-main/shell/main-window';
import type { KeyValueStore } from '../../../../src-main/storage/key-value-store';
import type { FakeBrowserWindow} from '../../../support/fake-electron';
import { resetFakeElectron } from '../../../support/fake-electron';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { values: Map<string, unknown> } {
  const values = new Map(Object.entries(initial));
  return { values, get: (key) => values.get(key), set: (key, value) => void values.set(key, value), delete: (key) => void values.delete(key) };
}

function openWindow(store = memoryStore(), devTools = false) {
  const window = createMainWindow({ preloadPath: '/app/out/preload/index.cjs', entryUrl: 'app://consentry/index.html', stateStore: store, devTools });
  return window as unknown as FakeBrowserWindow;
}

describe('main window', () => {
  beforeEach(() => resetFakeElectron());

  test('isolates the page: context isolation, sandbox, no Node, web security on', () => {
    const { webPreferences } = openWindow().options;
    expect(webPreferences).toMatchObject({
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
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/out/preload/index.cjs',
    });
  });

  test('keeps the developer tools closed in a packaged build', () => {
    expect(openWindow(memoryStore(), false).options.webPreferences.devTools).toBe(false);
    expect(openWindow(memoryStore(), true).options.webPreferences.devTools).toBe(true);
  });

  test('loads the app from app://, not file://, and shows it only when painted', () => {
    const window = openWindow();
    expect(window.loadURL).toHaveBeenCalledWith('app://consentry/index.html');
    expect(window.options.show).toBe(false);
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
  });

  test('saves size, position and maximised state on close and restores them next time', () => {
    const store = memoryStore();
    const first = openWindow(store);
    first.normalBounds = { x: 100, y: 80, width: 1400, height: 900 };
    first.maximized = true;
    first.emit('close');
    expect(store.values.get('window')).toEqual({ bounds: { x: 100, y: 80, width: 1400, height: 900 }, maximized: true });

    const second = openWindow(store);
    expect(second.options).toMatchObject({ x: 100, y: 80, width: 1400, height: 900 });
    expect(second.maximize).toHaveBeenCalled();
  });
});
