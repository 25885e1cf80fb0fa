/**
 * What the REST clients of the SaaS admin APIs in the grant audit (Salesforce, Zendesk, Okta) do
 * alike: one authorised call through the tenant's scheduler, and how a failed one counts, for the
 * scheduler (429 waits, 408 and 5xx are retried, the rest is final) and for the admin (a contract
 * error code and a sentence). Each provider keeps its own rules in its own file and passes them
 * in: how long a 429 asks to wait, which other refusals mean a used-up quota, and its sentences.
 */
import type { ErrorCode } from '../../src-shared/domain/error-codes';
import { AppError } from '../errors/app-error';
import { outboundFetch, type ProviderCallContext } from '../net/provider-call-context';
import type { FailureKind } from '../net/request-scheduler';

/** One call that hangs this long is retried as a transient failure. */
const requestTimeoutMs = 60_000;

export interface BearerCall<T> {
  /** GET unless said. */
  method?: string;
  /** Sent as an application/x-www-form-urlencoded body. */
  form?: Record<string, string>;
  /** Sent as a JSON body (a Zendesk or Salesforce update). */
  json?: unknown;
  /** Goes ahead of the calls already queued, for the next page of a listing. */
  urgent?: boolean;
  /** Reads a non-2xx answer into the error the call throws. */
  failure(response: Response): Promise<Error>;
  /** Reads a success, while the call still holds its place in the schedule. */
  read(response: Response): Promise<T>;
}

/**
 * One call with the context's fetch and the connection's bearer token, through the tenant's scheduler.
 * The caller builds `url` from the org's own base URL, so the token goes nowhere else.
 */
export function scheduleBearerCall<T>(context: ProviderCallContext, url: string, call: BearerCall<T>): Promise<T> {
  return context.scheduler.schedule(() => sendBearerCall(context, url, call), { signal: context.signal, urgent: call.urgent === true });
}

/** The call itself, sent now: for a caller that schedules it its own way (a change that must not be repeated blindly). */
export async function sendBearerCall<T>(context: ProviderCallContext, url: string, call: BearerCall<T>): Promise<T> {
  const timeout = AbortSignal.timeout(requestTimeoutMs);
  const headers: Record<string, string> = { authorization: `Bearer ${await context.accessToken()}`, accept: 'application/json' };
  if (call.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (call.json !== undefined) headers['content-type'] = 'application/json';
  const response = await outboundFetch(context)(url, {
    method: call.method ?? 'GET',
    headers,
    ...(call.form ? { body: new URLSearchParams(call.form).toString() } : {}),
    ...(call.json !== undefined ? { body: JSON.stringify(call.json) } : {}),
    signal: context.signal ? AbortSignal.any([context.signal, timeout]) : timeout,
  });
  if (!response.ok) throw await call.failure(response);
  return call.read(response);
}

/** A success's JSON body; a 204 has none. */
export async function jsonBody<T>(response: Response): Promise<T | undefined> {
  return response.status === 204 ? undefined : ((await response.json()) as T);
}

/** An answer that was not a success: its status and the provider's short error code, never its free text or a token. */
export class SaasApiError extends Error {
  constructor(
    provider: string,
    readonly status: number,
    code: string | null,
  ) {
    super(`${provider} answered ${status}${code ? ` (${code})` : ''}.`);
  }
}

/** A failed answer's JSON body, or undefined when it has none (an HTML error page, an empty 502). */
export async function readErrorBody(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** Retry-After as a positive number of seconds, or null when it is absent or says something else. */
export function retryAfterSeconds(headers: Headers): number | null {
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

/**
 * How a failed call counts for the scheduler: no answer at all (a network failure or a timeout)
 * and outages are retried, a 429 waits as long as `waitMs` reads from it, anything else is final.
 */
export function classifyApiFailure<E extends SaasApiError>(failure: E | null, waitMs: (failure: E) => number | null): FailureKind {
  if (!failure) return { kind: 'transient' };
  if (failure.status === 429) return { kind: 'rate_limited', retryAfterMs: waitMs(failure) };
  if (failure.status >= 500 || failure.status === 408) return { kind: 'transient' };
  return { kind: 'final' };
}

/** A sentence for the list of what a scan could not read. */
export function describeApiFailure(provider: string, failure: SaasApiError | null): string {
  return failure?.message ?? `${provider} could not be reached.`;
}

/** The contract's error code for a failed call; `overQuota` names the provider's quota refusals besides 429. */
export function apiErrorCode<E extends SaasApiError>(error: unknown, failure: E | null, overQuota: (failure: E) => boolean = () => false): ErrorCode {
  if ((error as { name?: string } | null)?.name === 'AbortError') return 'cancelled';
  // Our own verdict, such as a connection that needs a reconnect: it keeps its code.
  if (error instanceof AppError) return error.code;
  if (!failure) return 'network';
  if (failure.status === 401) return 'needs_reconnect';
  if (failure.status === 429 || overQuota(failure)) return 'quota_exhausted';
  if (failure.status === 403) return 'permission_denied';
  return 'provider_error';
}

/** The refusals each provider words itself: what to reconnect, what to wait for, what permission is missing. */
export type RefusalSentences = Record<'needs_reconnect' | 'quota_exhausted' | 'permission_denied', string>;

/** What the admin reads when a call failed for good, from its contract error code; an AppError says it itself. */
export function apiFailureMessage(provider: string, error: unknown, code: ErrorCode, failure: SaasApiError | null, refusals: RefusalSentences): string {
  if (error instanceof AppError) return error.message;
  switch (code) {
    case 'cancelled':
      return `Cancelled before ${provider} answered.`;
    case 'needs_reconnect':
    case 'quota_exhausted':
    case 'permission_denied':
      return refusals[code];
    case 'network':
      return `${provider} could not be reached.`;
    default:
      return describeApiFailure(provider, failure);
  }
}
