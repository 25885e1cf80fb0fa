import ElectronStore from 'electron-store';
import { asKeyValueStore } from '../storage/conf-key-value-store';
import type { KeyValueStore } from '../storage/key-value-store';

/** electron-store in the app's userData folder, readable by the current user only. */
export function openElectronStore(name: string): KeyValueStore {
  return asKeyValueStore(new ElectronStore<Record<string, unknown>>({ name, configFileMode: 0o600 }));
}
