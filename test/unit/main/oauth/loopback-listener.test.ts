import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { portIsClosed } from '../../../support/loopback-port';
import { LoopbackListener } from '../../../../src-main/oauth/loopback-listener';

const state = 'state-value-0123456789-abcdefghijklmnopqrstuv';
const issuer = 'https://id.example.com';
let listener: LoopbackListener | undefined;

async function open(options: Partial<Parameters<typeof LoopbackListener.open>[0]> = {}) {
  listener = await LoopbackListener.open({ expect: { state, issuer, issuerRequired: false, providerLabel: 'Example IdP' }, ...options });
  return listener;
}

/** A raw request, so the Host header and method can be anything. */
function send(url: string, options: { host?: string; method?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = request({ host: '127.0.0.1', port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers: { host: options.host ?? target.host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const callback = (base: string, params: Record<string, string>) => `${base}?${new URLSearchParams(params)}`;

const portOf = (opened: LoopbackListener) => Number(new URL(opened.redirectUri).port);

/** Bytes written straight to a TCP socket, for requests no HTTP client would send; resolves with what came back. */
function sendRaw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      // Enough to read the status line; the socket may be kept alive.
      if (answer.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** A TCP connection that sends nothing, as a browser's preconnect or a parked keep-alive socket does. */
function idleConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', reject);
  });
}


afterEach(async () => {
  await listener?.close();
});

describe('loopback listener', () => {
  test('listens on 127.0.0.1 on a port the OS chose', async () => {
    const opened = await open();
    expect(opened.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d{4,5}\/callback$/);
  });

  test('accepts one matching response, holds the page until the exchange ends, then closes', async () => {
    const opened = await open();
    const page = send(callback(opened.redirectUri, { code: 'the-code', state, iss: issuer }));
    const accepted = await opened.callback;
    expect(accepted.code).toBe('the-code');
    await opened.finish({ outcome: 'connected', title: 'Connected', message: 'Connected as <b>alice</b>' });
    const response = await page;
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(response.body).toContain('Connected as &lt;b&gt;alice&lt;/b&gt;');
    expect(response.body).toContain('history.replaceState(null, "", "/")');
    expect(await portIsClosed(Number(new URL(opened.redirectUri).port))).toBe(true);
  });

  test('answers a foreign Host header with 421 and keeps waiting for the real response', async () => {
    const opened = await open();
    const foreign = await send(callback(opened.redirectUri, { code: 'c', state }), { host: 'evil.example:80' });
    expect(foreign.status).toBe(421);
    const page = send(callback(opened.redirectUri, { code: 'c', state }));
    expect((await opened.callback).code).toBe('c');
    await opened.finish({ outcome: 'connected', title: 'Connected', message: 'ok' });
    expect((await page).status).toBe(200);
  });

  test('answers other paths and methods without deciding the attempt', async () => {
    const opened = await open();
    expect((await send(new URL('/favicon.ico', opened.redirectUri).href)).status).toBe(404);
    expect((await send(callback(opened.redirectUri, { code: 'c', state }), { method: 'POST' })).status).toBe(405);
    void send(callback(opened.redirectUri, { code: 'c', state }));
    expect((await opened.callback).code).toBe('c');
  });

  test('answers a malformed request target with 400 and keeps waiting for the real response', async () => {
    const opened = await open();
    const port = portOf(opened);
    // Some do not parse; the others would parse to another host and still carry the redirect path.
    for (const target of ['//[', '//[::1', 'http://[', '//%zz@/callback', `//evil.example/callback?code=c&state=${state}`, `/\\evil.example/callback?code=c&state=${state}`]) {
      const answer = await sendRaw(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
    }
    const page = send(callback(opened.redirectUri, { code: 'c', state }));
    expect((await opened.callback).code).toBe('c');
    await opened.finish({ outcome: 'connected', title: 'Connected', message: 'ok' });
    expect((await page).status).toBe(200);
  });

  test('settles and closes the port although the browser left another connection idle', async () => {
    const opened = await open();
    const idle = await idleConnection(portOf(opened));
    const closedByListener = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    const page = send(callback(opened.redirectUri, { code: 'c', state }));
    await opened.callback;
    await opened.finish({ outcome: 'connected', title: 'Connected', message: 'ok' });
    expect((await page).status).toBe(200);
    await closedByListener;
    expect(await portIsClosed(portOf(opened))).toBe(true);
  });

  test('closes a kept-alive connection that already had an answer', async () => {
    const opened = await open();
    const kept = await idleConnection(portOf(opened));
    const closedByListener = new Promise<void>((resolve) => kept.once('close', () => resolve()));
    kept.write(`GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:${portOf(opened)}\r\n\r\n`);
    await new Promise((resolve) => kept.once('data', resolve));
    opened.cancel();
    await expect(opened.callback).rejects.toMatchObject({ code: 'cancelled' });
    await opened.close();
    await closedByListener;
  });

  test('refuses a response with another state, shows why, and closes', async () => {
    const opened = await open();
    const page = await send(callback(opened.redirectUri, { code: 'c', state: 'other' }));
    await expect(opened.callback).rejects.toMatchObject({ code: 'callback_rejected' });
    expect(page.status).toBe(400);
    expect(page.body).toContain('state mismatch');
  });

  test('refuses a response from another issuer (RFC 9207)', async () => {
    const opened = await open();
    await send(callback(opened.redirectUri, { code: 'c', state, iss: 'https://attacker.example' }));
    await expect(opened.callback).rejects.toMatchObject({ code: 'callback_rejected' });
  });

  test('accepts an iss it cannot check when the provider publishes no issuer', async () => {
    const opened = await open({ expect: { state, issuer: null, issuerRequired: false, providerLabel: 'Zendesk' } });
    void send(callback(opened.redirectUri, { code: 'c', state, iss: 'https://acme.zendesk.com' }));
    expect((await opened.callback).code).toBe('c');
  });

  test('refuses a response without iss when the issuer always sends it', async () => {
    const opened = await open({ expect: { state, issuer, issuerRequired: true, providerLabel: 'Example IdP' } });
    await send(callback(opened.redirectUri, { code: 'c', state }));
    await expect(opened.callback).rejects.toMatchObject({ code: 'callback_rejected' });
  });

  test('refuses a response with two state values', async () => {
    const opened = await open();
    await send(`${opened.redirectUri}?code=c&state=${state}&state=${state}`);
    await expect(opened.callback).rejects.toMatchObject({ code: 'callback_rejected' });
  });

  test('maps an error response to a failure the admin can act on, escaping the description', async () => {
    const opened = await open();
    const page = await send(callback(opened.redirectUri, { error: 'access_denied', error_description: '<script>alert(1)</script>', state }));
    await expect(opened.callback).rejects.toMatchObject({ code: 'consent_denied' });
    expect(page.body).not.toContain('<script>alert(1)</script>');
  });

  test('turns away a second response on the same connection', async () => {
    const opened = await open();
    void send(callback(opened.redirectUri, { code: 'c', state }));
    await opened.callback;
    const second = await send(callback(opened.redirectUri, { code: 'c2', state }));
    expect(second.status).toBe(410);
  });

  test('closes on timeout and refuses a late response', async () => {
    const opened = await open({ timeoutMs: 50 });
    await expect(opened.callback).rejects.toMatchObject({ code: 'timeout' });
    await expect(send(callback(opened.redirectUri, { code: 'c', state }))).rejects.toThrow();
  });

  test('closes when the attempt is cancelled', async () => {
    const controller = new AbortController();
    const opened = await open({ signal: controller.signal });
    controller.abort();
    await expect(opened.callback).rejects.toMatchObject({ code: 'cancelled' });
    await expect.poll(() => portIsClosed(Number(new URL(opened.redirectUri).port))).toBe(true);
  });

  test('explains a fixed redirect port that is already taken as a local conflict, naming the port', async () => {
    const first = await open();
    const port = Number(new URL(first.redirectUri).port);
    await expect(LoopbackListener.open({ expect: { state, issuer, issuerRequired: false, providerLabel: 'X' }, port })).rejects.toMatchObject({
      code: 'loopback_port_in_use',
      message: expect.stringContaining(`Port ${port} on this computer`),
      nextStep: expect.stringContaining(`port ${port}`),
    });
  });
});
