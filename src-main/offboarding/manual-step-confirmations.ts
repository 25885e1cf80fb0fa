/**
 * The manual steps of offboarding runs that the admin confirmed as done (at a console Consentry has
 * no API for), kept in the profile (offboarding-confirmations.json). It is the admin's word, shown
 * as such; the activity log records each confirmation too.
 */
import { z } from 'zod';
import type { KeyValueStore } from '../storage/key-value-store';

const confirmedKey = 'confirmed';
const ConfirmationSchema = z.object({ runId: z.string(), key: z.string(), at: z.string() });
type Confirmation = z.infer<typeof ConfirmationSchema>;

export class ManualStepConfirmations {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  /** By item key, when each manual step of the run was confirmed. */
  of(runId: string): Map<string, string> {
    return new Map(this.#all().flatMap((entry) => (entry.runId === runId ? [[entry.key, entry.at] as const] : [])));
  }

  /** Records the confirmation; false when it was confirmed before (kept with its first time). */
  confirm(runId: string, key: string, at: string): boolean {
    const all = this.#all();
    if (all.some((entry) => entry.runId === runId && entry.key === key)) return false;
    this.#store.set(confirmedKey, [...all, { runId, key, at }]);
    return true;
  }

  #all(): Confirmation[] {
    const stored = this.#store.get(confirmedKey);
    return (Array.isArray(stored) ? stored : []).flatMap((entry) => ConfirmationSchema.safeParse(entry).data ?? []);
  }
}
