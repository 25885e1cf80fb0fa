/**
 * `npm run bench:activity [-- --megabytes 600]`
 *
 * The activity log at a size that stopped the console before (several hundred MB of entries). It
 * writes a log of about `--megabytes` MB as the version before keying left it (plain SHA-256, an
 * anchor of sequence number and hash), as years of bulk revocations would; then a new process,
 * holding nothing but the files as the app after a restart, opens it and answers the Activity page:
 * the first pages, filtered pages and their totals, a deep page, a CSV export, and the background
 * verification of the whole chain. Twice: the first start after the upgrade (the counts come from
 * the background pass; the log is keyed from then on), then a normal restart with the anchor the
 * console wrote. It prints times and memory; no pass/fail.
 */
import { execFile } from 'node:child_process';
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { ActivityLog, type ActivityRecord } from '../src-main/activity/activity-log';
import { ActivityService } from '../src-main/activity/activity-service';
import { EventHub } from '../src-main/events/event-hub';
import { writeActivityLog } from '../test/support/activity-log-writer';
import { count, megabytes, ms, peakRss, timed, type Row } from './bench-figures';

const { values: flags } = parseArgs({
  options: {
    megabytes: { type: 'string', default: '600' },
    /** Internal: the child process that opens the log like the app after a restart. */
    open: { type: 'string' },
    /** Internal: the vault made the key at this start. */
    'new-key': { type: 'boolean', default: false },
  },
});
const megabytesWanted = Number(flags.megabytes);
if (!Number.isFinite(megabytesWanted) || megabytesWanted <= 0) {
  console.error('Usage: npm run bench:activity -- [--megabytes N]');
  process.exit(2);
}

const run = promisify(execFile);
const start = Date.parse('2023-01-01T00:00:00Z');
const actions = ['grants.revoke', 'grants.revoke', 'grants.revoke', 'grants.scan', 'connection.connect', 'connection.refresh', 'settings.update', 'job.started', 'job.finished', 'bridge.refused'];

/** A varied, realistic entry: mostly per-grant revocations, as bulk revocations write them. */
function record(seq: number): ActivityRecord {
  const action = actions[seq % actions.length]!;
  const failed = seq % 23 === 0;
  return {
    action,
    target: `App ${seq % 600} — user${(seq * 7919) % 20_000}@northwind-traders.example`,
    result: failed ? 'failed' : 'succeeded',
    errorCode: failed ? 'network' : null,
    detail: failed
      ? 'The provider did not answer in time; nothing was changed. Job 6f1c2e4a-9b7d-4c3e-8a51-2d9e0f4b7c13.'
      : `Revoked the grant of App ${seq % 600} (scopes: mail.read, calendar.read) and read it back: gone. Ref ${seq.toString(36)}.`,
  };
}

// ---------- measuring ----------


const until = async (done: () => Promise<boolean>) => {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 20));
};

