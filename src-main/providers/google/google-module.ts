import type { ProviderModule } from '../provider-module';
import { googleGrantAudit } from './google-audit';
import { googleCloudCredentials } from './google-cloud-credentials';
import { googleConsent } from './google-consent-policy';
import { classifyGoogleFailure } from './google-failure';
import { googleOffboarding } from './google-offboarding';
import { googlePreset } from './google-preset';

/** The Directory API's documented default: 2,400 queries per minute per project. */
export const googleModule: ProviderModule = {
  id: 'google',
  preset: googlePreset,
  traffic: { classify: classifyGoogleFailure, defaultQuotaPerMinute: 2_400 },
  grants: googleGrantAudit,
  consent: googleConsent,
  credentials: googleCloudCredentials,
  offboarding: googleOffboarding,
};
