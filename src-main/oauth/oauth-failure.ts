import type { ErrorCode } from '../../src-shared/domain/error-codes';
import { AppError } from '../errors/app-error';

/**
 * An OAuth failure as the admin sees it: a code the UI explains, a sentence and a next step, plus
 * whether trying again later can help (refresh backs off on transient failures only).
 */
export class OAuthFailure extends AppError {
  readonly transient: boolean;
  /** The provider's own error code (`access_denied`, `AADSTS65001`…), safe to show; never a description. */
  readonly providerCode: string | undefined;

  constructor(code: ErrorCode, message: string, options: { nextStep?: string; transient?: boolean; providerCode?: string; cause?: unknown } = {}) {
    super(code, message, { nextStep: options.nextStep, cause: options.cause });
    this.name = 'OAuthFailure';
    this.transient = options.transient ?? false;
    this.providerCode = options.providerCode;
  }
}

export interface FailureContext {
  providerLabel: string;
  /** The redirect URI this connection uses, so a mismatch can name what to register. */
  redirectUri: string;
}

/** Provider codes are short identifiers; anything else is not repeated back. */
function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : undefined;
}

const entraAdminConsent = /AADSTS(65001|90094|90008|65004)\b/;
const entraRedirectMismatch = /AADSTS(50011|500113)\b/;
const entraInvalidClient = /AADSTS(700016|7000215|7000218|700025)\b/;
const entraCode = /AADSTS\d{5,6}/;

/**
 * Maps an OAuth error (`error` plus an optional description) from the authorization redirect or
 * the token endpoint to a failure the admin can act on.
 */
export function failureFromOAuthError(
  error: string,
  description: string | undefined,
  context: FailureContext,
  options: { status?: number; cause?: unknown } = {},
): OAuthFailure {
  const text = `${error} ${description ?? ''}`;
  const aadsts = entraCode.exec(text)?.[0];
  const providerCode = aadsts ?? safeCode(error) ?? 'unknown_error';
  const said = `${context.providerLabel} answered ${providerCode}.`;
  const common = { providerCode, cause: options.cause };

  if (entraAdminConsent.test(text) || error === 'consent_required') {
    return new OAuthFailure('admin_consent_required', `${context.providerLabel} requires an administrator to approve Consentry's permissions first (${providerCode}).`, {
      ...common,
      nextStep: 'Ask a Privileged Role Administrator or Cloud Application Administrator to grant admin consent for this client, or sign in with such an account, then connect again.',
    });
  }
  if (error === 'admin_policy_enforced' || error === 'org_internal' || /admin_policy_enforced|org_internal/.test(text)) {
    return new OAuthFailure('blocked_by_policy', `Your organisation's policy blocks this OAuth client (${providerCode}).`, {
      ...common,
      nextStep:
        error === 'org_internal' || text.includes('org_internal')
          ? 'The client is "Internal" to another Google Cloud organisation: use a client created in your own organisation.'
          : 'In the Google Admin console, open Security › Access and data control › API controls and mark this client ID as Trusted, then connect again.',
    });
  }
  if (error === 'redirect_uri_mismatch' || entraRedirectMismatch.test(text) || (error === 'invalid_request' && /redirect_uri/i.test(description ?? ''))) {
    return new OAuthFailure('redirect_uri_mismatch', `${context.providerLabel} does not accept Consentry's redirect URI for this client (${providerCode}).`, {
      ...common,
      nextStep: `Register ${context.redirectUri} as a redirect URI of the OAuth client at the provider, then connect again.`,
    });
  }
  if (error === 'invalid_client' || error === 'unauthorized_client' || entraInvalidClient.test(text)) {
    return new OAuthFailure('invalid_client', `${context.providerLabel} does not recognise this OAuth client or its secret (${providerCode}).`, {
      ...common,
      nextStep: 'Check the client ID (and secret) against the provider console, and that the client is a desktop/public client allowed to use this flow.',
    });
  }
  if (error === 'access_denied') {
    return new OAuthFailure('consent_denied', 'The sign-in was cancelled or consent was refused in the browser.', {
      ...common,
      nextStep: 'Connect again and approve the permissions listed; if you declined those of a capability you allowed, leave it off and connect with the read scopes only.',
    });
  }
  if (error === 'invalid_scope') {
    return new OAuthFailure('invalid_scope', `${context.providerLabel} refused one of the requested scopes (${providerCode}).`, {
      ...common,
      nextStep: 'Enable the APIs these scopes belong to for this client (or correct the custom scope list), then connect again.',
    });
  }
  if (error === 'invalid_grant' || error === 'interaction_required' || error === 'login_required') {
    return new OAuthFailure('needs_reconnect', `${context.providerLabel} no longer accepts this connection's sign-in (${providerCode}); it was revoked, expired or the password changed.`, {
      ...common,
      nextStep: 'Reconnect to sign in again; the connection keeps its settings.',
    });
  }
  const transient = error === 'temporarily_unavailable' || error === 'server_error' || (options.status !== undefined && options.status >= 500) || options.status === 429;
  return new OAuthFailure('provider_error', transient ? `${context.providerLabel} is not available right now. ${said}` : `${context.providerLabel} refused the request. ${said}`, {
    ...common,
    transient,
    nextStep: transient ? 'Consentry will try again; you can also retry in a few minutes.' : 'Check the connection settings against the provider console and try again.',
  });
}

