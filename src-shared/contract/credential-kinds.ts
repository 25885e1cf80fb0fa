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
