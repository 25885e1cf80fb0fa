/**
 * How the consent service, its jobs and its decision log reach a tenant: the connection's call
 * context (which carries the connection) and its provider's consent adapter, which must offer the
 * methods the caller needs.
 */
import type { ProviderId } from '../../src-shared/domain/ids';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { ProviderConsent } from './consent-port';

export interface ConsentReach {
  consents: Partial<Record<ProviderId, ProviderConsent>>;
  gateway: Pick<TenantGateway, 'context'>;
}

export function reachConsent({ consents, gateway }: ConsentReach, connectionId: string, methods: readonly (keyof ProviderConsent)[], signal?: AbortSignal) {
  const context = gateway.context(connectionId, signal);
  const adapter = consents[context.connection.provider];
  if (!adapter || methods.some((method) => adapter[method] === undefined)) {
    throw new AppError('not_supported', `${context.connection.providerLabel} offers no API for this; use its admin console.`);
  }
  return { view: context.connection, context, adapter };
}
