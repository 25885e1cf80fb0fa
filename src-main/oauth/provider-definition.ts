import type { CapabilityScope, ClientFamily, ConnectionSettings, ConsoleLink, MicrosoftCloud, ProviderField, ProviderPreset, ScopeExplanation } from '../../src-shared/contract/connections';
import type { FieldProblem } from '../../src-shared/contract/envelope';
import type { CapabilityId, ProviderId } from '../../src-shared/domain/ids';

/** How a provider takes a token back (RFC 7009 or its own call). */
export type RevocationMethod =
  | { kind: 'rfc7009' }
  /** Google: form POST of `token` to its revoke endpoint. */
  | { kind: 'google' }
  /** An API call authenticated with the access token itself (Slack `auth.revoke`, Zendesk). */
  | { kind: 'bearer-call'; method: 'POST' | 'DELETE' }
  /** Zendesk: look up the current token's id, then delete that token. */
  | { kind: 'zendesk-current-token' }
  | { kind: 'none'; why: string };

export interface ProviderEndpoints {
  /** The issuer identifier, when the provider has one; `iss` in responses must equal it. */
  issuer: string | null;
  authorization: string;
  token: string;
  revocation: string | null;
  /** Fetch the rest from `{issuer}/.well-known/...` (custom providers). */
  discover: boolean;
}

export interface ProviderDefinition {
  id: ProviderId;
  label: string;
  family: ClientFamily;
  summary: string;
  fields: ProviderField[];
  clientSecret: ProviderPreset['clientSecret'];
  clientSecretNote: string;
  /** How a client secret, when there is one, goes to the token and revocation endpoints. */
  clientAuthentication: 'basic' | 'post';
  registration: ConsoleLink & { steps: string[] };
  manualRevocation: (settings: ConnectionSettings) => ConsoleLink;
  /** The base scopes every connection asks for (sign-in and audit); custom providers take the admin's list. */
  scopes: ScopeExplanation[];
  /**
   * The capabilities this provider supports, each with only the scopes it adds to the base (an
   * empty list: the base scopes already allow it). A capability left out is not offered.
   */
  capabilities: Partial<Record<CapabilityId, CapabilityScope[]>>;
  scopesEditable: boolean;
  revocation: RevocationMethod;
  /** Endpoints from the connection's settings; problems name the field to fix. */
  endpoints: (settings: ConnectionSettings) => ProviderEndpoints | FieldProblem[];
  /** `fixed`: the provider matches the registered redirect URI exactly, port included. */
  redirectPort: 'any' | 'fixed';
  /** Extra authorization parameters the provider needs (e.g. Google `access_type=offline`). */
  authorizationParameters: Record<string, string>;
  /** The authorization parameter carrying scopes, and how they are joined; `none`: scopes are set on the app. */
  scopeParameter: 'scope' | 'user_scope' | 'none';
  scopeSeparator: ' ' | ',';
  /** Token responses that are not RFC 6749 shaped get normalised before validation. */
  tokenResponse: 'standard' | 'slack';
  /** When the token response gives no lifetime (Salesforce), refresh as if it were this long. */
  assumedAccessTokenLifetimeSeconds: number | null;
  clouds: { id: MicrosoftCloud; label: string }[];
  /**
   * Where the provider's API lives for a connection's settings (its cloud, domain or org), or
   * undefined when the settings do not say yet. Absent: the client library's own default (Google APIs).
   */
  apiBaseUrl?: (settings: ConnectionSettings) => string | undefined;
}

/** A base scope and why every connection of the provider asks for it. */
export const baseScope = (value: string, purpose: 'sign-in' | 'audit', reason: string): ScopeExplanation => ({ scope: value, purpose, reason });

/** A scope a capability adds to the base, and why that capability needs it. */
export const adds = (value: string, reason: string): CapabilityScope => ({ scope: value, reason });

export const field = (name: ProviderField['name'], label: string, description: string, placeholder: string, isRequired = true): ProviderField => ({
  name,
  label,
  description,
  placeholder,
  required: isRequired,
});

/** What most presets share; each preset states only where it differs. */
const presetDefaults = {
  fields: [],
  scopesEditable: false,
  redirectPort: 'any',
  authorizationParameters: {},
  scopeParameter: 'scope',
  scopeSeparator: ' ',
  tokenResponse: 'standard',
  assumedAccessTokenLifetimeSeconds: null,
  clouds: [],
  capabilities: {},
} satisfies Partial<ProviderDefinition>;

export function preset(definition: Omit<ProviderDefinition, keyof typeof presetDefaults> & Partial<ProviderDefinition>): ProviderDefinition {
  return { ...presetDefaults, ...definition };
}
