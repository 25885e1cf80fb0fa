/**
 * One Microsoft Graph call over fetch, sent through the tenant's request scheduler, and paging
 * with `@odata.nextLink`. Plain fetch rather than the Graph SDK: the scheduler owns retries, and
 * JSON batching needs each item's own status and Retry-After, which the SDK's batch helpers hide.
 */
import type { HttpFetch } from '../../net/http-fetch';
import { outboundFetch, type ProviderCallContext } from '../../net/provider-call-context';
import { microsoftCloud } from '../../oauth/microsoft-clouds';
import type { RequestScheduler } from '../../net/request-scheduler';
import { GraphRequestError, graphErrorFromAnswer } from './graph-failure';

/** Where and how to call Graph: the service root (ending in /v1.0), a token, the scheduler. */
export interface GraphEndpoint {
  baseUrl: string;
  accessToken(): Promise<string>;
  scheduler: RequestScheduler;
  signal?: AbortSignal;
  /** The context's outbound fetch (the sample workspace's Graph keeps its pinned certificate inside it). */
  fetch: HttpFetch;
}

export type GraphMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Graph's own limit is not documented per call; a hung connection must not hold a scan forever. */
const callTimeoutMs = 60_000;

export function graphEndpoint(context: ProviderCallContext): GraphEndpoint {
  const baseUrl = (context.apiBaseUrl ?? `${microsoftCloud(context.settings).graph}/v1.0`).replace(/\/+$/, '');
  return { baseUrl, accessToken: () => context.accessToken(), scheduler: context.scheduler, ...(context.signal ? { signal: context.signal } : {}), fetch: outboundFetch(context) };
}

/** An absolute URL on the endpoint's host: a path under the service root, or a nextLink Graph sent. */
export function resolveGraphUrl(endpoint: GraphEndpoint, pathOrUrl: string): string {
  if (!/^https?:/i.test(pathOrUrl)) return `${endpoint.baseUrl}/${pathOrUrl.replace(/^\/+/, '')}`;
  // The token goes to Graph's own host only, whatever a link says.
  if (new URL(pathOrUrl).origin !== new URL(endpoint.baseUrl).origin) throw new GraphRequestError({ code: 'UnexpectedNextLinkHost' });
  return pathOrUrl;
}

/** A successful answer with Graph's `request-id` header, which evidence cites. */
export interface GraphAnswer<T = unknown> {
  body: T;
  requestId: string | null;
  /** The answer's Date header: Graph's clock, whole seconds. */
  date: string | null;
}

/** Sends one request to an absolute URL now (no scheduling); throws GraphRequestError for anything but 2xx. */
export async function sendGraphRequest(endpoint: GraphEndpoint, method: GraphMethod, url: string, body?: unknown): Promise<unknown> {
  return (await sendGraphRequestWithId(endpoint, method, url, body)).body;
}

export async function sendGraphRequestWithId(endpoint: GraphEndpoint, method: GraphMethod, url: string, body?: unknown): Promise<GraphAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${await endpoint.accessToken()}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const signal = endpoint.signal ? AbortSignal.any([endpoint.signal, AbortSignal.timeout(callTimeoutMs)]) : AbortSignal.timeout(callTimeoutMs);
  let response: Response;
  try {
    response = await endpoint.fetch(url, { method, headers, signal, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    if (endpoint.signal?.aborted) throw error;
    throw new GraphRequestError({}, { cause: error });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw graphErrorFromAnswer(response.status, response.headers, parsed);
  return { body: parsed, requestId: response.headers.get('request-id'), date: response.headers.get('date') };
}

/** One call through the scheduler, which retries rate limits and transient failures. */
export async function graphRequest<T = unknown>(endpoint: GraphEndpoint, method: GraphMethod, pathOrUrl: string, body?: unknown): Promise<T> {
  return (await graphRequestWithId<T>(endpoint, method, pathOrUrl, body)).body;
}

/** graphRequest, also giving Graph's request id of the answer. */
export async function graphRequestWithId<T = unknown>(endpoint: GraphEndpoint, method: GraphMethod, pathOrUrl: string, body?: unknown): Promise<GraphAnswer<T>> {
  // Resolved before scheduling: a refused link is final, not something to retry.
  const url = resolveGraphUrl(endpoint, pathOrUrl);
  return (await endpoint.scheduler.schedule(() => sendGraphRequestWithId(endpoint, method, url, body), endpoint.signal ? { signal: endpoint.signal } : {})) as GraphAnswer<T>;
}

export interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

/** Every page of a collection, one scheduled call each; a page that fails ends it with that error. */
export async function* graphPages<T>(endpoint: GraphEndpoint, pathOrUrl: string): AsyncGenerator<T[]> {
  let next: string | undefined = pathOrUrl;
  while (next) {
    const page: GraphPage<T> = await graphRequest<GraphPage<T>>(endpoint, 'GET', next);
    yield page.value ?? [];
    next = page['@odata.nextLink'];
  }
}

/** True for a cancelled scan: it stops instead of being recorded as something it could not read. */
export function isAbort(error: unknown, endpoint: GraphEndpoint): boolean {
  return endpoint.signal?.aborted === true || (error as { name?: string } | null)?.name === 'AbortError';
}
