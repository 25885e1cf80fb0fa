import { ipcMain, type BrowserWindow } from 'electron';
import { ipcChannels } from '../../src-shared/contract/channel-names';
import type { Dispatch } from '../api/router';
import type { EventHub } from '../events/event-hub';

/**
 * Carries the contract over Electron IPC: one invoke channel into the router, one event channel out.
 * The sender is identified by its frame, so the router can refuse iframes and foreign documents.
 */
export function connectIpcTransport(dispatch: Dispatch, events: EventHub, window: BrowserWindow): () => void {
  ipcMain.handle(ipcChannels.invoke, (event, channel: unknown, request: unknown) => {
    const frame = event.senderFrame;
    return dispatch(channel, request, {
      url: frame?.url,
      isMainFrame: frame !== null && event.sender === window.webContents && frame === event.sender.mainFrame,
    });
  });
  const unsubscribe = events.subscribe((name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(ipcChannels.event, name, payload);
  });
  return () => {
    ipcMain.removeHandler(ipcChannels.invoke);
    unsubscribe();
  };
}
