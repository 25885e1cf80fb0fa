import type { ActivityIntegrity } from '../../src-shared/contract/activity';
import type { KeySegment, SealingKey } from './activity-chain';

type Keying = ActivityIntegrity['keying'];

const plainChain = 'chained with plain SHA-256, which anyone who can edit the file can recompute';

/** `Entries #4–#9 are` or `Entry #4 is`: the start of a sentence about a stretch of the log. */
function stretch(from: number, to: number): { subject: string; they: string } {
  return from === to ? { subject: `Entry #${from} is`, they: 'it' } : { subject: `Entries #${from}–#${to} are`, they: 'they' };
}

/**
 * Which part of the log is sealed with the vault's key, in a sentence: never more than is true.
 * `keyProblem` says why no key is at hand (the keychain is unavailable, no key was given).
 */
export function describeKeying(input: { segments: readonly KeySegment[]; lastSeq: number; key: SealingKey | null; keyProblem: string | null }): Keying {
  const { segments, lastSeq, key, keyProblem } = input;
  const notKeyedNow = key ? '' : ` New entries are not keyed: ${keyProblem ?? 'no key is available'}.`;
  if (lastSeq === 0 || segments.length === 0) {
    return key
      ? { state: 'keyed', note: 'Each entry will be sealed with a key held in the vault (HMAC-SHA-256), so nobody without the key can change, add or remove one unnoticed.' }
      : { state: 'not_keyed', note: `Not keyed: ${keyProblem ?? 'no key is available'}. Entries are ${plainChain}.` };
  }
  const parts = segments.map((segment, index) => {
    const { subject, they } = stretch(segment.from, (segments[index + 1]?.from ?? lastSeq + 1) - 1);
    if (segment.key === null) return { sealed: false, text: `${subject} ${plainChain}.` };
    if (key?.id === segment.key) return { sealed: true, text: `${subject} sealed with the vault's key (HMAC-SHA-256).` };
    if (!key) return { sealed: false, text: `${subject} sealed with a key that cannot be read now, so ${they} cannot be checked.` };
    return { sealed: false, text: `${subject} sealed with a key this vault does not hold.` };
  });
  if (parts.every((part) => part.sealed)) {
    return { state: 'keyed', note: 'Every entry is sealed with a key held in the vault (HMAC-SHA-256): nobody without the key can change, add or remove one unnoticed.' };
  }
  const state = parts.some((part) => part.sealed) ? 'partly_keyed' : 'not_keyed';
  const nextKeyed = key && segments.at(-1)?.key !== key.id ? ' The next entry starts the keyed part.' : '';
  const shown = parts.length > 4 ? [...parts.slice(0, 2), { text: `(${parts.length - 4} more stretches.)` }, ...parts.slice(-2)] : parts;
  return { state, note: `${shown.map((part) => part.text).join(' ')}${nextKeyed}${notKeyedNow}` };
}
