/**
 * What a failed Microsoft Graph call means: for the scheduler (rate limit, worth retrying, final)
 * and for the admin (one sentence with the status and Graph's error code, never its message).
 */
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import { AppError } from '../../errors/app-error';
import type { FailureKind } from '../../net/request-scheduler';

/** A Graph call (or one item of a $batch) that did not succeed. */
export class GraphRequestError extends Error {
  /** Undefined when Graph was not reached (network, timeout). */
  readonly status: number | undefined;
  /** Graph's `error.code`, e.g. `Authorization_RequestDenied`, when it is a plain identifier. */
  readonly code: string | undefined;
  readonly retryAfterSeconds: number | null;

  constructor(details: { status?: number; code?: string; retryAfterSeconds?: number | null }, options?: { cause?: unknown }) {
    super(sentence(details.status, details.code), options);
    this.name = 'GraphRequestError';
    this.status = details.status;
    this.code = details.code;
    this.retryAfterSeconds = details.retryAfterSeconds ?? null;
  }
}

type HeaderSource = Headers | Record<string, string> | undefined;

function header(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1] ?? null;
}

/** Retry-After in seconds; Graph sends seconds, RFC 9110 also allows an HTTP date. */
function retryAfterSeconds(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1_000));
}

/** Only identifier-like codes are kept: anything else could be provider text. */
function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z][\w.-]{0,79}$/.test(value) ? value : undefined;
}

/** The error for a non-2xx answer, from its status, headers and Graph error body. */
export function graphErrorFromAnswer(status: number, headers: HeaderSource, body: unknown): GraphRequestError {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return new GraphRequestError({ status, code: safeCode(code), retryAfterSeconds: retryAfterSeconds(header(headers, 'retry-after')) });
}

interface FailureFields {
  status?: number;
  statusCode?: number;
  code?: unknown;
  headers?: HeaderSource;
  retryAfterSeconds?: number | null;
  name?: string;
}

/** Status, code and Retry-After of our own errors and of the Graph SDK's GraphError alike. */
function fieldsOf(error: unknown): { status: number | undefined; code: string | undefined; retryAfter: number | null } {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as FailureFields;
  const status = typeof failure.status === 'number' ? failure.status : typeof failure.statusCode === 'number' && failure.statusCode > 0 ? failure.statusCode : undefined;
  const retryAfter = failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds : retryAfterSeconds(header(failure.headers, 'retry-after'));
  return { status, code: safeCode(failure.code), retryAfter };
}

/** How a failed Graph call counts for the scheduler. */
export function classifyGraphFailure(error: unknown): FailureKind {
  if ((error as { name?: string } | null)?.name === 'AbortError') return { kind: 'final' };
  const { status, retryAfter } = fieldsOf(error);
  const retryAfterMs = retryAfter === null ? null : retryAfter * 1_000;
  if (status === 429) return { kind: 'rate_limited', retryAfterMs };
  // Graph answers 503/504 with Retry-After when a service sheds load: that is a request to wait.
  if ((status === 503 || status === 504) && retryAfterMs !== null) return { kind: 'rate_limited', retryAfterMs };
  if (status === undefined || status >= 500) return { kind: 'transient' };
  return { kind: 'final' };
}

function sentence(status: number | undefined, code: string | undefined): string {
  if (status === undefined) return code ? `Microsoft Graph gave an unusable answer (${code}).` : 'Microsoft Graph could not be reached.';
  return `Microsoft Graph answered ${status}${code ? ` (${code})` : ''}.`;
}

/** A sentence for the list of what a scan or revocation could not do. */
export function describeGraphFailure(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const { status, code } = fieldsOf(error);
  return sentence(status, code);
}

/** The contract code for a failed Graph call, once the scheduler has given up on it. */
export function graphFailureCode(error: unknown): ErrorCode {
  // Our own verdict, such as a connection that needs a reconnect: it keeps its code.
  if (error instanceof AppError) return error.code;
  const { status } = fieldsOf(error);
  if (status === undefined) return 'network';
  if (status === 401) return 'needs_reconnect';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 429) return 'quota_exhausted';
  return 'provider_error';
}
