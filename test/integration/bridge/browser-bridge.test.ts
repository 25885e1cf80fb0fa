import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserBridge, type BrowserBridge } from '../../bridge/browser-bridge';

let bridge: BrowserBridge;
let profile: string;
let key: string;
let sessionCookie: string;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

function get(path: string, cookie?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(bridge.origin);
    const outgoing = request({ host: '127.0.0.1', port, path, headers: cookie ? { cookie } : {} }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function openSocket(cookie: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${bridge.origin.replace('http:', 'ws:')}/__bridge/socket`, { headers: { cookie, origin: bridge.origin } });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends one invoke and waits for its result. */
function invoke(socket: WebSocket, id: number, channel: string): Promise<{ id: number; envelope: { ok: boolean } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(String(data)) as { type: string; id: number; envelope: { ok: boolean } };
      if (message.type !== 'result' || message.id !== id) return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ type: 'invoke', id, channel, request: {} }));
  });
}

const closed = (socket: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'consentry-bridge-'));
  bridge = await startBrowserBridge({ dataDirectory: profile });
  key = new URL(bridge.url).searchParams.get('key')!;
  const traded = await get(`/?key=${key}`);
  sessionCookie = String(traded.headers['set-cookie']).split(';')[0]!;
});

afterAll(async () => {
  await bridge.close();
  await rm(profile, { recursive: true, force: true });
});

describe('the browser bridge session cookie', () => {
  test('trades the access key for a cookie that does not contain the key', async () => {
    const traded = await get(`/?key=${key}`);
    expect(traded.status).toBe(303);
    const setCookie = String(traded.headers['set-cookie']);
    expect(setCookie).not.toContain(key);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect((await get('/__bridge/transport.js', sessionCookie)).status).toBe(200);
  });

  test('refuses the raw access key presented as the cookie', async () => {
    const name = sessionCookie.split('=')[0]!;
    expect((await get('/__bridge/transport.js', `${name}=${key}`)).status).toBe(401);
    await expect(openSocket(`${name}=${key}`)).rejects.toThrow(/403/);
  });
});

describe('the browser bridge socket', () => {
  test('closes a socket that sends an oversized frame and keeps serving others', async () => {
    const socket = await openSocket(sessionCookie);
    socket.on('error', () => undefined);
    const ended = closed(socket);
    socket.send(Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect((await ended).code).toBe(1009);

    const next = await openSocket(sessionCookie);
    expect((await invoke(next, 1, 'app.describe')).envelope.ok).toBe(true);
    next.close();
  });

  test('refuses an upgrade whose request target does not parse, and keeps serving', async () => {
    const { port } = new URL(bridge.origin);
    const answer = await new Promise<string>((resolve, reject) => {
      const raw = connect({ host: '127.0.0.1', port: Number(port) }, () =>
        raw.write(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${bridge.origin}\r\nCookie: ${sessionCookie}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`),
      );
      let text = '';
      raw.on('data', (chunk: Buffer) => (text += chunk.toString()));
      raw.on('close', () => resolve(text));
      raw.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    const next = await openSocket(sessionCookie);
    expect((await invoke(next, 3, 'app.describe')).envelope.ok).toBe(true);
    next.close();
  });

  test('ignores frames that are null, not JSON or not an object, and answers the next invoke', async () => {
    const socket = await openSocket(sessionCookie);
    for (const frame of ['null', '42', '"text"', '[]', '{"type":"invoke","id":1}', '{', 'true']) socket.send(frame);
    expect((await invoke(socket, 2, 'app.describe')).envelope.ok).toBe(true);
    socket.close();
  });
});
