import type { SampleWorkspace } from '../sample/sample-workspace';
import type { ChannelHandlers } from './router';

export function sampleApi(sample: SampleWorkspace): Pick<ChannelHandlers, 'sample.status' | 'sample.connect' | 'sample.remove'> {
  return {
    'sample.status': () => sample.status(),
    'sample.connect': ({ attemptId, provider }) => sample.connect(attemptId, provider),
    'sample.remove': async () => ({ removed: await sample.remove() }),
  };
}
