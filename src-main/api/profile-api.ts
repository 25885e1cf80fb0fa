import type { ProfileProblems } from '../storage/profile-problems';
import type { ChannelHandlers } from './router';

/** The damaged profile files found at start, for the console's notice. */
export function profileApi(problems: ProfileProblems): Pick<ChannelHandlers, 'app.profileProblems' | 'app.dismissProfileProblems'> {
  return {
    'app.profileProblems': () => ({ problems: problems.pending() }),
    'app.dismissProfileProblems': ({ ids }) => ({ dismissed: problems.dismiss(ids) }),
  };
}
