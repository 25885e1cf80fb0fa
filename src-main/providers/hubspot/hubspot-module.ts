import type { ProviderModule } from '../provider-module';

/** Sign-in only: Consentry calls no HubSpot API. */
export const hubspotModule: ProviderModule = {
  id: 'hubspot',
  noGrantListing: 'HubSpot offers no API that lists the apps connected to an account. Review them in HubSpot under Settings → Integrations → Connected Apps.',
};
