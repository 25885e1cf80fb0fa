import type { ProviderModule } from '../provider-module';
import { zoomPreset } from './zoom-preset';

/** Sign-in only: Consentry calls no Zoom API. */
export const zoomModule: ProviderModule = {
  id: 'zoom',
  preset: zoomPreset,
  noGrantListing: 'Zoom offers no admin API that lists the apps each user authorized. Review them in the Zoom App Marketplace under Manage → Added Apps.',
};
