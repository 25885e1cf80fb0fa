/**
 * The console's services in plain Node on a profile folder, as the browser bridge builds them but
 * without a transport: for tests that stop and start the console (a crash, a restart) and call its
 * services directly.
 */
import { startConsoleServices, type ConsoleAdapters, type ConsoleServices } from '../../src-main/app-services';
import { openConfKeyValueStore } from '../../src-main/storage/conf-key-value-store';
import { ProfileFolder } from '../../src-main/storage/profile-file-opening';
import { createAesGcmCipher } from './aes-gcm-cipher';
import { driveAuthorization } from './authorization-driver';

/** One key for every start on the same profile, as the OS keychain would give. */
const vaultKey = Buffer.alloc(32, 7);

/** `overrides`: adapters a test replaces, e.g. its own simulator to read the request log of. */
export async function openNodeConsole(dataDirectory: string, overrides: Partial<ConsoleAdapters> = {}): Promise<ConsoleServices> {
  return startConsoleServices({
    dataDirectory,
    profile: new ProfileFolder(dataDirectory, { openStoreFile: openConfKeyValueStore }),
    cipher: createAesGcmCipher(vaultKey),
    // The person at the system browser signs in and consents.
    openExternal: async (url) => {
      driveAuthorization(url).catch(() => undefined);
    },
    notify: () => undefined,
    fetch,
    description: { name: 'Consentry', version: 'test', platform: 'other', host: 'browser-bridge' },
    isTrustedSender: () => true,
    reportUnexpected: (context, error) => console.error(`[node-console] unexpected failure in ${context}:`, error),
    ...overrides,
  });
}
