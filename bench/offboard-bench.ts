/**
 * `npm run bench:offboard [-- --people 1000 --kills 20 --seed 42 --latency 80-150 --error-rate 0.02]`
 *
 * Offboarding at the size the issue names: --people departed people of a simulated company, each
 * at Google Workspace and in Entra (suspend, and a Drive and Calendar transfer to a manager for one
 * in ten), through the real console in a process of its own — the list imported and checked, the
 * plan, the run on the job kernel, every call through each tenant's scheduler at the modules'
 * default quotas — against the simulator in this process (--latency ms per call, --error-rate of
 * calls answered 503 without Retry-After, Google's 2,400 calls a minute kept as Google does).
 *
 * Part A: one run, uninterrupted — total time, calls per tenant, calls a minute as a share of each
 * tenant's quota ceiling (end to end, and over the whole minutes past the first), steps failed,
 * and from the simulator's log of state changes: changes applied twice and changes missed.
 * Part B: the same run on a fresh tenant, its process killed at --kills random points and started
 * again each time to resume — steps in doubt at each restart, changes applied twice and missed.
 *
 * Exits non-zero when a change was applied twice or missed, a step failed, or the tenant that
 * bounds the run was held under 90 % of its quota over the whole minutes measured.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseArgs } from 'node:util';
import type { JobSummary } from '../src-shared/contract/jobs';
import { googleModule } from '../src-main/providers/google/google-module';
import { microsoftModule } from '../src-main/providers/microsoft/microsoft-module';
import type { SampleUser } from '../src-main/sample/sample-tenant';
import { SeededRandom } from '../src-main/sample/seeded-random';
import type { ApiCall } from '../src-main/sample/simulator/api-router';
import { startTenantSimulator, type TenantSimulator } from '../src-main/sample/simulator/tenant-simulator';
import type { OffboardingScenario } from '../test/integration/offboarding/offboarding-process';
import { connectTenants, expectedEffects, offboardingList, takeStock, type ExpectedEffects } from '../test/integration/offboarding/offboarding-scenario';
import { runKillableScript, type KillableRun } from '../test/support/killable-script';
import { openNodeConsole } from '../test/support/node-console';
import { count, type Row } from './bench-figures';

const minuteMs = 60_000;
const { values: flags } = parseArgs({
  options: {
    people: { type: 'string', default: '1000' },
    kills: { type: 'string', default: '20' },
    seed: { type: 'string', default: '42' },
    latency: { type: 'string', default: '80-150' },
    'error-rate': { type: 'string', default: '0.02' },
  },
});
const people = Number(flags.people);
const kills = Number(flags.kills);
const seed = Number(flags.seed);
const [latencyLow, latencyHigh] = flags.latency.split(/[-,]/).map(Number) as [number, number?];
const latencyMs: [number, number] = [latencyLow, latencyHigh ?? latencyLow];
const errorRate = Number(flags['error-rate']);
if (![people, kills, seed, ...latencyMs, errorRate].every(Number.isFinite) || people < 1 || kills < 0 || errorRate < 0 || errorRate >= 1) {
  console.error('Usage: npm run bench:offboard -- [--people N] [--kills N] [--seed N] [--latency LOW-HIGH] [--error-rate 0..1]');
  process.exit(2);
}
/** The sample tenant marks at least 7 % of its users departed: sized so the list is all departed people. */
const users = Math.max(300, Math.ceil(people / 0.07) + 100);
const transferEvery = 10;
const quota = { google: googleModule.traffic!.defaultQuotaPerMinute, microsoft: microsoftModule.traffic!.defaultQuotaPerMinute };
type Tenant = keyof typeof quota;
const runScript = new URL('../test/integration/offboarding/offboarding-process.ts', import.meta.url).pathname;
const defaultCertificates = getCACertificates('default');

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const log = (line: string) => console.error(`[bench] ${line}`);
const tenantOf = (call: ApiCall): Tenant | null => (call.name.startsWith('graph.') ? 'microsoft' : /^(okta|zendesk|salesforce)\./.test(call.name) ? null : 'google');

