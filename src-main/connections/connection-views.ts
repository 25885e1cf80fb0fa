/**
 * What the Connections page is shown: the provider catalog and each connection as a view (status
 * by the clock, capabilities held, redirect URI). Secrets are never part of a view.
 */
import type { ConnectionView, ProviderCatalog } from '../../src-shared/contract/connections';
import type { CapabilityId } from '../../src-shared/domain/ids';
import { capabilityScopes, redirectFor } from '../oauth/connection-resolution';
import type { ProviderDefinition } from '../oauth/provider-definition';
import type { ProviderDefinitions } from '../oauth/provider-definitions';
import type { ConnectionRecord } from './connection-record';
import { computeStatus } from './connection-status';

export function providerCatalogView(definitions: ProviderDefinitions): ProviderCatalog {
  return {
    providers: definitions.all.map((definition) => ({
      id: definition.id,
      label: definition.label,
      family: definition.family,
      summary: definition.summary,
      fields: definition.fields,
      clientSecret: definition.clientSecret,
      clientSecretNote: definition.clientSecretNote,
      registration: definition.registration,
      manualRevocation: definition.manualRevocation({}),
      scopes: definition.scopes,
      capabilities: capabilityScopes(definition, {}),
      scopesEditable: definition.scopesEditable,
      revocation: definition.revocation.kind === 'none' ? 'none' : definition.revocation.kind === 'rfc7009' ? 'standard' : 'provider-call',
      clouds: definition.clouds,
    })),
  };
}

/** Held: allowed, and every scope it adds granted; a stopped capability is never held. */
export function capabilityStates(definition: ProviderDefinition, record: ConnectionRecord): ConnectionView['capabilities'] {
  const granted = new Set(record.scopesGranted);
  return capabilityScopes(definition, record.settings).map(({ id, scopes }) => {
    const allowed = record.capabilities.includes(id);
    return { id, allowed, held: allowed && scopes.every((added) => granted.has(added.scope)), extraScopes: scopes };
  });
}

/** `refreshing`: a renewal of its access token is under way. */
export function connectionView(definition: ProviderDefinition, record: ConnectionRecord, now: Date, refreshing: boolean): ConnectionView {
  const computed = computeStatus(record, now, refreshing);
  return {
    id: record.id,
    label: record.label,
    provider: record.provider,
    providerLabel: definition.label,
    family: definition.family,
    account: record.account,
    tenant: record.tenant,
    capabilities: capabilityStates(definition, record),
    status: computed.status,
    statusDetail: computed.detail,
    scopesRequested: record.scopesRequested,
    scopesGranted: record.scopesGranted,
    clientId: record.clientId,
    hasClientSecret: record.hasClientSecret,
    redirectUri: redirectFor(definition, record.settings).uri,
    settings: record.settings,
    storage: record.storage,
    createdAt: record.createdAt,
    connectedAt: record.connectedAt,
    accessTokenExpiresAt: record.accessTokenExpiresAt,
    lastRefreshAt: record.lastRefreshAt,
    nextRefreshAt: computed.nextRefreshAt?.toISOString() ?? null,
    lastError: record.lastError,
    manualRevocation: definition.manualRevocation(record.settings),
    sample: record.sample,
  };
}

/** The connection holds this capability: its scopes were granted. */
export function holdsCapability(view: ConnectionView, capability: CapabilityId): boolean {
  return view.capabilities.some((candidate) => candidate.id === capability && candidate.held);
}

/** The scopes this capability adds that the connection has not been granted (none where the provider has no such capability). */
export function missingCapabilityScopes(view: ConnectionView, capability: CapabilityId): string[] {
  const entry = view.capabilities.find((candidate) => candidate.id === capability);
  return (entry?.extraScopes ?? []).map((added) => added.scope).filter((scope) => !view.scopesGranted.includes(scope));
}
