import type { ProviderModule } from '../provider-module';
import { oktaGrantAudit } from './okta-audit';
import { classifyOktaFailure } from './okta-failure';

/** 600 calls per minute: the common limit of the Users API for one org. */
export const oktaModule: ProviderModule = {
  id: 'okta',
  traffic: { classify: classifyOktaFailure, defaultQuotaPerMinute: 600 },
  grants: oktaGrantAudit,
};
