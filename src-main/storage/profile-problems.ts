import type { ProfileProblem } from '../../src-shared/contract/app';
import type { ProfileFileProblem } from './profile-file-opening';

/** The activity entry one problem is recorded as (the shape the activity log's `record` takes). */
export interface ProfileProblemEntry {
  action: 'profile.fileDamaged';
  target: string;
  result: 'failed';
  errorCode: 'profile_file_damaged';
  detail: string;
}

function entryFor({ file, problem, keptAs, consequence }: ProfileProblem): ProfileProblemEntry {
  return {
    action: 'profile.fileDamaged',
    target: file,
    result: 'failed',
    errorCode: 'profile_file_damaged',
    detail: [problem, keptAs ? `Kept as ${keptAs}.` : null, consequence].filter(Boolean).join(' '),
  };
}

/**
 * The damaged profile files of this run, as the console shows them until the admin dismisses them,
 * each recorded once in the activity log. Dismissed for this run only: a file that is still
 * damaged at the next start is found again.
 */
export class ProfileProblems {
  readonly #found: ProfileProblem[] = [];
  readonly #dismissed = new Set<string>();
  /** Problems whose own module already wrote them to the activity log (the log itself, a job journal). */
  readonly #recordedElsewhere = new Set<string>();
  #record: ((entry: ProfileProblemEntry) => Promise<unknown>) | undefined;

  constructor(found: readonly ProfileFileProblem[] = []) {
    for (const problem of found) this.add(problem);
  }

  /** Records every problem found so far, and each one added later, through `record`. */
  async recordIn(record: (entry: ProfileProblemEntry) => Promise<unknown>): Promise<void> {
    this.#record = record;
    for (const problem of this.#found) if (!this.#recordedElsewhere.has(problem.id)) await record(entryFor(problem));
  }

  /** `recorded`: its module already wrote it to the activity log; it is only shown. */
  add(problem: ProfileFileProblem, options: { recorded?: boolean } = {}): ProfileProblem {
    const entry = { id: `${this.#found.length + 1}-${problem.file}`, ...problem };
    this.#found.push(entry);
    if (options.recorded) {
      this.#recordedElsewhere.add(entry.id);
      return entry;
    }
    // The notice shows it either way; a log that cannot take the entry has its own problem to report.
    void this.#record?.(entryFor(entry)).catch(() => undefined);
    return entry;
  }

  all(): ProfileProblem[] {
    return [...this.#found];
  }

  pending(): ProfileProblem[] {
    return this.#found.filter((problem) => !this.#dismissed.has(problem.id));
  }

  /** The number of problems newly dismissed; ids the console does not know are ignored. */
  dismiss(ids: readonly string[]): number {
    let dismissed = 0;
    for (const problem of this.pending()) {
      if (!ids.includes(problem.id)) continue;
      this.#dismissed.add(problem.id);
      dismissed += 1;
    }
    return dismissed;
  }
}
