import { manualOffboarding } from '../manual-offboarding';
import type { ProviderModule } from '../provider-module';
import { customPreset } from './custom-preset';

/** The admin console of a provider Consentry knows nothing of: named, never guessed at. */
const adminConsole = 'The provider’s admin console › users › the person';

/** A provider the admin describes (issuer or endpoints); Consentry calls none of its APIs, so offboarding there is done by hand. */
export const customModule: ProviderModule = {
  id: 'custom',
  preset: customPreset,
  offboarding: manualOffboarding('this provider', [
    {
      kind: 'custom.sessions_and_tokens',
      title: 'End sessions and revoke tokens',
      why: 'Signs the person out and revokes the tokens apps hold for them, so nothing keeps acting as them.',
      where: () => ({ label: `${adminConsole} › sessions and tokens (or authorized apps)`, url: null }),
    },
    {
      kind: 'custom.disable',
      title: 'Disable the account',
      why: 'Last: a disabled account cannot sign in again.',
      where: () => ({ label: `${adminConsole} › disable or suspend`, url: null }),
      onlyWhenSuspending: true,
    },
  ]),
  noGrantListing: 'A custom OAuth provider has no standard API that lists grants. Review them in the provider’s admin console.',
};
