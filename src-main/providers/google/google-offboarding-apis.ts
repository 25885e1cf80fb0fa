/**
 * The Admin SDK clients the Google offboarding steps call (Directory and Data Transfer), one way to
 * call them — through the tenant's scheduler, with a fresh token, stopped by the run's signal —
 * and what a refusal means for the admin: a code from error-codes.ts and a sentence naming the
 * scope or privilege it takes, never Google's own text.
 */
import { google, type admin_datatransfer_v1, type admin_directory_v1 } from 'googleapis';
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { googleApiOptions } from './google-api-options';
import { googleErrorOf } from './google-cloud-credentials-read';
import { googleRevocationErrorCode } from './google-grant-revoker';

const scope = (name: string) => `https://www.googleapis.com/auth/${name}`;
/** The scope each kind of call takes, named in a refusal. */
export const offboardingScopes = {
  readUsers: scope('admin.directory.user.readonly'),
  userSecurity: scope('admin.directory.user.security'),
  suspend: scope('admin.directory.user'),
  dataTransfer: scope('admin.datatransfer'),
} as const;

/** A call that hangs this long is abandoned and retried like a network failure. */
const callTimeoutMs = 60_000;

interface CallOptions {
  headers: Record<string, string>;
  retry: false;
  timeout: number;
  signal?: AbortSignal;
}

export interface GoogleOffboardingApis {
  directory: admin_directory_v1.Admin;
  transfers: admin_datatransfer_v1.Admin;
  /** The signal the calls stop on: the context's and the run's together. */
  signal: AbortSignal | undefined;
  /** One call through the tenant's scheduler; the library's own retries are off, the scheduler owns them. */
  call<T>(send: (options: CallOptions) => Promise<{ data: T }>, urgent?: boolean): Promise<T>;
  /**
   * A call that must not be repeated blindly (a transfer insert): a transient failure — Google may
   * have acted on it — comes back as `inDoubt` instead of being retried by the scheduler, so the
   * caller reads the state before sending it again. Rate limits are still retried: Google refused those.
   */
  callOnce<T>(send: (options: CallOptions) => Promise<{ data: T }>): Promise<{ data: T } | { inDoubt: unknown }>;
}

export function googleOffboardingApis(context: ProviderCallContext, runSignal?: AbortSignal): GoogleOffboardingApis {
  const options = googleApiOptions(context);
  const signals = [context.signal, runSignal].filter((signal): signal is AbortSignal => signal !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const callOptions = async (): Promise<CallOptions> => ({ headers: { authorization: `Bearer ${await context.accessToken()}` }, retry: false, timeout: callTimeoutMs, ...(signal ? { signal } : {}) });
  return {
    directory: google.admin({ version: 'directory_v1', ...options }),
    transfers: google.admin({ version: 'datatransfer_v1', ...options }),
    signal,
    async call(send, urgent) {
      const response = await context.scheduler.schedule(async () => send(await callOptions()), { signal, ...(urgent ? { urgent } : {}) });
      return response.data;
    },
    callOnce(send) {
      return context.scheduler.schedule(
        async () => {
          try {
            return await send(await callOptions());
          } catch (error) {
            if (isAbort(error) || googleRevocationErrorCode(error) === 'quota_exhausted') throw error;
            const { status } = googleErrorOf(error);
            if (status === undefined || status >= 500 || status === 408) return { inDoubt: error };
            throw error;
          }
        },
        { signal },
      );
    },
  };
}

const isAbort = (error: unknown) => (error as { name?: string } | null)?.name === 'AbortError';

/** What Consentry was doing when Google refused, and the scope that call takes. */
export interface OffboardingAction {
  what: string;
  scope: string;
}

const lacksScope = (status: number | undefined, reason: string | undefined, message: string | undefined) =>
  status === 403 && (reason === 'insufficientPermissions' || /insufficient authentication scopes/i.test(message ?? ''));

/** A failed call as the admin reads it: a refusal names the scope; Google's own words never reach the admin. */
export function offboardingFailure(error: unknown, action: OffboardingAction): AppError {
  if (error instanceof AppError) return error;
  const { status, body } = googleErrorOf(error);
  const code = googleRevocationErrorCode(error);
  switch (code) {
    case 'cancelled':
      return new AppError('cancelled', `Stopped before Google answered ${action.what}.`);
    case 'needs_reconnect':
      return new AppError('needs_reconnect', `Google no longer accepts this connection’s sign-in (${action.what}).`, { nextStep: 'Reconnect it on the Connections page, then resume the run.' });
    case 'quota_exhausted':
      return new AppError('quota_exhausted', `Google’s API quota stayed exhausted (${action.what}).`, { nextStep: 'Resume the run in a few minutes.' });
    case 'network':
      return new AppError('network', `Google could not be reached (${action.what}).`, { nextStep: 'Check the network connection, then resume the run.' });
    case 'permission_denied':
      if (lacksScope(status, body.errors?.[0]?.reason, body.message)) {
        return new AppError('permission_denied', `Google refused ${action.what}: the connection lacks the ${action.scope} scope.`, {
          nextStep: 'Allow the Offboarding capability for this connection, then sign in again when asked.',
        });
      }
      return new AppError('permission_denied', `Google refused ${action.what}: the signed-in admin lacks the privilege the ${action.scope} scope stands for.`, {
        nextStep: 'Sign in with a super admin, or give the admin the Users and user security privileges in the Admin console.',
      });
    default:
      if (status === 404) return new AppError('not_found', `Google no longer has what ${action.what} needs.`);
      return new AppError(status === 400 ? 'invalid_request' : 'provider_error', `Google answered ${status ?? 'with an error'}${body.status ? ` ${body.status}` : ''} to ${action.what}.`, {
        nextStep: 'Retry the step; if it keeps failing, check the user in the Google Admin console.',
      });
  }
}

/** The HTTP status Google answered a failed call with; undefined when none came. */
export const googleStatusOf = (error: unknown) => googleErrorOf(error).status;

/** Google answered 404: the user (or the item) is gone. */
export const isNotFound = (error: unknown) => googleStatusOf(error) === 404;
