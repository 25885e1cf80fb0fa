/**
 * How a failed Zendesk call counts: for the scheduler (rate limit, worth retrying, or final) and
 * for the admin (a contract error code and a sentence). Zendesk throttles per minute with 429 and
 * Retry-After in seconds; a 503 (which may also carry Retry-After) is an outage, retried with backoff.
 */
import type { ErrorCode } from '../../../src-preload/contract';
import type { FailureKind } from '../../net/request-scheduler';

/** A Zendesk answer that was not a success: status, Zendesk's `error` word and Retry-After; never its description. */
export class ZendeskApiError extends Error {
  override readonly name = 'ZendeskApiError';

  constructor(
    readonly status: number,
    /** `RecordNotFound`, `Forbidden`, `APIRateLimitExceeded`… */
    readonly error: string | null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`Zendesk answered ${status}${error ? ` (${error})` : ''}.`);
  }
}

/** Reads a failed answer: `{error, description}` (some endpoints nest `{error: {title, message}}`). */
export async function zendeskApiError(response: Response): Promise<ZendeskApiError> {
  let body: { error?: unknown } | undefined;
  try {
    body = (await response.json()) as { error?: unknown };
  } catch {
    body = undefined;
  }
  const raw = body?.error;
  const error = typeof raw === 'string' ? raw : typeof (raw as { title?: unknown } | undefined)?.title === 'string' ? (raw as { title: string }).title : null;
  const retryAfter = Number(response.headers.get('retry-after'));
  // Only a short word: "Couldn't authenticate you" and the like, never free text.
  return new ZendeskApiError(response.status, error && error.length <= 60 ? error : null, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}

const asApiError = (error: unknown): ZendeskApiError | null => (error instanceof ZendeskApiError ? error : null);

export function classifyZendeskFailure(error: unknown): FailureKind {
  const failure = asApiError(error);
  // No answer at all: a network failure or a timeout.
  if (!failure) return { kind: 'transient' };
  if (failure.status === 429) return { kind: 'rate_limited', retryAfterMs: failure.retryAfterSeconds === null ? null : failure.retryAfterSeconds * 1_000 };
  if (failure.status >= 500 || failure.status === 408) return { kind: 'transient' };
  return { kind: 'final' };
}

/** A sentence for the list of what a scan could not read. */
export function describeZendeskFailure(error: unknown): string {
  return asApiError(error)?.message ?? 'Zendesk could not be reached.';
}

export function zendeskErrorCode(error: unknown): ErrorCode {
  if ((error as { name?: string } | null)?.name === 'AbortError') return 'cancelled';
  const failure = asApiError(error);
  if (!failure) return 'network';
  if (failure.status === 401) return 'needs_reconnect';
  if (failure.status === 429) return 'quota_exhausted';
  if (failure.status === 403) return 'permission_denied';
  return 'provider_error';
}

/** What the admin reads when a Zendesk call failed for good. */
export function zendeskFailureMessage(error: unknown): string {
  switch (zendeskErrorCode(error)) {
    case 'cancelled':
      return 'Cancelled before Zendesk answered.';
    case 'needs_reconnect':
      return 'Zendesk no longer accepts this connection’s token: reconnect it and try again.';
    case 'quota_exhausted':
      return 'Zendesk kept rate-limiting the account’s API calls: try again in a few minutes.';
    case 'permission_denied':
      return 'Zendesk refused: listing every user’s tokens needs an admin and the read scope, deleting them the write scope (reconnect with the remediate profile).';
    case 'network':
      return 'Zendesk could not be reached.';
    default:
      return describeZendeskFailure(error);
  }
}
