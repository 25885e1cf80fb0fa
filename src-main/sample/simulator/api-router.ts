/**
 * The HTTP side of a simulated provider API: routes with the scopes they need, bearer-token
 * authentication against the simulated authorization server, the provider's own error bodies, and
 * a log of every call (for quota, tests and benchmarks).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (or the raw text for `bodyFormat: 'text'` routes), or undefined. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** Scopes of the access token that authorised the call. */
  scopes: ReadonlySet<string>;
  /** Runs one inner request of a batch through the same routes, checks, faults and call log. */
  dispatch(inner: InnerRequest): Promise<ApiResponse>;
}

/** One request inside a batch, authorised by the batch's own token. */
export interface InnerRequest {
  method: string;
  /** Path and query, e.g. `/admin/directory/v1/users/x/tokens`. */
  target: string;
  headers: IncomingHttpHeaders;
  bodyText: string;
}

export interface ApiResponse {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with the content type from `headers` (multipart batch answers). */
  rawBody?: string;
  headers?: Record<string, string>;
  /**
   * The state changes this call applied, each named `<change>:<subject>` (e.g.
   * `google.asp.delete:<userId>:<codeId>`); absent or empty when it changed nothing. Not sent: the
   * request log keeps them, so a test or benchmark can prove each change was applied once.
   */
  effects?: string[];
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Matched against the path; named groups become `params`. */
  pattern: RegExp;
  /** Any one of these scopes authorises the call. */
  anyOfScopes: readonly string[];
  /** A name for the request log, e.g. `directory.users.list`. */
  name: string;
  /** `text`: the route reads the body itself (multipart batches). */
  bodyFormat?: 'json' | 'text';
  /** A batch: not a call of its own; its inner requests are logged, counted and faulted. */
  container?: boolean;
  handle(request: ApiRequest, params: Record<string, string>): ApiResponse | Promise<ApiResponse>;
}

/** How each provider words its errors. */
export interface ApiErrorShapes {
  unauthenticated(): ApiResponse;
  insufficientScopes(): ApiResponse;
  notFound(path: string): ApiResponse;
  badRequest(message: string): ApiResponse;
}

export interface ApiCall {
  at: number;
  name: string;
  method: string;
  path: string;
  /** The route's answer: for a lost answer, what the provider did (the client got `lostAnswer` instead). */
  status: number;
  /** The state changes the call applied (see ApiResponse.effects), kept when its answer was lost. */
  effects?: string[];
  /** The change was applied but its answer lost: the client got an unavailable answer, or the connection was dropped. */
  lostAnswer?: LostAnswer['as'];
}

/** An answer lost after the route ran (see FaultPlanOptions.lostAnswerRate). */
export type LostAnswer = { as: 'unavailable'; answer: ApiResponse } | { as: 'dropped' };

export interface ApiServerOptions {
  routes: readonly ApiRoute[];
  errors: ApiErrorShapes;
  /** The scopes of a live access token, or null when it is unknown, expired or revoked. */
  authenticate(token: string): Promise<ReadonlySet<string> | null>;
  /** Every answered call is appended here. */
  calls: ApiCall[];
  /** Faults and latency are applied by the caller's plan before the route runs. */
  beforeRoute?(route: ApiRoute, request: ApiRequest): Promise<ApiResponse | undefined>;
  /**
   * After the route ran: whether its answer is lost. `canDrop` is false inside a batch, whose
   * items share the batch's connection.
   */
  afterRoute?(route: ApiRoute, answer: ApiResponse, canDrop: boolean): LostAnswer | undefined;
  clock?: () => number;
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, answer: ApiResponse): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...answer.headers };
  if (answer.rawBody !== undefined) {
    response.writeHead(answer.status, headers).end(answer.rawBody);
    return;
  }
  if (answer.body === undefined) {
    response.writeHead(answer.status, headers).end();
    return;
  }
  response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(answer.body));
}

