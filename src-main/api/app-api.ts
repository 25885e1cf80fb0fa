import type { AppDescription } from '../../src-shared/contract/app';
import type { ChannelHandlers } from './router';

/** `openExternal` is the guarded opener: provider consoles and help pages only. */
export function appApi(description: AppDescription, openExternal: (url: string) => Promise<void>): Pick<ChannelHandlers, 'app.describe' | 'app.openExternal'> {
  return {
    'app.describe': () => description,
    'app.openExternal': async ({ url }) => {
      await openExternal(url);
      return { opened: true as const };
    },
  };
}
