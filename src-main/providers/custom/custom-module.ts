import type { ProviderModule } from '../provider-module';

/** A provider the admin describes (issuer or endpoints); Consentry calls none of its APIs. */
export const customModule: ProviderModule = {
  id: 'custom',
  noGrantListing: 'A custom OAuth provider has no standard API that lists grants. Review them in the provider’s admin console.',
};
