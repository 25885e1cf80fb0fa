/**
 * The offboarding list being prepared and the plan made from it, kept in the profile
 * (offboarding-list.json) so that a restart loses neither the rows nor their fixes. A damaged file
 * is set aside when the profile opens (profile-file-opening.ts); an entry that no longer parses
 * (written by another version) is read as none, never a reason to fail.
 */
import { z } from 'zod';
import { OffboardingListSchema, OffboardingPlanSchema, type OffboardingList, type OffboardingPlan } from '../../src-shared/contract/offboarding';
import type { KeyValueStore } from '../storage/key-value-store';

/** Per row id, the values of columns Consentry does not know (the verdicts name them). */
export type UnknownValues = Record<string, [string, string][]>;

export interface StoredList {
  list: OffboardingList;
  unknownValues: UnknownValues;
}

export interface StoredPlan {
  plan: OffboardingPlan;
  /** The run it became; null until started. */
  runId: string | null;
  /**
   * When a start began, saved before the run's job is created: a stop between the two leaves the
   * mark, and the job kernel tells whether the run exists.
   */
  startingAt: string | null;
}

const StoredListSchema = z.object({ list: OffboardingListSchema, unknownValues: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))) });
const StoredPlanSchema = z.object({ plan: OffboardingPlanSchema, runId: z.string().nullable(), startingAt: z.string().nullable().default(null) });

const listKey = 'list';
const planKey = 'plan';

export class OffboardingListStore {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  list(): StoredList | null {
    return StoredListSchema.safeParse(this.#store.get(listKey)).data ?? null;
  }

  saveList(stored: StoredList | null): void {
    if (stored) this.#store.set(listKey, stored);
    else this.#store.delete(listKey);
  }

  /**
   * The plan as saved. A dry run that was under way when Consentry stopped is read as cancelled:
   * nothing is reading any more.
   */
  plan(): StoredPlan | null {
    const stored = StoredPlanSchema.safeParse(this.#store.get(planKey)).data ?? null;
    const dryRun = stored?.plan.dryRun;
    if (stored && dryRun?.state === 'running') {
      stored.plan.dryRun = { ...dryRun, state: 'cancelled', reason: 'Consentry stopped during the dry run; run it again.' };
    }
    return stored;
  }

  savePlan(stored: StoredPlan | null): void {
    if (stored) this.#store.set(planKey, stored);
    else this.#store.delete(planKey);
  }
}
