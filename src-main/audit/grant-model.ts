/**
 * The one model of third-party access, whatever the provider: an App, and the Grants that let it
 * reach a tenant's data. Each provider maps its own records to it at its edge and keeps the raw
 * record as evidence.
 */
export type GrantProvider = 'google' | 'microsoft' | 'salesforce' | 'zendesk' | 'okta';

export interface AuditedApp {
  /** Stable across scans: provider and client id. */
  key: string;
  provider: GrantProvider;
  clientId: string;
  name: string;
  publisher: string | null;
  /** Null when the provider does not say (Google's Directory API). */
  verifiedPublisher: boolean | null;
  /** Built by the organisation itself. */
  internal: boolean;
  /** Not registered with the provider (Google `anonymous`). */
  anonymous: boolean;
}

/**
 * Google's app-specific passwords, as one pseudo-app whose grants are the passwords: they have no
 * scopes, yet sign in with full mail, calendar and contacts access and skip 2-Step Verification.
 */
export const googleAppPasswordsApp: AuditedApp = {
  key: 'google:app-passwords',
  provider: 'google',
  clientId: 'app-passwords',
  name: 'App passwords (app-specific passwords)',
  publisher: null,
  verifiedPublisher: null,
  internal: false,
  anonymous: false,
};

export interface AuditedGrant {
  /** Stable across scans for the same access (app, user, resource), so scans can be compared. */
  key: string;
  appKey: string;
  provider: GrantProvider;
  /** The user who granted it; null for tenant-wide consent. */
  user: string | null;
  scopes: string[];
  consent: 'user' | 'tenant';
  access: 'delegated' | 'application';
  /** When the provider last saw the app use it; null when the provider does not say. */
  lastUsed: string | null;
  /** The provider's own record, as evidence. */
  evidence: unknown;
  /**
   * What the provider's revocation call needs (a client id, a grant id, a DeleteToken…), opaque to
   * everything but that provider's adapter. It never leaves main.
   */
  revocationHandle: string;
}

/** Something the scan could not read, and why: the scan is then partial, never silently short. */
export interface IncompleteItem {
  what: string;
  reason: string;
  /**
   * Set when the item is one user whose grants were not read. Anything else left unread (a page,
   * a listing) means the scan cannot vouch that a missing grant is gone.
   */
  user?: string;
  /** Only a detail is missing (last use, a name); every grant itself was read. */
  detailOnly?: true;
}

export interface ProviderScan {
  apps: AuditedApp[];
  grants: AuditedGrant[];
  incomplete: IncompleteItem[];
  /** Users (or other units of work) read in full. */
  completed: number;
  total: number;
}

export interface ScanProgress {
  done: number;
  total: number;
  /** What the scan is reading now, e.g. "users", "tokens", "last use". */
  phase?: string;
  /** How far the whole scan is, 0–1, never less than reported before (see `phaseProgress`). */
  fraction?: number;
}
