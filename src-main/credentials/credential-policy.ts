/**
 * The credential policy (Settings → Keys and secrets) applied to one credential at a time: each
 * rule it breaks is a finding with a sentence that names the figures and dates, and its status is
 * the worst finding (`credentialStatuses` order), `ok` when none. Pure: the clock is an argument.
 */
import { credentialStatuses, type CredentialFinding, type CredentialKind, type CredentialPolicy, type CredentialStatus } from '../../src-shared/contract/credentials';
import type { Settings } from '../../src-shared/contract/settings';
import { credentialKindNouns } from './credential-key';
import type { ReadCredential } from './credentials-port';

const dayMs = 86_400_000;

export function credentialPolicyFrom(settings: Pick<Settings, 'keyAgePolicyDays' | 'credentialMaxAgeDays' | 'expiryWarningDays' | 'forbidUnrestrictedApiKeys' | 'unusedKeyDays'>): CredentialPolicy {
  const maxAgeDays: Record<string, number> = {};
  for (const [kind, days] of Object.entries(settings.credentialMaxAgeDays)) if (days !== undefined) maxAgeDays[kind] = days;
  return {
    maxAgeDays,
    defaultMaxAgeDays: settings.keyAgePolicyDays,
    warningDays: settings.expiryWarningDays,
    forbidUnrestrictedApiKeys: settings.forbidUnrestrictedApiKeys,
    unusedKeyDays: settings.unusedKeyDays === 0 ? null : settings.unusedKeyDays,
  };
}

export function maxAgeDaysOf(policy: CredentialPolicy, kind: CredentialKind): number {
  return policy.maxAgeDays[kind] ?? policy.defaultMaxAgeDays;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "14 Dec 2026", in UTC: the sentence does not depend on where the console runs or its ICU data. */
export function dayOf(at: number): string {
  const date = new Date(at);
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

export const daysWords = (days: number) => `${days.toLocaleString('en-US')} ${days === 1 ? 'day' : 'days'}`;

function instant(iso: string | null): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
}

/** Whole days from `at` to `now`, rounded down. */
const wholeDays = (from: number, to: number) => Math.floor((to - from) / dayMs);

type Evaluated = Pick<ReadCredential, 'kind' | 'createdAt' | 'expiresAt' | 'lastUsedAt' | 'lastUseKnown' | 'lastUsedNote' | 'restrictions' | 'disabled' | 'managedBy'>;

export function evaluateCredential(credential: Evaluated, policy: CredentialPolicy, now: Date): { status: CredentialStatus; findings: CredentialFinding[] } {
  const at = now.getTime();
  const findings: CredentialFinding[] = [];
  const expires = instant(credential.expiresAt);
  const created = instant(credential.createdAt);

  // The provider renews the keys it manages before they expire (Google's system-managed keys): nothing for the admin to do.
  const watched = credential.managedBy === 'admin';
  if (watched && expires !== null && expires <= at) {
    const ago = wholeDays(expires, at);
    findings.push({ status: 'expired', reason: `Expired ${ago === 0 ? 'today' : `${daysWords(ago)} ago`} (on ${dayOf(expires)}): it no longer works.` });
  } else if (watched && expires !== null && expires - at <= policy.warningDays * dayMs) {
    // Counted up: a credential expiring in 9.5 days expires "in 10 days".
    const left = Math.ceil((expires - at) / dayMs);
    findings.push({ status: 'expiring', reason: `Expires in ${daysWords(left)} (on ${dayOf(expires)}); the warning window is ${daysWords(policy.warningDays)}.` });
  }

  const maxAge = maxAgeDaysOf(policy, credential.kind);
  if (watched && created !== null && at - created > maxAge * dayMs) {
    findings.push({
      status: 'too_old',
      reason: `Created ${daysWords(wholeDays(created, at))} ago (on ${dayOf(created)}); the maximum age for ${credentialKindNouns[credential.kind].many} is ${daysWords(maxAge)}.`,
    });
  }

  // Only where the provider reported on use: an unknown last use is no finding (the row's note says why it is unknown).
  const unusedDays = policy.unusedKeyDays;
  if (watched && unusedDays !== null && credential.kind === 'service_account_key' && !credential.disabled && credential.lastUseKnown) {
    const lastUsed = instant(credential.lastUsedAt);
    const window = `the unused-key window is ${daysWords(unusedDays)}`;
    if (lastUsed !== null && at - lastUsed > unusedDays * dayMs) {
      findings.push({ status: 'unused', reason: `Last used ${daysWords(wholeDays(lastUsed, at))} ago (on ${dayOf(lastUsed)}); ${window}.` });
    } else if (lastUsed === null && created !== null && at - created > unusedDays * dayMs) {
      const note = credential.lastUsedNote ? ` ${credential.lastUsedNote.replace(/(?<![.!?])$/, '.')}` : '';
      findings.push({ status: 'unused', reason: `No use recorded since it was created ${daysWords(wholeDays(created, at))} ago (on ${dayOf(created)}); ${window}.${note}` });
    }
  }

  if (policy.forbidUnrestrictedApiKeys && credential.kind === 'api_key' && credential.restrictions !== null && credential.restrictions.length === 0) {
    findings.push({ status: 'unrestricted', reason: 'Has no application or API restrictions: anyone who holds it can call every API enabled in its project; the policy forbids unrestricted API keys.' });
  }

  if (credential.disabled) findings.push({ status: 'disabled', reason: 'Disabled: it no longer works, and can be deleted once nothing needs it back.' });

  findings.sort((a, b) => credentialStatuses.indexOf(a.status) - credentialStatuses.indexOf(b.status));
  return { status: findings[0]?.status ?? 'ok', findings };
}
