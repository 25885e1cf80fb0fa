import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeElectron, FakeBrowserWindow, resetFakeElectron } from '../../../support/fake-electron';
import { temporaryDirectory } from '../../../support/temporary-directory';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

async function start() {
  const { runDesktopApp } = await import('../../../../src-main/shell/desktop-app');
  runDesktopApp('/app/out/main');
  await fakeElectron.app.whenReady();
  await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));
  return FakeBrowserWindow.instances[0]!;
}

describe('desktop app wiring', () => {
  beforeEach(async () => {
    resetFakeElectron();
    fakeElectron.app.userData = await temporaryDirectory();
  });

  test('quits at once when another Consentry is already running', async () => {
    fakeElectron.app.singleInstanceLock = false;
    const { runDesktopApp } = await import('../../../../src-main/shell/desktop-app');
    runDesktopApp('/app/out/main');
    expect(fakeElectron.app.quit).toHaveBeenCalled();
    await fakeElectron.app.whenReady();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  test('registers app:// before the app is ready, then opens one hardened window on it', async () => {
    const window = await start();
    expect(fakeElectron.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(window.loadURL).toHaveBeenCalledWith('app://consentry/index.html');
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, preload: '/app/out/preload/index.cjs' });
    expect(fakeElectron.session.defaultSession.permissionRequestHandler).toBeDefined();
    expect(fakeElectron.session.defaultSession.protocolHandlers.has('app')).toBe(true);
    expect(fakeElectron.Menu.setApplicationMenu).toHaveBeenCalled();
    expect(fakeElectron.ipcHandlers.has('consentry:invoke')).toBe(true);
  });

  test('brings the existing window forward when a second instance starts', async () => {
    const window = await start();
    fakeElectron.app.emit('second-instance');
    expect(window.focus).toHaveBeenCalled();
  });

  test('answers the window’s requests through the real router', async () => {
    const window = await start();
    const invoke = fakeElectron.ipcHandlers.get('consentry:invoke')!;
    const envelope = await invoke({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, 'settings.get', {});
    expect(envelope).toMatchObject({ ok: true, value: { keyAgePolicyDays: 90 } });
  });

  test('hands the services Electron’s network stack: a sign-in’s discovery goes out through the outbound session', async () => {
    const window = await start();
    const invoke = fakeElectron.ipcHandlers.get('consentry:invoke')!;
    const draft = { provider: 'custom', label: 'Corp IdP', clientId: 'consentry', settings: { issuer: 'https://idp.corp.example' } };
    const envelope = await invoke({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, 'connections.connect', { attemptId: crypto.randomUUID(), draft });
    // The fake network stack answers nothing, as Chromium does offline.
    expect(envelope).toMatchObject({ ok: false, error: { code: 'network' } });
    expect(fakeElectron.session.fromPartition).toHaveBeenCalledWith('consentry-outbound');
    const outbound = fakeElectron.session.partitions.get('consentry-outbound')!;
    expect(outbound.fetch.mock.calls.map(([request]) => (request as Request).url)).toEqual(['https://idp.corp.example/.well-known/openid-configuration']);
    // Never the renderer's session, which refuses everything but the app's own pages.
    expect(fakeElectron.session.defaultSession.fetch).not.toHaveBeenCalled();
  });

  test('opens its window with every profile file damaged, and lists each file for the console’s notice', async () => {
    const userData = fakeElectron.app.userData;
    for (const name of ['settings', 'connections', 'vault', 'window-state']) await writeFile(join(userData, `${name}.json`), '{"cut off');
    const window = await start();
    const invoke = fakeElectron.ipcHandlers.get('consentry:invoke')!;
    const envelope = await invoke({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, 'app.profileProblems', {});
    expect(envelope).toMatchObject({ ok: true });
    const { problems } = (envelope as { value: { problems: { file: string }[] } }).value;
    expect(problems.map((problem) => problem.file).sort()).toEqual(['connections.json', 'settings.json', 'vault.json', 'window-state.json']);
    expect((await readdir(userData)).filter((file) => file.includes('.damaged-'))).toHaveLength(4);
  });
});
