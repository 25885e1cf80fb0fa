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
}
