/**
 * The provider APIs Consentry calls: how each one's failures count for the tenant's scheduler and
 * its default quota, and its grant-audit adapter. Providers without an admin API for third-party
 * grants (Zoom, HubSpot, Pipedrive, Slack, custom) are absent, and the audit says so.
 */
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ProviderAudit } from '../audit/provider-audit';
import type { ProviderTrafficPolicy } from '../net/tenant-schedulers';
import { googleGrantAudit } from './google/google-audit';
import { classifyGoogleFailure } from './google/google-failure';
import { classifyGraphFailure } from './microsoft/graph-failure';
import { microsoftGrantAudit } from './microsoft/microsoft-audit';
import { classifyOktaFailure } from './okta/okta-failure';
import { oktaGrantAudit } from './okta/okta-audit';
import { classifySalesforceFailure } from './salesforce/salesforce-failure';
import { salesforceGrantAudit } from './salesforce/salesforce-audit';
import { classifyZendeskFailure } from './zendesk/zendesk-failure';
import { zendeskGrantAudit } from './zendesk/zendesk-audit';

/**
 * Defaults an admin can change per connection (its API calls per minute):
 * - Google: the Directory API's documented 2,400 queries per minute per project.
 * - Microsoft Graph publishes no per-minute figure for these APIs; it answers 429 with
 *   Retry-After, which the scheduler follows. The ceiling only bounds bursts.
 * - Salesforce limits calls per 24 hours, not per minute; the ceiling keeps a scan polite.
 * - Zendesk: 400 per minute (the Professional plan; Team allows 200, Enterprise 700).
 * - Okta: 600 per minute, the common limit of the Users API for one org.
 */
export const providerTraffic: Partial<Record<ProviderId, ProviderTrafficPolicy>> = {
  google: { classify: classifyGoogleFailure, defaultQuotaPerMinute: 2_400 },
  microsoft: { classify: classifyGraphFailure, defaultQuotaPerMinute: 10_000 },
  salesforce: { classify: classifySalesforceFailure, defaultQuotaPerMinute: 1_000 },
  zendesk: { classify: classifyZendeskFailure, defaultQuotaPerMinute: 400 },
  okta: { classify: classifyOktaFailure, defaultQuotaPerMinute: 600 },
};

export const grantAudits: Partial<Record<ProviderId, ProviderAudit>> = {
  google: googleGrantAudit,
  microsoft: microsoftGrantAudit,
  salesforce: salesforceGrantAudit,
  zendesk: zendeskGrantAudit,
  okta: oktaGrantAudit,
};
