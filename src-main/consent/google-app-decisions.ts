/**
 * The admin's trusted / limited / blocked decisions on Google apps, kept in the profile because
 * Google has no API for the per-app access list: exported as client ids to paste into the Admin
 * console. A damaged file is set aside when the profile opens (profile-file-opening.ts).
 */
import { z } from 'zod';
import { GoogleAppDecisionSchema, type AppAccessDecision, type GoogleAppDecision } from '../../src-shared/contract/consent';
import type { KeyValueStore } from '../storage/key-value-store';

const decisionsKey = 'decisions';
const StoredDecisionsSchema = z.array(GoogleAppDecisionSchema);

export class GoogleAppDecisions {
  readonly #store: KeyValueStore;
  readonly #clock: () => Date;

  constructor(store: KeyValueStore, clock: () => Date = () => new Date()) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Every decision, newest first. An entry that no longer parses is left out rather than failing the page. */
  list(): GoogleAppDecision[] {
    const stored = this.#store.get(decisionsKey);
    const parsed = StoredDecisionsSchema.safeParse(stored ?? []);
    const decisions = parsed.success ? parsed.data : (Array.isArray(stored) ? stored : []).flatMap((entry) => GoogleAppDecisionSchema.safeParse(entry).data ?? []);
    return [...decisions].sort((a, b) => b.decidedAt.localeCompare(a.decidedAt));
  }

  /** Sets (or, with null, clears) the decision on one client id of one connection; returns the one it replaced. */
  decide(entry: { connectionId: string; clientId: string; appName: string; decision: AppAccessDecision | null; note: string | null }): { before: GoogleAppDecision | null; after: GoogleAppDecision | null } {
    const all = this.list();
    const same = (decision: GoogleAppDecision) => decision.connectionId === entry.connectionId && decision.clientId === entry.clientId;
    const before = all.find(same) ?? null;
    const after: GoogleAppDecision | null = entry.decision
      ? { connectionId: entry.connectionId, clientId: entry.clientId, appName: entry.appName || before?.appName || entry.clientId, decision: entry.decision, note: entry.note, decidedAt: this.#clock().toISOString() }
      : null;
    this.#store.set(decisionsKey, [...(after ? [after] : []), ...all.filter((decision) => !same(decision))]);
    return { before, after };
  }

  /** The client ids decided `decision`, one per line, each once. */
  clientIds(decision: AppAccessDecision): string[] {
    return [...new Set(this.list().filter((entry) => entry.decision === decision).map((entry) => entry.clientId))].sort();
  }
}
