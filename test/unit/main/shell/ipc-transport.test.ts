import { beforeEach, describe, expect, test, vi } from 'vitest';
import { EventHub } from '../../../../src-main/events/event-hub';
import { connectIpcTransport } from '../../../../src-main/shell/ipc-transport';
import { ipcChannels } from '../../../../src-shared/contract/channel-names';
import { defaultSettings } from '../../../../src-shared/contract/settings';
import { fakeElectron, FakeBrowserWindow, FakeWebContents, resetFakeElectron } from '../../../support/fake-electron';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

function connect() {
  const window = new FakeBrowserWindow({ webPreferences: {} });
  const dispatch = vi.fn(async () => ({ ok: true as const, value: null }));
  const events = new EventHub();
  const disconnect = connectIpcTransport(dispatch, events, window as never);
  const invoke = fakeElectron.ipcHandlers.get(ipcChannels.invoke)!;
  return { window, dispatch, events, disconnect, invoke };
}

describe('IPC transport', () => {
  beforeEach(() => resetFakeElectron());

  test('passes requests from the window’s main frame to the router as the app’s main frame', async () => {
    const { window, dispatch, invoke } = connect();
    const frame = window.webContents.mainFrame;
    await invoke({ sender: window.webContents, senderFrame: frame }, 'settings.get', {});
    expect(dispatch).toHaveBeenCalledWith('settings.get', {}, { url: 'app://consentry/index.html', isMainFrame: true });
  });

  test('marks requests from an iframe or from another web contents as not the main frame', async () => {
    const { window, dispatch, invoke } = connect();
    await invoke({ sender: window.webContents, senderFrame: { url: 'app://consentry/index.html' } }, 'settings.get', {});
    const other = new FakeWebContents();
    await invoke({ sender: other, senderFrame: other.mainFrame }, 'settings.get', {});
    await invoke({ sender: window.webContents, senderFrame: null }, 'settings.get', {});
    expect(dispatch.mock.calls.map((call) => (call as unknown[])[2])).toEqual([
      { url: 'app://consentry/index.html', isMainFrame: false },
      { url: 'app://consentry/index.html', isMainFrame: false },
      { url: undefined, isMainFrame: false },
    ]);
  });

  test('forwards main → renderer events on the one event channel, and stops when disconnected', () => {
    const { window, events, disconnect } = connect();
    events.publish('settings.changed', defaultSettings);
    expect(window.webContents.send).toHaveBeenCalledWith(ipcChannels.event, 'settings.changed', defaultSettings);
    disconnect();
    events.publish('settings.changed', defaultSettings);
    expect(window.webContents.send).toHaveBeenCalledTimes(1);
    expect(fakeElectron.ipcHandlers.has(ipcChannels.invoke)).toBe(false);
  });
});
