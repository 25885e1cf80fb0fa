/**
 * How a credential is named across reads, jobs and the activity log: its key (connection, kind,
 * owner and the provider's own id, stable from one read to the next) and the short reference every
 * activity entry about it carries, so its history is found with one text search of the log.
 */
import { credentialKindWords } from '../../src-shared/contract/credential-kinds';
import { createHash } from 'node:crypto';
import type { Credential, CredentialKind } from '../../src-shared/contract/credentials';
import type { ReadCredential } from './credentials-port';

export function credentialKey(connectionId: string, kind: CredentialKind, ownerId: string, credentialId: string): string {
  return `${connectionId}|${kind}|${ownerId}|${credentialId}`;
}

/**
 * `cred-` and 16 hex digits of the key's SHA-256: short enough for the log's text filter, and no
 * prefix of another reference (a Zendesk token id 12 would otherwise match 123).
 */
export function credentialReference(key: string): string {
  return `cred-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

const referenceSuffix = / \[cred-[0-9a-f]{16}\]$/;

/** An activity message about a credential, ending with its reference (the job kernel logs it as the item's detail). */
export function withReference(message: string, key: string): string {
  return `${message} [${credentialReference(key)}]`;
}

/** The message as the admin reads it in a report, without the reference. */
export function withoutReference(message: string): string {
  return message.replace(referenceSuffix, '');
}

/** How the admin tells a credential apart: its name, else its hint, else its id. */
export function credentialLabel(credential: Pick<Credential, 'displayName' | 'hint' | 'credentialId'>): string {
  return credential.displayName ?? (credential.hint ? `…${credential.hint}` : credential.credentialId);
}

/** A credential as the adapters take it back: the row without what the inventory added. */
export function asReadCredential(credential: Credential): ReadCredential {
  const { key: _key, connectionId: _connectionId, tenantLabel: _tenantLabel, provider: _provider, status: _status, findings: _findings, readAt: _readAt, rotationId: _rotationId, ...read } = credential;
  return read;
}

/** The kinds' words in sentences, from the contract's one table. */
export const credentialKindNouns = credentialKindWords;