/** In a fresh process, as the app after a restart: open the log and answer the Activity page. */
async function openAndQuery(directory: string, newKey: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  const secret = createSecretKey(await readFile(join(directory, 'bench.key')));
  const baseline = process.memoryUsage().rss;
  const opened = performance.now();
  const { result: log } = await timed(rows, 'ActivityLog.open', () => ActivityLog.open(join(directory, 'activity'), { key: { available: true, secret, created: newKey } }), (log) => {
    const integrity = log.integrity();
    return `${integrity.verification}, ${count(integrity.totalEntries)} entries`;
  });
  rows.push(['  RSS after open (process baseline before it)', `${megabytes(process.memoryUsage().rss)} (${megabytes(baseline)})`]);
  const activity = new ActivityService(log, new EventHub(), { exportDirectory: join(directory, 'exports') });
  await timed(rows, 'first page (50, newest first)', () => activity.list({}, 0, 50), (page) => `total ${count(page.total)}${page.totalExact ? '' : ' (counting)'}`);
  await timed(rows, 'second page', () => activity.list({}, 50, 50));
  await timed(rows, 'filtered by action, first page', () => activity.list({ action: 'connection.connect' }, 0, 50), (page) => `total ${count(page.total)}${page.totalExact ? '' : ' (counting)'}`);
  await timed(rows, 'filtered by result, page 20', () => activity.list({ result: 'failed' }, 19 * 50, 50), (page) => `total ${count(page.total)}${page.totalExact ? '' : ' (counting)'}`);
  const common = { text: 'app 42 ' };
  await timed(rows, 'text search, first page', () => activity.list(common, 0, 50), (page) => `${count(page.total)} so far${page.totalExact ? ' (exact)' : ', counting in the background'}`);
  const countStarted = performance.now();
  await until(async () => (await activity.list(common, 0, 50)).totalExact);
  const counted = await activity.list(common, 0, 50);
  rows.push(['  …its exact total, counted in the background', `${ms(performance.now() - countStarted)}   ${count(counted.total)} entries`]);
  const rare = { text: 'user12345@' };
  await timed(rows, 'rare text, first page (reads the whole log)', () => activity.list(rare, 0, 50), (page) => `${count(page.entries.length)} found`);
  await log.whenVerified();
  const integrity = log.integrity();
  rows.push(['whole chain verified in the background, from open', `${ms(performance.now() - opened)}   ${count(integrity.checkedEntries)} entries, intact: ${integrity.intact}, ${integrity.keying.state}`]);
  await timed(rows, 'deep page (1,000,000 entries in)', () => activity.list({}, 1_000_000, 50), (page) => `#${page.entries[0]?.seq ?? '-'} first`);
  await timed(rows, 'CSV export of the failed entries', () => activity.exportCsv({ result: 'failed' }), (file) => `${count(file.rows)} rows${file.savedTo ? ', saved to a file' : ', handed to the window'}`);
  rows.push(['peak RSS', megabytes(peakRss())]);
  // What stays held, as opposed to garbage not yet collected: it does not grow with the log.
  globalThis.gc?.();
  rows.push(['heap in use after all this, after a GC', megabytes(process.memoryUsage().heapUsed)]);
  // As any action would: the anchor written with it carries the counts the pass found.
  await activity.record({ action: 'bench.done', target: 'activity log', result: 'succeeded' });
  await log.close();
  return rows;
}

async function main(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'consentry-activity-bench-'));
  try {
    const logDirectory = join(directory, 'activity');
    await mkdir(logDirectory);
    await writeFile(join(directory, 'bench.key'), randomBytes(32), { mode: 0o600 });
    const sampleLine = Buffer.byteLength(JSON.stringify({ ...record(123_456), seq: 123_456, at: new Date().toISOString(), prevHash: 'f'.repeat(64), hash: 'f'.repeat(64) })) + 1;
    const entries = Math.ceil((megabytesWanted * 1_048_576) / sampleLine);
    const rows: Row[] = [];
    const { result: written } = await timed(
      rows,
      'write the log (one stream, as thousands of appends would)',
      () => writeActivityLog(logDirectory, { count: entries, key: null, record, at: (seq) => new Date(start + seq * 15_000) }),
      () => `${count(entries)} entries`,
    );
    // The anchor as the version before keying wrote it.
    await writeFile(join(logDirectory, 'activity.head.json'), JSON.stringify({ seq: written.last!.seq, hash: written.last!.hash }));
    console.log(`\nActivity log: ${count(entries)} entries, ${megabytes((await stat(join(logDirectory, 'activity.jsonl'))).size)} on disk, Node ${process.version}\n`);
    for (const [label, value] of rows) console.log(`  ${label}  ${value}`);

    for (const [title, newKey] of [
      ['First start after the upgrade: a first-format anchor, counts from the background pass, keyed from now on', true],
      ['A normal restart, with the anchor the console wrote', false],
    ] as const) {
      // A new process holds nothing but the files, as the app after a restart.
      const child = ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), '--open', directory, ...(newKey ? ['--new-key'] : [])];
      const { stdout } = await run(process.execPath, child, { maxBuffer: 4 * 1_048_576 });
      const opened = JSON.parse(stdout) as Row[];
      const width = Math.max(...opened.map(([label]) => label.length));
      console.log(`\n${title}\n`);
      for (const [label, value] of opened) console.log(`  ${label.padEnd(width)}  ${value}`);
      await rm(join(directory, 'exports'), { recursive: true, force: true });
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

if (flags.open) process.stdout.write(JSON.stringify(await openAndQuery(flags.open, flags['new-key'])));
else await main();
