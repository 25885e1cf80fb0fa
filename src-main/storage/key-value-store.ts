/**
 * The slice of electron-store (and of conf, the library it wraps) that the core uses. The desktop
 * app passes an electron-store; Node tests and the browser bridge pass a conf store with the same
 * file format in a profile folder of their own.
 */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}
