/**
 * The browser bridge: serves the built renderer on 127.0.0.1 and carries the real contract to the
 * real main-side services over a WebSocket. Only the transport differs from the desktop app —
 * the services, the router and the renderer are the same code.
 *
 * Used by the end-to-end tests and by `npm run browser` for demos in any local browser.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { trustOrigins } from '../../src-main/api/sender-policy';
import { startConsoleServices, type ConsoleAdapters, type ConsoleServices } from '../../src-main/app-services';
import { createRendererAssetServer } from '../../src-main/renderer-assets/renderer-asset-server';
import { AppError } from '../../src-main/errors/app-error';
import { createExternalUrlPolicy } from '../../src-main/security/external-url-policy';
import { openConfKeyValueStore } from '../../src-main/storage/conf-key-value-store';
import { ProfileFolder } from '../../src-main/storage/profile-file-opening';
import type { CipherProtection } from '../../src-main/vault/secret-cipher';
import { createAesGcmCipher } from '../support/aes-gcm-cipher';
import type { BridgeClientMessage, BridgeServerMessage } from './websocket-transport';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const cookieName = 'consentry_bridge';
const socketPath = '/__bridge/socket';
const transportScriptPath = '/__bridge/transport.js';
/** Far above any contract request, far below what would strain memory. */
const maxFrameBytes = 1024 * 1024;

export interface BrowserBridgeOptions {
  /** The profile folder (settings store and activity log); a fresh temporary one for each run. */
  dataDirectory: string;
  /** The built renderer; defaults to out/renderer. */
  rendererRoot?: string;
  clock?: () => Date;
  /** The vault's AES-256-GCM key; pass the same key to a restarted bridge to find its tokens again. */
  vaultKey?: Buffer;
  /** Where sign-in pages go: a test's browser page. Defaults to printing the address for a person to open. */
  openExternal?: (url: string) => Promise<void>;
  authorizationTimeoutMs?: number;
  /** What the stand-in for the OS keychain reports; tests use it to show the unavailable-vault path. */
  vaultProtection?: CipherProtection;
  /** The sample workspace's simulator: a test's own, to read its request log or keep it across a restart. */
  startSimulator?: ConsoleAdapters['startSimulator'];
}

/** One message that crossed from main to the renderer, kept so tests can inspect what crossed. */
export interface Crossing {
  kind: 'result' | 'event';
  name: string;
  body: unknown;
}

export interface BrowserBridge {
  /** Open this in a browser: 127.0.0.1, the bridge's port, and its access key. */
  url: string;
  origin: string;
  services: ConsoleServices;
  crossings: Crossing[];
  /** Desktop notifications the console raised. */
  notifications: { title: string; body: string }[];
  close(): Promise<void>;
}

function projectVersion(): string {
  return (JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { version: string }).version;
}

let transportScript: Promise<string> | undefined;

/** Bundles the WebSocket transport into one classic script (once per process). */
function bundleTransportScript(): Promise<string> {
  transportScript ??= build({
    configFile: false,
    logLevel: 'silent',
    root: projectRoot,
    build: {
      write: false,
      minify: false,
      lib: { entry: fileURLToPath(new URL('./websocket-transport-entry.ts', import.meta.url)), formats: ['iife'], name: 'ConsentryBridgeTransport' },
    },
  }).then((output) => {
    const outputs = Array.isArray(output) ? output : [output];
    for (const result of outputs) {
      if ('output' in result) {
        const chunk = result.output.find((item) => item.type === 'chunk');
        if (chunk && 'code' in chunk) return chunk.code;
      }
    }
    throw new Error('Bundling the bridge transport produced no script.');
  });
  return transportScript;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * What the cookie carries instead of the access key. Cookies are not scoped to a port, so every
 * other server on 127.0.0.1 receives this value: it must not be the key that opens the bridge's URL.
 */
function sessionValue(key: string): string {
  return createHmac('sha256', key).update('consentry browser bridge session').digest('base64url');
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The frame as an invoke, or null when it is not JSON, not an object, or has no numeric id. */
function invokeMessage(data: RawData): BridgeClientMessage | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(data));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const message = parsed as Partial<BridgeClientMessage>;
  if (message.type !== 'invoke' || typeof message.id !== 'number') return null;
  return message as BridgeClientMessage;
}

async function writeWebResponse(response: ServerResponse, webResponse: Response, transform?: (html: string) => string) {
  const headers = Object.fromEntries(webResponse.headers.entries());
  const isHtml = (headers['content-type'] ?? '').startsWith('text/html');
  if (isHtml && transform) {
    const html = transform(await webResponse.text());
    delete headers['content-length'];
    response.writeHead(webResponse.status, headers);
    response.end(html);
    return;
  }
  response.writeHead(webResponse.status, headers);
  response.end(Buffer.from(await webResponse.arrayBuffer()));
}

