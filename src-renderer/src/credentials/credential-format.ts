import { credentialKindWords } from '../../../src-shared/contract/credential-kinds';
import type { Credential, CredentialKind, CredentialStatus, RotationState } from '../../../src-shared/contract/credentials';

export const statusLooks: Record<CredentialStatus, { label: string; color: string }> = {
  expired: { label: 'Expired', color: 'red' },
  expiring: { label: 'Expiring', color: 'orange' },
  too_old: { label: 'Too old', color: 'yellow' },
  unused: { label: 'Unused', color: 'grape' },
  unrestricted: { label: 'Unrestricted', color: 'pink' },
  disabled: { label: 'Disabled', color: 'gray' },
  ok: { label: 'OK', color: 'teal' },
};

export const kindLabels = Object.fromEntries(Object.entries(credentialKindWords).map(([kind, words]) => [kind, words.label])) as Record<CredentialKind, string>;

export const rotationStateLabels: Record<RotationState, string> = {
  ready: 'Ready to start',
  creating: 'Creating the new one',
  awaiting_manual_create: 'Waiting for you to create it',
  handover: 'Hand-over',
  secret_lost: 'New secret lost',
  discarding: 'Removing the lost one',
  disabling_old: 'Disabling the old one',
  overlap: 'Overlap',
  retiring: 'Removing the old one',
  proving: 'Proving the new secret',
  done: 'Done',
  cancelled: 'Cancelled',
  failed: 'Stopped',
};

const finishedStates = new Set<RotationState>(['done', 'cancelled']);

export function isRotationFinished(state: RotationState): boolean {
  return finishedStates.has(state);
}

/** How the admin tells a credential apart: its name, else its hint, else its id. */
export function credentialLabel(credential: Pick<Credential, 'displayName' | 'hint' | 'credentialId'>): string {
  return credential.displayName ?? (credential.hint ? `…${credential.hint}` : credential.credentialId);
}

const dayMs = 86_400_000;

/** Whole days from `iso` to `now` (negative in the future); null when unknown. */
export function daysSince(iso: string | null, now: number): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : Math.floor((now - at) / dayMs);
}

/** "412 days", "1 day", "today". */
export function formatDays(days: number): string {
  if (days === 0) return 'today';
  return `${days.toLocaleString()} ${Math.abs(days) === 1 ? 'day' : 'days'}`;
}

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A date without its time, in the admin's locale. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : day.format(date);
}