/** A fresh simulated company with both tenants connected in a fresh profile, and the list to offboard. */
async function prepare(label: string): Promise<{ sim: TenantSimulator; dataDirectory: string; certificateFile: string; scenarioFile: string; expected: ExpectedEffects; listed: SampleUser[] }> {
  log(`${label}: simulator with ${count(users)} users, latency ${latencyMs[0]}–${latencyMs[1]} ms, error rate ${errorRate} (seed ${seed})`);
  // The errors are transient failures the schedulers retry: Graph's 503 without Retry-After (its
  // reference says it may be left out). With one, each is a request to slow down, and the run measures that instead.
  const sim = await startTenantSimulator({ seed, users, faults: { latencyMs, errorRate, unavailableRetryAfterSeconds: null } });
  setDefaultCACertificates([...defaultCertificates, sim.microsoft.certificate]);
  const folder = await mkdtemp(join(tmpdir(), 'consentry-bench-offboard-'));
  const dataDirectory = join(folder, 'profile');
  const certificateFile = join(folder, 'simulator.pem');
  await writeFile(certificateFile, sim.microsoft.certificate);
  const services = await openNodeConsole(dataDirectory);
  try {
    await connectTenants(services, sim);
  } finally {
    await services.close();
  }
  const departed = sim.tenant.users.filter((user) => user.departed);
  const managers = sim.tenant.users.filter((user) => !user.departed && !user.suspended && !user.isAdmin);
  // Filled up with people still active (never an admin) should the company have fewer departures.
  const listed = [...departed, ...managers.slice(transferEvery)].slice(0, people);
  const transfers = new Map(listed.flatMap((user, index) => (index % transferEvery === 0 ? [[user, managers[(index / transferEvery) % transferEvery]!] as const] : [])));
  const scenario: OffboardingScenario = { list: offboardingList(listed, transfers) };
  const scenarioFile = join(folder, 'scenario.json');
  await writeFile(scenarioFile, JSON.stringify(scenario));
  return { sim, dataDirectory, certificateFile, scenarioFile, expected: expectedEffects(takeStock(sim.tenant, listed), transfers), listed };
}

interface Outcome {
  runs: KillableRun[];
  /** When the run was confirmed, and when its last process saw it end. */
  startedAt: number;
  endedAt: number;
  job: JobSummary | null;
  inDoubtAtRestart: number[];
  killedAfter: number[];
}

/** Runs the console until the run has ended, killing it `kills` times: each at a random moment within `spread` ms of its start. */
async function offboard(prepared: Awaited<ReturnType<typeof prepare>>, killsWanted: number, spread: number, random: SeededRandom): Promise<Outcome> {
  const outcome: Outcome = { runs: [], startedAt: 0, endedAt: 0, job: null, inDoubtAtRestart: [], killedAfter: [] };
  const lineAt = (run: KillableRun, event: string) => run.lines.find((line) => line.event === event);
  for (;;) {
    const run = runKillableScript(runScript, [prepared.dataDirectory, prepared.scenarioFile], { NODE_EXTRA_CA_CERTS: prepared.certificateFile });
    outcome.runs.push(run);
    await run.started;
    const started = lineAt(run, 'started');
    if (typeof started?.inDoubt === 'number') {
      outcome.inDoubtAtRestart.push(started.inDoubt);
      log(`restart ${outcome.inDoubtAtRestart.length}: ${count(Number(started.ended))} of ${count(Number(started.total))} steps ended, ${count(started.inDoubt)} in doubt`);
    }
    if (outcome.killedAfter.length < killsWanted) {
      const wait = Math.floor(spread * (0.1 + random.next() * 1.2));
      const killed = await Promise.race([run.exited.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), wait))]);
      if (killed) {
        run.kill();
        await run.exited;
        outcome.killedAfter.push(wait);
        log(`killed ${outcome.killedAfter.length} of ${killsWanted} after ${seconds(wait)}`);
      }
    }
    const code = await run.exited;
    // Confirmed in the first process, unless a kill came first: then from when that process opened.
    outcome.startedAt ||= Number((lineAt(outcome.runs[0]!, 'run') ?? lineAt(outcome.runs[0]!, 'started'))?.at ?? 0);
    const settled = lineAt(run, 'settled');
    if (settled) {
      outcome.job = settled.job as JobSummary;
      outcome.endedAt = Number(settled.at);
      return outcome;
    }
    if (code !== null) throw new Error(`The console stopped on its own (exit ${code}) before the run ended.`);
  }
}