interface IncomingApiRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  bodyText: string;
  /** Inner requests of a batch carry the batch's scopes instead of a token. */
  scopes?: ReadonlySet<string>;
}

/** What goes back to the client: an answer, or (a lost answer) the connection closed without one. */
interface Reply {
  answer: ApiResponse;
  dropConnection: boolean;
}

/** Routes, authenticates, checks scopes, applies the fault plan and logs one request. */
async function answer(options: ApiServerOptions, incoming: IncomingApiRequest): Promise<Reply> {
  const clock = options.clock ?? Date.now;
  let routeName = 'unrouted';
  let logged = true;
  let route: ApiRoute | undefined;
  const response = await (async (): Promise<ApiResponse> => {
    const matched = options.routes
      .map((route) => ({ route, match: route.method === incoming.method ? route.pattern.exec(incoming.url.pathname) : null }))
      .find((candidate) => candidate.match !== null);
    if (!matched?.match) return options.errors.notFound(incoming.url.pathname);
    route = matched.route;
    routeName = matched.route.name;
    logged = !matched.route.container;
    let scopes = incoming.scopes ?? null;
    if (!scopes) {
      const token = /^Bearer (.+)$/i.exec(String(incoming.headers.authorization ?? ''))?.[1];
      scopes = token ? await options.authenticate(token) : null;
    }
    if (!scopes) return options.errors.unauthenticated();
    if (!matched.route.anyOfScopes.some((scope) => scopes.has(scope))) return options.errors.insufficientScopes();
    let body: unknown = incoming.bodyText;
    if (matched.route.bodyFormat !== 'text') {
      try {
        body = incoming.bodyText.trim() === '' ? undefined : (JSON.parse(incoming.bodyText) as unknown);
      } catch {
        return options.errors.badRequest('The request body is not valid JSON.');
      }
    }
    const authorisedScopes = scopes;
    const request: ApiRequest = {
      method: incoming.method,
      path: incoming.url.pathname,
      query: incoming.url.searchParams,
      body,
      headers: incoming.headers,
      scopes: authorisedScopes,
      dispatch: async (inner) =>
        (await answer(options, { method: inner.method.toUpperCase(), url: new URL(inner.target, 'http://simulator'), headers: inner.headers, bodyText: inner.bodyText, scopes: authorisedScopes })).answer,
    };
    if (!matched.route.container) {
      const fault = await options.beforeRoute?.(matched.route, request);
      if (fault) return fault;
    }
    return matched.route.handle(request, { ...matched.match.groups });
  })().catch((error: unknown): ApiResponse => ({ status: 500, body: { error: { code: 500, message: error instanceof Error ? error.message : 'Internal error' } } }));
  const lost = route && logged ? options.afterRoute?.(route, response, incoming.scopes === undefined) : undefined;
  if (logged) {
    options.calls.push({
      at: clock(),
      name: routeName,
      method: incoming.method,
      path: incoming.url.pathname,
      status: response.status,
      ...(response.effects?.length ? { effects: response.effects } : {}),
      ...(lost ? { lostAnswer: lost.as } : {}),
    });
  }
  if (lost?.as === 'dropped') return { answer: response, dropConnection: true };
  return { answer: lost?.as === 'unavailable' ? lost.answer : response, dropConnection: false };
}

/** The request listener of one simulated API host. */
export function createApiListener(options: ApiServerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (incoming, response) => {
    void (async () => {
      const bodyText = await readText(incoming);
      const reply = await answer(options, {
        method: (incoming.method ?? 'GET').toUpperCase(),
        url: new URL(incoming.url ?? '/', 'http://simulator'),
        headers: incoming.headers,
        bodyText,
      });
      // The change is applied and logged; the client hears nothing but the connection closing.
      if (reply.dropConnection) response.socket?.destroy();
      else send(response, reply.answer);
    })();
  };
}
