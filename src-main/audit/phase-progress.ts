/**
 * A scan's progress as one fraction that never runs back. Each phase's share of the work is fixed
 * up front; a phase starting again at 0 of its own units then moves the fraction on, not back.
 */
import type { ScanProgress } from './grant-model';

export type PhaseReporter<Phase extends string> = (phase: Phase, done: number, total: number, within?: number) => void;

/**
 * `weights` lists the phases in order with their share (any scale). The reporter takes a phase's
 * own units (`done` of `total`, shown to the admin) and, where those do not say how far the phase
 * is (a listing whose end is unknown), `within` (0–1).
 */
export function phaseProgress<Phase extends string>(weights: Readonly<Record<Phase, number>>, onProgress: ((progress: ScanProgress) => void) | undefined): PhaseReporter<Phase> {
  const phases = Object.keys(weights) as Phase[];
  const sum = phases.reduce((total, phase) => total + weights[phase], 0);
  const before = new Map<Phase, number>();
  let running = 0;
  for (const phase of phases) {
    before.set(phase, running);
    running += weights[phase];
  }
  let reached = 0;
  return (phase, done, total, within) => {
    const share = Math.min(1, Math.max(0, within ?? (total > 0 ? done / total : 0)));
    reached = Math.max(reached, (before.get(phase)! + weights[phase] * share) / sum);
    onProgress?.({ phase, done, total, fraction: reached });
  };
}
