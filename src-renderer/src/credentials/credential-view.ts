import { credentialStatuses, type Credential, type CredentialKind, type CredentialStatus } from '../../../src-shared/contract/credentials';
import type { ProviderId } from '../../../src-shared/domain/ids';
import { providerNames } from '../grants/grant-format';
import type { SortDirection } from '../grants/SortHeader';
import { credentialLabel, kindLabels } from './credential-format';

/** What the admin narrowed the table to; an empty list means every value. */
export interface CredentialFilter {
  statuses: CredentialStatus[];
  kinds: CredentialKind[];
  providers: ProviderId[];
  text: string;
}

export const noCredentialFilter: CredentialFilter = { statuses: [], kinds: [], providers: [], text: '' };

export const credentialSortColumns = ['status', 'credential', 'owner', 'created', 'expires', 'lastUsed'] as const;
export type CredentialSortColumn = (typeof credentialSortColumns)[number];
export interface CredentialSort {
  column: CredentialSortColumn;
  direction: SortDirection;
}

export const defaultCredentialSort: CredentialSort = { column: 'status', direction: 'asc' };

const statusRank = new Map(credentialStatuses.map((status, index) => [status, index]));

// Built once per credential object: filtering 10,000 rows on each key press must not rebuild them.
const searchTexts = new WeakMap<Credential, string>();
function searchText(credential: Credential): string {
  let text = searchTexts.get(credential);
  if (text === undefined) {
    text = [credential.displayName, credential.hint, credential.credentialId, credential.ownerName, credential.ownerId, credential.tenantLabel, kindLabels[credential.kind], providerNames[credential.provider]]
      .filter(Boolean)
      .join('\n')
      .toLowerCase();
    searchTexts.set(credential, text);
  }
  return text;
}

/**
 * A credential has a status when it is its worst or any other of its findings: an unrestricted key
 * that is also too old is found under both, so no chip reads 0 while such keys exist.
 */
function hasStatus(credential: Credential, status: CredentialStatus): boolean {
  return credential.status === status || credential.findings.some((finding) => finding.status === status);
}

function matches(credential: Credential, filter: CredentialFilter, words: string[], withStatus: boolean): boolean {
  if (withStatus && filter.statuses.length > 0 && !filter.statuses.some((status) => hasStatus(credential, status))) return false;
  if (filter.kinds.length > 0 && !filter.kinds.includes(credential.kind)) return false;
  if (filter.providers.length > 0 && !filter.providers.includes(credential.provider)) return false;
  if (words.length === 0) return true;
  const text = searchText(credential);
  return words.every((word) => text.includes(word));
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

/** Unknown dates sort last whichever way the column is sorted. */
function compareDates(a: string | null, b: string | null, direction: number): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -direction : direction;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

const textOf: Partial<Record<CredentialSortColumn, (credential: Credential) => string>> = {
  credential: credentialLabel,
  owner: (credential) => credential.ownerName,
};
const dateOf: Partial<Record<CredentialSortColumn, (credential: Credential) => string | null>> = {
  created: (credential) => credential.createdAt,
  expires: (credential) => credential.expiresAt,
  lastUsed: (credential) => credential.lastUsedAt,
};

function comparator(sort: CredentialSort): (a: Credential, b: Credential) => number {
  const direction = sort.direction === 'asc' ? 1 : -1;
  const text = textOf[sort.column];
  const date = dateOf[sort.column];
  // Ties fall back to the soonest expiry, then the name, so the order is stable between reads.
  const tieBreak = (a: Credential, b: Credential) => compareDates(a.expiresAt, b.expiresAt, 1) || collator.compare(credentialLabel(a), credentialLabel(b)) || a.key.localeCompare(b.key);
  if (text) return (a, b) => direction * collator.compare(text(a), text(b)) || tieBreak(a, b);
  if (date) return (a, b) => compareDates(date(a), date(b), direction) || tieBreak(a, b);
  return (a, b) => direction * ((statusRank.get(a.status) ?? 0) - (statusRank.get(b.status) ?? 0)) || tieBreak(a, b);
}

/** The rows the table shows, in order. */
export function viewCredentials(credentials: readonly Credential[], filter: CredentialFilter, sort: CredentialSort): Credential[] {
  const words = wordsOf(filter.text);
  return credentials.filter((credential) => matches(credential, filter, words, true)).sort(comparator(sort));
}

/** How many credentials have each status (worst or not) under the other filters, for the status chips. */
export function countByStatus(credentials: readonly Credential[], filter: CredentialFilter): Record<CredentialStatus, number> {
  const counts = Object.fromEntries(credentialStatuses.map((status) => [status, 0])) as Record<CredentialStatus, number>;
  const words = wordsOf(filter.text);
  for (const credential of credentials) {
    if (!matches(credential, filter, words, false)) continue;
    for (const status of credentialStatuses) if (hasStatus(credential, status)) counts[status] += 1;
  }
  return counts;
}
