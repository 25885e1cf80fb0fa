import ElectronStore from 'electron-store';
import { asKeyValueStore } from '../storage/conf-key-value-store';
import type { KeyValueStore } from '../storage/key-value-store';

/** electron-store's `name.json` in `directory` (the app's userData), readable by the current user only. */
export function openElectronStoreFile(directory: string, name: string): KeyValueStore {
  return asKeyValueStore(new ElectronStore<Record<string, unknown>>({ cwd: directory, name, configFileMode: 0o600 }));
}
