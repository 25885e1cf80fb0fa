/**
 * The inventory as an RFC 4180 CSV file for a spreadsheet or an auditor: one row per credential
 * with its status and reasons. Values only ever come from the inventory, which holds no secret;
 * cells a spreadsheet would run as formulas are neutralised (csv-document.ts).
 */
import type { Credential } from '../../src-shared/contract/credentials';
import { toCsvDocument } from '../export/csv-document';

const columns = [
  'tenant',
  'provider',
  'kind',
  'owner',
  'owner_id',
  'credential_id',
  'display_name',
  'hint',
  'status',
  'findings',
  'created',
  'expires',
  'last_used',
  'restrictions',
  'disabled',
  'managed_by',
  'rotation',
  'revocable',
  'read_at',
];

export function credentialsCsv(credentials: readonly Credential[], now: Date): { fileName: string; content: string; rows: number } {
  const content = toCsvDocument(
    columns,
    credentials.map((credential) => [
      credential.tenantLabel,
      credential.provider,
      credential.kind,
      credential.ownerName,
      credential.ownerId,
      credential.credentialId,
      credential.displayName,
      credential.hint,
      credential.status,
      credential.findings.map((finding) => finding.reason).join(' '),
      credential.createdAt,
      credential.expiresAt,
      credential.lastUsedAt,
      credential.restrictions === null ? null : credential.restrictions.length === 0 ? 'none' : credential.restrictions.join('; '),
      credential.disabled ? 'yes' : 'no',
      credential.managedBy,
      credential.rotation.mode,
      credential.revocable ? 'yes' : 'no',
      credential.readAt,
    ]),
  );
  return { fileName: `consentry-credentials-${now.toISOString().slice(0, 10)}.csv`, content, rows: credentials.length };
}
