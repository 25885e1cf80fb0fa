/**
 * How a failed Salesforce call counts: for the scheduler (rate limit, worth retrying, or final) and
 * for the admin (a contract error code and a sentence). Salesforce's API limit is per org per 24
 * hours: 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded" does not lift within a scan, so
 * it is final, never retried; the concurrent long-request limit of the same code lifts in seconds.
 */
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { FailureKind } from '../../net/request-scheduler';
import { apiErrorCode, apiFailureMessage, classifyApiFailure, describeApiFailure, readErrorBody, SaasApiError } from '../saas-api-call';

/** A Salesforce answer that was not a success: its status and error code, never its message text or a token. */
export class SalesforceApiError extends SaasApiError {
  override readonly name = 'SalesforceApiError';

  constructor(
    status: number,
    /** REST `errorCode` (REQUEST_LIMIT_EXCEEDED, INVALID_SESSION_ID…) or the OAuth endpoint's `error`. */
    readonly errorCode: string | null,
    /** Which limit a REQUEST_LIMIT_EXCEEDED names (`TotalRequests`, `ConcurrentPerOrgLongTxn`). */
    readonly limit: string | null = null,
  ) {
    super('Salesforce', status, errorCode);
  }
}

/** Reads a failed answer: REST errors are `[{message, errorCode}]`, the OAuth endpoints' `{error, error_description}`. */
export async function salesforceApiError(response: Response): Promise<SalesforceApiError> {
  const body = await readErrorBody(response);
  const first = (Array.isArray(body) ? body[0] : body) as { errorCode?: unknown; error?: unknown; message?: unknown } | undefined;
  const code = typeof first?.errorCode === 'string' ? first.errorCode : typeof first?.error === 'string' ? first.error : null;
  const limit = code === 'REQUEST_LIMIT_EXCEEDED' && typeof first?.message === 'string' ? (/^(\w+) Limit exceeded/i.exec(first.message)?.[1] ?? null) : null;
  return new SalesforceApiError(response.status, code, limit);
}

const asApiError = (error: unknown): SalesforceApiError | null => (error instanceof SalesforceApiError ? error : null);

/** Over one of the org's request limits: the daily one, or the concurrent long-request one. */
const isRequestLimit = (failure: SalesforceApiError) => failure.status === 403 && failure.errorCode === 'REQUEST_LIMIT_EXCEEDED';

const isDailyLimit = (failure: SalesforceApiError) => isRequestLimit(failure) && failure.limit !== 'ConcurrentPerOrgLongTxn';

export function classifySalesforceFailure(error: unknown): FailureKind {
  const failure = asApiError(error);
  if (failure && isRequestLimit(failure)) return isDailyLimit(failure) ? { kind: 'final' } : { kind: 'rate_limited', retryAfterMs: null };
  // Salesforce sends no Retry-After: the scheduler backs off on its own.
  return classifyApiFailure(failure, () => null);
}

/** A sentence for the list of what a scan could not read. */
export function describeSalesforceFailure(error: unknown): string {
  const failure = asApiError(error);
  if (failure && isDailyLimit(failure)) return 'Salesforce’s daily API request limit for the org is used up (403 REQUEST_LIMIT_EXCEEDED).';
  return describeApiFailure('Salesforce', failure);
}

export function salesforceErrorCode(error: unknown): ErrorCode {
  return apiErrorCode(error, asApiError(error), isRequestLimit);
}

/** What the admin reads when a Salesforce call failed for good. */
export function salesforceFailureMessage(error: unknown): string {
  const failure = asApiError(error);
  return apiFailureMessage('Salesforce', error, salesforceErrorCode(error), failure, {
    needs_reconnect: 'Salesforce no longer accepts this connection’s session: reconnect it and try again.',
    quota_exhausted:
      failure && isDailyLimit(failure)
        ? 'Salesforce’s daily API request limit for the org is used up: try again once the 24-hour window frees calls (Setup › Company Information shows the usage).'
        : 'Salesforce kept refusing calls over its request limits: try again in a few minutes.',
    permission_denied: 'Salesforce refused: the connected user lacks the permission for this (Customize Application is needed to see and revoke every user’s tokens).',
  });
}
