/**
 * The one way a capability reaches a tenant's provider API: for a connection it gives the call
 * context (base URL, settings, a fresh access token, the tenant's one scheduler, the fetch to use).
 * Scans, revocations and the capabilities to come ask here instead of assembling it themselves.
 */
import type { ConnectionView } from '../../src-preload/contract';
import type { ProviderCallContext } from '../net/provider-call-context';
import type { TenantSchedulers } from '../net/tenant-schedulers';
import { providerApiBaseUrl } from '../oauth/provider-catalog';
import type { ConnectionService } from './connection-service';

export interface TenantGatewayOptions {
  connections: Pick<ConnectionService, 'view' | 'accessToken'>;
  schedulers: TenantSchedulers;
  /** How provider APIs are called; the global fetch unless a host needs a pinned certificate. */
  fetch?: typeof fetch;
}

export class TenantGateway {
  readonly #options: TenantGatewayOptions;

  constructor(options: TenantGatewayOptions) {
    this.#options = options;
  }

  /** The call context of a connection; throws `not_found` for a connection that is gone. */
  context(connectionId: string, signal?: AbortSignal): ProviderCallContext & { connection: ConnectionView } {
    return this.contextFor(this.#options.connections.view(connectionId), signal);
  }

  contextFor(connection: ConnectionView, signal?: AbortSignal): ProviderCallContext & { connection: ConnectionView } {
    const connections = this.#options.connections;
    return {
      connection,
      apiBaseUrl: providerApiBaseUrl(connection.provider, connection.settings),
      settings: connection.settings,
      accessToken: () => connections.accessToken(connection.id),
      scheduler: this.#options.schedulers.for(connection.id, connection.provider, connection.settings.apiQuotaPerMinute),
      ...(signal ? { signal } : {}),
      ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
    };
  }
}
