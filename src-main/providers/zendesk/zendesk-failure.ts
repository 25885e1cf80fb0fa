/**
 * How a failed Zendesk call counts: for the scheduler (rate limit, worth retrying, or final) and
 * for the admin (a contract error code and a sentence). Zendesk throttles per minute with 429 and
 * Retry-After in seconds; a 503 (which may also carry Retry-After) is an outage, retried with backoff.
 */
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { FailureKind } from '../../net/request-scheduler';
import { apiErrorCode, apiFailureMessage, classifyApiFailure, describeApiFailure, readErrorBody, retryAfterSeconds, SaasApiError } from '../saas-api-call';

/** A Zendesk answer that was not a success: status, Zendesk's `error` word and Retry-After; never its description. */
export class ZendeskApiError extends SaasApiError {
  override readonly name = 'ZendeskApiError';

  constructor(
    status: number,
    /** `RecordNotFound`, `Forbidden`, `APIRateLimitExceeded`… */
    readonly error: string | null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super('Zendesk', status, error);
  }
}

/** Reads a failed answer: `{error, description}` (some endpoints nest `{error: {title, message}}`). */
export async function zendeskApiError(response: Response): Promise<ZendeskApiError> {
  const body = (await readErrorBody(response)) as { error?: unknown } | undefined;
  const raw = body?.error;
  const error = typeof raw === 'string' ? raw : typeof (raw as { title?: unknown } | undefined)?.title === 'string' ? (raw as { title: string }).title : null;
  // Only a short word: "Couldn't authenticate you" and the like, never free text.
  return new ZendeskApiError(response.status, error && error.length <= 60 ? error : null, retryAfterSeconds(response.headers));
}

const asApiError = (error: unknown): ZendeskApiError | null => (error instanceof ZendeskApiError ? error : null);

export function classifyZendeskFailure(error: unknown): FailureKind {
  return classifyApiFailure(asApiError(error), (failure) => (failure.retryAfterSeconds === null ? null : failure.retryAfterSeconds * 1_000));
}

/** A sentence for the list of what a scan could not read. */
export function describeZendeskFailure(error: unknown): string {
  return describeApiFailure('Zendesk', asApiError(error));
}

export function zendeskErrorCode(error: unknown): ErrorCode {
  return apiErrorCode(error, asApiError(error));
}

/** What the admin reads when a Zendesk call failed for good. */
export function zendeskFailureMessage(error: unknown): string {
  return apiFailureMessage('Zendesk', error, zendeskErrorCode(error), asApiError(error), {
    needs_reconnect: 'Zendesk no longer accepts this connection’s token: reconnect it and try again.',
    quota_exhausted: 'Zendesk kept rate-limiting the account’s API calls: try again in a few minutes.',
    permission_denied: 'Zendesk refused: listing every user’s tokens needs an admin and the read scope, deleting them the write scope (allow revoking grants on the connection).',
  });
}
