import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { EventHub } from '../../../../src-main/events/event-hub';
import { readJournal, type JournalFiles } from '../../../../src-main/jobs/job-journal';
import { AppError } from '../../../../src-main/errors/app-error';
import { JobKernel } from '../../../../src-main/jobs/job-kernel';
import type { JobItem, JobItemOutcome, JobKind } from '../../../../src-main/jobs/job-model';
import type { EventPayloadOf } from '../../../../src-shared/contract/channels';
import { temporaryDirectory } from '../../../support/temporary-directory';

const done: JobItemOutcome = { result: 'succeeded', code: 'revoked', verified: true, message: 'Revoked.', errorCode: null };

/** A promise the test settles by hand: an API call that has been sent and not yet answered. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** A kind whose calls land in `calls`; `hold` keeps a call unanswered until the test opens it. */
function recordingKind(options: { idempotent?: boolean; concurrency?: number; hold?: Map<string, Promise<void>>; reconcile?: JobKind['reconcile'] } = {}) {
  const calls: string[] = [];
  /** Calls the kernel said were carried out again after a stop. */
  const afterStop: string[] = [];
  const applied: string[] = [];
  const kind: JobKind<{ user: string }> = {
    kind: 'test.revoke',
    itemAction: 'test.revoke',
    concurrency: options.concurrency ?? 1,
    idempotent: options.idempotent ?? true,
    execute: async (item: JobItem<{ user: string }>, _signal, attempt) => {
      calls.push(item.key);
      if (attempt?.afterStop) afterStop.push(item.key);
      await options.hold?.get(item.key);
      return done;
    },
    ...(options.reconcile ? { reconcile: options.reconcile } : {}),
    applied: async (items) => {
      applied.push(...items.map(({ item }) => item.key));
    },
  };
  return { kind, calls, afterStop, applied };
}

async function console_(directory: string, kind: JobKind<{ user: string }>, files?: JournalFiles) {
  const events = new EventHub();
  const progress: EventPayloadOf<'jobs.progress'>[] = [];
  events.subscribe((event, payload) => {
    if (event === 'jobs.progress') progress.push(payload as EventPayloadOf<'jobs.progress'>);
  });
  const log = await ActivityLog.open(join(directory, 'activity'));
  const activity = new ActivityService(log, events);
  const jobs = new JobKernel({ directory: join(directory, 'jobs'), activity, events, ...(files ? { files } : {}) });
  jobs.register(kind);
  await jobs.start();
  return { jobs, log, activity, progress };
}

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ key: `grant-${n}`, label: `App — user${n}@acme.test`, phase: 1, payload: { user: `user${n}@acme.test` } }));

async function journalTypes(directory: string, jobId: string): Promise<string[]> {
  const { records } = await readJournal(join(directory, 'jobs', `${jobId}.journal.ndjson`));
  return records.map((record) => ('n' in record ? `${record.t} ${record.n}` : record.t === 'state' ? `state ${record.state}` : record.t));
}

