/**
 * An offboarding run under crashes: the console runs in a process of its own against the sample
 * workspace's Google Workspace and Entra tenants (started here, so they outlive every kill), checks,
 * plans and starts the run for a dozen departed people (suspend, and a data transfer for some), is
 * killed at random moments and started again to resume until the run has ended. Then the tenants'
 * request log, the run's steps, its evidence and the activity log must agree: every change applied
 * exactly once, nothing left that a step removes, each step logged and listed once.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import type { ConsoleServices } from '../../../src-main/app-services';
import { offboardingStepJobKind } from '../../../src-main/offboarding/offboarding-step-kind';
import type { SampleUser } from '../../../src-main/sample/sample-tenant';
import { SeededRandom } from '../../../src-main/sample/seeded-random';
import { useCrashSimulator } from '../../support/crash-simulator';
import { lineOf, runKillableScript } from '../../support/killable-script';
import { openNodeConsole } from '../../support/node-console';
import { temporaryDirectory } from '../../support/temporary-directory';
import type { OffboardingScenario } from './offboarding-process';
import { connectTenants, expectedEffects, offboardingList, takeStock } from './offboarding-scenario';

const runScript = fileURLToPath(new URL('./offboarding-process.ts', import.meta.url));
const kills = 3;
const maxKills = 8;
const people = 12;
const withTransfer = 4;

const sorted = (values: readonly string[]) => [...values].sort();

describe('an offboarding run under crashes', () => {
  const crash = useCrashSimulator();

  test(
    'killed at random points and resumed, every step is carried out once: each change applied once at the provider, nothing left behind, each step logged and in the evidence once',
    { timeout: 60_000 },
    async () => {
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
      const random = new SeededRandom(seed);
      const dataDirectory = await temporaryDirectory();
      const { sim } = crash;
      const certificateFile = await crash.certificateFile(dataDirectory);
      const departed = sim.tenant.users.filter((user) => user.departed).slice(0, people);
      const manager = sim.tenant.users.find((user) => !user.departed && !user.suspended && !user.isAdmin)!;
      expect(departed).toHaveLength(people);

      let services: ConsoleServices = await openNodeConsole(dataDirectory);
      for (const connection of await connectTenants(services, sim)) {
        expect(connection.capabilities.find((capability) => capability.id === 'offboarding'), connection.label).toMatchObject({ allowed: true, held: true });
      }
      await services.close();

      const transfers = new Map<SampleUser, SampleUser>(departed.slice(0, withTransfer).map((user) => [user, manager]));
      const stock = takeStock(sim.tenant, departed);
      const expected = expectedEffects(stock, transfers);
      const effectsBefore = sim.calls.flatMap((call) => call.effects ?? []).length;
      const scenario: OffboardingScenario = { list: offboardingList(departed, transfers) };
      const scenarioFile = join(await temporaryDirectory(), 'scenario.json');
      await writeFile(scenarioFile, JSON.stringify(scenario));
      const runConsole = () => runKillableScript(runScript, [dataDirectory, scenarioFile], { NODE_EXTRA_CA_CERTS: certificateFile });

      // Killed again and again at a random moment after the console opened; more often (bounded) until
      // a restart found steps in doubt, so the test never passes without a step carried out again.
      const killedAfter: number[] = [];
      const inDoubtAtRestart: number[] = [];
      for (let round = 0; round < kills || (!inDoubtAtRestart.some((n) => n > 0) && round < maxKills); round += 1) {
        const run = runConsole();
        const started = await lineOf(run, 'started');
        if (typeof started?.inDoubt === 'number') inDoubtAtRestart.push(started.inDoubt);
        const wait = Math.floor(random.next() * 1_500);
        killedAfter.push(wait);
        await new Promise((resolve) => setTimeout(resolve, wait));
        run.kill();
        await run.exited;
      }
      const last = runConsole();
      const lastStarted = await lineOf(last, 'started');
      if (typeof lastStarted?.inDoubt === 'number') inDoubtAtRestart.push(lastStarted.inDoubt);
      const context = `seed ${seed}, kills after ${killedAfter.join(', ')} ms, in doubt at each restart ${inDoubtAtRestart.join(', ')}`;
      expect(await last.exited, `${context}: ${JSON.stringify(last.lines.at(-1))}`).toBe(0);
      expect(inDoubtAtRestart.some((n) => n > 0), context).toBe(true);

      services = await openNodeConsole(dataDirectory);
      try {
        const runs = services.jobs.list().filter((job) => job.kind === offboardingStepJobKind);
        expect(runs, context).toHaveLength(1);
        const job = runs[0]!;
        expect(job, context).toMatchObject({ state: 'finished', failed: 0, inDoubt: 0, notStarted: 0 });
        const items = services.jobs.items(job.id);
        // Every step ended: done, or skipped because it does not apply (no transfer target), never failed or left open.
        for (const { item, status, outcome } of items) {
          expect(status === 'succeeded' || (status === 'skipped' && outcome?.code === 'not_applicable'), `${context}: ${item.label} → ${status} ${outcome?.code}: ${outcome?.message}`).toBe(true);
        }

        // The tenants' log: every change the run needed applied exactly once, none twice, nothing else.
        const applied = sim.calls.flatMap((call) => call.effects ?? []).slice(effectsBefore);
        const twice = applied.filter((effect, index) => applied.indexOf(effect) !== index);
        expect(twice, context).toEqual([]);
        expect(sorted(applied), context).toEqual(sorted([...expected.once]));

        // Nothing a step removes is left, and every account is suspended at Google and disabled in Entra.
        const after = takeStock(sim.tenant, departed);
        for (const person of after) {
          expect({ email: person.email, asps: person.asps, tokens: person.tokenClients, backupCodes: person.backupCodes, grants: person.grants, assignments: person.assignments }, context).toEqual({
            email: person.email,
            asps: [],
            tokens: [],
            backupCodes: false,
            grants: [],
            assignments: [],
          });
          expect({ email: person.email, suspended: person.suspended, accountEnabled: person.accountEnabled }, context).toEqual({ email: person.email, suspended: true, accountEnabled: false });
        }
        expect(sorted(sim.tenant.dataTransfers.map((transfer) => `${transfer.oldOwnerUserId}>${transfer.newOwnerUserId}`)), context).toEqual(
          sorted([...transfers].map(([user, target]) => `${user.googleId}>${target.googleId}`)),
        );

        // The activity log: one entry per step, none missing, none twice; one summary of the run.
        const stepEntries = (await services.activity.list({ action: 'offboarding.step' }, 0, 1_000)).entries;
        const refs = stepEntries.map((entry) => /\[job \S+ item \d+\]/.exec(entry.detail ?? '')?.[0]);
        expect(refs.filter((ref) => ref === undefined), context).toEqual([]);
        expect(sorted(refs as string[]), context).toEqual(sorted(items.map(({ item }) => `[job ${job.id} item ${item.n}]`)));
        const summaries = (await services.activity.list({ action: 'offboarding.run' }, 0, 100)).entries;
        expect(summaries, context).toEqual([expect.objectContaining({ result: 'succeeded', detail: expect.stringContaining(`${people} people.`) })]);
        expect(summaries[0]!.detail, context).toMatch(new RegExp(`Job ${job.id}\\.$`));
        // The kills did land mid-run, and the log still verifies end to end.
        expect((await services.activity.list({ action: 'job.interrupted' }, 0, 100)).total, context).toBeGreaterThan(0);
        expect((await services.activity.list({}, 0, 1)).integrity, context).toMatchObject({ intact: true, problems: [] });

        // The evidence lists every step of every person once.
        const file = services.offboarding.exportEvidence({ runId: job.id, format: 'csv' });
        const [header, ...rows] = parse(file.content, { bom: true }) as string[][];
        const column = (name: string) => header!.indexOf(name);
        const steps = rows.map((row) => `${row[column('person')]}|${row[column('connection')]}|${row[column('step')]}`);
        expect(steps, context).toHaveLength(items.length);
        expect(new Set(steps).size, context).toBe(steps.length);
        for (const user of departed) expect(steps.filter((step) => step.startsWith(`${user.primaryEmail.toLowerCase()}|`)), context).toHaveLength(10);
        expect(rows.every((row) => row[column('status')] === 'succeeded' || row[column('status')] === 'skipped'), context).toBe(true);
      } finally {
        // The start's read of credentials records its alerts when it ends: waited for, so nothing writes into the profile once closed.
        await services.credentials.inventory().catch(() => undefined);
        await services.close();
      }
    },
  );
});
