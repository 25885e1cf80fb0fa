/**
 * Journals in trouble: one that cannot be replayed, repaired or filed away at start is reported and
 * the others go on; a record that is JSON but not a rotation's sets its journal aside; an outcome
 * the disk could not take leaves the rotation failed at its step, to be retried, not stuck.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { EventHub } from '../../../../src-main/events/event-hub';
import type { JournalFiles } from '../../../../src-main/jobs/job-journal';
import type { Credential } from '../../../../src-shared/contract/credentials';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { credentialKey, FakeProvider, inventoryRow, openRunner } from './rotation-fake-provider';

const dayMs = 86_400_000;
const start = new Date('2026-12-14T09:00:00.000Z');
/** A second credential of the same app, so two rotations share the folder. */
const second: Credential = { ...inventoryRow('app_secret'), key: 'conn-1|app_secret|app-payroll|old-2', credentialId: 'old-2', displayName: 'Payroll backup secret' };
const rows = [inventoryRow('app_secret'), second];

/** Two rotations on disk: the first cancelled at `start`, the second planned and waiting. */
async function twoRotations(directory: string) {
  const world = await openRunner(directory, new FakeProvider('app_secret'), { clock: () => start, inventory: rows });
  const cancelled = await world.runner.startRotation(credentialKey('app_secret'));
  await world.runner.advance(cancelled.id, { action: 'cancel' });
  const waiting = await world.runner.startRotation(second.key);
  await world.runner.close();
  return { activity: world.activity, cancelled, waiting };
}

/** Activity whose search fails for one rotation's entries (the repair at start looks them up). */
class ActivityFailingFor extends ActivityService {
  readonly #rotationId: string;

  constructor(log: ActivityLog, rotationId: string) {
    super(log, new EventHub());
    this.#rotationId = rotationId;
  }

  override list(...args: Parameters<ActivityService['list']>): ReturnType<ActivityService['list']> {
    if (args[0].text?.includes(this.#rotationId)) return Promise.reject(new Error('The activity log could not be searched.'));
    return super.list(...args);
  }
}

/** Journal writes with a full disk at the n-th append (once). */
function diskFullAt(append: number): JournalFiles {
  let appends = 0;
  return {
    append: async (handle, text) => {
      appends += 1;
      if (appends === append) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      await handle.appendFile(text);
    },
  };
}

describe('journals that cannot be started', () => {
  test('a `finished` folder that is a file: the rotation that could not be filed away is reported under its own name, and the others resume', async () => {
    const directory = await temporaryDirectory();
    const { cancelled, waiting } = await twoRotations(directory);
    await writeFile(join(directory, 'rotations', 'finished'), 'not a folder');
    const later = await openRunner(directory, new FakeProvider('app_secret'), { clock: () => new Date(start.getTime() + 31 * dayMs), inventory: rows });
    expect(later.runner.damagedJournals()).toEqual([{ rotationId: cancelled.id, keptAs: `${cancelled.id}.journal.ndjson`, problem: 'The rotation’s activity entries or its filing away could not be written (EEXIST).' }]);
    expect(later.runner.list().map((rotation) => rotation.id)).toEqual([waiting.id]);
  });

  test('an unreadable journal is set aside and reported with why; the others resume', async () => {
    const directory = await temporaryDirectory();
    const { waiting } = await twoRotations(directory);
    // A folder where a journal should be: it cannot be read as one.
    await mkdir(join(directory, 'rotations', 'unreadable.journal.ndjson'));
    const again = await openRunner(directory, new FakeProvider('app_secret'), { clock: () => start, inventory: rows });
    expect(again.runner.damagedJournals()).toEqual([{ rotationId: 'unreadable', keptAs: expect.stringMatching(/^unreadable\.damaged-/), problem: 'The rotation journal could not be read (EISDIR).' }]);
    expect(again.runner.list().map((rotation) => rotation.state).sort()).toEqual(['cancelled', 'ready']);
    expect(again.runner.get(waiting.id).state).toBe('ready');
  });

  test('an activity repair that fails: that rotation is reported and kept under its name for the next start, and the others resume', async () => {
    const directory = await temporaryDirectory();
    const { cancelled, waiting } = await twoRotations(directory);
    // The cancellation's entry was written but not marked: the repair looks it up.
    const path = join(directory, 'rotations', `${cancelled.id}.journal.ndjson`);
    const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line && !line.includes('"t":"logged"'));
    await writeFile(path, `${lines.join('\n')}\n`);
    const activity = new ActivityFailingFor(await ActivityLog.open(join(directory, 'activity')), cancelled.id);
    const again = await openRunner(directory, new FakeProvider('app_secret'), { clock: () => start, inventory: rows, activity });
    expect(again.runner.damagedJournals()).toEqual([{ rotationId: cancelled.id, keptAs: `${cancelled.id}.journal.ndjson`, problem: 'The rotation’s activity entries or its filing away could not be written.' }]);
    expect(again.runner.list().map((rotation) => rotation.id)).toEqual([waiting.id]);
    expect(await readdir(join(directory, 'rotations'))).toContain(`${cancelled.id}.journal.ndjson`);
  });

  test('a record that is JSON but not a rotation’s sets the journal aside, naming its line', async () => {
    const directory = await temporaryDirectory();
    const { cancelled, waiting } = await twoRotations(directory);
    const path = join(directory, 'rotations', `${waiting.id}.journal.ndjson`);
    await writeFile(path, `${await readFile(path, 'utf8')}${JSON.stringify({ t: 'created', at: start.toISOString(), secret: true })}\n`);
    const again = await openRunner(directory, new FakeProvider('app_secret'), { clock: () => start, inventory: rows });
    expect(again.runner.damagedJournals()).toEqual([
      { rotationId: waiting.id, keptAs: expect.stringMatching(new RegExp(`^${waiting.id}\\.damaged-`)), problem: 'Line 2 of the rotation journal is not a rotation record (the file was changed or damaged).' },
    ]);
    expect(again.runner.list().map((rotation) => rotation.id)).toEqual([cancelled.id]);
  });
});

describe('an outcome the disk could not take', () => {
  test('the secret created but its record refused by a full disk: the rotation is failed at creating, and retry finds the secret made and shows it', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('app_secret');
    // Writes: the plan, the create's intent; the 3rd (the outcome) meets a full disk.
    const world = await openRunner(directory, provider, { files: diskFullAt(3) });
    const planned = await world.runner.startRotation(credentialKey('app_secret'));
    const refused = await world.runner.advance(planned.id, { action: 'create' }).then(
      () => null,
      (error: unknown) => error as { code: string },
    );
    expect(refused?.code).toBe('disk_full');
    const failed = world.runner.get(planned.id);
    expect(failed).toMatchObject({ state: 'failed', failure: { at: 'creating', code: 'disk_full', retryable: true } });
    expect(failed.prompt).toMatch(/^Free some disk space, then take the step again\..* Then Retry: Consentry finds out what the interrupted step did before it goes on\.$/);
    const retried = await world.runner.advance(planned.id, { action: 'retry' });
    expect(retried).toMatchObject({ state: 'handover', secretWaiting: true, created: { credentialId: 'new-1' } });
    expect(provider.effects).toEqual(['create new-1']);
    expect((await world.runner.revealSecret(planned.id)).format).toBe('text');
  });
});
