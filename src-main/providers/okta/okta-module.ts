import type { ProviderModule } from '../provider-module';
import { oktaGrantAudit } from './okta-audit';
import { oktaConsent } from './okta-consent';
import { oktaCredentials } from './okta-credentials';
import { classifyOktaFailure } from './okta-failure';
import { oktaOffboarding } from './okta-offboarding';
import { oktaPreset } from './okta-preset';

/** 600 calls per minute: the common limit of the Users API for one org. */
export const oktaModule: ProviderModule = {
  id: 'okta',
  preset: oktaPreset,
  traffic: { classify: classifyOktaFailure, defaultQuotaPerMinute: 600 },
  grants: oktaGrantAudit,
  consent: oktaConsent,
  credentials: oktaCredentials,
  offboarding: oktaOffboarding,
};
