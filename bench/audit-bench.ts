/**
 * `npm run bench:audit [-- --users 10000 --latency 80-150 --error-rate 0.02 --baseline-users 200 --full-baseline]`
 *
 * The Google grant scan against the simulator, in process: the real scanGoogleGrants through a
 * RequestScheduler with Google's failure classification, on a tenant of --users users whose API
 * answers after --latency ms and fails --error-rate of calls with 503, under Google's default
 * Directory API quota (2,400 calls a minute, kept by the simulator like Google does: over it, 403
 * userRateLimitExceeded). It prints time, calls, retries, the call rate against the quota, users
 * lost and incomplete, peak memory, and the naive baseline (the same scan one call at a time).
 *
 * The call rate is measured over the steady part: whole minutes from the scan's first call,
 * leaving out the first minute (the opening burst and the user listing) and the last, partial one
 * (the tail of retries), counted from the simulator's own log of the calls it answered.
 *
 * Exits non-zero when a user was lost or the steady call rate is under 90% of the quota.
 */
import { parseArgs } from 'node:util';
import { googleAppPasswordsApp, type ProviderScan, type ScanProgress } from '../src-main/audit/grant-model';
import { RequestScheduler } from '../src-main/net/request-scheduler';
import { classifyGoogleFailure } from '../src-main/providers/google/google-failure';
import { scanGoogleGrants } from '../src-main/providers/google/google-grant-scanner';
import { googleDefaultQuotaPerMinute, startTenantSimulator, type TenantSimulator } from '../src-main/sample/simulator/tenant-simulator';
import { sampleAccessToken } from '../test/integration/sample/sample-sign-in';

const minuteMs = 60_000;
const { values: flags } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    latency: { type: 'string', default: '80-150' },
    'error-rate': { type: 'string', default: '0.02' },
    'baseline-users': { type: 'string', default: '200' },
    'full-baseline': { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
  },
});

const users = Number(flags.users);
const [latencyLow, latencyHigh] = flags.latency.split(/[-,]/).map(Number) as [number, number?];
const latencyMs: [number, number] = [latencyLow, latencyHigh ?? latencyLow];
const errorRate = Number(flags['error-rate']);
const seed = Number(flags.seed);
const baselineUsers = flags['full-baseline'] ? users : Math.min(users, Number(flags['baseline-users']));
if (![users, ...latencyMs, errorRate, seed, baselineUsers].every(Number.isFinite) || users < 1 || baselineUsers < 1) {
  console.error('Usage: npm run bench:audit -- [--users N] [--latency LOW-HIGH] [--error-rate 0..1] [--baseline-users N] [--full-baseline] [--seed N]');
  process.exit(2);
}
const quota = googleDefaultQuotaPerMinute;
const referenceTime = new Date('2026-11-21T09:00:00Z');

const count = (value: number) => Math.round(value).toLocaleString('en-GB');
const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
const minutes = (ms: number) => `${(ms / minuteMs).toFixed(1)} min`;
const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
const log = (line: string) => console.error(`[bench] ${line}`);

interface RunResult {
  scan: ProviderScan | null;
  failure: unknown;
  startedAt: number;
  endedAt: number;
  scheduler: RequestScheduler;
  peakRss: number;
  rssBefore: number;
}

/** One scan of the simulated tenant through a scheduler, with RSS sampled and progress logged. */
async function run(simulator: TenantSimulator, scheduler: RequestScheduler, label: string): Promise<RunResult> {
  const token = await sampleAccessToken(simulator, []);
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  let latest: ScanProgress = { phase: 'users', done: 0, total: 0 };
  const startedAt = Date.now();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 200);
  const reporter = setInterval(() => {
    const stats = scheduler.stats();
    log(`${label} ${seconds(Date.now() - startedAt)}: ${latest.phase} ${count(latest.done)}/${count(latest.total)} · calls ${count(stats.calls)} · in flight ${stats.inFlight} · queued ${count(stats.queued)} · quota in use ${count(stats.quotaInUse)}`);
  }, 30_000);
  let scan: ProviderScan | null = null;
  let failure: unknown = null;
  try {
    scan = await scanGoogleGrants(
      { apiBaseUrl: simulator.google.apiRoot, settings: {}, accessToken: async () => token, scheduler, onProgress: (step) => (latest = step) },
      { internalProjectNumbers: new Set([simulator.tenant.cloudProjectNumber]) },
    );
  } catch (error) {
    failure = error;
  }
  const endedAt = Date.now();
  clearInterval(sampler);
  clearInterval(reporter);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  return { scan, failure, startedAt, endedAt, scheduler, peakRss, rssBefore };
}

