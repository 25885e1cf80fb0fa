import type { ProviderModule } from '../provider-module';
import { slackPreset } from './slack-preset';

/** Sign-in only: Consentry calls no Slack API. */
export const slackModule: ProviderModule = {
  id: 'slack',
  preset: slackPreset,
  noGrantListing: 'Slack lists approved apps only on Enterprise Grid (admin.apps), not the apps each user authorized. Review them in Slack under Settings & administration → Manage apps.',
};
