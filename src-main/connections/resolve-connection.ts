import type { AccessProfile, ConnectionPreview, ConnectionSettings, ProviderId, ScopeExplanation } from '../../src-preload/contract';
import { AppError } from '../errors/app-error';
import type { ResolvedConnection } from '../oauth/oauth-client';
import { microsoftCloud, providerDefinition } from '../oauth/provider-catalog';
import type { ProviderDefinition } from '../oauth/provider-definition';

/** The port a fixed-redirect provider is registered with when the admin does not choose one. */
export const defaultFixedRedirectPort = 53_682;
const redirectPath = '/callback';

export interface ConnectionIdentity {
  provider: ProviderId;
  clientId: string;
  settings: ConnectionSettings;
  profile: AccessProfile;
}

const reasonForCustom = (purpose: 'audit' | 'remediate') =>
  purpose === 'audit' ? 'Listed by you for the audit profile.' : 'Listed by you for the remediate profile (asked for only when remediation is on).';

/** Exactly the scopes a connection asks for with this profile, in order, each with its reason. */
export function requestedScopes(definition: ProviderDefinition, settings: ConnectionSettings, profile: AccessProfile): ScopeExplanation[] {
  const wanted = (purpose: ScopeExplanation['purpose']) => purpose !== 'remediate' || profile === 'remediate';
  let scopes: ScopeExplanation[];
  if (definition.scopesEditable) {
    const signIn = settings.issuer ? definition.scopes : [];
    const custom = [
      ...(settings.auditScopes ?? []).map((scope) => ({ scope, purpose: 'audit' as const, reason: reasonForCustom('audit') })),
      ...(settings.remediateScopes ?? []).map((scope) => ({ scope, purpose: 'remediate' as const, reason: reasonForCustom('remediate') })),
    ];
    scopes = [...signIn, ...custom].filter((scope) => wanted(scope.purpose));
  } else {
    scopes = definition.scopes.filter((scope) => wanted(scope.purpose));
  }
  // National clouds name Graph permissions by their own Graph host; the global cloud's is implied.
  if (definition.id === 'microsoft' && settings.cloud && settings.cloud !== 'global' && !settings.issuer) {
    const graph = microsoftCloud(settings).graph;
    scopes = scopes.map((scope) => (scope.purpose === 'sign-in' ? scope : { ...scope, scope: `${graph}/${scope.scope}` }));
  }
  const seen = new Set<string>();
  return scopes.filter((scope) => !seen.has(scope.scope) && seen.add(scope.scope));
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
export function resolveConnection(identity: ConnectionIdentity, msalHomeAccountId: string | null = null): ResolvedConnection {
  const definition = providerDefinition(identity.provider);
  const endpoints = definition.endpoints(identity.settings);
  const problems = Array.isArray(endpoints) ? [...endpoints] : [];
  const scopes = requestedScopes(definition, identity.settings, identity.profile).map((scope) => scope.scope);
  if (definition.scopesEditable && !scopes.some((scope) => scope !== 'openid' && scope !== 'email' && scope !== 'offline_access') && !identity.settings.issuer) {
    problems.push({ field: 'settings.auditScopes', message: 'List at least one scope for the audit profile.' });
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

export function previewConnection(identity: ConnectionIdentity): ConnectionPreview {
  const resolved = resolveConnection(identity);
  const redirect = redirectFor(resolved.definition, identity.settings);
  const host = resolved.endpoints.discover ? new URL(resolved.endpoints.issuer!).host : new URL(resolved.endpoints.authorization).host;
  return {
    redirectUri: redirect.uri,
    redirectNote: redirect.note,
    scopes: requestedScopes(resolved.definition, identity.settings, identity.profile),
    scopesNote:
      resolved.definition.scopeParameter === 'none'
        ? `${resolved.definition.label} takes the scopes from the app you registered, not from the sign-in request: enable exactly these on the app.`
        : null,
    authorizationHost: host,
  };
}