describe('job kernel', () => {
  test('journals each intent before its call and the outcome after, with one activity entry per item and per job', async () => {
    const directory = await temporaryDirectory();
    const { kind, calls, applied } = recordingKind();
    const { jobs, log } = await console_(directory, kind);
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 2 grants', subject: 'Acme Google', items: items(2) });
    const summary = await jobs.settled(job.id);

    expect(summary).toMatchObject({ state: 'finished', total: 2, succeeded: 2, failed: 0, inDoubt: 0, notStarted: 0 });
    expect(calls).toEqual(['grant-0', 'grant-1']);
    expect(applied).toEqual(['grant-0', 'grant-1']);
    expect(await journalTypes(directory, job.id)).toEqual([
      'created', 'item 0', 'item 1', 'ready',
      'intent 0', 'outcome 0', 'logged 0',
      'intent 1', 'outcome 1', 'logged 1',
      // Successes are applied to the kind's data in batches, then marked.
      'applied 0', 'applied 1',
      'state finished',
    ]);
    expect((await log.query({})).map((entry) => entry.action).reverse()).toEqual(['job.started', 'test.revoke', 'test.revoke', 'job.finished']);
    expect((await log.query({ action: 'test.revoke' })).map((entry) => entry.target).reverse()).toEqual(['App — user0@acme.test', 'App — user1@acme.test']);
  });

  test('after a crash mid-job the next start marks it interrupted: what ended stays ended, the call in flight is in doubt and never counted as done', async () => {
    const directory = await temporaryDirectory();
    const hold = new Map([['grant-2', new Promise<void>(() => undefined)]]);
    const first = recordingKind({ hold });
    const before = await console_(directory, first.kind);
    const job = await before.jobs.create({ kind: 'test.revoke', title: 'Revoke 5 grants', subject: 'Acme Google', items: items(5) });
    await expect.poll(() => first.calls).toEqual(['grant-0', 'grant-1', 'grant-2']);
    // The process dies here: nothing is closed, grant-2's call is sent and never answered.

    const second = recordingKind();
    const after = await console_(directory, second.kind);
    expect(after.jobs.summary(job.id)).toMatchObject({ state: 'interrupted', succeeded: 2, inDoubt: 1, notStarted: 2 });
    expect(after.jobs.summary(job.id).reason).toBe('Consentry stopped while this job was running, with 1 item under way: it is not counted as done, and Consentry checks it again before going on.');
    expect(second.applied).toEqual(['grant-0', 'grant-1']);
    expect(second.calls).toEqual([]);
    expect((await after.log.query({ action: 'job.interrupted' }))).toHaveLength(1);

    // Resuming carries the in-doubt delete out again (harmless), telling the kind so, and the rest.
    await after.jobs.resume(job.id);
    expect(await after.jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 5, inDoubt: 0 });
    expect(second.calls).toEqual(['grant-2', 'grant-3', 'grant-4']);
    expect(first.afterStop).toEqual([]);
    expect(second.afterStop).toEqual(['grant-2']);
    expect((await after.log.query({ action: 'test.revoke' }))).toHaveLength(5);

    // A later start finds it finished and writes nothing more.
    const third = await console_(directory, recordingKind().kind);
    expect(third.jobs.summary(job.id)).toMatchObject({ state: 'finished', succeeded: 5 });
    expect((await third.log.query({ action: 'job.interrupted' }))).toHaveLength(1);
  });

  test('an interrupted job is reported once: a second start does not mark it again', async () => {
    const directory = await temporaryDirectory();
    const hold = new Map([['grant-0', new Promise<void>(() => undefined)]]);
    const before = await console_(directory, recordingKind({ hold }).kind);
    const job = await before.jobs.create({ kind: 'test.revoke', title: 'Revoke 2 grants', subject: 'Acme Google', items: items(2) });
    await expect.poll(async () => journalTypes(directory, job.id)).toContain('intent 0');
    await console_(directory, recordingKind().kind);
    const again = await console_(directory, recordingKind().kind);
    expect(again.jobs.summary(job.id)).toMatchObject({ state: 'interrupted', inDoubt: 1, notStarted: 1 });
    expect((await again.log.query({ action: 'job.interrupted' }))).toHaveLength(1);
  });

  test('a call in doubt of a kind that is not safe to repeat is reconciled first, and left in doubt without a way to check', async () => {
    const directory = await temporaryDirectory();
    const hold = new Map([['grant-0', new Promise<void>(() => undefined)]]);
    const before = await console_(directory, recordingKind({ hold, idempotent: false }).kind);
    const job = await before.jobs.create({ kind: 'test.revoke', title: 'Rotate 2 secrets', subject: 'Acme', items: items(2) });
    await expect.poll(async () => journalTypes(directory, job.id)).toContain('intent 0');

    const unsure = recordingKind({ idempotent: false });
    const without = await console_(directory, unsure.kind);
    expect(without.jobs.summary(job.id).reason).toBe('Consentry stopped while this job was running, with 1 item under way: it is not counted as done, and Consentry cannot check whether it took effect.');
    await without.jobs.resume(job.id);
    expect(await without.jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 1, inDoubt: 1 });
    expect(unsure.calls).toEqual(['grant-1']);
  });

  test('a reconciled call in doubt is recorded with what the provider says, without sending it again', async () => {
    const directory = await temporaryDirectory();
    const hold = new Map([['grant-0', new Promise<void>(() => undefined)]]);
    const before = await console_(directory, recordingKind({ hold, idempotent: false }).kind);
    const job = await before.jobs.create({ kind: 'test.revoke', title: 'Rotate 1 secret', subject: 'Acme', items: items(1) });
    await expect.poll(async () => journalTypes(directory, job.id)).toContain('intent 0');

    const checked = recordingKind({ idempotent: false, reconcile: async () => ({ ...done, code: 'created', message: 'The new secret exists at the provider.' }) });
    const after = await console_(directory, checked.kind);
    await after.jobs.resume(job.id);
    expect(await after.jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 1, inDoubt: 0 });
    expect(checked.calls).toEqual([]);
    expect((await after.log.query({ action: 'test.revoke' }))[0]!.detail).toMatch(/^The new secret exists at the provider\./);
  });

  test('an outcome whose activity entry was never written gets it at the next start, and one that was written is not logged twice', async () => {
    const directory = await temporaryDirectory();
    // The journal refuses the "logged" record of item 0: the entry is in the activity log, the journal does not say so.
    const failLogged: JournalFiles = {
      append: async (handle, text) => {
        if (text.includes('"t":"logged","n":0')) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        await handle.appendFile(text);
      },
    };
    const before = await console_(directory, recordingKind().kind, failLogged);
    const job = await before.jobs.create({ kind: 'test.revoke', title: 'Revoke 2 grants', subject: 'Acme', items: items(2) });
    expect(await before.jobs.settled(job.id)).toMatchObject({ state: 'paused', succeeded: 1, notStarted: 1 });
    expect((await before.log.query({ action: 'test.revoke' }))).toHaveLength(1);

    const after = await console_(directory, recordingKind().kind);
    expect((await after.log.query({ action: 'test.revoke' }))).toHaveLength(1);
    expect(await journalTypes(directory, job.id)).toContain('logged 0');

    // The other way round: the outcome is journalled, then the activity log refuses the entry.
    const other = await temporaryDirectory();
    const events = new EventHub();
    const log = await ActivityLog.open(join(other, 'activity'));
    const real = new ActivityService(log, events);
    const refusing = Object.create(real) as ActivityService;
    refusing.record = async (record) => {
      if (record.action === 'test.revoke') throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      return real.record(record);
    };
    const jobs = new JobKernel({ directory: join(other, 'jobs'), activity: refusing, events });
    jobs.register(recordingKind().kind);
    await jobs.start();
    const refused = await jobs.create({ kind: 'test.revoke', title: 'Revoke 1 grant', subject: 'Acme', items: items(1) });
    expect(await jobs.settled(refused.id)).toMatchObject({ state: 'paused', succeeded: 1 });
    expect((await log.query({ action: 'test.revoke' }))).toHaveLength(0);
    await log.close();
    const restarted = await console_(other, recordingKind().kind);
    expect((await restarted.log.query({ action: 'test.revoke' })).map((entry) => entry.target)).toEqual(['App — user0@acme.test']);
  });

  test('a full disk stops the job before the next call, leaves a journal that reads back whole, and the job resumes once there is space', async () => {
    const directory = await temporaryDirectory();
    let full = false;
    const files: JournalFiles = {
      append: async (handle, text) => {
        if (full && text.includes('"t":"intent"')) {
          // Half the record reaches the disk, then the disk is full.
          await handle.appendFile(text.slice(0, Math.floor(text.length / 2)));
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        }
        await handle.appendFile(text);
      },
    };
    const second = gate();
    const { kind, calls } = recordingKind({ hold: new Map([['grant-1', second.opened]]) });
    const { jobs, log } = await console_(directory, kind, files);
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 3 grants', subject: 'Acme', items: items(3) });
    await expect.poll(() => calls).toEqual(['grant-0', 'grant-1']);
    full = true;
    second.open();

    const paused = await jobs.settled(job.id);
    expect(paused).toMatchObject({ state: 'paused', succeeded: 2, notStarted: 1 });
    expect(paused.reason).toMatch(/disk is full/);
    expect(calls).toEqual(['grant-0', 'grant-1']);
    const journal = await readJournal(join(directory, 'jobs', `${job.id}.journal.ndjson`));
    expect(journal.damagedAt).toBeNull();
    expect(journal.records.at(-1)).toMatchObject({ t: 'state', state: 'paused' });
    expect((await log.query({ action: 'job.paused' }))[0]).toMatchObject({ result: 'failed', errorCode: 'disk_full' });

    full = false;
    await jobs.resume(job.id);
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 3 });
    expect(calls).toEqual(['grant-0', 'grant-1', 'grant-2']);
  });

  test('an item refused because the connection needs a reconnect pauses the job and waits, instead of being reported failed', async () => {
    const directory = await temporaryDirectory();
    let signedIn = false;
    const calls: string[] = [];
    const kind: JobKind<{ user: string }> = {
      kind: 'test.revoke',
      itemAction: 'test.revoke',
      concurrency: 1,
      idempotent: true,
      execute: async (item) => {
        calls.push(item.key);
        return signedIn || item.n === 0 ? done : { result: 'failed', code: 'failed', verified: false, message: 'The session expired.', errorCode: 'needs_reconnect' };
      },
      pausesJob: (outcome) => (outcome.errorCode === 'needs_reconnect' ? `${outcome.message} Reconnect, then resume.` : null),
    };
    const { jobs, log } = await console_(directory, kind);
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 3 grants', subject: 'Acme', items: items(3) });
    const paused = await jobs.settled(job.id);
    expect(paused).toMatchObject({ state: 'paused', succeeded: 1, failed: 0, notStarted: 2, reason: 'The session expired. Reconnect, then resume.' });
    expect((await log.query({ action: 'test.revoke' }))).toHaveLength(1);
    expect(await journalTypes(directory, job.id)).toContain('released 1');

    signedIn = true;
    await jobs.resume(job.id);
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 3, failed: 0 });
    expect(calls).toEqual(['grant-0', 'grant-1', 'grant-1', 'grant-2']);
  });

  test('pausing starts no new item, resuming carries on, and cancelling reports what was not started', async () => {
    const directory = await temporaryDirectory();
    const first = gate();
    const hold = new Map([['grant-0', first.opened]]);
    const { kind, calls } = recordingKind({ hold });
    const { jobs, log, progress } = await console_(directory, kind);
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 4 grants', subject: 'Acme', items: items(4) });
    await expect.poll(() => calls).toEqual(['grant-0']);
    expect(jobs.pause(job.id).state).toBe('pausing');
    first.open();
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'paused', succeeded: 1, notStarted: 3 });
    expect(calls).toEqual(['grant-0']);

    await jobs.resume(job.id);
    await jobs.cancel(job.id);
    const ended = await jobs.settled(job.id);
    expect(ended.state).toBe('cancelled');
    expect(ended.succeeded + ended.notStarted).toBe(4);
    expect((await log.query({ action: 'job.cancelled' }))[0]!.detail).toMatch(/not started|0 failed/);
    await expect(jobs.resume(job.id)).rejects.toMatchObject({ code: 'job_not_resumable' });
    expect(progress.map((summary) => summary.state)).toEqual(expect.arrayContaining(['pausing', 'paused', 'running', 'cancelled']));
  });

  test('a journal damaged in the middle is set aside by name, and the other jobs still load', async () => {
    const directory = await temporaryDirectory();
    const before = await console_(directory, recordingKind().kind);
    const good = await before.jobs.create({ kind: 'test.revoke', title: 'Revoke 1 grant', subject: 'Acme', items: items(1) });
    const bad = await before.jobs.create({ kind: 'test.revoke', title: 'Revoke 2 grants', subject: 'Acme', items: items(2) });
    await before.jobs.settled(good.id);
    await before.jobs.settled(bad.id);
    const path = join(directory, 'jobs', `${bad.id}.journal.ndjson`);
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[2] = '{"t":"item","n":1,"key":';
    await writeFile(path, lines.join('\n'));

    const after = await console_(directory, recordingKind().kind);
    expect(after.jobs.list().map((job) => job.id)).toEqual([good.id]);
    expect(after.jobs.damagedJournals()).toEqual([expect.objectContaining({ jobId: bad.id, keptAs: expect.stringMatching(new RegExp(`^${bad.id}\\.damaged-.*\\.ndjson$`)), problem: expect.stringMatching(/Line 3/) })]);
    expect(await readdir(join(directory, 'jobs'))).toContain(after.jobs.damagedJournals()[0]!.keptAs);
    expect((await after.log.query({ action: 'job.damaged' }))).toHaveLength(1);
  });

  test('a job whose confirmation a crash cut short never runs, and a torn last line is cut off before appending', async () => {
    const directory = await temporaryDirectory();
    const before = await console_(directory, recordingKind().kind);
    const job = await before.jobs.create({ kind: 'test.revoke', title: 'Revoke 2 grants', subject: 'Acme', items: items(2) });
    await before.jobs.settled(job.id);
    const path = join(directory, 'jobs', `${job.id}.journal.ndjson`);
    const whole = await readFile(path, 'utf8');
    // Cut inside the "ready" record: the job was never confirmed whole.
    await writeFile(path, whole.slice(0, whole.indexOf('{"t":"ready"') + 8));
    const after = await console_(directory, recordingKind().kind);
    expect(after.jobs.list()).toEqual([]);
    expect(after.jobs.damagedJournals()[0]!.problem).toMatch(/never started/);
  });

  test('two resumes at once start one run: no item is carried out twice and no entry is doubled', async () => {
    const directory = await temporaryDirectory();
    const first = gate();
    const { kind, calls } = recordingKind({ hold: new Map([['grant-0', first.opened]]) });
    const { jobs, log } = await console_(directory, kind);
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 6 grants', subject: 'Acme', items: items(6) });
    await expect.poll(() => calls).toEqual(['grant-0']);
    jobs.pause(job.id);
    first.open();
    await jobs.settled(job.id);

    const results = await Promise.allSettled([jobs.resume(job.id), jobs.resume(job.id), jobs.cancel(job.id)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const ended = await jobs.settled(job.id);
    expect(new Set(calls).size).toBe(calls.length);
    expect((await log.query({ action: 'test.revoke' })).length).toBe(ended.succeeded);
  });

  test('a journal that reads back whole stays listed and resumable when finishing it at start fails', async () => {
    const directory = await temporaryDirectory();
    const hold = new Map([['grant-1', new Promise<void>(() => undefined)]]);
    const before = await console_(directory, recordingKind({ hold }).kind);
    const job = await before.jobs.create({ kind: 'test.revoke', title: 'Revoke 2 grants', subject: 'Acme', items: items(2) });
    await expect.poll(async () => journalTypes(directory, job.id)).toContain('intent 1');

    // At the next start the disk is full when grant-0's success is applied.
    const failing = recordingKind();
    failing.kind.applied = async () => {
      throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
    };
    const after = await console_(directory, failing.kind);
    expect(after.jobs.damagedJournals()).toEqual([]);
    expect(after.jobs.summary(job.id)).toMatchObject({ state: 'interrupted', succeeded: 1, inDoubt: 1 });
    expect(after.jobs.summary(job.id).reason).toMatch(/could not finish recording this job when it started/);

    const healthy = recordingKind();
    const again = await console_(directory, healthy.kind);
    expect(healthy.applied).toEqual(['grant-0']);
    await again.jobs.resume(job.id);
    expect(await again.jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 2, inDoubt: 0 });
  });

  test('an outcome whose activity entry could not be written is logged when the job resumes, without a restart', async () => {
    const directory = await temporaryDirectory();
    const events = new EventHub();
    const log = await ActivityLog.open(join(directory, 'activity'));
    const real = new ActivityService(log, events);
    let refuse = true;
    const flaky = Object.create(real) as ActivityService;
    flaky.record = async (record) => {
      if (refuse && record.action === 'test.revoke') {
        refuse = false;
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      }
      return real.record(record);
    };
    flaky.list = (...args) => real.list(...args);
    const { kind, applied } = recordingKind();
    const jobs = new JobKernel({ directory: join(directory, 'jobs'), activity: flaky, events });
    jobs.register(kind);
    await jobs.start();
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 3 grants', subject: 'Acme', items: items(3) });
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'paused', succeeded: 1 });
    await jobs.resume(job.id);
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 3 });
    expect((await log.query({ action: 'test.revoke' })).map((entry) => entry.target).sort()).toEqual(['App — user0@acme.test', 'App — user1@acme.test', 'App — user2@acme.test']);
    expect(applied.sort()).toEqual(['grant-0', 'grant-1', 'grant-2']);
  });

  test('an answer that cannot be recorded leaves the item in doubt, never counted, and the job paused', async () => {
    const directory = await temporaryDirectory();
    const files: JournalFiles = {
      append: async (handle, text) => {
        if (text.includes('"t":"released"')) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
        await handle.appendFile(text);
      },
    };
    const { kind } = recordingKind();
    kind.pausesJob = () => 'The session expired.';
    const { jobs } = await console_(directory, kind, files);
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 3 grants', subject: 'Acme', items: items(3) });
    const paused = await jobs.settled(job.id);
    expect(paused).toMatchObject({ state: 'paused', succeeded: 0, inDoubt: 1, notStarted: 2 });
    expect(paused.succeeded + paused.failed + paused.skipped + paused.inDoubt + paused.notStarted).toBe(paused.total);
    expect(paused.reason).toMatch(/disk is full/);
  });

  test('a job whose start the activity log refuses waits paused without a call, and a confirmation that could not be written leaves no journal', async () => {
    const directory = await temporaryDirectory();
    const events = new EventHub();
    const log = await ActivityLog.open(join(directory, 'activity'));
    const real = new ActivityService(log, events);
    const refusing = Object.create(real) as ActivityService;
    refusing.record = async (record) => {
      if (record.action === 'job.started') throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      return real.record(record);
    };
    const { kind, calls } = recordingKind();
    let fullDisk = false;
    const files: JournalFiles = {
      append: async (handle, text) => {
        if (fullDisk) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
        await handle.appendFile(text);
      },
    };
    const jobs = new JobKernel({ directory: join(directory, 'jobs'), activity: refusing, events, files });
    jobs.register(kind);
    await jobs.start();
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 2 grants', subject: 'Acme', items: items(2) });
    expect(job).toMatchObject({ state: 'paused', notStarted: 2 });
    expect(job.reason).toMatch(/activity log could not record the start/);
    expect(calls).toEqual([]);

    fullDisk = true;
    await expect(jobs.create({ kind: 'test.revoke', title: 'Revoke 1 grant', subject: 'Acme', items: items(1) })).rejects.toMatchObject({ code: 'disk_full' });
    expect((await readdir(join(directory, 'jobs'))).filter((name) => name.endsWith('.journal.ndjson'))).toEqual([`${job.id}.journal.ndjson`]);
  });

  test('a check that fails leaves the call in doubt and pauses the job instead of sending it again', async () => {
    const directory = await temporaryDirectory();
    const hold = new Map([['grant-0', new Promise<void>(() => undefined)]]);
    const before = await console_(directory, recordingKind({ hold, idempotent: false }).kind);
    const job = await before.jobs.create({ kind: 'test.revoke', title: 'Rotate 1 secret', subject: 'Acme', items: items(1) });
    await expect.poll(async () => journalTypes(directory, job.id)).toContain('intent 0');

    const unsure = recordingKind({
      idempotent: false,
      reconcile: async () => {
        throw new AppError('network', 'The provider could not be reached.');
      },
    });
    const after = await console_(directory, unsure.kind);
    await after.jobs.resume(job.id);
    const paused = await after.jobs.settled(job.id);
    expect(paused).toMatchObject({ state: 'paused', inDoubt: 1, succeeded: 0 });
    expect(paused.reason).toMatch(/could not find out whether/);
    expect(unsure.calls).toEqual([]);
  });

  test('tells no time left in a run’s first seconds, then one measured from when the run began', async () => {
    const directory = await temporaryDirectory();
    let now = Date.parse('2026-12-04T11:00:00.000Z');
    const held = gate();
    const { kind } = recordingKind({ concurrency: 10, hold: new Map(items(10).slice(3).map(({ key }) => [key, held.opened])) });
    const log = await ActivityLog.open(join(directory, 'activity'));
    const events = new EventHub();
    const jobs = new JobKernel({ directory: join(directory, 'jobs'), activity: new ActivityService(log, events), events, clock: () => new Date(now) });
    jobs.register(kind);
    await jobs.start();
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 10 grants', subject: 'Acme', items: items(10) });
    expect(jobs.runningSince(job.id)).toEqual(new Date(now));
    await expect.poll(() => jobs.summary(job.id).succeeded).toBe(3);
    // Three items in the first second would say "less than a minute" for the other seven: a guess.
    now += 1_000;
    expect(jobs.summary(job.id).etaSeconds).toBeNull();
    now += 5_000;
    // 3 items in 6 s: the 7 left take 14 s.
    expect(jobs.summary(job.id).etaSeconds).toBe(14);
    held.open();
    await jobs.settled(job.id);
    expect(jobs.runningSince(job.id)).toBeNull();
    await log.close();
  });

  test('closing ends the calls in flight at once, and they stay in doubt', async () => {
    const directory = await temporaryDirectory();
    const kind: JobKind<{ user: string }> = {
      kind: 'test.revoke',
      itemAction: 'test.revoke',
      concurrency: 2,
      idempotent: true,
      execute: (_item, signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => resolve({ result: 'failed', code: 'failed', verified: false, message: 'Cancelled.', errorCode: 'cancelled' }));
        }),
    };
    const { jobs } = await console_(directory, kind);
    const job = await jobs.create({ kind: 'test.revoke', title: 'Revoke 3 grants', subject: 'Acme', items: items(3) });
    await expect.poll(async () => (await journalTypes(directory, job.id)).filter((type) => type.startsWith('intent')).length).toBe(2);
    await jobs.close();
    expect(jobs.summary(job.id)).toMatchObject({ inDoubt: 2, failed: 0, notStarted: 1 });
    const after = await console_(directory, recordingKind().kind);
    expect(after.jobs.summary(job.id)).toMatchObject({ state: 'interrupted', inDoubt: 2, notStarted: 1 });
    expect(after.jobs.summary(job.id).reason).toBe('Consentry stopped while this job was running, with 2 items under way: they are not counted as done, and Consentry checks each again before going on.');
  });

  describe('chains', () => {
    const failed: JobItemOutcome = { result: 'failed', code: 'failed', verified: false, message: 'The provider refused it.', errorCode: 'provider_error' };
    /** Two people with three steps each; `fails` names the steps the provider refuses. */
    function chainedKind(fails: Set<string>, hold?: Map<string, Promise<void>>) {
      const calls: string[] = [];
      const kind: JobKind<{ user: string }> = {
        kind: 'test.revoke',
        itemAction: 'test.revoke',
        concurrency: 2,
        idempotent: true,
        execute: async (item) => {
          calls.push(item.key);
          await hold?.get(item.key);
          return fails.has(item.key) ? failed : done;
        },
        notReached: (first, item) => ({ result: 'skipped', code: 'not_reached', verified: false, message: `Not attempted: ${first.label} failed first (${item.key}).`, errorCode: null }),
      };
      return { kind, calls };
    }
    const chained = ['ann', 'bob'].flatMap((user) => ['tokens', 'sessions', 'suspend'].map((step) => ({ key: `${user}-${step}`, label: `${step} — ${user}`, phase: 1, chain: user, payload: { user } })));

    test('carries out each chain in order while chains run side by side', async () => {
      const directory = await temporaryDirectory();
      const hold = gate();
      const { kind, calls } = chainedKind(new Set(), new Map([['ann-tokens', hold.opened]]));
      const { jobs } = await console_(directory, kind);
      const job = await jobs.create({ kind: 'test.revoke', title: 'Offboard 2 people', subject: 'Acme', items: chained });
      // Ann's first step is unanswered: Bob's chain goes on, Ann's second step waits for her first.
      await expect.poll(() => calls.length).toBe(4);
      expect(calls).toEqual(['ann-tokens', 'bob-tokens', 'bob-sessions', 'bob-suspend']);
      hold.open();
      await jobs.settled(job.id);
      expect(calls.slice(4)).toEqual(['ann-sessions', 'ann-suspend']);
    });

    test('a failed item leaves the rest of its chain not attempted and recorded as skipped, while other chains finish', async () => {
      const directory = await temporaryDirectory();
      const { kind, calls } = chainedKind(new Set(['ann-sessions']));
      const { jobs, log } = await console_(directory, kind);
      const job = await jobs.create({ kind: 'test.revoke', title: 'Offboard 2 people', subject: 'Acme', items: chained });
      const summary = await jobs.settled(job.id);
      expect(summary).toMatchObject({ state: 'finished', succeeded: 4, failed: 1, skipped: 1, notStarted: 0 });
      expect(calls).not.toContain('ann-suspend');
      expect(jobs.items(job.id).find(({ item }) => item.key === 'ann-suspend')?.outcome).toMatchObject({ result: 'skipped', code: 'not_reached' });
      expect((await log.query({ action: 'test.revoke' })).map((entry) => entry.target)).toContain('suspend — ann');
    });

    test('after a stop between a failure and marking the rest of its chain, the resume marks them instead of running them', async () => {
      const directory = await temporaryDirectory();
      const first = chainedKind(new Set(['ann-tokens']));
      const { jobs } = await console_(directory, first.kind);
      const job = await jobs.create({ kind: 'test.revoke', title: 'Offboard 2 people', subject: 'Acme', items: chained });
      await jobs.settled(job.id);
      await jobs.close();
      // Cut the journal back to just after Ann's failed outcome and its entry: as if killed there.
      const path = join(directory, 'jobs', `${job.id}.journal.ndjson`);
      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
      const cut = lines.findIndex((line) => line.includes('"t":"logged","n":0'));
      await writeFile(path, `${lines.slice(0, cut + 1).join('\n')}\n`);
      const second = chainedKind(new Set());
      const after = await console_(directory, second.kind);
      expect(after.jobs.summary(job.id)).toMatchObject({ state: 'interrupted', failed: 1 });
      expect(after.jobs.summary(job.id).reason).toBe('Consentry stopped while this job was running.');
      await after.jobs.resume(job.id);
      const summary = await after.jobs.settled(job.id);
      expect(second.calls.filter((key) => key.startsWith('ann'))).toEqual([]);
      expect(summary).toMatchObject({ state: 'finished', succeeded: 3, failed: 1, skipped: 2 });
    });
  });
});
