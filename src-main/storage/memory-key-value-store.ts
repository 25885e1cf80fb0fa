import type { KeyValueStore } from './key-value-store';

/**
 * A store that lives only until the app quits, with conf's dotted keys (`records.<id>` is `id`
 * inside `records`). Used where a store file must not be written: one that could not be moved aside.
 */
export function createMemoryKeyValueStore(): KeyValueStore {
  const root: Record<string, unknown> = {};
  const parentOf = (key: string, create: boolean): [Record<string, unknown> | undefined, string] => {
    const parts = key.split('.');
    const last = parts.pop() as string;
    let node: Record<string, unknown> | undefined = root;
    for (const part of parts) {
      const next: unknown = node[part];
      if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else if (create) node = node[part] = {};
      else return [undefined, last];
    }
    return [node, last];
  };
  return {
    get(key) {
      const [parent, last] = parentOf(key, false);
      return parent && Object.hasOwn(parent, last) ? structuredClone(parent[last]) : undefined;
    },
    set(key, value) {
      const [parent, last] = parentOf(key, true);
      (parent as Record<string, unknown>)[last] = structuredClone(value);
    },
    delete(key) {
      const [parent, last] = parentOf(key, false);
      if (parent) delete parent[last];
    },
  };
}
