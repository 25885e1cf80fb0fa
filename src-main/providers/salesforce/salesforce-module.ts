import type { ProviderModule } from '../provider-module';
import { salesforceGrantAudit } from './salesforce-audit';
import { classifySalesforceFailure } from './salesforce-failure';
import { salesforceOffboarding } from './salesforce-offboarding';
import { salesforcePreset } from './salesforce-preset';

/** Salesforce limits calls per 24 hours, not per minute; the ceiling keeps a scan polite. */
export const salesforceModule: ProviderModule = {
  id: 'salesforce',
  preset: salesforcePreset,
  traffic: { classify: classifySalesforceFailure, defaultQuotaPerMinute: 1_000 },
  grants: salesforceGrantAudit,
  offboarding: salesforceOffboarding,
};
