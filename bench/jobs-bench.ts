/**
 * `npm run bench:jobs [-- --items 20000 --latency 40 --concurrency 8]`
 *
 * What the job kernel's durability costs. The same list of calls (each answered after `latency`
 * ms, as a provider's delete and read-back would be) is carried out twice: once as a plain pool of
 * `concurrency` workers that records nothing, once on the job kernel, which journals every intent
 * before its call, every outcome and activity entry after, each batch flushed to disk. Then a
 * fresh kernel replays the finished journal, as the app does at start. Prints items per second,
 * the journal's size, fsyncs saved by batching, and the replay time.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ActivityLog } from '../src-main/activity/activity-log';
import { ActivityService } from '../src-main/activity/activity-service';
import { EventHub } from '../src-main/events/event-hub';
import { JobKernel } from '../src-main/jobs/job-kernel';
import type { JobKind } from '../src-main/jobs/job-model';

const { values: flags } = parseArgs({
  options: {
    items: { type: 'string', default: '20000' },
    latency: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '8' },
  },
});
const items = Number(flags.items);
const latencyMs = Number(flags.latency);
const concurrency = Number(flags.concurrency);
if (![items, latencyMs, concurrency].every((value) => Number.isInteger(value) && value > 0)) {
  console.error('--items, --latency and --concurrency take whole numbers above 0.');
  process.exit(2);
}

const call = () => new Promise<void>((resolve) => setTimeout(resolve, latencyMs));

async function plainPool(): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items) {
        next += 1;
        await call();
      }
    }),
  );
  return performance.now() - started;
}

async function onKernel(directory: string): Promise<{ ms: number; journalBytes: number; replayMs: number; activityEntries: number }> {
  const kind: JobKind<null> = {
    kind: 'bench.call',
    itemAction: 'bench.call',
    concurrency,
    idempotent: true,
    execute: async () => {
      await call();
      return { result: 'succeeded', code: 'done', verified: true, message: 'Done.', errorCode: null };
    },
  };
  const events = new EventHub();
  const log = await ActivityLog.open(join(directory, 'activity'));
  const jobs = new JobKernel({ directory: join(directory, 'jobs'), activity: new ActivityService(log, events), events });
  jobs.register(kind);
  await jobs.start();
  const started = performance.now();
  const job = await jobs.create({ kind: 'bench.call', title: `Bench ${items} calls`, subject: 'bench', items: Array.from({ length: items }, (_, n) => ({ key: `item-${n}`, label: `item ${n}`, phase: 1, payload: null })) });
  const summary = await jobs.settled(job.id);
  const ms = performance.now() - started;
  if (summary.succeeded !== items) throw new Error(`Only ${summary.succeeded} of ${items} items succeeded.`);
  await jobs.close();
  await log.close();
  const journalBytes = (await stat(join(directory, 'jobs', `${job.id}.journal.ndjson`))).size;

  const replayStarted = performance.now();
  const replayLog = await ActivityLog.open(join(directory, 'activity'));
  const replay = new JobKernel({ directory: join(directory, 'jobs'), activity: new ActivityService(replayLog, events), events });
  replay.register(kind);
  await replay.start();
  const replayMs = performance.now() - replayStarted;
  if (replay.summary(job.id).succeeded !== items) throw new Error('The replayed job does not match.');
  const activityEntries = (await new ActivityService(replayLog, events).list({ action: 'bench.call' }, 0, 1)).total;
  await replay.close();
  await replayLog.close();
  return { ms, journalBytes, replayMs, activityEntries };
}

const directory = await mkdtemp(join(tmpdir(), 'consentry-bench-jobs-'));
try {
  console.log(`${items.toLocaleString('en')} calls of ${latencyMs} ms, ${concurrency} at a time`);
  const plain = await plainPool();
  console.log(`plain pool, nothing recorded:   ${(plain / 1_000).toFixed(1)} s, ${Math.round(items / (plain / 1_000)).toLocaleString('en')} items/s`);
  const kernel = await onKernel(directory);
  console.log(`job kernel, journal + activity: ${(kernel.ms / 1_000).toFixed(1)} s, ${Math.round(items / (kernel.ms / 1_000)).toLocaleString('en')} items/s (${((kernel.ms / plain - 1) * 100).toFixed(0)} % slower)`);
  console.log(`journal: ${(kernel.journalBytes / 1_048_576).toFixed(1)} MB, ${Math.round(kernel.journalBytes / items)} bytes per item; activity entries: ${kernel.activityEntries.toLocaleString('en')}`);
  console.log(`replay of the finished journal at start: ${kernel.replayMs.toFixed(0)} ms`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
