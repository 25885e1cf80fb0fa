/**
 * Revokes one Google grant found by the scan. An OAuth grant: the Directory API's tokens.delete
 * removes every token the user issued to that client, then tokens.get reads it back (404 = gone).
 * An app-specific password (handle `asp:{codeId}`): asps.delete, then asps.list shows it is gone.
 * Every call goes through the tenant's scheduler; a failure comes back as an outcome with a
 * contract error code, never as Google's own text.
 */
import { google, type admin_directory_v1 } from 'googleapis';
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { ProviderCallContext } from '../../net/provider-call-context';
import type { RevocationOutcome, RevocationTarget } from '../../audit/provider-audit';
import { AppError } from '../../errors/app-error';
import { googleApiOptions } from './google-api-options';
import { classifyGoogleFailure } from './google-failure';

interface GoogleFailureShape {
  name?: string;
  status?: number;
  response?: { status?: number };
}

const statusOf = (error: unknown): number | undefined => {
  const failure = (error ?? {}) as GoogleFailureShape;
  return failure.response?.status ?? failure.status;
};

const isAbort = (error: unknown) => (error as GoogleFailureShape | undefined)?.name === 'AbortError';

/** The contract code for a failed Directory API call, once the scheduler has given up on it. */
export function googleRevocationErrorCode(error: unknown): ErrorCode {
  if (isAbort(error)) return 'cancelled';
  // Our own verdict, such as a connection that needs a reconnect: it keeps its code.
  if (error instanceof AppError) return error.code;
  const status = statusOf(error);
  if (status === 401) return 'needs_reconnect';
  // Checked before 403: Google says "over quota" with 403 userRateLimitExceeded.
  if (classifyGoogleFailure(error).kind === 'rate_limited') return 'quota_exhausted';
  if (status === 403) return 'permission_denied';
  if (status === undefined) return 'network';
  return 'provider_error';
}

function failureMessage(errorCode: ErrorCode, status: number | undefined): string {
  switch (errorCode) {
    case 'cancelled':
      return 'Cancelled before Google confirmed it; rescan to see whether the grant is gone.';
    case 'needs_reconnect':
      return 'Google no longer accepts this connection’s sign-in: reconnect it and try again.';
    case 'quota_exhausted':
      return 'Google’s API quota stayed exhausted after several waits: try again in a few minutes.';
    case 'permission_denied':
      return 'Google refused: the connected admin may not manage this user’s tokens (user security privileges and the admin.directory.user.security scope are needed).';
    case 'network':
      return 'Google could not be reached.';
    default:
      return `Google answered ${status ?? 'with an error'}; the grant was not deleted.`;
  }
}

function failed(error: unknown): RevocationOutcome {
  if (error instanceof AppError) return { outcome: 'failed', verified: false, message: error.message, errorCode: error.code };
  const errorCode = googleRevocationErrorCode(error);
  return { outcome: 'failed', verified: false, message: failureMessage(errorCode, statusOf(error)), errorCode };
}

/** The user's immutable Google id when the scan kept it (survives an email change), else the email. */
function userKeyOf(target: RevocationTarget): string {
  const userKey = (target.grant.evidence as { userKey?: unknown } | null)?.userKey;
  return typeof userKey === 'string' && userKey !== '' ? userKey : (target.grant.user ?? '');
}

/** App passwords come from the scan as `asp:{codeId}`; anything else is an OAuth client id. */
const aspPrefix = 'asp:';

export function describeGoogleRevocation(target: RevocationTarget): string {
  if (target.grant.revocationHandle.startsWith(aspPrefix)) {
    return `Delete this app password (Directory API asps.delete): whatever signs in with it as ${target.grant.user ?? 'the user'} stops working.`;
  }
  return `Delete this user’s tokens for this app (Directory API tokens.delete): ${target.app.name} loses access to ${target.grant.user ?? 'the account'} until the user grants it again.`;
}

/** A call that hangs this long is abandoned and retried like a network failure. */
const callTimeoutMs = 60_000;

export async function revokeGoogleGrant(context: ProviderCallContext, target: RevocationTarget): Promise<RevocationOutcome> {
  const directory = google.admin({ version: 'directory_v1', ...googleApiOptions(context) });
  const userKey = userKeyOf(target);
  const handle = target.grant.revocationHandle;
  const isAppPassword = handle.startsWith(aspPrefix);
  const codeId = Number(handle.slice(aspPrefix.length));
  if (userKey === '' || handle === '' || (isAppPassword && !Number.isSafeInteger(codeId))) {
    return { outcome: 'failed', verified: false, message: 'The scan kept nothing to revoke this grant with: rescan and try again.', errorCode: 'invalid_request' };
  }
  // The scheduler owns retries; the library's own would double them and hide rate limits.
  const call = (send: (options: { headers: Record<string, string>; retry: false; timeout: number; signal?: AbortSignal }) => Promise<unknown>) =>
    context.scheduler.schedule(
      async () => send({ headers: { authorization: `Bearer ${await context.accessToken()}` }, retry: false, timeout: callTimeoutMs, ...(context.signal ? { signal: context.signal } : {}) }),
      { signal: context.signal },
    );

  let outcome: RevocationOutcome['outcome'] = 'revoked';
  try {
    await call((options) => (isAppPassword ? directory.asps.delete({ userKey, codeId }, options) : directory.tokens.delete({ userKey, clientId: handle }, options)));
  } catch (error) {
    if (statusOf(error) !== 404) return failed(error);
    outcome = 'already_gone';
  }

  const what = isAppPassword ? 'app password' : 'user’s tokens for this app';
  const done = outcome === 'revoked' ? `Deleted the ${what}` : `Google no longer had the ${what}`;
  try {
    let present: boolean;
    if (isAppPassword) {
      const list = (await call((options) => directory.asps.list({ userKey }, options))) as { data?: admin_directory_v1.Schema$Asps };
      present = (list.data?.items ?? []).some((asp) => asp.codeId === codeId);
    } else {
      present = await call((options) => directory.tokens.get({ userKey, clientId: handle }, options)).then(
        () => true,
        (error: unknown) => {
          if (statusOf(error) === 404) return false;
          throw error;
        },
      );
    }
    if (!present) return { outcome, verified: true, message: `${done}; a read-back confirmed it is gone.`, errorCode: null };
    // Still there: most likely the user granted it again between the two calls.
    return { outcome, verified: false, message: `${done}, but Google still lists it: rescan and check the grant again.`, errorCode: null };
  } catch {
    return { outcome, verified: false, message: `${done}, but the read-back could not confirm it: rescan to check.`, errorCode: null };
  }
}
