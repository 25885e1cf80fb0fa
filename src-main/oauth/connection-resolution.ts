import type { CapabilityScope, ConnectionPreview, ConnectionSettings, ScopeExplanation } from '../../src-shared/contract/connections';
import type { CapabilityId, ProviderId } from '../../src-shared/domain/ids';
import { capabilityIds } from '../../src-shared/domain/ids';
import { AppError } from '../errors/app-error';
import type { ResolvedConnection } from './oauth-client';
import { microsoftCloud } from './microsoft-clouds';
import type { ProviderDefinition } from './provider-definition';
import type { ProviderDefinitions } from './provider-definitions';

/** The port a fixed-redirect provider is registered with when the admin does not choose one. */
export const defaultFixedRedirectPort = 53_682;
const redirectPath = '/callback';

export interface ConnectionIdentity {
  provider: ProviderId;
  clientId: string;
  settings: ConnectionSettings;
  /** What the admin allowed beyond reading; those the provider does not support are ignored. */
  capabilities: readonly CapabilityId[];
}

/** National clouds name Graph permissions by their own Graph host; the global cloud's is implied. */
function scopeNameFor(definition: ProviderDefinition, settings: ConnectionSettings): (scope: string) => string {
  if (definition.id === 'microsoft' && settings.cloud && settings.cloud !== 'global' && !settings.issuer) {
    const graph = microsoftCloud(settings).graph;
    return (scope) => `${graph}/${scope}`;
  }
  return (scope) => scope;
}

/**
 * The capabilities a provider supports, each with the scopes it adds to the base, named as this
 * connection asks for them (national clouds prefix Graph permissions).
 */
export function capabilityScopes(definition: ProviderDefinition, settings: ConnectionSettings): { id: CapabilityId; scopes: CapabilityScope[] }[] {
  const nameOf = scopeNameFor(definition, settings);
  return capabilityIds.flatMap((id) => {
    const scopes = definition.capabilities[id];
    return scopes ? [{ id, scopes: scopes.map((added) => ({ ...added, scope: nameOf(added.scope) })) }] : [];
  });
}

/** Exactly the scopes a connection asks for: the base, then what each allowed capability adds, each with its reason. */
export function requestedScopes(definition: ProviderDefinition, settings: ConnectionSettings, capabilities: readonly CapabilityId[]): ScopeExplanation[] {
  let base: ScopeExplanation[];
  if (definition.scopesEditable) {
    const signIn = settings.issuer ? definition.scopes : [];
    base = [...signIn, ...(settings.auditScopes ?? []).map((scope) => ({ scope, purpose: 'audit' as const, reason: 'Listed by you for reading.' }))];
  } else {
    const nameOf = scopeNameFor(definition, settings);
    base = definition.scopes.map((scope) => (scope.purpose === 'sign-in' ? scope : { ...scope, scope: nameOf(scope.scope) }));
  }
  const added = capabilityScopes(definition, settings)
    .filter((capability) => capabilities.includes(capability.id))
    .flatMap((capability) => capability.scopes.map((scope): ScopeExplanation => ({ ...scope, purpose: capability.id })));
  // A scope two capabilities need is asked for once, under the first.
  const seen = new Set<string>();
  return [...base, ...added].filter((scope) => !seen.has(scope.scope) && seen.add(scope.scope));
}

export function redirectFor(definition: ProviderDefinition, settings: ConnectionSettings): { port: number; uri: string; note: string } {
  if (definition.family === 'microsoft') {
    return { port: 0, uri: 'http://localhost', note: 'Register it under "Mobile and desktop applications"; Microsoft ignores the port, which is chosen at each sign-in.' };
  }
  if (definition.redirectPort === 'fixed' || settings.redirectPort !== undefined) {
    const port = settings.redirectPort ?? defaultFixedRedirectPort;
    return { port, uri: `http://127.0.0.1:${port}${redirectPath}`, note: `${definition.label} matches the redirect URI exactly: register it as shown, port included. Change the port under Endpoints if ${port} is taken.` };
  }
  return {
    port: 0,
    uri: `http://127.0.0.1${redirectPath}`,
    note: 'Loopback redirect: the port is chosen at each sign-in and the provider accepts any port (RFC 8252 §7.3).',
  };
}

/** A connection's provider, endpoints and scopes, or `invalid_request` naming each field to fix. */
export function resolveConnection(definitions: ProviderDefinitions, identity: ConnectionIdentity, msalHomeAccountId: string | null = null): ResolvedConnection {
  const definition = definitions.get(identity.provider);
  const endpoints = definition.endpoints(identity.settings);
  const problems = Array.isArray(endpoints) ? [...endpoints] : [];
  const scopes = requestedScopes(definition, identity.settings, identity.capabilities).map((scope) => scope.scope);
  if (definition.scopesEditable && !scopes.some((scope) => scope !== 'openid' && scope !== 'email' && scope !== 'offline_access') && !identity.settings.issuer) {
    problems.push({ field: 'settings.auditScopes', message: 'List at least one scope to read with.' });
  }
  if (problems.length > 0 || Array.isArray(endpoints)) {
    throw new AppError('invalid_request', problems.length === 1 ? problems[0]!.message : 'Some connection details need correcting.', {
      fields: problems,
      nextStep: 'Correct the highlighted fields; nothing was sent to the provider.',
    });
  }
  const redirect = redirectFor(definition, identity.settings);
  const expectsIdToken = definition.family !== 'microsoft' && scopes.includes('openid');
  return {
    definition,
    endpoints,
    settings: identity.settings,
    clientId: identity.clientId,
    scopes,
    redirectPort: redirect.port,
    redirectPath,
    expectsIdToken,
    // OIDC servers issue a refresh token for offline_access only with prompt=consent (OIDC Core §11).
    authorizationParameters: { ...(expectsIdToken && scopes.includes('offline_access') ? { prompt: 'consent' } : {}), ...definition.authorizationParameters },
    msalHomeAccountId,
    failureContext: { providerLabel: definition.label, redirectUri: redirect.uri },
  };
}

export function previewConnection(definitions: ProviderDefinitions, identity: ConnectionIdentity): ConnectionPreview {
  const resolved = resolveConnection(definitions, identity);
  const redirect = redirectFor(resolved.definition, identity.settings);
  const host = resolved.endpoints.discover ? new URL(resolved.endpoints.issuer!).host : new URL(resolved.endpoints.authorization).host;
  return {
    redirectUri: redirect.uri,
    redirectNote: redirect.note,
    scopes: requestedScopes(resolved.definition, identity.settings, identity.capabilities),
    scopesNote:
      resolved.definition.scopeParameter === 'none'
        ? `${resolved.definition.label} takes the scopes from the app you registered, not from the sign-in request: enable exactly these on the app.`
        : null,
    authorizationHost: host,
  };
}
