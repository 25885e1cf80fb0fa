import type { ProviderModule } from '../provider-module';
import { classifyGraphFailure } from './graph-failure';
import { microsoftGrantAudit } from './microsoft-audit';
import { microsoftConsent } from './microsoft-consent';
import { microsoftCredentials } from './microsoft-credentials';
import { microsoftOffboarding } from './microsoft-offboarding';
import { microsoftPreset } from './microsoft-preset';

/**
 * Microsoft Graph publishes no per-minute figure for these APIs; it answers 429 with Retry-After,
 * which the scheduler follows. The ceiling only bounds bursts.
 */
export const microsoftModule: ProviderModule = {
  id: 'microsoft',
  preset: microsoftPreset,
  traffic: { classify: classifyGraphFailure, defaultQuotaPerMinute: 10_000 },
  grants: microsoftGrantAudit,
  consent: microsoftConsent,
  credentials: microsoftCredentials,
  offboarding: microsoftOffboarding,
};
