import type { AppDescription } from '../../src-preload/contract';
import type { ChannelHandlers } from './router';

export function appApi(description: AppDescription): Pick<ChannelHandlers, 'app.describe'> {
  return {
    'app.describe': () => description,
  };
}
