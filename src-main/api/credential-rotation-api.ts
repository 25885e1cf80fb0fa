import type { RotationRunner } from '../credentials/rotation-runner';
import type { ChannelHandlers } from './router';

type RotationChannels = 'credentials.rotations' | 'credentials.startRotation' | 'credentials.advanceRotation' | 'credentials.revealSecret';

export function credentialRotationApi(rotations: RotationRunner): Pick<ChannelHandlers, RotationChannels> {
  return {
    'credentials.rotations': () => rotations.list(),
    'credentials.startRotation': ({ key }) => rotations.startRotation(key),
    'credentials.advanceRotation': ({ rotationId, step }) => rotations.advance(rotationId, step),
    'credentials.revealSecret': ({ rotationId }) => rotations.revealSecret(rotationId),
  };
}
