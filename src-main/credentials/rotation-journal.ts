/**
 * Where rotations are kept: one journal per rotation in the profile's `rotations/` folder, written
 * as job journals are (append, fdatasync before the write resolves, a torn last line tolerated).
 * A finished rotation moves to `rotations/finished/` after a while and is read from there for a
 * credential's history; a journal that cannot be read back is set aside under a name that says so.
 */
import { join } from 'node:path';
import { AppError } from '../errors/app-error';
import { archiveJournal, JobJournal, journalIds, journalPath, readJournal, removeUnstartedJournal, setJournalAside, type JournalFiles, type JournalWords } from '../jobs/job-journal';
import { replayEvents, type RotationEvent, type RotationRecord } from './rotation-machine';

/** The profile folder of rotations, and what starting it empty means. */
export const rotationsFolder = {
  name: 'rotations',
  consequence: 'No earlier rotation is listed or resumed; what those rotations did is in the activity log.',
};

const rotationWords: JournalWords = {
  diskFull: {
    message: 'The disk is full: Consentry could not write the rotation’s journal, so it did not take the step.',
    nextStep: 'Free some disk space, then take the step again. Nothing was sent to the provider without being recorded first.',
  },
  unwritable: {
    message: 'Consentry could not write the rotation’s journal, so it did not take the step.',
    nextStep: 'Check that your user can write to the Consentry data folder, then take the step again.',
  },
};

export type RotationJournal = JobJournal<RotationEvent>;

export interface LoadedRotation {
  record: RotationRecord;
  /** Records on disk, so the next one's line number is known. */
  lines: number;
  /** Lines (1-based) whose activity entry is on disk. */
  logged: Set<number>;
  events: RotationEvent[];
  wholeLength: number;
}

export class RotationJournals {
  readonly directory: string;
  readonly #files: JournalFiles | undefined;

  constructor(directory: string, files?: JournalFiles) {
    this.directory = directory;
    this.#files = files;
  }

  ids(): Promise<string[]> {
    return journalIds(this.directory);
  }

  /** A new rotation's journal, or an unfinished one reopened after `load`, cut back to its whole records. */
  open(id: string, wholeLength: number | null): Promise<RotationJournal> {
    return JobJournal.open<RotationEvent>(journalPath(this.directory, id), wholeLength, this.#files, rotationWords);
  }

  /** Reads a rotation back; null for an empty journal (never started); throws when the journal cannot be trusted. */
  load(id: string): Promise<LoadedRotation | null> {
    return loadFrom(journalPath(this.directory, id));
  }

  setAside(id: string, stamp: Date): Promise<string> {
    return setJournalAside(this.directory, id, stamp);
  }

  archive(id: string): Promise<void> {
    return archiveJournal(this.directory, id);
  }

  /** Every archived rotation that reads back whole; the others are skipped (history only). */
  async archived(): Promise<RotationRecord[]> {
    const finished = join(this.directory, 'finished');
    const ids = await journalIds(finished);
    const loaded = await Promise.all(ids.map((id) => loadFrom(journalPath(finished, id)).catch((): null => null)));
    return loaded.flatMap((rotation) => (rotation ? [rotation.record] : []));
  }

  /** A journal a stop cut off before its plan was whole: nothing of it was done. */
  removeUnstarted(id: string): Promise<void> {
    return removeUnstartedJournal(this.directory, id);
  }
}

async function loadFrom(path: string): Promise<LoadedRotation | null> {
  const read = await readJournal<RotationEvent>(path);
  if (read.records.length === 0 && read.damagedAt === null) return null;
  if (read.damagedAt !== null) throw new AppError('storage_unavailable', `Line ${read.damagedAt} of the rotation journal is not a record (the file was changed or damaged).`);
  const record = replayEvents(read.records);
  if (!record) throw new AppError('storage_unavailable', 'The rotation journal does not start with the rotation it belongs to.');
  const logged = new Set(read.records.flatMap((event) => (event.t === 'logged' ? [event.line] : [])));
  return { record, lines: read.records.length, logged, events: read.records, wholeLength: read.wholeLength };
}
