import { manualOffboarding } from '../manual-offboarding';
import type { ProviderModule } from '../provider-module';
import { hubspotPreset } from './hubspot-preset';

/** Sign-in only: Consentry calls no HubSpot API; offboarding there is done by hand. */
export const hubspotModule: ProviderModule = {
  id: 'hubspot',
  preset: hubspotPreset,
  offboarding: manualOffboarding('HubSpot', [
    {
      kind: 'hubspot.deactivate',
      title: 'Deactivate the HubSpot user',
      why: 'A deactivated user can no longer sign in, while their records and history stay for reporting; a super admin does it.',
      where: () => ({ label: 'HubSpot › Settings › Users & Teams › the person › Actions › Deactivate user', url: null }),
      onlyWhenSuspending: true,
    },
  ]),
  noGrantListing: 'HubSpot offers no API that lists the apps connected to an account. Review them in HubSpot under Settings → Integrations → Connected Apps.',
};
