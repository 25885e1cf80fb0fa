/**
 * The kinds of credential the inventory knows: shared by the credentials contract and the settings'
 * per-kind maximum age.
 */
import { z } from 'zod';

export const credentialKinds = [
  /** An Entra application's client secret (passwordCredentials). */
  'app_secret',
  /** An Entra application's certificate (keyCredentials). */
  'app_certificate',
  /** A service principal's own password (rare; some gallery apps hold one). */
  'sp_secret',
  /** A service principal's certificate, SAML token-signing certificates included. */
  'sp_certificate',
  /** A Google Cloud service-account key (IAM). */
  'service_account_key',
  /** A Google Cloud API key (API Keys v2). */
  'api_key',
  'okta_api_token',
  'zendesk_api_token',
  /** The client secret the admin entered for a Consentry connection, kept in the vault. */
  'connection_client_secret',
] as const;
export const CredentialKindSchema = z.enum(credentialKinds);
export type CredentialKind = z.infer<typeof CredentialKindSchema>;

/**
 * What each kind is called: `label` where it stands alone (a column, a title), `one` and `many`
 * inside a sentence. The provider's own words: Entra's "client secrets", Google's "service account keys".
 */
export const credentialKindWords: Record<CredentialKind, { label: string; one: string; many: string }> = {
  app_secret: { label: 'Client secret', one: 'client secret', many: 'client secrets' },
  app_certificate: { label: 'App certificate', one: 'certificate', many: 'app certificates' },
  sp_secret: { label: 'Service principal secret', one: 'service principal secret', many: 'service principal secrets' },
  sp_certificate: { label: 'Service principal certificate', one: 'service principal certificate', many: 'service principal certificates' },
  service_account_key: { label: 'Service-account key', one: 'service account key', many: 'service-account keys' },
  api_key: { label: 'API key', one: 'API key', many: 'API keys' },
  okta_api_token: { label: 'Okta API token', one: 'API token', many: 'Okta API tokens' },
  zendesk_api_token: { label: 'Zendesk API token', one: 'API token', many: 'Zendesk API tokens' },
  connection_client_secret: { label: 'Consentry client secret', one: 'client secret', many: 'Consentry client secrets' },
};
