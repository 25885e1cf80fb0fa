/**
 * What each provider offers the grant audit: a scan into the one model, and revocation of a
 * grant it found. The audit service drives these through the tenant's request scheduler; the
 * adapters live in providers/<name>/ and know their provider's wire format only.
 */
import type { ErrorCode } from '../../src-shared/domain/error-codes';
import type { ProviderCallContext } from '../net/provider-call-context';
import type { AuditedApp, AuditedGrant, ProviderScan, ScanProgress } from './grant-model';

export interface ScanContext extends ProviderCallContext {
  onProgress?(progress: ScanProgress): void;
}

export interface RevocationTarget {
  app: AuditedApp;
  grant: AuditedGrant;
}

export interface RevocationOutcome {
  /** `already_gone`: the provider no longer had it, which counts as done. */
  outcome: 'revoked' | 'already_gone' | 'failed';
  /** A read-back after the call confirmed the grant is gone. */
  verified: boolean;
  /** One sentence for the per-item result list; never a provider's raw text or a secret. */
  message: string;
  errorCode: ErrorCode | null;
}

export interface ProviderAudit {
  /** What a scan's `completed` and `total` count, plural ("users", "service principals"). */
  unit: string;
  scan(context: ScanContext): Promise<ProviderScan>;
  /** The one sentence the confirmation shows for this grant, e.g. "Delete the user's tokens for this client". */
  describeRevocation(target: RevocationTarget): string;
  /** What the admin must know before revoking this provider's grants, shown with the plan. */
  revocationNote?: string;
  /** Revokes at the provider, then reads back to verify. */
  revoke(context: ProviderCallContext, target: RevocationTarget): Promise<RevocationOutcome>;
  /**
   * Signs a user out everywhere so tokens already issued stop working (Microsoft
   * revokeSignInSessions). Absent when the provider has no such call.
   */
  revokeSignInSessions?(context: ProviderCallContext, user: string): Promise<RevocationOutcome>;
  /** A code and one sentence for an error a scan threw; never the provider's raw text or a secret. */
  describeFailure?(error: unknown): { code: ErrorCode; message: string };
}