const googleCalls = (simulator: TenantSimulator) => simulator.calls.filter((call) => call.name.startsWith('directory.') || call.name.startsWith('reports.'));

/** Calls answered per whole minute from the first call; the first and the partial last are not steady. */
function perMinute(answeredAt: number[]): { minutes: number[]; steady: number[] } {
  if (answeredAt.length === 0) return { minutes: [], steady: [] };
  const first = answeredAt[0]!;
  const last = answeredAt.at(-1)!;
  const whole = Math.floor((last - first) / minuteMs);
  const minutes = Array.from({ length: whole }, () => 0);
  for (const at of answeredAt) {
    const index = Math.floor((at - first) / minuteMs);
    if (index < whole) minutes[index]! += 1;
  }
  return { minutes, steady: minutes.slice(1) };
}

async function main(): Promise<number> {
  log(`simulator: ${count(users)} users, latency ${latencyMs[0]}–${latencyMs[1]} ms, error rate ${errorRate}, quota ${count(quota)}/min (seed ${seed})`);
  const simulator = await startTenantSimulator({ seed, users, referenceTime, faults: { latencyMs, errorRate } });
  let primary: RunResult;
  let summary: { calls: { total: number; byEndpoint: Record<string, number>; byStatus: Record<string, number> } };
  let answeredAt: number[];
  try {
    primary = await run(simulator, new RequestScheduler({ quotaPerMinute: quota, classify: classifyGoogleFailure }), 'scan');
    summary = (await (await fetch(simulator.inspectionUrl)).json()) as typeof summary;
    answeredAt = googleCalls(simulator)
      .map((call) => call.at)
      .filter((at) => at >= primary.startedAt)
      .sort((a, b) => a - b);
  } finally {
    await simulator.close();
  }
  const tenantUsers = simulator.tenant.users.length;
  const tenantTokens = simulator.tenant.googleTokens.length;
  const tenantAsps = simulator.tenant.asps.length;

  log(`naive baseline: ${count(baselineUsers)} users, one call at a time`);
  const baselineSimulator = await startTenantSimulator({ seed, users: baselineUsers, referenceTime, faults: { latencyMs, errorRate } });
  let baseline: RunResult;
  try {
    baseline = await run(baselineSimulator, new RequestScheduler({ quotaPerMinute: quota, initialConcurrency: 1, maxConcurrency: 1, classify: classifyGoogleFailure }), 'naive');
  } finally {
    await baselineSimulator.close();
  }

  const problems: string[] = [];
  const out: string[] = [];
  const line = (label: string, value: string) => out.push(`${label.padEnd(34)} ${value}`);
  out.push('', `Google grant scan — ${count(tenantUsers)} users, latency ${latencyMs[0]}–${latencyMs[1]} ms, error rate ${errorRate}, quota ${count(quota)} calls/min`, '');

  const stats = primary.scheduler.stats();
  const elapsed = primary.endedAt - primary.startedAt;
  if (!primary.scan) {
    problems.push(`the scan failed: ${primary.failure instanceof Error ? primary.failure.message : String(primary.failure)}`);
  }
  const scan = primary.scan;
  const incompleteUsers = scan ? new Set(scan.incomplete.filter((item) => !item.what.startsWith('last use')).map((item) => item.what)).size : 0;
  const lost = scan ? tenantUsers - scan.completed - incompleteUsers : tenantUsers;
  line('total time', `${seconds(elapsed)} (${minutes(elapsed)})`);
  line('calls (scheduler)', `${count(stats.calls)} sent, ${count(stats.retries)} retries, ${count(stats.rateLimited)} rate-limit answers`);
  line('calls (simulator log)', `${count(summary.calls.total)} answered: ${Object.entries(summary.calls.byEndpoint).map(([name, n]) => `${name} ${count(n)}`).join(', ')}`);
  line('answers by status (simulator log)', Object.entries(summary.calls.byStatus).map(([status, n]) => `${status}: ${count(n)}`).join(', '));
  const { minutes: byMinute, steady } = perMinute(answeredAt);
  const endToEnd = (answeredAt.length / elapsed) * minuteMs;
  line('calls/min, end to end', `${count(endToEnd)} (${((endToEnd / quota) * 100).toFixed(1)}% of quota; start-up listing and tail included)`);
  line('calls per whole minute', byMinute.length > 0 ? byMinute.map(count).join(', ') : '(run shorter than a minute)');
  if (steady.length > 0) {
    const steadyRate = steady.reduce((sum, n) => sum + n, 0) / steady.length;
    const fraction = steadyRate / quota;
    line('calls/min, steady part', `${count(steadyRate)} = ${(fraction * 100).toFixed(1)}% of the ${count(quota)} quota (minutes 2–${byMinute.length} of the simulator log)`);
    if (fraction < 0.9) problems.push(`steady call rate ${(fraction * 100).toFixed(1)}% of the quota is under 90%`);
  } else {
    line('calls/min, steady part', 'not measured: the scan took under two whole minutes, so the quota was never the ceiling');
  }
  if (scan) {
    const aspGrants = scan.grants.filter((grant) => grant.appKey === googleAppPasswordsApp.key).length;
    line('users', `${count(tenantUsers)} in tenant, ${count(scan.completed)} read in full, ${count(incompleteUsers)} listed incomplete, ${count(lost)} lost`);
    line('grants', `${count(scan.grants.length - aspGrants)} OAuth (tenant has ${count(tenantTokens)}), ${count(aspGrants)} app passwords (tenant has ${count(tenantAsps)}), ${count(scan.apps.length)} apps`);
    const otherIncomplete = scan.incomplete.filter((item) => item.what.startsWith('last use'));
    if (otherIncomplete.length > 0) line('also incomplete', otherIncomplete.map((item) => `${item.what}: ${item.reason}`).join('; '));
  }
  if (lost !== 0) problems.push(`${count(lost)} users lost`);
  line('memory (RSS, sampled every 200 ms)', `peak ${megabytes(primary.peakRss)}, ${megabytes(primary.rssBefore)} before the scan (simulator and its tenant included)`);

  const baselineElapsed = baseline.endedAt - baseline.startedAt;
  const baselineStats = baseline.scheduler.stats();
  const projected = baselineElapsed * (tenantUsers / baselineUsers);
  out.push('');
  if (!baseline.scan) {
    line('naive baseline', `failed: ${baseline.failure instanceof Error ? baseline.failure.message : String(baseline.failure)}`);
  } else if (baselineUsers === tenantUsers) {
    line('naive baseline (1 call at a time)', `${seconds(baselineElapsed)} (${minutes(baselineElapsed)}) for all ${count(baselineUsers)} users, ${count(baselineStats.calls)} calls, ${count((baselineStats.calls / baselineElapsed) * minuteMs)} calls/min`);
    line('speed-up over naive', `${(baselineElapsed / elapsed).toFixed(1)}×`);
  } else {
    line('naive baseline (1 call at a time)', `measured on ${count(baselineUsers)} users (a ${count(baselineUsers)}-user tenant, same seed and faults): ${seconds(baselineElapsed)}, ${count(baselineStats.calls)} calls, ${count((baselineStats.calls / baselineElapsed) * minuteMs)} calls/min`);
    line('naive, projected', `${minutes(projected)} for ${count(tenantUsers)} users (linear: every call is per user or per page); --full-baseline runs it all`);
    line('speed-up over naive (projected)', `${(projected / elapsed).toFixed(1)}×`);
  }
  out.push('');
  if (problems.length > 0) out.push(`FAILED: ${problems.join('; ')}`);
  else out.push(steady.length > 0 ? 'OK: no user lost, steady call rate at least 90% of the quota' : 'OK: no user lost (call rate not checked: the run is too short to be bound by the quota)');
  console.log(out.join('\n'));
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