interface Figures {
  rows: Row[];
  problems: string[];
  elapsed: number;
}

/** Calls per whole minute from `from`; the last, partial minute is left out. */
function perMinute(at: readonly number[], from: number, to: number): number[] {
  const whole = Math.floor((to - from) / minuteMs);
  const minutes = Array.from({ length: whole }, () => 0);
  for (const time of at) {
    const index = Math.floor((time - from) / minuteMs);
    if (index >= 0 && index < whole) minutes[index]! += 1;
  }
  return minutes;
}

/** What the simulator's log and the run's end say: calls, rates against the quotas, changes twice and missed. */
function figures(prepared: Awaited<ReturnType<typeof prepare>>, outcome: Outcome, callsBefore: number): Figures {
  const rows: Row[] = [];
  const problems: string[] = [];
  const { sim, expected } = prepared;
  const calls = sim.calls.slice(callsBefore);
  const elapsed = outcome.endedAt - outcome.startedAt;
  const job = outcome.job!;
  rows.push(['people, steps', `${count(prepared.listed.length)} people, ${count(job.total)} steps (${count(job.succeeded)} done, ${count(job.skipped)} skipped, ${count(job.failed)} failed)`]);
  rows.push(['run time (confirmed → ended)', `${seconds(elapsed)} (${(elapsed / minuteMs).toFixed(1)} min)`]);
  const bounds: { tenant: Tenant; fraction: number; steady: number | null }[] = [];
  for (const tenant of ['google', 'microsoft'] as const) {
    const mine = calls.filter((call) => tenantOf(call) === tenant);
    const during = mine.filter((call) => call.at >= outcome.startedAt && call.at <= outcome.endedAt).map((call) => call.at);
    const statuses = new Map<number, number>();
    for (const call of mine) statuses.set(call.status, (statuses.get(call.status) ?? 0) + 1);
    const refused = [...statuses].filter(([status]) => status >= 400).map(([status, n]) => `${status}: ${count(n)}`).join(', ');
    rows.push([`${tenant} calls`, `${count(mine.length)} answered (${count(during.length)} during the run${refused ? `; ${refused}` : ''}), ${(during.length / prepared.listed.length).toFixed(1)} per person`]);
    const fraction = during.length / (elapsed / minuteMs) / quota[tenant];
    const minutes = perMinute(during, outcome.startedAt, outcome.endedAt);
    const steadyMinutes = minutes.slice(1);
    const steady = steadyMinutes.length > 0 ? steadyMinutes.reduce((sum, n) => sum + n, 0) / steadyMinutes.length / quota[tenant] : null;
    const perQuota = (share: number) => `${count(Math.round(share * quota[tenant]))} = ${percent(share)}`;
    rows.push([
      `${tenant} calls/min vs ${count(quota[tenant])} quota`,
      `end to end ${perQuota(fraction)}; ${steady === null ? 'no whole minute past the first' : `${minutes.length === 2 ? 'minute 2' : `minutes 2–${minutes.length}`} ${perQuota(steady)} (each whole minute: ${minutes.map(count).join(', ')})`}`,
    ]);
    bounds.push({ tenant, fraction, steady });
  }
  const bounding = bounds.reduce((a, b) => (b.fraction > a.fraction ? b : a));
  rows.push(['bounded by', `${bounding.tenant} (the larger share of its quota)`]);
  if (bounding.steady !== null && bounding.steady < 0.9) problems.push(`${bounding.tenant} held ${percent(bounding.steady)} of its quota over the whole minutes measured (target 90 %)`);

  // From the simulator's log: each change named once; every change the stock called for, and nothing left at the tenants.
  const seen = new Map<string, number>();
  for (const effect of calls.flatMap((call) => call.effects ?? [])) seen.set(effect, (seen.get(effect) ?? 0) + 1);
  const twice = [...seen.values()].filter((n) => n > 1).length;
  const missed = [...expected.once].filter((effect) => !seen.has(effect)).length;
  const left = takeStock(sim.tenant, prepared.listed).filter(
    (person) => person.asps.length + person.tokenClients.length + person.grants.length + person.assignments.length > 0 || person.backupCodes || !person.suspended || person.accountEnabled,
  ).length;
  const open = job.inDoubt + job.notStarted;
  const others = [...seen.keys()].filter((effect) => !expected.once.has(effect)).length;
  rows.push([
    'changes applied (simulator log)',
    `${count([...seen.values()].reduce((sum, n) => sum + n, 0))}: the ${count(expected.once.size)} expected, ${count(others)} others`,
  ]);
  rows.push(['steps applied twice', count(twice)]);
  rows.push(['steps missed', `${count(missed + open)} (${count(missed)} changes not in the log, ${count(open)} steps not ended; ${count(left)} people with access left)`]);
  rows.push(['steps failed', count(job.failed)]);
  if (twice > 0) problems.push(`${count(twice)} changes applied twice`);
  if (missed + open + left > 0) problems.push(`${count(missed + open)} steps missed, ${count(left)} people with access left`);
  if (job.failed > 0) problems.push(`${count(job.failed)} steps failed`);
  if (others > 0) problems.push(`${count(others)} changes no step should make`);
  return { rows, problems, elapsed };
}

