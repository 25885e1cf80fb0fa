import type { ActivityResult } from '../../src-shared/contract/activity';

/** Past this many distinct actions a log is not one Consentry wrote; the rest are only totalled. */
const actionLimit = 5_000;

/** Entries per action and result: enough to answer the unfiltered and menu-filtered totals at once. */
export class ActivityCounts {
  readonly #byAction = new Map<string, { succeeded: number; failed: number }>();
  #total = 0;
  #overflow = false;

  add(entry: { action: string; result: ActivityResult }): void {
    this.#total += 1;
    let counts = this.#byAction.get(entry.action);
    if (!counts) {
      if (this.#byAction.size >= actionLimit) {
        this.#overflow = true;
        return;
      }
      counts = { succeeded: 0, failed: 0 };
      this.#byAction.set(entry.action, counts);
    }
    counts[entry.result] += 1;
  }

  get total(): number {
    return this.#total;
  }

  /** Entries with this action and result (either when absent), or `undefined` when not known. */
  matching(action: string | undefined, result: ActivityResult | undefined): number | undefined {
    if (action === undefined && result === undefined) return this.#total;
    if (this.#overflow) return undefined;
    let sum = 0;
    for (const [name, counts] of this.#byAction) {
      if (action !== undefined && name !== action) continue;
      sum += result === undefined ? counts.succeeded + counts.failed : counts[result];
    }
    return sum;
  }

  actions(): string[] {
    return [...this.#byAction.keys()];
  }

  /** These counts followed by `later`'s. */
  plus(later: ActivityCounts): ActivityCounts {
    const sum = new ActivityCounts();
    for (const part of [this, later]) {
      sum.#total += part.#total;
      sum.#overflow ||= part.#overflow;
      for (const [action, counts] of part.#byAction) {
        const into = sum.#byAction.get(action) ?? { succeeded: 0, failed: 0 };
        into.succeeded += counts.succeeded;
        into.failed += counts.failed;
        sum.#byAction.set(action, into);
      }
    }
    return sum;
  }

  toJSON(): { total: number; overflow: boolean; actions: Record<string, [number, number]> } {
    return {
      total: this.#total,
      overflow: this.#overflow,
      actions: Object.fromEntries([...this.#byAction].map(([action, counts]) => [action, [counts.succeeded, counts.failed]])),
    };
  }

  static fromJSON(value: unknown): ActivityCounts | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const { total, overflow, actions } = value as Record<string, unknown>;
    if (typeof total !== 'number' || typeof overflow !== 'boolean' || typeof actions !== 'object' || actions === null) return undefined;
    const counts = new ActivityCounts();
    counts.#total = total;
    counts.#overflow = overflow;
    for (const [action, pair] of Object.entries(actions)) {
      if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((count) => Number.isInteger(count) && count >= 0)) return undefined;
      counts.#byAction.set(action, { succeeded: pair[0] as number, failed: pair[1] as number });
    }
    return counts;
  }
}
