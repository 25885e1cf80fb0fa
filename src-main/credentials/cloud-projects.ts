/**
 * The Google Cloud projects the admin named per Google connection: Google offers a Workspace admin
 * no list of "every project's keys", so the inventory reads the keys of these. Kept in the profile
 * (cloud-projects.json); a damaged file is set aside when the profile opens (profile-file-opening.ts).
 */
import { z } from 'zod';
import type { KeyValueStore } from '../storage/key-value-store';

const connectionsKey = 'connections';
const EntrySchema = z.object({ connectionId: z.string(), projects: z.array(z.string()) });
export type CloudProjectsEntry = z.infer<typeof EntrySchema>;

export class CloudProjects {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  /** Every connection that has projects named. An entry that no longer parses is left out. */
  all(): CloudProjectsEntry[] {
    const stored = this.#store.get(connectionsKey);
    return (Array.isArray(stored) ? stored : []).flatMap((entry) => EntrySchema.safeParse(entry).data ?? []).filter((entry) => entry.projects.length > 0);
  }

  of(connectionId: string): string[] {
    return this.all().find((entry) => entry.connectionId === connectionId)?.projects ?? [];
  }

  /** Names the projects of a connection (none: forgets them), each once, in the order given. */
  set(connectionId: string, projects: readonly string[]): void {
    const others = this.all().filter((entry) => entry.connectionId !== connectionId);
    const unique = [...new Set(projects.map((project) => project.trim()).filter((project) => project !== ''))];
    this.#store.set(connectionsKey, unique.length > 0 ? [...others, { connectionId, projects: unique }] : others);
  }
}