export async function startBrowserBridge(options: BrowserBridgeOptions): Promise<BrowserBridge> {
  const key = randomBytes(24).toString('base64url');
  const session = sessionValue(key);
  const script = await bundleTransportScript();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  const origin = `http://${host}`;
  const crossings: Crossing[] = [];
  const notifications: { title: string; body: string }[] = [];
  // The same policy as the app, plus loopback: the test's authorization server runs on 127.0.0.1.
  const urlPolicy = createExternalUrlPolicy({ allowLoopback: true });
  const openExternal =
    options.openExternal ??
    (async (url: string) => {
      console.log(`[bridge] open this in your browser: ${url}`);
    });

  const services = await startConsoleServices({
    dataDirectory: options.dataDirectory,
    profile: new ProfileFolder(options.dataDirectory, { openStoreFile: openConfKeyValueStore, ...(options.clock ? { clock: options.clock } : {}) }),
    cipher: createAesGcmCipher(options.vaultKey, options.vaultProtection),
    openExternal: async (url, context) => {
      const verdict = urlPolicy(url, context);
      if (!verdict.allowed) throw new AppError('external_url_refused', `Consentry did not open that link: ${verdict.reason}`);
      await openExternal(verdict.url);
    },
    notify: (notice) => notifications.push(notice),
    // Node's network stack: the bridge runs in plain Node, where Electron's is not there.
    fetch,
    ...(options.authorizationTimeoutMs ? { authorizationTimeoutMs: options.authorizationTimeoutMs } : {}),
    description: { name: 'Consentry', version: projectVersion(), platform: 'other', host: 'browser-bridge' },
    isTrustedSender: trustOrigins([origin]),
    reportUnexpected: (context, error) => console.error(`[bridge] unexpected failure in ${context}:`, error),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.startSimulator ? { startSimulator: options.startSimulator } : {}),
  });

  const serveAsset = createRendererAssetServer({
    root: options.rendererRoot ?? `${projectRoot}out/renderer`,
    connectSources: [`ws://${host}`],
  });
  const injectTransport = (html: string) => html.replace('<head>', `<head>\n    <script src="${transportScriptPath}"></script>`);

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      // A foreign Host header means another site is reaching this port (DNS rebinding): refuse.
      if (request.headers.host !== host) {
        response.writeHead(421).end('Misdirected request');
        return;
      }
      const url = new URL(request.url ?? '/', origin);
      const givenKey = url.searchParams.get('key');
      if (givenKey !== null) {
        if (!sameSecret(givenKey, key)) {
          response.writeHead(403, { 'Content-Type': 'text/plain' }).end('Wrong access key.');
          return;
        }
        // Trade the key in the URL for a cookie, and move to a clean URL so the key leaves history.
        response.writeHead(303, {
          'Set-Cookie': `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`,
          Location: '/',
          'Cache-Control': 'no-store',
        });
        response.end();
        return;
      }
      if (!sameSecret(cookieValue(request, cookieName), session)) {
        response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('Open the full URL the bridge printed (it carries the access key).');
        return;
      }
      if (url.pathname === transportScriptPath) {
        response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        response.end(script);
        return;
      }
      await writeWebResponse(response, await serveAsset(url.href, request.method), injectTransport);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  server.on('upgrade', (request, socket, head) => {
    const trusted =
      request.url === socketPath &&
      request.headers.host === host &&
      request.headers.origin === origin &&
      sameSecret(cookieValue(request, cookieName), session);
    if (!trusted) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
  });

  const send = (client: WebSocket, message: BridgeServerMessage) => {
    crossings.push(
      message.type === 'result'
        ? { kind: 'result', name: String(message.id), body: message.envelope }
        : { kind: 'event', name: message.event, body: message.payload },
    );
    if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
  };

  sockets.on('connection', (client: WebSocket, request: IncomingMessage) => {
    const unsubscribe = services.events.subscribe((event, payload) => send(client, { type: 'event', event, payload }));
    client.on('close', unsubscribe);
    // A frame over maxFrameBytes: ws has already closed this socket with 1009 (message too big).
    client.on('error', (error) => console.error(`[bridge] socket closed: ${error.message}`));
    client.on('message', (data) => {
      const message = invokeMessage(data);
      // Nothing to answer without an id: the page's own transport never sends such a frame.
      if (!message) return;
      // The socket only opens for the page served from this origin, so it stands for the app's main frame.
      void services
        .dispatch(message.channel, message.request, { url: request.headers.origin, isMainFrame: true })
        .then((envelope) => send(client, { type: 'result', id: message.id, envelope }))
        .catch((error: unknown) => console.error('[bridge] unexpected failure while answering an invoke:', error));
    });
  });

  return {
    url: `${origin}/?key=${key}`,
    origin,
    services,
    crossings,
    notifications,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
    },
  };
}
