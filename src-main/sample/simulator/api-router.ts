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
  /** Parsed JSON body, or undefined. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** Scopes of the access token that authorised the call. */
  scopes: ReadonlySet<string>;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Matched against the path; named groups become `params`. */
  pattern: RegExp;
  /** Any one of these scopes authorises the call. */
  anyOfScopes: readonly string[];
  /** A name for the request log, e.g. `directory.users.list`. */
  name: string;
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
  status: number;
}

export interface ApiServerOptions {
  routes: readonly ApiRoute[];
  errors: ApiErrorShapes;
  /** The scopes of a live access token, or null when it is unknown, expired or revoked. */
  authenticate(token: string): Promise<ReadonlySet<string> | null>;
  /** Every answered call is appended here. */
  calls: ApiCall[];
  /** Faults and latency are applied by the caller's plan before the route runs. */
  beforeRoute?(route: ApiRoute, request: ApiRequest): Promise<ApiResponse | undefined>;
  clock?: () => number;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  return JSON.parse(text) as unknown;
}

function send(response: ServerResponse, answer: ApiResponse): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...answer.headers };
  if (answer.body === undefined) {
    response.writeHead(answer.status, headers).end();
    return;
  }
  response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(answer.body));
}

/** The request listener of one simulated API host. */
export function createApiListener(options: ApiServerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const clock = options.clock ?? Date.now;
  return (incoming, response) => {
    void (async () => {
      const url = new URL(incoming.url ?? '/', 'http://simulator');
      const method = (incoming.method ?? 'GET').toUpperCase();
      let routeName = 'unrouted';
      const answer = await (async (): Promise<ApiResponse> => {
        const matched = options.routes
          .map((route) => ({ route, match: route.method === method ? route.pattern.exec(url.pathname) : null }))
          .find((candidate) => candidate.match !== null);
        if (!matched?.match) return options.errors.notFound(url.pathname);
        routeName = matched.route.name;
        const token = /^Bearer (.+)$/i.exec(incoming.headers.authorization ?? '')?.[1];
        const scopes = token ? await options.authenticate(token) : null;
        if (!scopes) return options.errors.unauthenticated();
        if (!matched.route.anyOfScopes.some((scope) => scopes.has(scope))) return options.errors.insufficientScopes();
        let body: unknown;
        try {
          body = await readJson(incoming);
        } catch {
          return options.errors.badRequest('The request body is not valid JSON.');
        }
        const request: ApiRequest = { method, path: url.pathname, query: url.searchParams, body, headers: incoming.headers, scopes };
        const fault = await options.beforeRoute?.(matched.route, request);
        if (fault) return fault;
        return matched.route.handle(request, { ...matched.match.groups });
      })().catch((error: unknown) => ({ status: 500, body: { error: { code: 500, message: error instanceof Error ? error.message : 'Internal error' } } }));
      options.calls.push({ at: clock(), name: routeName, method, path: url.pathname, status: answer.status });
      send(response, answer);
    })();
  };
}
