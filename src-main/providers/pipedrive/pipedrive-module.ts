import type { ProviderModule } from '../provider-module';
import { pipedrivePreset } from './pipedrive-preset';

/** Sign-in only: Consentry calls no Pipedrive API. */
export const pipedriveModule: ProviderModule = {
  id: 'pipedrive',
  preset: pipedrivePreset,
  noGrantListing: 'Pipedrive offers no API that lists the apps users installed. Review them in Pipedrive under Tools and apps → Marketplace apps.',
};
