/**
 * Plans awaiting the admin's confirmation. A plan expires, names the text the admin must type for
 * a bulk change, and carries a guard: the version of the data it was worked out from. Confirming
 * takes it once; an expired plan, a wrong text or changed data refuse before anything is sent.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error';

export interface StoredPlan<Content> {
  id: string;
  createdAt: number;
  /** The data version the plan was made from (a snapshot id, a policy etag). */
  guard: string;
  /** What the admin must type; null when a click is enough. */
  confirmationText: string | null;
  content: Content;
}

export interface PlanStoreOptions {
  lifetimeMs: number;
  clock?: () => Date;
}

/** The same comparison the confirmation dialog makes: trimmed, whatever the case. */
export function confirmationMatches(typed: string, expected: string | null): boolean {
  return expected === null || typed.trim().toLowerCase() === expected.toLowerCase();
}

export class PlanStore<Content> {
  readonly #plans = new Map<string, StoredPlan<Content>>();
  readonly #lifetimeMs: number;
  readonly #clock: () => Date;

  constructor(options: PlanStoreOptions) {
    this.#lifetimeMs = options.lifetimeMs;
    this.#clock = options.clock ?? (() => new Date());
  }

  add(guard: string, confirmationText: string | null, content: Content): StoredPlan<Content> {
    return this.addWith(guard, confirmationText, () => content);
  }

  /** Adds a plan whose content names the plan's own id (what the confirmation dialog sends back). */
  addWith(guard: string, confirmationText: string | null, contentFor: (id: string) => Content): StoredPlan<Content> {
    this.#prune();
    const id = randomUUID();
    const plan: StoredPlan<Content> = { id, createdAt: this.#clock().getTime(), guard, confirmationText, content: contentFor(id) };
    this.#plans.set(plan.id, plan);
    return plan;
  }

  /**
   * Checks the plan without taking it: known and unexpired, the typed text, and the data it was
   * made from still current.
   */
  check(id: string, typed: string, currentGuard: string | null): StoredPlan<Content> {
    this.#prune();
    const plan = this.#plans.get(id);
    if (!plan) throw new AppError('plan_expired', 'That plan has expired or was already carried out.', { nextStep: 'Select again and review the new confirmation. Nothing was changed.' });
    if (!confirmationMatches(typed, plan.confirmationText)) {
      throw new AppError('confirmation_mismatch', `Type “${plan.confirmationText}” to confirm.`, { nextStep: 'Nothing was changed.' });
    }
    if (currentGuard !== plan.guard) {
      this.#plans.delete(id);
      throw new AppError('plan_expired', 'The data this plan was worked out from has changed since (a newer scan).', { nextStep: 'Select again in the current data and review the new plan. Nothing was changed.' });
    }
    return plan;
  }

  /** Removes the plan so it cannot be confirmed twice. */
  take(id: string): void {
    this.#plans.delete(id);
  }

  #prune(): void {
    const now = this.#clock().getTime();
    for (const [id, plan] of this.#plans) if (now - plan.createdAt > this.#lifetimeMs) this.#plans.delete(id);
  }
}
