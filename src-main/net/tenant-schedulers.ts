/**
 * The one request scheduler of each tenant (connection), shared by every feature that calls its
 * provider — scans, revocations, offboarding — so the provider's quota is kept by the whole app,
 * not by each feature on its own.
 */
import type { ProviderId } from '../../src-preload/contract';
import { AppError } from '../errors/app-error';
import { RequestScheduler, type FailureKind } from './request-scheduler';

export interface ProviderTrafficPolicy {
  classify(error: unknown): FailureKind;
  /** The provider's documented default quota for one project or app, in calls per minute. */
  defaultQuotaPerMinute: number;
}

export class TenantSchedulers {
  readonly #policies: Partial<Record<ProviderId, ProviderTrafficPolicy>>;
  readonly #schedulers = new Map<string, { quota: number; scheduler: RequestScheduler }>();

  constructor(policies: Partial<Record<ProviderId, ProviderTrafficPolicy>>) {
    this.#policies = policies;
  }

  /** The connection's scheduler; a changed quota setting takes effect for calls scheduled from now on. */
  for(connectionId: string, provider: ProviderId, quotaPerMinute?: number): RequestScheduler {
    const policy = this.#policies[provider];
    if (!policy) throw new AppError('not_supported', 'Consentry does not call this provider’s API.');
    const quota = quotaPerMinute ?? policy.defaultQuotaPerMinute;
    const existing = this.#schedulers.get(connectionId);
    if (existing && existing.quota === quota) return existing.scheduler;
    const scheduler = new RequestScheduler({ quotaPerMinute: quota, classify: policy.classify });
    this.#schedulers.set(connectionId, { quota, scheduler });
    return scheduler;
  }

  forget(connectionId: string): void {
    this.#schedulers.delete(connectionId);
  }
}
