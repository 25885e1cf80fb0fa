import { BridgeError } from '../../../src-preload/client';

/**
 * Every failure as a BridgeError, so the UI always has a sentence and a next step to show. Anything
 * else (a transport that broke) is described without its own text, which may hold internals.
 */
export function asBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  return new BridgeError({
    code: 'internal',
    message: 'Consentry could not reach its console; nothing was changed.',
    nextStep: 'Try again. If it keeps happening, restart Consentry.',
  });
}
