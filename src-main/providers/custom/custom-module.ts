import type { ProviderModule } from '../provider-module';
import { customPreset } from './custom-preset';

/** A provider the admin describes (issuer or endpoints); Consentry calls none of its APIs. */
export const customModule: ProviderModule = {
  id: 'custom',
  preset: customPreset,
  noGrantListing: 'A custom OAuth provider has no standard API that lists grants. Review them in the provider’s admin console.',
};
