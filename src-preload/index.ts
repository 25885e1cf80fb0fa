/**
 * The sandboxed preload: exposes the contract's transport as `window.consentry` and nothing else.
 * The renderer never sees ipcRenderer, an IpcRendererEvent or a Node API.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels, isChannelName, isEventName } from '../src-shared/contract/channel-names';
import type { ConsentryTransport } from '../src-shared/contract/channels';
import type { Envelope } from '../src-shared/contract/envelope';

const transport: ConsentryTransport = {
  invoke(channel, request) {
    if (!isChannelName(channel)) {
      return Promise.resolve<Envelope>({
        ok: false,
        error: { code: 'unknown_channel', message: 'This window asked for something the console does not offer.' },
      });
    }
    return ipcRenderer.invoke(ipcChannels.invoke, channel, request) as Promise<Envelope>;
  },
  subscribe(listener) {
    const forward = (_event: unknown, name: unknown, payload: unknown) => {
      if (isEventName(name)) listener(name, payload);
    };
    ipcRenderer.on(ipcChannels.event, forward);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('consentry', transport);
