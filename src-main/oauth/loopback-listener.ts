import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sameSecretValue } from './authorization-request';
import { renderCallbackPage, type CallbackPageContent } from './callback-page';
import { failureFromOAuthError, OAuthFailure } from './oauth-failure';

export const defaultAuthorizationTimeoutMs = 5 * 60_000;
/** How long the browser waits for the final page while the code is redeemed. */
const finalPageWaitMs = 30_000;

export interface LoopbackExpectation {
  state: string;
  /** The issuer the request went to; an `iss` in the response must equal it (RFC 9207). */
  issuer: string | null;
  /** The server's metadata says it always sends `iss`: a response without one is refused. */
  issuerRequired: boolean;
  providerLabel: string;
}

export interface LoopbackListenerOptions {
  expect: LoopbackExpectation;
  /** Path of the redirect URI; `/callback` unless the provider registered another. */
  path?: string;
  /** 0 lets the OS choose (RFC 8252 §7.3); a fixed port for providers that match it exactly. */
  port?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The one authorization response this listener accepted: state and issuer already checked. */
export interface AcceptedCallback {
  code: string;
  /** The full callback URL, for libraries that validate the response themselves. */
  url: URL;
}

/**
 * Receives exactly one authorization response on 127.0.0.1 (RFC 8252 §7.3). Requests with a foreign
 * Host header, to another path or with another method are answered and ignored; the first request to
 * the redirect path decides the attempt, whatever it holds; a request target that does not parse is
 * answered 400 and decides nothing. The browser's request is held open until `finish` says how the
 * attempt ended, then the listener closes, and closing ends every connection: a preconnected or
 * kept-alive socket left idle by the browser must not keep the attempt from settling.
 */
export class LoopbackListener {
  readonly redirectUri: string;
  /** Settles once: with the accepted callback, or with why the attempt failed. */
  readonly callback: Promise<AcceptedCallback>;
  readonly #server: Server;
  readonly #path: string;
  readonly #host: string;
  readonly #expect: LoopbackExpectation;
  #settle!: { resolve: (value: AcceptedCallback) => void; reject: (error: OAuthFailure) => void };
  #decided = false;
  #heldResponse: ServerResponse | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed: Promise<void> | undefined;
  readonly #sockets = new Set<Socket>();
  /** Sockets whose response is still being written; they are ended once it is out. */
  readonly #answering = new Set<Socket>();

  private constructor(server: Server, port: number, options: LoopbackListenerOptions) {
    this.#server = server;
    this.#path = options.path ?? '/callback';
    this.#host = `127.0.0.1:${port}`;
    this.#expect = options.expect;
    this.redirectUri = `http://${this.#host}${this.#path}`;
    this.callback = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // The attempt's owner may never await `callback` after a cancel; do not report that as unhandled.
    this.callback.catch(() => undefined);
  }

  static async open(options: LoopbackListenerOptions): Promise<LoopbackListener> {
    const path = options.path ?? '/callback';
    if (!/^\/[A-Za-z0-9\-._~/]*$/.test(path)) throw new Error('The redirect path must be an absolute path of URL-safe characters.');
    const server = createServer();
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // 127.0.0.1 only: never 0.0.0.0 and never a name that could resolve elsewhere.
      server.listen({ host: '127.0.0.1', port: options.port ?? 0, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'EADDRINUSE') {
        // A local conflict, not the provider's doing: name the port so the admin can find the program.
        throw new OAuthFailure('loopback_port_in_use', `Port ${options.port} on this computer (127.0.0.1) is already used by another program, so Consentry cannot receive the sign-in redirect.`, {
          nextStep: `Close the program listening on port ${options.port} (lsof -i :${options.port} on macOS or Linux, netstat -ano | findstr :${options.port} on Windows shows which), or register another redirect port with the provider and enter it in the connection.`,
        });
      }
      throw error;
    });
    const listener = new LoopbackListener(server, (server.address() as AddressInfo).port, { ...options, path });
    server.on('connection', (socket: Socket) => listener.#track(socket));
    server.on('request', (request, response) => listener.#answer(request, response));
    listener.#timer = setTimeout(() => {
      listener.#fail(
        new OAuthFailure('timeout', `No answer came back from ${options.expect.providerLabel} within ${Math.round((options.timeoutMs ?? defaultAuthorizationTimeoutMs) / 60_000)} minutes.`, {
          nextStep: 'Connect again and finish the sign-in in the browser window that opens.',
        }),
      );
    }, options.timeoutMs ?? defaultAuthorizationTimeoutMs);
    if (options.signal) {
      const onAbort = () => listener.cancel();
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
    return listener;
  }

  cancel(): void {
    this.#fail(new OAuthFailure('cancelled', 'The connection attempt was cancelled.', { nextStep: 'Connect again when you are ready.' }));
  }

  /** Shows the outcome in the browser and closes the listener. */
  async finish(page: CallbackPageContent): Promise<void> {
    const response = this.#heldResponse;
    this.#heldResponse = undefined;
    if (response && !response.writableEnded) this.#send(response, 200, page);
    await this.close();
  }

