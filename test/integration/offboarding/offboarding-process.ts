/**
 * One run of the console in its own process, for the offboarding crash test and the benchmark: it
 * resumes the offboarding run a stop interrupted (saying how many of its steps were in doubt), or,
 * when there is none yet, imports the list, plans it (suspend and transfer) and starts the run as
 * the Offboarding page does; then waits until the run has ended and its summary entry is written.
 * Prints one JSON line per step on stdout, each with its time; the caller kills it with SIGKILL
 * whenever it likes. The simulator runs in the caller's process, so it outlives every kill.
 */
import { readFile } from 'node:fs/promises';
import { offboardingStepJobKind } from '../../../src-main/offboarding/offboarding-step-kind';
import { openNodeConsole } from '../../support/node-console';

export interface OffboardingScenario {
  /** The list as pasted: `email;transfer-to` lines under a header. */
  list: string;
}

const [dataDirectory, scenarioFile] = process.argv.slice(2);
// From a file: a list of a thousand people is longer than one argument may be.
const scenario = JSON.parse(await readFile(scenarioFile!, 'utf8')) as OffboardingScenario;
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ ...message, at: Date.now() })}\n`);

const services = await openNodeConsole(dataDirectory!);
// A scheduler waiting out its quota does not hold a process open (the app's window does): this one is, until the run ends.
const keepOpen = setInterval(() => undefined, 60_000);
const runs = services.jobs.list().filter((job) => job.kind === offboardingStepJobKind);
let jobId: string;
if (runs.length > 0) {
  // The start replayed the journal: what it found is what this resume must settle.
  const [run] = runs;
  say({ event: 'started', jobId: run!.id, state: run!.state, inDoubt: run!.inDoubt, notStarted: run!.notStarted, ended: run!.succeeded + run!.failed + run!.skipped, total: run!.total });
  jobId = run!.id;
  if (run!.state === 'interrupted' || run!.state === 'paused') await services.jobs.resume(jobId);
} else {
  say({ event: 'started', jobId: null });
  await services.offboarding.importList({ source: 'paste', text: scenario.list });
  const plan = await services.offboarding.plan({ options: { suspend: true, transferData: true, connectionIds: [] } });
  const run = await services.offboarding.startRun({ planId: plan.id, confirmation: plan.confirmationPhrase });
  jobId = run.job.id;
  say({ event: 'run', jobId, steps: run.job.total });
}
const job = await services.jobs.settled(jobId);
await services.offboarding.summaryWritten(jobId);
say({ event: 'settled', job });
clearInterval(keepOpen);
await services.close();
process.exit(job.state === 'finished' ? 0 : 1);
