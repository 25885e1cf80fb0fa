import type { ProviderModule } from '../provider-module';
import { hubspotPreset } from './hubspot-preset';

/** Sign-in only: Consentry calls no HubSpot API. */
export const hubspotModule: ProviderModule = {
  id: 'hubspot',
  preset: hubspotPreset,
  noGrantListing: 'HubSpot offers no API that lists the apps connected to an account. Review them in HubSpot under Settings → Integrations → Connected Apps.',
};
