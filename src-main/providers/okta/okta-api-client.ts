/**
 * The Okta Management API calls the grant audit makes, with the context's fetch and the
 * connection's bearer token, each through the tenant's scheduler; lists page with `Link: <…>; rel="next"`. The
 * base URL is the org URL (or the simulator's).
 */
import type { ProviderCallContext } from '../../net/provider-call-context';
import { AppError } from '../../errors/app-error';
import { jsonBody, scheduleBearerCall } from '../saas-api-call';
import { oktaApiError } from './okta-failure';

export function oktaBaseUrl(context: ProviderCallContext): string {
  if (context.apiBaseUrl) return context.apiBaseUrl.replace(/\/$/, '');
  const orgUrl = context.settings.orgUrl ?? '';
  if (orgUrl === '') throw new AppError('invalid_request', 'The Okta connection has no org URL.', { nextStep: 'Reconnect it with your org URL, e.g. https://acme.okta.com.' });
  return new URL(orgUrl.includes('://') ? orgUrl : `https://${orgUrl}`).origin;
}

export interface OktaAnswer<T> {
  body: T | undefined;
  /** The `rel="next"` link as a path and query, or null on the last page. */
  next: string | null;
  /** X-Okta-Request-Id: how Okta's support finds the call. */
  requestId: string | null;
}

function nextLink(header: string | null): string | null {
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (match) {
      const url = new URL(match[1]!, 'https://link.invalid');
      return `${url.pathname}${url.search}`;
    }
  }
  return null;
}

/**
 * One authorised call; a non-2xx answer throws OktaApiError. Only paths are fetched (Link headers
 * are cut to their path), so the token goes to the org and nowhere else.
 */
export function oktaRequest<T>(context: ProviderCallContext, path: string, method: 'GET' | 'DELETE' | 'POST' = 'GET', options: { urgent?: boolean } = {}): Promise<OktaAnswer<T>> {
  return scheduleBearerCall(context, `${oktaBaseUrl(context)}${path}`, {
    method,
    urgent: options.urgent,
    failure: oktaApiError,
    read: async (response) => ({ body: await jsonBody<T>(response), next: nextLink(response.headers.get('link')), requestId: response.headers.get('x-okta-request-id') }),
  });
}
