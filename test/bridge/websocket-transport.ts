/**
 * The browser bridge's stand-in for the preload: the same `window.consentry` transport, carried
 * over a WebSocket to the bridge server instead of Electron IPC. Bundled into a classic script by
 * the bridge server and loaded before the renderer.
 */
import type { ConsentryTransport, EventName } from '../../src-shared/contract/channels';
import type { Envelope } from '../../src-shared/contract/envelope';

export type BridgeClientMessage = { type: 'invoke'; id: number; channel: string; request: unknown };
export type BridgeServerMessage =
  | { type: 'result'; id: number; envelope: Envelope }
  | { type: 'event'; event: EventName; payload: unknown };

const unreachable: Envelope = {
  ok: false,
  error: {
    code: 'internal',
    message: 'The console is not reachable; the browser bridge may have stopped.',
    nextStep: 'Start it again with npm run browser and reload this page.',
  },
};

export function createWebSocketTransport(socketUrl: string): ConsentryTransport {
  const pending = new Map<number, (envelope: Envelope) => void>();
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    if (opened && socket && socket.readyState <= WebSocket.OPEN) return opened;
    const fresh = new WebSocket(socketUrl);
    socket = fresh;
    opened = new Promise((resolve, reject) => {
      fresh.addEventListener('open', () => resolve(fresh), { once: true });
      fresh.addEventListener('error', () => reject(new Error('socket error')), { once: true });
    });
    fresh.addEventListener('message', (message: MessageEvent<string>) => {
      const data = JSON.parse(message.data) as BridgeServerMessage;
      if (data.type === 'result') {
        pending.get(data.id)?.(data.envelope);
        pending.delete(data.id);
      } else {
        for (const listener of listeners) listener(data.event, data.payload);
      }
    });
    fresh.addEventListener('close', () => {
      for (const settle of pending.values()) settle(unreachable);
      pending.clear();
    });
    return opened;
  };

  return {
    async invoke(channel, request) {
      let open: WebSocket;
      try {
        open = await connect();
      } catch {
        return unreachable;
      }
      const id = nextId++;
      return new Promise<Envelope>((resolve) => {
        pending.set(id, resolve);
        const message: BridgeClientMessage = { type: 'invoke', id, channel, request };
        open.send(JSON.stringify(message));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** Entry point of the bundled script: the page's own origin serves the socket. */
export function installWebSocketTransport(): void {
  const url = new URL('/__bridge/socket', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  window.consentry = createWebSocketTransport(url.href);
}
