/**
 * The one way a capability reaches a tenant's provider API: for a connection it gives the call
 * context (base URL, settings, a fresh access token, the tenant's one scheduler, the fetch to use).
 * Scans, revocations and the capabilities to come ask here instead of assembling it themselves.
 */
import type { ConnectionView } from '../../src-shared/contract/connections';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { HttpFetch } from '../net/http-fetch';
import type { ProviderCallContext } from '../net/provider-call-context';
import type { TenantSchedulers } from '../net/tenant-schedulers';
import type { ProviderDefinitions } from '../oauth/provider-definitions';
import type { ConnectionService } from './connection-service';

export interface TenantGatewayOptions {
  connections: Pick<ConnectionService, 'view' | 'accessToken'>;
  /** The provider presets: where each provider's API lives. */
  definitions: Pick<ProviderDefinitions, 'apiBaseUrl'>;
  schedulers: TenantSchedulers;
  /** How provider APIs are called: the host's outbound HTTP (Electron's network stack in the app). */
  fetch: HttpFetch;
  /** Where connection changes are heard: a quota setting retunes the scheduler, a removal drops it. */
  events: Pick<EventHub, 'subscribe'>;
}

export class TenantGateway {
  readonly #options: TenantGatewayOptions;
  readonly #unsubscribe: () => void;

  constructor(options: TenantGatewayOptions) {
    this.#options = options;
    this.#unsubscribe = options.events.subscribe((event, payload) => {
      if (event === 'connections.changed') this.#connectionChanged((payload as { connectionId: string }).connectionId);
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  /** The call context of a connection; throws `not_found` for a connection that is gone. */
  context(connectionId: string, signal?: AbortSignal): ProviderCallContext & { connection: ConnectionView } {
    return this.contextFor(this.#options.connections.view(connectionId), signal);
  }

  contextFor(connection: ConnectionView, signal?: AbortSignal): ProviderCallContext & { connection: ConnectionView } {
    const connections = this.#options.connections;
    return {
      connection,
      apiBaseUrl: this.#options.definitions.apiBaseUrl(connection.provider, connection.settings),
      settings: connection.settings,
      accessToken: () => connections.accessToken(connection.id),
      scheduler: this.#options.schedulers.for(connection.id, connection.provider, connection.settings.apiQuotaPerMinute),
      ...(signal ? { signal } : {}),
      fetch: this.#options.fetch,
    };
  }

  /**
   * Calls already scheduled keep their scheduler, so a new quota must reach that one; a removed
   * connection's scheduler is dropped, or every connection ever made would keep one. Nothing
   * here may throw into the publisher (a remove or a save).
   */
  #connectionChanged(connectionId: string): void {
    let connection: ConnectionView;
    try {
      connection = this.#options.connections.view(connectionId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') this.#options.schedulers.forget(connectionId);
      return;
    }
    this.#options.schedulers.retune(connectionId, connection.provider, connection.settings.apiQuotaPerMinute);
  }
}
