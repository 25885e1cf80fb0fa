/**
 * The provider presets Consentry connects to, as the composition root hands them to the services
 * (built from the provider modules): OAuth and the connections read presets here, never from a
 * provider's folder.
 */
import type { ConnectionSettings } from '../../src-shared/contract/connections';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ProviderDefinition } from './provider-definition';

export class ProviderDefinitions {
  /** In the order the connect wizard lists them. */
  readonly all: readonly ProviderDefinition[];
  readonly #byId: ReadonlyMap<ProviderId, ProviderDefinition>;

  constructor(definitions: readonly ProviderDefinition[]) {
    this.all = definitions;
    this.#byId = new Map(definitions.map((definition) => [definition.id, definition]));
  }

  get(id: ProviderId): ProviderDefinition {
    const definition = this.#byId.get(id);
    if (!definition) throw new Error(`No provider preset ${id}.`);
    return definition;
  }

  /**
   * Where a connection's provider API lives: the override when set (a test tenant, the sample
   * workspace), else the provider's public host for the connection's cloud, domain or org.
   * Undefined means the client library's own default (Google APIs).
   */
  apiBaseUrl(provider: ProviderId, settings: ConnectionSettings): string | undefined {
    if (settings.apiBaseUrl) return settings.apiBaseUrl;
    return this.get(provider).apiBaseUrl?.(settings);
  }
}

/** Every scope a preset may ask for, base and capabilities alike (what a test authorization server must know). */
export function everyScopeOf(definition: ProviderDefinition): string[] {
  const capabilityScopes = Object.values(definition.capabilities).flatMap((scopes) => scopes.map((added) => added.scope));
  return [...new Set([...definition.scopes.map((base) => base.scope), ...capabilityScopes])];
}