  close(): Promise<void> {
    clearTimeout(this.#timer);
    const held = this.#heldResponse;
    this.#heldResponse = undefined;
    if (held && !held.writableEnded) this.#send(held, 200, { outcome: 'failed', title: 'Return to Consentry', message: 'Consentry stopped waiting for this sign-in; the app shows the result.' });
    this.#closed ??= new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // server.close waits for every open connection, and one that never sends a request never ends.
    for (const socket of this.#sockets) if (!this.#answering.has(socket)) socket.destroy();
    return this.#closed;
  }

  #track(socket: Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  #answer(request: IncomingMessage, response: ServerResponse): void {
    const socket = request.socket;
    this.#answering.add(socket);
    response.once('close', () => {
      this.#answering.delete(socket);
      if (this.#closed) socket.destroy();
    });
    try {
      this.#handle(request, response);
    } catch (error) {
      // A defect in handling one request must not take the hosting process down with it.
      if (!response.headersSent) this.#plain(response, 500, 'Consentry could not handle this request.');
      this.#fail(new OAuthFailure('internal', 'Consentry could not read the sign-in response.', { nextStep: 'Connect again.', cause: error }));
    }
  }

  #fail(error: OAuthFailure): void {
    if (!this.#decided) {
      this.#decided = true;
      this.#settle.reject(error);
    }
    const response = this.#heldResponse;
    this.#heldResponse = undefined;
    if (response && !response.writableEnded) {
      this.#send(response, 400, { outcome: 'failed', title: 'Not connected', message: error.message, nextStep: error.nextStep });
    }
    void this.close();
  }

  #send(response: ServerResponse, status: number, page: CallbackPageContent): void {
    const { html, headers } = renderCallbackPage(page);
    response.writeHead(status, { ...headers, connection: 'close' });
    response.end(html);
  }

  #plain(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    response.end(text);
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    // A page elsewhere could reach this port through DNS rebinding; only our own host name answers.
    if (request.headers.host !== this.#host) return this.#plain(response, 421, 'Misdirected request.');
    if (request.method !== 'GET') return this.#plain(response, 405, 'Method not allowed.');
    const url = this.#target(request.url);
    if (!url) return this.#plain(response, 400, 'Bad request.');
    if (url.pathname !== this.#path) return this.#plain(response, 404, 'Not found.');
    if (this.#decided) {
      return this.#send(response, 410, {
        outcome: 'failed',
        title: 'Already used',
        message: 'This sign-in response was already received; a second one is not accepted.',
        nextStep: 'Return to Consentry.',
      });
    }
    this.#decided = true;
    clearTimeout(this.#timer);
    const verdict = this.#judge(url.searchParams);
    if (verdict instanceof OAuthFailure) {
      this.#settle.reject(verdict);
      this.#send(response, 400, { outcome: 'failed', title: 'Not connected', message: verdict.message, nextStep: verdict.nextStep });
      void this.close();
      return;
    }
    this.#heldResponse = response;
    // If the owner never finishes (a crash in the exchange), do not leave the browser spinning.
    setTimeout(() => {
      if (this.#heldResponse === response) void this.finish({ outcome: 'failed', title: 'Return to Consentry', message: 'Consentry received the sign-in; the app shows the result.' });
    }, finalPageWaitMs).unref();
    this.#settle.resolve({ code: verdict, url });
  }

  /**
   * The request target as a URL on this listener, or null when it is not a path here: `//[` does
   * not parse at all, and `//other.host/callback` or `/\other.host` parse to another host.
   */
  #target(raw: string | undefined): URL | null {
    if (!raw?.startsWith('/')) return null;
    try {
      const url = new URL(raw, `http://${this.#host}`);
      return url.host === this.#host ? url : null;
    } catch {
      return null;
    }
  }

  /** The code, or why this response is refused. Nothing is redeemed on a refusal. */
  #judge(params: URLSearchParams): string | OAuthFailure {
    const refused = (why: string) =>
      new OAuthFailure('callback_rejected', `The sign-in response was refused: ${why}`, {
        nextStep: 'Connect again. If it keeps happening, another program may be interfering with the sign-in.',
      });
    if (params.getAll('state').length !== 1 || !sameSecretValue(this.#expect.state, params.get('state'))) {
      return refused('it does not belong to the request Consentry sent (state mismatch).');
    }
    const issuers = params.getAll('iss');
    if (issuers.length > 1) return refused('it names more than one issuer.');
    if (issuers.length === 1) {
      // With no published issuer to compare to (some SaaS presets) an `iss` cannot be checked.
      if (this.#expect.issuer !== null && issuers[0] !== this.#expect.issuer) {
        return refused(`it comes from another issuer than ${this.#expect.providerLabel} (mix-up protection, RFC 9207).`);
      }
    } else if (this.#expect.issuerRequired) {
      return refused(`${this.#expect.providerLabel} always names itself in its responses, and this one does not (RFC 9207).`);
    }
    const error = params.get('error');
    if (error !== null) {
      return failureFromOAuthError(error, params.get('error_description') ?? undefined, { providerLabel: this.#expect.providerLabel, redirectUri: this.redirectUri });
    }
    const codes = params.getAll('code');
    if (codes.length !== 1 || codes[0] === '') return refused('it carries no authorization code.');
    return codes[0]!;
  }
}
