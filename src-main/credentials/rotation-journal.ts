/**
 * Where rotations are kept: one journal per rotation in the profile's `rotations/` folder, written
 * as job journals are (append, fdatasync before the write resolves, a torn last line tolerated).
 * A finished rotation moves to `rotations/finished/` after a while and is read from there for a
 * credential's history; a journal that cannot be read back is set aside under a name that says so.
 * Every record is checked against the rotation's record shapes as it is read: a journal edited or
 * damaged into something else is refused whole, never half-replayed.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ConsoleLinkSchema } from '../../src-shared/contract/connections';
import { CredentialSchema, RotationSchema } from '../../src-shared/contract/credentials';
import { AppError } from '../errors/app-error';
import { archiveJournal, JobJournal, journalIds, journalPath, readJournal, removeUnstartedJournal, setJournalAside, type JournalFiles, type JournalWords } from '../jobs/job-journal';
import type { ReadCredential } from './credentials-port';
import { replayEvents, type RotationEvent, type RotationPlan, type RotationRecord } from './rotation-machine';

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

const ReadCredentialSchema: z.ZodType<ReadCredential, unknown> = CredentialSchema.omit({
  key: true,
  connectionId: true,
  tenantLabel: true,
  provider: true,
  status: true,
  findings: true,
  readAt: true,
  rotationId: true,
});

// The fields a rotation shows as it was planned are the bridge's; the rest is the runner's.
const RotationPlanSchema: z.ZodType<RotationPlan, unknown> = RotationSchema.pick({ id: true, credentialKey: true, connectionId: true, tenantLabel: true, provider: true, kind: true, ownerName: true, planned: true, startedAt: true }).extend({
  old: ReadCredentialSchema,
  method: z.enum(['api', 'manual', 'client_secret']),
  disablesOldFirst: z.boolean(),
  needsCertificate: z.boolean(),
  secretFormat: z.enum(['text', 'file', 'none']),
  removes: z.enum(['api', 'manual']),
  manualSteps: ConsoleLinkSchema.extend({ steps: z.array(z.string()) }).nullable(),
  existingIds: z.array(z.string()).nullable().default(null),
});

const FailureSchema = RotationSchema.shape.failure.unwrap();
const removal = z.enum(['removed', 'already_gone']);

/** One line of a rotation journal as read back; the type says what the runner writes. */
const RotationEventSchema: z.ZodType<RotationEvent, unknown> = z.discriminatedUnion('t', [
  z.object({ t: z.literal('planned'), at: z.string(), plan: RotationPlanSchema }),
  z.object({
    t: z.literal('intent'),
    at: z.string(),
    call: z.enum(['create', 'discard', 'disable_old', 'retire', 'prove']),
    cancelling: z.boolean().optional(),
    certificatePem: z.string().optional(),
    existingIds: z.array(z.string()).optional(),
  }),
  z.object({ t: z.literal('created'), at: z.string(), created: ReadCredentialSchema, secret: z.boolean() }),
  z.object({ t: z.literal('not_created'), at: z.string() }),
  z.object({ t: z.literal('secret_lost'), at: z.string() }),
  z.object({ t: z.literal('revealed'), at: z.string() }),
  z.object({ t: z.literal('discarded'), at: z.string(), result: removal }),
  z.object({ t: z.literal('handover_confirmed'), at: z.string(), overlapUntil: z.string() }),
  z.object({ t: z.literal('manual_created'), at: z.string(), created: ReadCredentialSchema.optional() }),
  z.object({ t: z.literal('old_disabled'), at: z.string(), result: z.enum(['disabled', 'already_disabled', 'already_gone']) }),
  z.object({ t: z.literal('old_revoked'), at: z.string() }),
  z.object({ t: z.literal('retired'), at: z.string(), result: removal, early: z.boolean() }),
  z.object({ t: z.literal('verified'), at: z.string() }),
  z.object({ t: z.literal('proved'), at: z.string() }),
  z.object({ t: z.literal('failed'), at: z.string(), failure: FailureSchema, successorGone: z.boolean().optional() }),
  z.object({ t: z.literal('retry'), at: z.string() }),
  z.object({ t: z.literal('cancelled'), at: z.string(), kept: z.string().nullable() }),
  z.object({ t: z.literal('logged'), line: z.number().int().positive() }),
]);

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
  const read = await readJournal<unknown>(path);
  if (read.records.length === 0 && read.damagedAt === null) return null;
  if (read.damagedAt !== null) throw new AppError('storage_unavailable', `Line ${read.damagedAt} of the rotation journal is not a record (the file was changed or damaged).`);
  const events = read.records.map((line, n) => {
    const parsed = RotationEventSchema.safeParse(line);
    if (!parsed.success) throw new AppError('storage_unavailable', `Line ${n + 1} of the rotation journal is not a rotation record (the file was changed or damaged).`);
    return parsed.data;
  });
  const record = replayEvents(events);
  if (!record) throw new AppError('storage_unavailable', 'The rotation journal does not start with the rotation it belongs to.');
  const logged = new Set(events.flatMap((event) => (event.t === 'logged' ? [event.line] : [])));
  return { record, lines: events.length, logged, events, wholeLength: read.wholeLength };
}
