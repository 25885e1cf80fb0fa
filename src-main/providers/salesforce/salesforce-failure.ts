/**
 * How a failed Salesforce call counts: for the scheduler (rate limit, worth retrying, or final) and
 * for the admin (a contract error code and a sentence). Salesforce's API limit is per org per 24
 * hours: 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded" does not lift within a scan, so
 * it is final, never retried; the concurrent long-request limit of the same code lifts in seconds.
 */
import type { ErrorCode } from '../../../src-preload/contract';
import type { FailureKind } from '../../net/request-scheduler';

/** A Salesforce answer that was not a success: its status and error code, never its message text or a token. */
export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';

  constructor(
    readonly status: number,
    /** REST `errorCode` (REQUEST_LIMIT_EXCEEDED, INVALID_SESSION_ID…) or the OAuth endpoint's `error`. */
    readonly errorCode: string | null,
    /** Which limit a REQUEST_LIMIT_EXCEEDED names (`TotalRequests`, `ConcurrentPerOrgLongTxn`). */
    readonly limit: string | null = null,
  ) {
    super(`Salesforce answered ${status}${errorCode ? ` (${errorCode})` : ''}.`);
  }
}

/** Reads a failed answer: REST errors are `[{message, errorCode}]`, the OAuth endpoints' `{error, error_description}`. */
export async function salesforceApiError(response: Response): Promise<SalesforceApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const first = (Array.isArray(body) ? body[0] : body) as { errorCode?: unknown; error?: unknown; message?: unknown } | undefined;
  const code = typeof first?.errorCode === 'string' ? first.errorCode : typeof first?.error === 'string' ? first.error : null;
  const limit = code === 'REQUEST_LIMIT_EXCEEDED' && typeof first?.message === 'string' ? (/^(\w+) Limit exceeded/i.exec(first.message)?.[1] ?? null) : null;
  return new SalesforceApiError(response.status, code, limit);
}

const asApiError = (error: unknown): SalesforceApiError | null => (error instanceof SalesforceApiError ? error : null);

const isDailyLimit = (failure: SalesforceApiError) => failure.status === 403 && failure.errorCode === 'REQUEST_LIMIT_EXCEEDED' && failure.limit !== 'ConcurrentPerOrgLongTxn';

export function classifySalesforceFailure(error: unknown): FailureKind {
  const failure = asApiError(error);
  // No answer at all: a network failure or a timeout.
  if (!failure) return { kind: 'transient' };
  if (failure.status === 403 && failure.errorCode === 'REQUEST_LIMIT_EXCEEDED') return isDailyLimit(failure) ? { kind: 'final' } : { kind: 'rate_limited', retryAfterMs: null };
  if (failure.status === 429) return { kind: 'rate_limited', retryAfterMs: null };
  if (failure.status >= 500 || failure.status === 408) return { kind: 'transient' };
  return { kind: 'final' };
}

/** A sentence for the list of what a scan could not read. */
export function describeSalesforceFailure(error: unknown): string {
  const failure = asApiError(error);
  if (!failure) return 'Salesforce could not be reached.';
  if (isDailyLimit(failure)) return 'Salesforce’s daily API request limit for the org is used up (403 REQUEST_LIMIT_EXCEEDED).';
  return failure.message;
}

export function salesforceErrorCode(error: unknown): ErrorCode {
  if ((error as { name?: string } | null)?.name === 'AbortError') return 'cancelled';
  const failure = asApiError(error);
  if (!failure) return 'network';
  if (failure.status === 401) return 'needs_reconnect';
  if (failure.status === 429 || (failure.status === 403 && failure.errorCode === 'REQUEST_LIMIT_EXCEEDED')) return 'quota_exhausted';
  if (failure.status === 403) return 'permission_denied';
  return 'provider_error';
}

/** What the admin reads when a Salesforce call failed for good. */
export function salesforceFailureMessage(error: unknown): string {
  const failure = asApiError(error);
  switch (salesforceErrorCode(error)) {
    case 'cancelled':
      return 'Cancelled before Salesforce answered.';
    case 'needs_reconnect':
      return 'Salesforce no longer accepts this connection’s session: reconnect it and try again.';
    case 'quota_exhausted':
      return failure && isDailyLimit(failure)
        ? 'Salesforce’s daily API request limit for the org is used up: try again once the 24-hour window frees calls (Setup › Company Information shows the usage).'
        : 'Salesforce kept refusing calls over its request limits: try again in a few minutes.';
    case 'permission_denied':
      return 'Salesforce refused: the connected user lacks the permission for this (Customize Application is needed to see and revoke every user’s tokens).';
    case 'network':
      return 'Salesforce could not be reached.';
    default:
      return failure?.message ?? 'Salesforce answered with an error.';
  }
}
