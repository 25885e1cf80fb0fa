import { manualOffboarding } from '../manual-offboarding';
import type { ProviderModule } from '../provider-module';
import { slackPreset } from './slack-preset';

/** Where an Org Owner or Admin finds a member on Enterprise Grid. */
const members = 'Slack › your organization’s name › Tools & settings › Organization settings › People › Members › the person › ⋯';

/** Sign-in only: Consentry calls no Slack API; offboarding there is done by hand. */
export const slackModule: ProviderModule = {
  id: 'slack',
  preset: slackPreset,
  offboarding: manualOffboarding('Slack', [
    {
      kind: 'slack.sign_out',
      title: 'Sign the person out of Slack',
      why: 'Ends their Slack sessions on desktop and mobile at once, before anything else.',
      where: () => ({ label: `${members} › Sign out of Slack (desktop and mobile)`, url: null }),
    },
    {
      kind: 'slack.deactivate',
      title: 'Deactivate the Slack account',
      why: 'A deactivated member is removed from channels and cannot sign back in; their messages and files stay.',
      where: () => ({ label: `${members} › Deactivate account`, url: null }),
      onlyWhenSuspending: true,
    },
  ]),
  noGrantListing: 'Slack lists approved apps only on Enterprise Grid (admin.apps), not the apps each user authorized. Review them in Slack under Settings & administration → Manage apps.',
};
