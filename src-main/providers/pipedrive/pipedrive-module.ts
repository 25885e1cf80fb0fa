import { manualOffboarding } from '../manual-offboarding';
import type { ProviderModule } from '../provider-module';
import { pipedrivePreset } from './pipedrive-preset';

/** Sign-in only: Consentry calls no Pipedrive API; offboarding there is done by hand. */
export const pipedriveModule: ProviderModule = {
  id: 'pipedrive',
  preset: pipedrivePreset,
  offboarding: manualOffboarding('Pipedrive', [
    {
      kind: 'pipedrive.deactivate',
      title: 'Deactivate the Pipedrive user',
      why: 'A deactivated user loses access to the company account; the deals and contacts they own stay, to be reassigned.',
      where: () => ({ label: 'Pipedrive › Settings › Manage users › Users and access › ⋯ next to the person › Deactivate', url: null }),
      onlyWhenSuspending: true,
    },
  ]),
  noGrantListing: 'Pipedrive offers no API that lists the apps users installed. Review them in Pipedrive under Tools and apps → Marketplace apps.',
};
