/**
 * The codes every failure carries, so the UI can explain it. Plain data: no schema library.
 */

export const errorCodes = [
  'invalid_request',
  'unknown_channel',
  'forbidden_sender',
  'storage_unavailable',
  /** A profile file (settings, connections, vault) was damaged while the console ran. */
  'profile_file_damaged',
  'not_found',
  'external_url_refused',
  'internal',
  // connections and OAuth
  'consent_denied',
  'admin_consent_required',
  'blocked_by_policy',
  'invalid_client',
  'redirect_uri_mismatch',
  'invalid_scope',
  'needs_reconnect',
  'callback_rejected',
  'provider_error',
  'discovery_failed',
  'network',
  'timeout',
  'cancelled',
  'attempt_in_progress',
  'loopback_port_in_use',
  'vault_unavailable',
  // grant audit
  'scan_in_progress',
  'quota_exhausted',
  'permission_denied',
  'remediation_required',
  'confirmation_mismatch',
  'plan_expired',
  'not_supported',
  // jobs and storage
  'disk_full',
  'job_not_resumable',
  // credentials
  /** The provider's limit on credentials per app (or per account) is reached. */
  'credential_limit_reached',
  /** A one-time secret was already shown, or was lost when Consentry stopped before showing it. */
  'secret_unavailable',
  /** The rotation is in a state where that step cannot be taken. */
  'rotation_step_refused',
  // offboarding
  /** An imported file is not text Consentry can read as CSV (binary, an unsupported encoding). */
  'import_unreadable',
  /** The list has no row ready to plan, or more people than one run takes. */
  'list_not_ready',
  /** The provider refuses the step in the account's current state (Google: backup codes of a suspended user). */
  'precondition_failed',
] as const;

export type ErrorCode = (typeof errorCodes)[number];
