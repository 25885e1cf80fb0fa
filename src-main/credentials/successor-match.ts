/**
 * Which credential is the successor a rotation is waiting for, among those the owner holds now:
 * never one that existed before (`existingIds`); the one with the planned name if there is one;
 * otherwise the only one made since the rotation began. More than one candidate is refused, never
 * guessed: the wrong one would be recorded as the successor (and the old one retired on its word).
 */
import { AppError } from '../errors/app-error';
import type { CreateIntent } from './credentials-port';

export interface SuccessorCandidate {
  id: string;
  name: string | null;
  createdAt: string | null;
}

/** Clocks differ: a credential made just before the rotation's own clock said it began still counts. */
const clockSkewMs = 5 * 60_000;

export function matchSuccessor<C extends SuccessorCandidate>(candidates: readonly C[], intent: CreateIntent, noun: string): C | null {
  const existing = new Set(intent.existingIds);
  const fresh = candidates.filter((candidate) => !existing.has(candidate.id));
  const named = fresh.find((candidate) => candidate.name === intent.displayName);
  if (named) return named;
  const since = Date.parse(intent.sentAt) - clockSkewMs;
  const recent = fresh.filter((candidate) => candidate.createdAt !== null && Date.parse(candidate.createdAt) >= since);
  if (recent.length <= 1) return recent[0] ?? null;
  throw new AppError('rotation_step_refused', `${recent.length} new ${noun}s were made since this rotation began (${recent.map((candidate) => `“${candidate.name ?? candidate.id}”`).join(', ')}); Consentry cannot tell which one replaces the old one.`, {
    nextStep: `Name the one that replaces it “${intent.displayName}” (or delete the ones made by mistake), then confirm again.`,
  });
}
