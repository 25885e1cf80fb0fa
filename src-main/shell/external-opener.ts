import { shell } from 'electron';
import { AppError } from '../errors/app-error';
import type { ExternalUrlPolicy } from '../security/external-url-policy';

export type ExternalOpener = (url: string, context?: { trustedHosts?: readonly string[] }) => Promise<void>;

/** The one way Consentry reaches shell.openExternal: through the URL policy, never around it. */
export function createGuardedOpener(policy: ExternalUrlPolicy): ExternalOpener {
  return async (url, context) => {
    const verdict = policy(url, context);
    if (!verdict.allowed) {
      throw new AppError('external_url_refused', `Consentry did not open that link: ${verdict.reason}`, {
        nextStep: 'Open the provider page from your browser yourself if you trust it.',
      });
    }
    await shell.openExternal(verdict.url, { activate: true });
  };
}
