import type { ProviderModule } from '../provider-module';
import { zendeskGrantAudit } from './zendesk-audit';
import { zendeskCredentials } from './zendesk-credentials';
import { classifyZendeskFailure } from './zendesk-failure';
import { zendeskOffboarding } from './zendesk-offboarding';
import { zendeskPreset } from './zendesk-preset';

/** 400 calls per minute: the Professional plan's limit (Team allows 200, Enterprise 700). */
export const zendeskModule: ProviderModule = {
  id: 'zendesk',
  preset: zendeskPreset,
  traffic: { classify: classifyZendeskFailure, defaultQuotaPerMinute: 400 },
  grants: zendeskGrantAudit,
  credentials: zendeskCredentials,
  offboarding: zendeskOffboarding,
};