/** A certificate this computer does not trust: UNABLE_TO_GET_ISSUER_CERT_LOCALLY is a TLS-inspecting proxy's usual one. */
const certificateCodes = new Set(['CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', ...certificateCodes]);

function networkCodeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && networkCodes.has(code)) return code;
  if (error instanceof TypeError && error.message === 'fetch failed') return networkCodeOf((error as { cause?: unknown }).cause, depth + 1) ?? 'fetch failed';
  return networkCodeOf((error as { cause?: unknown }).cause, depth + 1);
}

export function networkFailure(context: FailureContext, cause: unknown, detail?: string): OAuthFailure {
  const certificate = detail !== undefined && certificateCodes.has(detail);
  return new OAuthFailure('network', `Consentry could not reach ${context.providerLabel}${detail && detail !== 'fetch failed' ? ` (${detail})` : ''}.`, {
    transient: !certificate,
    cause,
    nextStep: certificate
      ? 'The provider presented a certificate this computer does not trust; check for a TLS-inspecting proxy.'
      : 'Check the network connection and any proxy, then try again.',
  });
}

/**
 * Turns whatever a token-endpoint call threw (openid-client, google-auth-library/gaxios, msal-node,
 * fetch) into an OAuthFailure. Messages of library errors are never passed on: they can carry
 * request details.
 */
export function failureFromTokenCall(error: unknown, context: FailureContext): OAuthFailure {
  if (error instanceof OAuthFailure) return error;
  if (error instanceof AppError) return new OAuthFailure(error.code, error.message, { nextStep: error.nextStep, cause: error });
  const network = networkCodeOf(error);
  if (network) return networkFailure(context, error, network);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new OAuthFailure('timeout', `${context.providerLabel} did not answer in time.`, { transient: true, cause: error, nextStep: 'Consentry will try again; check the network if it keeps happening.' });
  }
  const candidate = error as {
    error?: unknown;
    error_description?: unknown;
    status?: unknown;
    errorCode?: unknown;
    errorMessage?: unknown;
    subError?: unknown;
    response?: { status?: unknown; data?: { error?: unknown; error_description?: unknown } };
    cause?: { error?: unknown; error_description?: unknown; status?: unknown };
  } | null;
  if (candidate && typeof candidate === 'object') {
    // openid-client ResponseBodyError: error / error_description / status.
    if (typeof candidate.error === 'string') {
      return failureFromOAuthError(candidate.error, String(candidate.error_description ?? ''), context, { status: Number(candidate.status) || undefined, cause: error });
    }
    // gaxios (google-auth-library): response.data.error.
    const data = candidate.response?.data;
    if (data && typeof data.error === 'string') {
      return failureFromOAuthError(data.error, String(data.error_description ?? ''), context, { status: Number(candidate.response?.status) || undefined, cause: error });
    }
    // openid-client WWWAuthenticateChallengeError: the challenge parameters carry the OAuth error.
    if (Array.isArray(candidate.cause)) {
      const parameters = (candidate.cause as { parameters?: { error?: unknown; error_description?: unknown } }[])[0]?.parameters;
      if (typeof parameters?.error === 'string') {
        return failureFromOAuthError(parameters.error, String(parameters.error_description ?? ''), context, { cause: error });
      }
    }
    // openid-client (discovery and other non-OAuth answers): the Response as the cause.
    if (candidate.cause instanceof Response) {
      return failureFromOAuthError(`http_${candidate.cause.status}`, undefined, context, { status: candidate.cause.status, cause: error });
    }
    if (candidate.response && typeof candidate.response.status === 'number') {
      // A bare 401 from a token or revocation endpoint is the client failing to authenticate.
      if (candidate.response.status === 401) return failureFromOAuthError('invalid_client', undefined, context, { status: 401, cause: error });
      return failureFromOAuthError(`http_${candidate.response.status}`, undefined, context, { status: candidate.response.status, cause: error });
    }
    // msal-node AuthError: errorCode plus a message that may carry an AADSTS code.
    if (typeof candidate.errorCode === 'string') {
      if (candidate.errorCode === 'network_error' || candidate.errorCode === 'endpoints_resolution_error') return networkFailure(context, error);
      return failureFromOAuthError(candidate.errorCode, typeof candidate.errorMessage === 'string' ? candidate.errorMessage : undefined, context, { cause: error });
    }
  }
  return new OAuthFailure('provider_error', `${context.providerLabel} answered in a way Consentry did not expect.`, {
    cause: error,
    transient: true,
    nextStep: 'Try again. If it keeps happening, check the connection settings and the provider status page.',
  });
}
