/**
 * How a failed Okta Management API call counts: for the scheduler (rate limit, worth retrying, or
 * final) and for the admin (a contract error code and a sentence). Okta throttles per endpoint per
 * minute with 429 E0000047 and `X-Rate-Limit-Reset`, the UTC epoch second the window reopens; the
 * wait is measured against the answer's own Date header so a skewed local clock does not matter.
 */
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { FailureKind } from '../../net/request-scheduler';
import { apiErrorCode, apiFailureMessage, classifyApiFailure, describeApiFailure, readErrorBody, retryAfterSeconds, SaasApiError } from '../saas-api-call';

/** An Okta answer that was not a success: status, Okta's `errorCode` (E0000…) and the wait it asked for; never its summary. */
export class OktaApiError extends SaasApiError {
  override readonly name = 'OktaApiError';

  constructor(
    status: number,
    readonly errorCode: string | null,
    /** Until the rate-limit window reopens, from X-Rate-Limit-Reset (or Retry-After). */
    readonly retryAfterMs: number | null = null,
  ) {
    super('Okta', status, errorCode);
  }
}

/** A window never stays closed longer than a minute; anything longer is a clock problem, not a wait. */
const longestWaitMs = 60_000;

/** How long to wait before the next call, from an answer's rate-limit headers; null when it does not say. */
export function oktaRetryAfterMs(headers: Headers, now: number = Date.now()): number | null {
  const retryAfter = retryAfterSeconds(headers);
  if (retryAfter !== null) return Math.min(retryAfter * 1_000, longestWaitMs);
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return null;
  const serverNow = Date.parse(headers.get('date') ?? '');
  // The Date header has whole seconds: one more second makes sure the window has reopened.
  const wait = reset * 1_000 - (Number.isNaN(serverNow) ? now : serverNow) + 1_000;
  return Math.min(Math.max(wait, 0), longestWaitMs);
}

/** Reads a failed answer: `{errorCode, errorSummary, errorLink, errorId, errorCauses}`. */
export async function oktaApiError(response: Response): Promise<OktaApiError> {
  const body = (await readErrorBody(response)) as { errorCode?: unknown } | undefined;
  const errorCode = typeof body?.errorCode === 'string' && /^E\d{7}$/.test(body.errorCode) ? body.errorCode : null;
  return new OktaApiError(response.status, errorCode, response.status === 429 ? oktaRetryAfterMs(response.headers) : null);
}

const asApiError = (error: unknown): OktaApiError | null => (error instanceof OktaApiError ? error : null);

export function classifyOktaFailure(error: unknown): FailureKind {
  return classifyApiFailure(asApiError(error), (failure) => failure.retryAfterMs);
}

/** A sentence for the list of what a scan could not read. */
export function describeOktaFailure(error: unknown): string {
  return describeApiFailure('Okta', asApiError(error));
}

export function oktaErrorCode(error: unknown): ErrorCode {
  return apiErrorCode(error, asApiError(error));
}

/** What the admin reads when an Okta call failed for good. */
export function oktaFailureMessage(error: unknown): string {
  return apiFailureMessage('Okta', error, oktaErrorCode(error), asApiError(error), {
    needs_reconnect: 'Okta no longer accepts this connection’s token: reconnect it and try again.',
    quota_exhausted: 'Okta kept rate-limiting these calls: try again in a few minutes.',
    permission_denied:
      'Okta refused: reading grants needs okta.users.read, revoking them okta.users.manage (allow revoking grants on the connection), and the admin who signed in needs a matching admin role.',
  });
}
