import type { ProviderModule } from '../provider-module';
import { zendeskGrantAudit } from './zendesk-audit';
import { classifyZendeskFailure } from './zendesk-failure';

/** 400 calls per minute: the Professional plan's limit (Team allows 200, Enterprise 700). */
export const zendeskModule: ProviderModule = {
  id: 'zendesk',
  traffic: { classify: classifyZendeskFailure, defaultQuotaPerMinute: 400 },
  grants: zendeskGrantAudit,
};
