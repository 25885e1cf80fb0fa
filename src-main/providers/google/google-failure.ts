import { AppError } from '../../errors/app-error';
import type { FailureKind } from '../../net/request-scheduler';

interface GaxiosLike {
  status?: number;
  code?: string;
  response?: { status?: number; headers?: { get?(name: string): string | null } | Record<string, string>; data?: { error?: { errors?: { reason?: string }[] } } };
}

const rateLimitReasons = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded']);

function header(headers: NonNullable<GaxiosLike['response']>['headers'], name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name);
  return (headers as Record<string, string>)[name] ?? null;
}

/** How a failed Google API call counts for the scheduler: rate limit, worth retrying, or final. */
export function classifyGoogleFailure(error: unknown): FailureKind {
  const failure = (error ?? {}) as GaxiosLike;
  const status = failure.response?.status ?? failure.status;
  const reason = failure.response?.data?.error?.errors?.[0]?.reason;
  if (status === 429 || (status === 403 && reason !== undefined && rateLimitReasons.has(reason))) {
    const retryAfter = Number(header(failure.response?.headers, 'retry-after'));
    return { kind: 'rate_limited', retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1_000 : null };
  }
  if (status === undefined || status >= 500 || status === 408) return { kind: 'transient' };
  return { kind: 'final' };
}

/** A sentence for the list of what a scan could not read. */
export function describeGoogleFailure(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const failure = (error ?? {}) as GaxiosLike;
  const status = failure.response?.status ?? failure.status;
  const reason = failure.response?.data?.error?.errors?.[0]?.reason;
  if (status === undefined) return 'Google could not be reached.';
  return `Google answered ${status}${reason ? ` (${reason})` : ''}.`;
}
