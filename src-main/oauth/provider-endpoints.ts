/**
 * Checks of the endpoints a preset or the admin gives: the URL rule every OAuth endpoint and API
 * base URL follows, required settings, and the per-connection overrides applied on top of a preset.
 */
import type { ConnectionSettings } from '../../src-shared/contract/connections';
import type { FieldProblem } from '../../src-shared/contract/envelope';
import { isLoopbackHostname } from '../security/external-url-policy';
import type { ProviderEndpoints } from './provider-definition';

/** An https URL, or http on the loopback interface (a local test server). */
export function checkEndpointUrl(value: string, field: string, label: string): string | FieldProblem {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { field, message: `${label} must be a full URL such as https://login.example.com/oauth2/authorize.` };
  }
  if (url.username !== '' || url.password !== '') return { field, message: `${label} must not contain a user name or password.` };
  if (url.hash !== '') return { field, message: `${label} must not contain a #fragment.` };
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname))) return url.href;
  return { field, message: `${label} must use https (plain http is accepted for 127.0.0.1 and localhost only).` };
}

/** A setting the preset cannot do without; an empty one adds a problem naming its field. */
export function requiredSetting(settings: ConnectionSettings, name: keyof ConnectionSettings, label: string, problems: FieldProblem[]): string {
  const value = settings[name];
  if (typeof value !== 'string' || value === '') {
    problems.push({ field: `settings.${name}`, message: `Enter the ${label}.` });
    return '';
  }
  return value;
}

/** Applies the per-connection endpoint overrides (national clouds, tests) on top of a preset's endpoints. */
export function withOverrides(settings: ConnectionSettings, base: ProviderEndpoints, problems: FieldProblem[]): ProviderEndpoints | FieldProblem[] {
  const result = { ...base };
  const overrides = [
    ['authorizationEndpoint', 'authorization', 'The authorization endpoint'],
    ['tokenEndpoint', 'token', 'The token endpoint'],
    ['revocationEndpoint', 'revocation', 'The revocation endpoint'],
    ['issuer', 'issuer', 'The issuer URL'],
  ] as const;
  for (const [name, key, label] of overrides) {
    const value = settings[name];
    if (!value) continue;
    const checked = checkEndpointUrl(value, `settings.${name}`, label);
    if (typeof checked === 'string') result[key] = key === 'issuer' ? value : checked;
    else problems.push(checked);
  }
  // Access tokens are sent there: the same rule as for the OAuth endpoints.
  if (settings.apiBaseUrl) {
    const checked = checkEndpointUrl(settings.apiBaseUrl, 'settings.apiBaseUrl', 'The API base URL');
    if (typeof checked !== 'string') problems.push(checked);
  }
  return problems.length > 0 ? problems : result;
}

/** A preset's endpoints at the host the settings name (a My Domain, an org, a subdomain), or the problems naming what to fix. */
export function endpointsAtHost(
  hostOf: (settings: ConnectionSettings, problems: FieldProblem[]) => string,
  settings: ConnectionSettings,
  endpointsOf: (host: string) => ProviderEndpoints,
): ProviderEndpoints | FieldProblem[] {
  const problems: FieldProblem[] = [];
  const host = hostOf(settings, problems);
  if (problems.length > 0) return problems;
  return withOverrides(settings, endpointsOf(host), problems);
}

/** The API at a host the settings name (a My Domain, an org, a subdomain); undefined while they name none. */
export function apiAtHost(hostOf: (settings: ConnectionSettings, problems: FieldProblem[]) => string, settings: ConnectionSettings): string | undefined {
  const problems: FieldProblem[] = [];
  const host = hostOf(settings, problems);
  return problems.length > 0 ? undefined : `https://${host}`;
}
