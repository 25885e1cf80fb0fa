import { beforeAll, describe, expect, test, vi } from 'vitest';
import { ipcChannels } from '../../../src-shared/contract/channel-names';
import type { ConsentryTransport } from '../../../src-shared/contract/channels';
import { fakeElectron } from '../../support/fake-electron';

vi.mock('electron', async () => (await import('../../support/fake-electron')).fakeElectronModule());

let exposed: ConsentryTransport;
let exposures: [string, ConsentryTransport][];

beforeAll(async () => {
  await import('../../../src-preload/index');
  exposures = [...(fakeElectron.contextBridge.exposeInMainWorld.mock.calls as unknown as [string, ConsentryTransport][])];
  exposed = exposures[0]![1];
});

describe('preload', () => {
  test('exposes exactly invoke and subscribe, never ipcRenderer', () => {
    expect(exposures.map(([name]) => name)).toEqual(['consentry']);
    expect(Object.keys(exposed).sort()).toEqual(['invoke', 'subscribe']);
  });

  test('sends contract channels over the one invoke channel', async () => {
    await exposed.invoke('settings.get', {});
    expect(fakeElectron.ipcRenderer.invoke).toHaveBeenCalledWith(ipcChannels.invoke, 'settings.get', {});
  });

  test('refuses a channel the contract does not name without reaching main', async () => {
    fakeElectron.ipcRenderer.invoke.mockClear();
    const envelope = await exposed.invoke('shell.exec' as never, {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(fakeElectron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  test('hands listeners the event name and payload, not the IPC event, and unsubscribes', () => {
    const listener = vi.fn();
    const unsubscribe = exposed.subscribe(listener);
    const [forward] = [...fakeElectron.rendererListeners.get(ipcChannels.event)!];
    const ipcEvent = { sender: { send: () => undefined } };
    forward!(ipcEvent, 'settings.changed', { theme: 'dark' });
    forward!(ipcEvent, 'not.an.event', {});
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith('settings.changed', { theme: 'dark' });
    unsubscribe();
    expect(fakeElectron.rendererListeners.get(ipcChannels.event)!.size).toBe(0);
  });
});
