import Conf from 'conf';
import type { KeyValueStore } from './key-value-store';

/** Narrows a conf store (electron-store is one) to the port the core uses. */
export function asKeyValueStore(store: Conf<Record<string, unknown>>): KeyValueStore {
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}

/** A store in `directory` through conf, the library electron-store is built on. */
export function openConfKeyValueStore(directory: string, name: string): KeyValueStore {
  return asKeyValueStore(
    new Conf<Record<string, unknown>>({
      cwd: directory,
      configName: name,
      projectName: 'consentry',
      // Owner-only: settings are not secret, but the same kind of store will hold encrypted vault records.
      configFileMode: 0o600,
    }),
  );
}
