import type { ProviderModule } from '../provider-module';

/** Sign-in only: Consentry calls no Pipedrive API. */
export const pipedriveModule: ProviderModule = {
  id: 'pipedrive',
  noGrantListing: 'Pipedrive offers no API that lists the apps users installed. Review them in Pipedrive under Tools and apps → Marketplace apps.',
};