function print(title: string, rows: readonly Row[]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, figure] of rows) console.log(`  ${label.padEnd(width)}  ${figure}`);
}

async function part(label: string, killsWanted: number, spread: number, random: SeededRandom): Promise<Figures & { outcome: Outcome }> {
  const prepared = await prepare(label);
  try {
    const callsBefore = prepared.sim.calls.length;
    log(`${label}: ${count(prepared.listed.length)} people${killsWanted ? `, killed ${killsWanted} times` : ''}`);
    const outcome = await offboard(prepared, killsWanted, spread, random);
    return { ...figures(prepared, outcome, callsBefore), outcome };
  } finally {
    setDefaultCACertificates(defaultCertificates);
    await prepared.sim.close();
    await rm(join(prepared.dataDirectory, '..'), { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const random = new SeededRandom(seed);
  const benchStarted = Date.now();
  const a = await part('Part A', 0, 0, random);
  print(`Part A — one run: ${count(people)} people at Google and Microsoft, latency ${latencyMs[0]}–${latencyMs[1]} ms, ${percent(errorRate)} errors, quotas Google ${count(quota.google)}/min, Microsoft ${count(quota.microsoft)}/min`, a.rows);
  const problems = a.problems.map((problem) => `Part A: ${problem}`);
  if (kills > 0) {
    // Kills spread over about the time the uninterrupted run took, each restart resuming what the last left.
    const b = await part('Part B', kills, a.elapsed / (kills + 1), random);
    const rows: Row[] = [
      ['kills', `${count(b.outcome.killedAfter.length)} (after ${b.outcome.killedAfter.map(seconds).join(', ')})`],
      ['steps in doubt at each restart', b.outcome.inDoubtAtRestart.map(count).join(', ')],
      ...b.rows.filter(([label]) => !label.includes('calls/min') && label !== 'bounded by'),
    ];
    print(`Part B — the same run killed at ${count(b.outcome.killedAfter.length)} random points and resumed each time`, rows);
    problems.push(...b.problems.filter((problem) => !problem.includes('quota')).map((problem) => `Part B: ${problem}`));
  }
  console.log(`\nbenchmark took ${((Date.now() - benchStarted) / minuteMs).toFixed(1)} min`);
  console.log(problems.length > 0 ? `FAILED: ${problems.join('; ')}` : 'OK: no step applied twice or missed, none failed, the bounding tenant at 90 % of its quota or more');
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
