/**
 * How a failed Okta Management API call counts: for the scheduler (rate limit, worth retrying, or
 * final) and for the admin (a contract error code and a sentence). Okta throttles per endpoint per
 * minute with 429 E0000047 and `X-Rate-Limit-Reset`, the UTC epoch second the window reopens; the
 * wait is measured against the answer's own Date header so a skewed local clock does not matter.
 */
import type { ErrorCode } from '../../../src-preload/contract';
import type { FailureKind } from '../../net/request-scheduler';

/** An Okta answer that was not a success: status, Okta's `errorCode` (E0000…) and the wait it asked for; never its summary. */
export class OktaApiError extends Error {
  override readonly name = 'OktaApiError';

  constructor(
    readonly status: number,
    readonly errorCode: string | null,
    /** Until the rate-limit window reopens, from X-Rate-Limit-Reset (or Retry-After). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(`Okta answered ${status}${errorCode ? ` (${errorCode})` : ''}.`);
  }
}

/** A window never stays closed longer than a minute; anything longer is a clock problem, not a wait. */
const longestWaitMs = 60_000;

/** How long to wait before the next call, from an answer's rate-limit headers; null when it does not say. */
export function oktaRetryAfterMs(headers: Headers, now: number = Date.now()): number | null {
  const retryAfter = Number(headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(retryAfter * 1_000, longestWaitMs);
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return null;
  const serverNow = Date.parse(headers.get('date') ?? '');
  // The Date header has whole seconds: one more second makes sure the window has reopened.
  const wait = reset * 1_000 - (Number.isNaN(serverNow) ? now : serverNow) + 1_000;
  return Math.min(Math.max(wait, 0), longestWaitMs);
}

/** Reads a failed answer: `{errorCode, errorSummary, errorLink, errorId, errorCauses}`. */
export async function oktaApiError(response: Response): Promise<OktaApiError> {
  let body: { errorCode?: unknown } | undefined;
  try {
    body = (await response.json()) as { errorCode?: unknown };
  } catch {
    body = undefined;
  }
  const errorCode = typeof body?.errorCode === 'string' && /^E\d{7}$/.test(body.errorCode) ? body.errorCode : null;
  return new OktaApiError(response.status, errorCode, response.status === 429 ? oktaRetryAfterMs(response.headers) : null);
}

const asApiError = (error: unknown): OktaApiError | null => (error instanceof OktaApiError ? error : null);

export function classifyOktaFailure(error: unknown): FailureKind {
  const failure = asApiError(error);
  // No answer at all: a network failure or a timeout.
  if (!failure) return { kind: 'transient' };
  if (failure.status === 429) return { kind: 'rate_limited', retryAfterMs: failure.retryAfterMs };
  if (failure.status >= 500 || failure.status === 408) return { kind: 'transient' };
  return { kind: 'final' };
}

/** A sentence for the list of what a scan could not read. */
export function describeOktaFailure(error: unknown): string {
  return asApiError(error)?.message ?? 'Okta could not be reached.';
}

export function oktaErrorCode(error: unknown): ErrorCode {
  if ((error as { name?: string } | null)?.name === 'AbortError') return 'cancelled';
  const failure = asApiError(error);
  if (!failure) return 'network';
  if (failure.status === 401) return 'needs_reconnect';
  if (failure.status === 429) return 'quota_exhausted';
  if (failure.status === 403) return 'permission_denied';
  return 'provider_error';
}

/** What the admin reads when an Okta call failed for good. */
export function oktaFailureMessage(error: unknown): string {
  switch (oktaErrorCode(error)) {
    case 'cancelled':
      return 'Cancelled before Okta answered.';
    case 'needs_reconnect':
      return 'Okta no longer accepts this connection’s token: reconnect it and try again.';
    case 'quota_exhausted':
      return 'Okta kept rate-limiting these calls: try again in a few minutes.';
    case 'permission_denied':
      return 'Okta refused: reading grants needs okta.users.read, revoking them okta.users.manage (the remediate profile), and the admin who signed in needs a matching admin role.';
    case 'network':
      return 'Okta could not be reached.';
    default:
      return describeOktaFailure(error);
  }
}
