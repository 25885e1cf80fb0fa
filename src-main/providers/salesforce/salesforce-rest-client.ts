/**
 * The Salesforce REST calls the grant audit makes, with the context's fetch and the connection's bearer
 * token, each through the tenant's scheduler: SOQL queries with query-locator paging, and the OAuth
 * revoke endpoint. The base URL is the org's My Domain (or the simulator's instance URL).
 */
import type { ProviderCallContext } from '../../net/provider-call-context';
import { AppError } from '../../errors/app-error';
import { scheduleBearerCall } from '../saas-api-call';
import { salesforceApiError } from './salesforce-failure';

/** OauthToken exists from 32.0; 60.0 (Spring ’24) is answered by every org on a current release. */
export const salesforceApiVersion = '60.0';

export function salesforceBaseUrl(context: ProviderCallContext): string {
  if (context.apiBaseUrl) return context.apiBaseUrl.replace(/\/$/, '');
  const myDomain = (context.settings.myDomain ?? '').toLowerCase().replace(/^https:\/\//, '').replace(/\/.*$/, '');
  if (myDomain === '') throw new AppError('invalid_request', 'The Salesforce connection has no My Domain.', { nextStep: 'Reconnect it with your My Domain name.' });
  return `https://${myDomain.includes('.') ? myDomain : `${myDomain}.my.salesforce.com`}`;
}

/** One authorised call; a non-2xx answer throws SalesforceApiError. Paths only, so the token goes nowhere but the org. */
export function salesforceRequest(context: ProviderCallContext, path: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}): Promise<Response> {
  return scheduleBearerCall(context, `${salesforceBaseUrl(context)}${path}`, { ...init, failure: salesforceApiError, read: (response) => Promise.resolve(response) });
}

export interface SoqlPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** The first batch of a SOQL query; follow `nextRecordsUrl` with `soqlMore`. */
export async function soqlQuery<T>(context: ProviderCallContext, soql: string): Promise<SoqlPage<T>> {
  return (await (await salesforceRequest(context, `/services/data/v${salesforceApiVersion}/query?q=${encodeURIComponent(soql)}`)).json()) as SoqlPage<T>;
}

export async function soqlMore<T>(context: ProviderCallContext, nextRecordsUrl: string): Promise<SoqlPage<T>> {
  // Salesforce answers a relative path; anything else is not followed with the token.
  if (!nextRecordsUrl.startsWith('/services/data/')) throw new Error('Salesforce answered an unexpected nextRecordsUrl.');
  return (await (await salesforceRequest(context, nextRecordsUrl)).json()) as SoqlPage<T>;
}

/** A SOQL string literal: quotes and backslashes escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Salesforce writes `2026-11-21T09:00:00.000+0000`; the model keeps ISO 8601 in UTC. */
export function salesforceDateTime(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const time = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
