/**
 * The one request scheduler of each tenant (connection), shared by every feature that calls its
 * provider — scans, revocations, offboarding — so the provider's quota is kept by the whole app,
 * not by each feature on its own.
 */
import type { ProviderId } from '../../src-shared/domain/ids';
import { AppError } from '../errors/app-error';
import { RequestScheduler, type FailureKind } from './request-scheduler';

export interface ProviderTrafficPolicy {
  classify(error: unknown): FailureKind;
  /** The provider's documented default quota for one project or app, in calls per minute. */
  defaultQuotaPerMinute: number;
}

export class TenantSchedulers {
  readonly #policies: Partial<Record<ProviderId, ProviderTrafficPolicy>>;
  readonly #schedulers = new Map<string, RequestScheduler>();

  constructor(policies: Partial<Record<ProviderId, ProviderTrafficPolicy>>) {
    this.#policies = policies;
  }

  /**
   * The connection's scheduler, made on first use. A changed quota setting retunes it rather than
   * replacing it: a replacement would start with an empty window while the old one's calls are
   * still in flight, and together they could overrun the provider's quota.
   */
  for(connectionId: string, provider: ProviderId, quotaPerMinute?: number): RequestScheduler {
    const quota = this.#quota(provider, quotaPerMinute);
    const existing = this.#schedulers.get(connectionId);
    if (existing) {
      existing.setQuota(quota);
      return existing;
    }
    const scheduler = new RequestScheduler({ quotaPerMinute: quota, classify: this.#policies[provider]!.classify });
    this.#schedulers.set(connectionId, scheduler);
    return scheduler;
  }

  /** Applies a changed quota setting to the connection's scheduler, if it has one yet. */
  retune(connectionId: string, provider: ProviderId, quotaPerMinute?: number): void {
    const scheduler = this.#schedulers.get(connectionId);
    if (scheduler) scheduler.setQuota(this.#quota(provider, quotaPerMinute));
  }

  has(connectionId: string): boolean {
    return this.#schedulers.has(connectionId);
  }

  /** A removed connection's scheduler goes; calls still queued on it finish or fail on their own. */
  forget(connectionId: string): void {
    this.#schedulers.delete(connectionId);
  }

  #quota(provider: ProviderId, quotaPerMinute: number | undefined): number {
    const policy = this.#policies[provider];
    if (!policy) throw new AppError('not_supported', 'Consentry does not call this provider’s API.');
    return quotaPerMinute ?? policy.defaultQuotaPerMinute;
  }
}
