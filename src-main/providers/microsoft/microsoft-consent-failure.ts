/**
 * What a failed consent call to Microsoft Graph means for the admin: a refusal names the least
 * privilege that call needs (the Graph reference's, checked December 2026) and the way to get it;
 * everything else keeps the plain Graph classification.
 */
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import { AppError } from '../../errors/app-error';
import type { ConsentCallOutcome } from '../../consent/consent-port';
import { describeGraphFailure, graphFailureCode } from './graph-failure';
import { isAbort, type GraphEndpoint } from './graph-request';

export const allowConsentCapability = 'Allow the Consent capability for this connection, then sign in again when asked.';

/** A path under the service root with each segment encoded. */
export const graphPath = (...segments: string[]) => `/${segments.map(encodeURIComponent).join('/')}`;

/** Graph's HTTP status of a failed call; undefined when Graph was not reached. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The refusal of one call as the admin reads it: what was refused and which permission it needs. */
function refusal(what: string, permission: string, cause: unknown): AppError {
  return new AppError('permission_denied', `Microsoft Graph refused ${what}: the connection lacks ${permission}.`, { nextStep: allowConsentCapability, cause });
}

/** Runs one read; a 403 becomes a permission_denied naming `permission`, anything else is thrown as it is. */
export async function readingWith<T>(what: string, permission: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw statusOf(error) === 403 ? refusal(what, permission, error) : error;
  }
}

/** The outcome of a change that failed; a cancelled one is thrown on, since nothing is left to report. */
export function failedOutcome(graph: GraphEndpoint, error: unknown, what: string, permission: string): ConsentCallOutcome {
  if (isAbort(error, graph)) throw error;
  if (error instanceof AppError) return { ok: false, code: error.code === 'permission_denied' ? 'forbidden' : 'failed', message: error.message, errorCode: error.code };
  const status = statusOf(error);
  if (status === 403) return { ok: false, code: 'forbidden', message: refusal(what, permission, error).message, errorCode: 'permission_denied' };
  if (status === 404) return { ok: false, code: 'not_found', message: `${capitalised(what)} failed: Microsoft Entra no longer has it.`, errorCode: 'not_found' };
  const errorCode: ErrorCode = status === 400 ? 'invalid_request' : graphFailureCode(error);
  return { ok: false, code: 'failed', message: `${capitalised(what)} failed: ${describeGraphFailure(error)}`, errorCode };
}

export function succeeded(code: string, message: string): ConsentCallOutcome {
  return { ok: true, code, message, errorCode: null };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A code and one sentence for an error a consent read threw; never Graph's own text. */
export function describeConsentFailure(error: unknown): { code: ErrorCode; message: string; nextStep: string | null } {
  if (error instanceof AppError) return { code: error.code, message: error.message, nextStep: error.nextStep ?? null };
  const code = graphFailureCode(error);
  const nextStep: Partial<Record<ErrorCode, string>> = {
    permission_denied: allowConsentCapability,
    needs_reconnect: 'Reconnect this connection: its sign-in is no longer accepted.',
    quota_exhausted: 'Microsoft Graph is throttling this tenant; try again in a few minutes.',
    network: 'Check the network connection, then try again.',
  };
  return { code, message: describeGraphFailure(error), nextStep: nextStep[code] ?? null };
}
