/**
 * The Zendesk Support API calls the grant audit makes, with the context's fetch and the connection's
 * bearer token, each through the tenant's scheduler. The base URL is the account's
 * https://{subdomain}.zendesk.com (or the simulator's).
 */
import type { ProviderCallContext } from '../../net/provider-call-context';
import { AppError } from '../../errors/app-error';
import { jsonBody, scheduleBearerCall } from '../saas-api-call';
import { zendeskApiError } from './zendesk-failure';

export function zendeskBaseUrl(context: ProviderCallContext): string {
  if (context.apiBaseUrl) return context.apiBaseUrl.replace(/\/$/, '');
  const subdomain = (context.settings.subdomain ?? '').toLowerCase().replace(/\.zendesk\.com$/, '');
  if (subdomain === '') throw new AppError('invalid_request', 'The Zendesk connection has no subdomain.', { nextStep: 'Reconnect it with your subdomain.' });
  return `https://${subdomain}.zendesk.com`;
}

/**
 * One authorised call; a non-2xx answer throws ZendeskApiError, a 204 gives undefined. Takes a path
 * or one of Zendesk's absolute links, of which only the path and query are used: the token goes to
 * the account's own host and nowhere else.
 */
export function zendeskRequest<T>(context: ProviderCallContext, pathOrLink: string, method: 'GET' | 'DELETE' = 'GET'): Promise<T | undefined> {
  const link = new URL(pathOrLink, 'https://link.invalid');
  return scheduleBearerCall(context, `${zendeskBaseUrl(context)}${link.pathname}${link.search}`, { method, failure: zendeskApiError, read: (response) => jsonBody<T>(response) });
}

/** A cursor-paginated list page (`page[size]`, `meta.has_more`, `links.next`). */
export interface ZendeskCursorPage {
  meta?: { has_more?: boolean };
  links?: { next?: string | null };
}

/** The link to the page after this one, or null at the end. */
export function nextZendeskPage(page: ZendeskCursorPage | undefined): string | null {
  return page?.meta?.has_more && page.links?.next ? page.links.next : null;
}
