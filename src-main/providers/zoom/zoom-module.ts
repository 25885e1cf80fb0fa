import { manualOffboarding } from '../manual-offboarding';
import type { ProviderModule } from '../provider-module';
import { zoomPreset } from './zoom-preset';

/** Sign-in only: Consentry calls no Zoom API; offboarding there is done by hand. */
export const zoomModule: ProviderModule = {
  id: 'zoom',
  preset: zoomPreset,
  offboarding: manualOffboarding('Zoom', [
    {
      kind: 'zoom.deactivate',
      title: 'Deactivate the Zoom user',
      why: 'A deactivated user cannot sign in and loses their licences; their settings stay should they return. An admin must first be made a member by the account owner.',
      where: () => ({ label: 'Zoom web portal › User Management › Users › the person › ⋯ › Deactivate', url: 'https://zoom.us/account/user' }),
      onlyWhenSuspending: true,
    },
  ]),
  noGrantListing: 'Zoom offers no admin API that lists the apps each user authorized. Review them in the Zoom App Marketplace under Manage → Added Apps.',
};
