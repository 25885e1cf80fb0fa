/**
 * A stand-in for the `electron` module (whose binary cannot be downloaded here). It records what
 * the shell asks of Electron — window options, handlers, registered channels — so tests can check
 * every security setting the shell installs. Use with:
 *
 *   vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  readonly mainFrame = { url: 'app://consentry/index.html' };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly send = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly show = vi.fn();
  readonly maximize = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  normalBounds = { x: 0, y: 0, width: 0, height: 0 };
  maximized = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
    super();
    this.normalBounds = { x: options.x as number, y: options.y as number, width: options.width as number, height: options.height as number };
    FakeBrowserWindow.instances.push(this);
  }

  getNormalBounds() {
    return this.normalBounds;
  }
  isMaximized() {
    return this.maximized;
  }
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class FakeSession {
  permissionRequestHandler: Handler | undefined;
  permissionCheckHandler: Handler | undefined;
  devicePermissionHandler: Handler | undefined;
  displayMediaRequestHandler: Handler | undefined;
  beforeRequest: Handler | undefined;
  headersReceived: Handler | undefined;
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response> | Response>();
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Promise<Response> | Response) => {
      this.protocolHandlers.set(scheme, handler);
    },
  };
  readonly webRequest = {
    onBeforeRequest: (handler: Handler) => {
      this.beforeRequest = handler;
    },
    onHeadersReceived: (handler: Handler) => {
      this.headersReceived = handler;
    },
  };
  /** Chromium's network stack; nothing leaves a test unless the test says what answers. */
  readonly fetch = vi.fn(async (_input: string | Request, _init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response> => {
    throw new Error('net::ERR_INTERNET_DISCONNECTED');
  });
  setPermissionRequestHandler(handler: Handler) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Handler) {
    this.devicePermissionHandler = handler;
  }
  setDisplayMediaRequestHandler(handler: Handler) {
    this.displayMediaRequestHandler = handler;
  }

  /** Runs the installed onBeforeRequest handler and says whether the request was cancelled. */
  isBlocked(url: string): boolean {
    let cancelled: boolean | undefined;
    this.beforeRequest?.({ url }, (response: { cancel: boolean }) => {
      cancelled = response.cancel;
    });
    if (cancelled === undefined) throw new Error('No onBeforeRequest handler answered.');
    return cancelled;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = true;
  singleInstanceLock = true;
  userData = '/nonexistent';
  readonly quit = vi.fn();
  readonly requestSingleInstanceLock = vi.fn(() => this.singleInstanceLock);
  #ready: Promise<void> = Promise.resolve();
  whenReady() {
    return this.#ready;
  }
  getPath(name: string) {
    if (name === 'userData') return this.userData;
    throw new Error(`getPath(${name}) is not faked`);
  }
  getVersion() {
    return '0.1.0-test';
  }
  reset() {
    this.removeAllListeners();
    this.isPackaged = true;
    this.singleInstanceLock = true;
    this.userData = '/nonexistent';
    this.quit.mockClear();
    this.requestSingleInstanceLock.mockClear();
  }
}

export class FakeNotification {
  static instances: FakeNotification[] = [];
  static supported = true;
  static isSupported() {
    return FakeNotification.supported;
  }
  readonly show = vi.fn();
  constructor(readonly options: { title: string; body: string }) {
    FakeNotification.instances.push(this);
  }
}

/** safeStorage's async API; the "ciphertext" is tagged so tests can tell it went through here. */
function fakeSafeStorage() {
  return {
    asyncAvailable: true,
    backend: 'gnome_libsecret' as string,
    isAsyncEncryptionAvailable: vi.fn(async () => fakeElectron.safeStorage.asyncAvailable),
    getSelectedStorageBackend: vi.fn(() => fakeElectron.safeStorage.backend),
    encryptStringAsync: vi.fn(async (plaintext: string) => Buffer.from(`os-encrypted:${Buffer.from(plaintext).toString('base64')}`)),
    decryptStringAsync: vi.fn(async (ciphertext: Buffer) => ({
      result: Buffer.from(ciphertext.toString().replace(/^os-encrypted:/, ''), 'base64').toString(),
      shouldReEncrypt: false,
    })),
  };
}

// One app for the whole test file: libraries such as electron-store keep the `app` they saw at import.
const sharedApp = new FakeApp();

function createState() {
  const ipcHandlers = new Map<string, Handler>();
  const rendererListeners = new Map<string, Set<Handler>>();
  const partitions = new Map<string, FakeSession>();
  sharedApp.reset();
  return {
    app: sharedApp,
    session: {
      defaultSession: new FakeSession(),
      partitions,
      fromPartition: vi.fn((partition: string) => {
        if (!partitions.has(partition)) partitions.set(partition, new FakeSession());
        return partitions.get(partition)!;
      }),
    },
    ipcHandlers,
    ipcMain: {
      handle: vi.fn((channel: string, handler: Handler) => {
        if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, handler);
      }),
      removeHandler: vi.fn((channel: string) => {
        ipcHandlers.delete(channel);
      }),
      on: vi.fn(),
    },
    ipcRenderer: {
      invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null })),
      on: vi.fn((channel: string, listener: Handler) => {
        if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set());
        rendererListeners.get(channel)!.add(listener);
      }),
      removeListener: vi.fn((channel: string, listener: Handler) => {
        rendererListeners.get(channel)?.delete(listener);
      }),
    },
    rendererListeners,
    contextBridge: { exposeInMainWorld: vi.fn() },
    shell: { openExternal: vi.fn(async (_url: string, _options?: unknown) => undefined) },
    protocol: { registerSchemesAsPrivileged: vi.fn() },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => ({ template })),
      setApplicationMenu: vi.fn(),
    },
    screen: {
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
    },
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    safeStorage: fakeSafeStorage(),
  };
}

export type FakeElectron = ReturnType<typeof createState>;

/** The live fake; `resetFakeElectron()` replaces its parts between tests. */
export const fakeElectron: FakeElectron = createState();

export function resetFakeElectron(): void {
  FakeBrowserWindow.instances = [];
  FakeNotification.instances = [];
  FakeNotification.supported = true;
  Object.assign(fakeElectron, createState());
}

/** The module object `vi.mock('electron', ...)` should return: named exports and a default. */
export function fakeElectronModule() {
  // Getters, so a reset between tests is seen by modules that imported electron earlier.
  const module: Record<string, unknown> = {};
  for (const key of Object.keys(fakeElectron)) {
    Object.defineProperty(module, key, { enumerable: true, get: () => fakeElectron[key as keyof FakeElectron] });
  }
  Object.defineProperty(module, 'default', { enumerable: true, value: module });
  return module;
}
