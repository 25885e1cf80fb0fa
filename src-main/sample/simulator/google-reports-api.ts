/**
 * A subset of Google's Admin SDK Reports API: token activity (`applicationName=token`) with the
 * `authorize`, `activity` and `revoke` events Google documents, their parameters (client_id,
 * app_name, scope, client_type, api_name, method_name), paging and the eventName/time filters.
 * Events are drawn once from the seed; revocations through the Directory API add `revoke` events.
 */
import { createHash } from 'node:crypto';
import { SeededRandom } from '../seeded-random';
import type { ApiResponse, ApiRoute } from './api-router';
import { googlePageToken, offsetOfGooglePageToken } from './google-page-token';
import type { SimulatedTenant } from './simulated-tenant';

export interface TokenActivityEvent {
  time: string;
  userGoogleId: string;
  email: string;
  name: 'authorize' | 'activity' | 'revoke';
  clientId: string;
  appName: string;
  scopes: string[];
  apiName: string | null;
}

const day = 86_400_000;
/** Google keeps about six months of token activity. */
const retentionDays = 180;
const apiNames: Record<string, string> = { gmail: 'gmail', drive: 'drive', calendar: 'calendar', contacts: 'people', documents: 'docs', presentations: 'slides', spreadsheets: 'sheets' };

function apiFor(scopes: readonly string[]): string {
  for (const scope of scopes) {
    const name = Object.keys(apiNames).find((key) => scope.includes(key));
    if (name) return apiNames[name]!;
    if (scope === 'https://mail.google.com/') return 'gmail';
  }
  return 'oauth2';
}

/** The seeded history: an authorize per token within retention, and recent activity for most. */
export function seedTokenActivity(tenant: SimulatedTenant): TokenActivityEvent[] {
  const random = new SeededRandom(tenant.seed ^ 0x70_6b_65_6e);
  const now = Date.parse(tenant.referenceTime);
  const emails = new Map(tenant.users.map((user) => [user.googleId, user.primaryEmail]));
  const events: TokenActivityEvent[] = [];
  for (const token of tenant.googleTokens) {
    const base = { userGoogleId: token.userGoogleId, email: emails.get(token.userGoogleId) ?? '', clientId: token.clientId, appName: token.displayText, scopes: token.scopes };
    const authorizedDaysAgo = random.int(1, 400);
    if (authorizedDaysAgo <= retentionDays) events.push({ ...base, time: new Date(now - authorizedDaysAgo * day).toISOString(), name: 'authorize', apiName: null });
    // Some grants sit unused for months: no activity within retention.
    if (random.chance(0.8)) {
      const usedDaysAgo = random.int(0, Math.min(authorizedDaysAgo, retentionDays));
      events.push({ ...base, time: new Date(now - usedDaysAgo * day - random.int(0, day - 1)).toISOString(), name: 'activity', apiName: apiFor(token.scopes) });
    }
  }
  return events.sort((a, b) => b.time.localeCompare(a.time));
}

function activityResource(tenant: SimulatedTenant, event: TokenActivityEvent, index: number) {
  const parameters: Record<string, unknown>[] = [
    { name: 'client_id', value: event.clientId },
    { name: 'app_name', value: event.appName },
    { name: 'client_type', value: 'WEB' },
  ];
  if (event.name === 'activity') parameters.push({ name: 'api_name', value: event.apiName }, { name: 'method_name', value: `${event.apiName}.api.request` });
  else parameters.push({ name: 'scope', multiValue: event.scopes });
  const resource = {
    kind: 'admin#reports#activity',
    id: { time: event.time, uniqueQualifier: String(BigInt.asIntN(64, BigInt(`0x${createHash('sha1').update(`${event.time}${event.clientId}${index}`).digest('hex').slice(0, 16)}`))), applicationName: 'token', customerId: tenant.googleCustomerId },
    actor: { email: event.email, profileId: event.userGoogleId, callerType: 'USER' },
    ipAddress: '203.0.113.10',
    events: [{ type: 'auth', name: event.name, parameters }],
  };
  return { ...resource, etag: `"${createHash('sha1').update(JSON.stringify(resource)).digest('base64url')}"` };
}

const badRequest = (message: string): ApiResponse => ({ status: 400, body: { error: { code: 400, message, errors: [{ message, domain: 'global', reason: 'invalid' }], status: 'INVALID_ARGUMENT' } } });

export function googleReportsRoutes(tenant: SimulatedTenant, events: TokenActivityEvent[]): ApiRoute[] {
  return [
    {
      method: 'GET',
      pattern: /^\/admin\/reports\/v1\/activity\/users\/(?<userKey>[^/]+)\/applications\/token$/,
      anyOfScopes: ['https://www.googleapis.com/auth/admin.reports.audit.readonly'],
      name: 'reports.activities.list',
      handle(request, params) {
        const userKey = decodeURIComponent(params.userKey!);
        const maxResults = Math.min(1_000, Math.max(1, Number(request.query.get('maxResults') ?? 1_000) || 1_000));
        const eventName = request.query.get('eventName');
        const startTime = request.query.get('startTime');
        const endTime = request.query.get('endTime');
        if ((startTime && Number.isNaN(Date.parse(startTime))) || (endTime && Number.isNaN(Date.parse(endTime)))) return badRequest('Invalid value for startTime/endTime.');
        const offset = offsetOfGooglePageToken(request.query.get('pageToken'));
        if (offset === null) return badRequest('Invalid pageToken.');
        const matching = events.filter(
          (event) =>
            (userKey === 'all' || event.email === userKey || event.userGoogleId === userKey) &&
            (!eventName || event.name === eventName) &&
            (!startTime || event.time >= new Date(startTime).toISOString()) &&
            (!endTime || event.time <= new Date(endTime).toISOString()),
        );
        const page = matching.slice(offset, offset + maxResults).map((event, index) => activityResource(tenant, event, offset + index));
        const next = offset + maxResults < matching.length ? googlePageToken(offset + maxResults) : undefined;
        return { status: 200, body: { kind: 'admin#reports#activities', etag: `"${matching.length}-${offset}"`, items: page, ...(next ? { nextPageToken: next } : {}) } };
      },
    },
  ];
}
