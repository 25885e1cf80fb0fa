/**
 * The consent decisions under crashes: the console runs in a process of its own against the sample
 * workspace's Entra tenant (started here, so it outlives every kill), is killed at random moments
 * while it approves, grants, changes the policy, blocks and denies, and is started again to resume
 * until every job has ended. Then the tenant, each job's report and the activity log must agree.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { ConsoleServices } from '../../../src-main/app-services';
import { consentJobKinds } from '../../../src-main/consent/consent-jobs';
import { SeededRandom } from '../../../src-main/sample/seeded-random';
import { appServicePrincipals, servicePrincipalSettings } from '../../../src-main/sample/simulator/simulated-tenant';
import { useCrashSimulator } from '../../support/crash-simulator';
import { lineOf, runKillableScript } from '../../support/killable-script';
import { openNodeConsole } from '../../support/node-console';
import { temporaryDirectory } from '../../support/temporary-directory';
import type { ConsentScenario } from './consent-process';

const runScript = fileURLToPath(new URL('./consent-process.ts', import.meta.url));
const kills = 4;
const maxKills = 12;

const legacyUserConsent = 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy';
const itemActions = ['consent.grant', 'consent.policy', 'consent.block', 'consent.deny'];
const denialReason = 'Sending mail as staff needs a data-protection review first.';
const sorted = (values: readonly string[]) => [...values].sort();

/** The console in a process of its own, trusting the simulator's certificate, which the test can kill at any moment. */
const runConsole = (dataDirectory: string, certificateFile: string, scenario: ConsentScenario) =>
  runKillableScript(runScript, [dataDirectory, JSON.stringify(scenario)], { NODE_EXTRA_CA_CERTS: certificateFile });

describe('consent decisions under crashes', () => {
  const crash = useCrashSimulator();

  test(
    'killed at random points and resumed, every job ends once: the tenant, the job reports and the activity log agree',
    { timeout: 120_000 },
    async () => {
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
      const random = new SeededRandom(seed);
      const dataDirectory = await temporaryDirectory();
      const { sim } = crash;
      const certificateFile = await crash.certificateFile(dataDirectory);
      const { tenant } = sim;
      const published = (name: string) => tenant.publishedApps.find((app) => app.name === name)!;
      const blocked = tenant.apps.find((app) => app.name === 'Legacy Mail Merge')!;
      const requestOf = (name: string) => tenant.appConsentRequests.find((request) => request.appDisplayName === name)!;

      let services: ConsoleServices = await openNodeConsole(dataDirectory);
      const connection = await services.connections.connect(randomUUID(), {
        provider: 'microsoft',
        label: 'Sample workspace — Microsoft 365',
        clientId: sim.microsoft.clientId,
        settings: { issuer: sim.microsoft.authority, apiBaseUrl: sim.microsoft.graphBaseUrl },
        capabilities: [],
      });
      const allowed = await services.connections.enableCapability(connection.id, randomUUID(), 'consent');
      expect(allowed.capabilities.find((capability) => capability.id === 'consent')).toMatchObject({ allowed: true, held: true });
      await services.close();
      const scenario: ConsentScenario = { connectionId: connection.id, timesheetAppId: published('Timesheet Pro').appId, blockAppId: blocked.appId, blockAppName: blocked.name, denialReason };

      // Killed again and again, each time at a random moment after the run set to work; killed more
      // often (up to a bound) until a run has had to resume jobs a kill cut short, so the test never
      // passes without exercising a replay, however fast or slow the machine.
      const killedAfter: number[] = [];
      let resumedAny = false;
      for (let round = 0; round < kills || (!resumedAny && round < maxKills); round += 1) {
        const run = runConsole(dataDirectory, certificateFile, scenario);
        const started = await lineOf(run, 'started');
        if (Array.isArray(started?.resumed) && started.resumed.length > 0) resumedAny = true;
        const wait = Math.floor(random.next() * 800);
        killedAfter.push(wait);
        await new Promise((resolve) => setTimeout(resolve, wait));
        run.kill();
        await run.exited;
      }
      const last = runConsole(dataDirectory, certificateFile, scenario);
      const context = `seed ${seed}, kills after ${killedAfter.join(', ')} ms`;
      expect(await last.exited, `${context}: ${JSON.stringify(last.lines.at(-1))}`).toBe(0);

      services = await openNodeConsole(dataDirectory);
      try {
        const jobs = services.jobs.list();
        expect(jobs.map((job) => job.kind).sort(), `${context}: ${jobs.map((job) => `${job.title} ${job.state}`).join('; ')}`).toEqual(sorted([consentJobKinds.grant, consentJobKinds.grant, consentJobKinds.policy, consentJobKinds.block, consentJobKinds.deny]));
        for (const job of jobs) expect(job, `${context}: ${job.title}`).toMatchObject({ state: 'finished', failed: 0, inDoubt: 0, notStarted: 0 });
        const grantOf = (appId: string) => jobs.find((job) => (services.jobs.items(job.id)[0]?.item.payload as { decision?: { appId: string } }).decision?.appId === appId)!;

        // The tenant: one service principal per app, holding exactly what was kept.
        const servicePrincipalOf = (appId: string) => {
          const found = appServicePrincipals(tenant).filter((sp) => sp.appId.toLowerCase() === appId.toLowerCase());
          expect(found, `${context}: service principals of ${appId}`).toHaveLength(1);
          return found[0]!.id;
        };
        const tenantWideScopes = (servicePrincipalId: string) => {
          const grants = tenant.permissionGrants.filter((grant) => grant.clientId === servicePrincipalId && grant.consentType === 'AllPrincipals');
          expect(grants, context).toHaveLength(1);
          return sorted(grants[0]!.scope.split(' ').filter(Boolean));
        };
        const boardNotes = servicePrincipalOf(published('Board Notes').appId);
        expect(tenantWideScopes(boardNotes), context).toEqual(['Calendars.Read', 'User.Read']);
        expect(tenant.appRoleAssignments.filter((assignment) => assignment.principalId === boardNotes)).toEqual([]);
        const timesheet = servicePrincipalOf(published('Timesheet Pro').appId);
        expect(tenantWideScopes(timesheet), context).toEqual(['Calendars.ReadWrite', 'User.Read']);
        expect(tenant.appRoleAssignments.filter((assignment) => assignment.principalId === timesheet).map((assignment) => assignment.permission), context).toEqual(['User.Read.All']);
        expect(tenant.userConsentPolicies).not.toContain(legacyUserConsent);
        expect(servicePrincipalSettings(tenant, blocked.servicePrincipalId).accountEnabled).toBe(false);
        // Each request decided once, as asked: every stage closed with one accepted call.
        const decided = (name: string, result: 'Approve' | 'Deny') => {
          const stages = requestOf(name).userConsentRequests.flatMap((userRequest) => userRequest.stages);
          expect(stages.map((stage) => stage.reviewResult), `${context}: ${name}`).toEqual(stages.map(() => result));
          for (const stage of stages) {
            const accepted = sim.calls.filter((call) => call.name === 'graph.userConsentRequests.approval.stages.update' && call.path.includes(stage.id) && call.status < 300);
            expect(accepted, `${context}: ${name} stage ${stage.id}`).toHaveLength(1);
          }
        };
        decided('Board Notes', 'Approve');
        decided('Survey Hub', 'Deny');
        expect(requestOf('Grammar Helper').userConsentRequests.every((userRequest) => userRequest.status === 'InProgress')).toBe(true);

        // Each job's report: every item succeeded and was verified, none in doubt. A decision sent again after a stop finds
        // the request closed by its own earlier call (its stages name the connection's account): done, and it says so.
        for (const job of jobs) {
          for (const { item, status, outcome } of services.jobs.items(job.id)) {
            const said = `${context}: ${item.label} → ${status} ${outcome?.code}: ${outcome?.message}`;
            expect({ status, verified: outcome?.verified }, said).toEqual({ status: 'succeeded', verified: true });
            if (outcome?.code === 'already_done' && (job.kind === consentJobKinds.deny || (item.payload as { step?: string }).step === 'approve_request')) {
              expect(outcome.message, said).toMatch(/sent before Consentry stopped was recorded: Microsoft Entra shows it by \S+ on \d+ stages?\./);
            }
          }
        }
        const boardNotesResult = await services.consent.grantResult(grantOf(published('Board Notes').appId).id);
        expect(boardNotesResult.granted, context).toMatchObject({ application: [], missing: [], extra: [], matches: true });
        const timesheetResult = await services.consent.grantResult(grantOf(published('Timesheet Pro').appId).id);
        expect(timesheetResult.granted, context).toMatchObject({ application: ['User.Read.All'], missing: [], extra: [], matches: true });

        // The activity log: one entry per item of every job, none missing, none twice.
        const expectedRefs = jobs.flatMap((job) => services.jobs.items(job.id).map(({ item }) => `[job ${job.id} item ${item.n}]`));
        const itemEntries = (await Promise.all(itemActions.map((action) => services.activity.list({ action }, 0, 1_000)))).flatMap((page) => page.entries);
        const refs = itemEntries.map((entry) => /\[job \S+ item \d+\]/.exec(entry.detail ?? '')?.[0]);
        expect(refs.filter((ref) => ref === undefined)).toEqual([]);
        expect(sorted(refs as string[]), context).toEqual(sorted(expectedRefs));
        expect(itemEntries.every((entry) => entry.result === 'succeeded'), context).toBe(true);
        // The denial's reason reaches the log with its job's item, even when the run that denied was killed before its own entry.
        const denyJob = jobs.find((job) => job.kind === consentJobKinds.deny)!;
        const denyItem = itemEntries.find((entry) => entry.detail?.includes(`[job ${denyJob.id} item 0]`));
        expect(denyItem?.detail, context).toContain(denialReason);
        // One decision entry per job of every kind, none missing, none twice, even when a kill fell mid-job (written by the
        // run that resumed it) or between the job's end and its entry (written at the next start).
        const decisionActions: Record<string, string> = { [consentJobKinds.grant]: 'consent.granted', [consentJobKinds.policy]: 'consent.policy_changed', [consentJobKinds.block]: 'consent.blocked', [consentJobKinds.deny]: 'consent.denied' };
        const decisionEntries = async () => (await Promise.all(Object.values(decisionActions).map((action) => services.activity.list({ action }, 0, 100)))).flatMap((page) => page.entries);
        await expect.poll(async () => (await decisionEntries()).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(jobs.length);
        const decisions = await decisionEntries();
        const jobOf = (detail: string | null) => /Job (\S+)\.$/.exec(detail ?? '')?.[1] ?? '';
        expect(sorted(decisions.map((entry) => `${entry.action} ${jobOf(entry.detail)}`)), context).toEqual(sorted(jobs.map((job) => `${decisionActions[job.kind]} ${job.id}`)));
        const decisionOf = (job: (typeof jobs)[number]) => decisions.find((entry) => jobOf(entry.detail) === job.id)!;
        // Each says what was decided, named as the tenant knows the app after the grant (Timesheet Pro was granted by client id).
        expect(decisionOf(grantOf(published('Board Notes').appId)), context).toMatchObject({ result: 'succeeded', target: expect.stringMatching(/^Board Notes \(/), detail: expect.stringContaining('Board Notes: User.Read Calendars.Read (dropped Mail.Read Files.Read.All).') });
        expect(decisionOf(grantOf(published('Timesheet Pro').appId)), context).toMatchObject({ result: 'succeeded', target: expect.stringMatching(/^Timesheet Pro \(/), detail: expect.stringMatching(/^Timesheet Pro: /) });
        const policyJob = jobs.find((job) => job.kind === consentJobKinds.policy)!;
        expect(decisionOf(policyJob), context).toMatchObject({ result: 'succeeded', detail: expect.stringContaining('Users may consent to any app → Users cannot consent to apps. Verified by reading back.') });
        const blockJob = jobs.find((job) => job.kind === consentJobKinds.block)!;
        expect(decisionOf(blockJob), context).toMatchObject({ result: 'succeeded', target: expect.stringContaining(blocked.name), detail: expect.stringContaining('→ Nobody can sign in to it. Verified by reading back.') });
        // The denial succeeded, even when sent again after a stop: its earlier call is found recorded, not reported failed.
        const denial = decisionOf(denyJob);
        expect(denial.detail, context).toContain(denialReason);
        expect(denial, context).toMatchObject({ result: 'succeeded', errorCode: null });
        // The kills did land mid-job, and the log still verifies end to end.
        const interruptions = await services.activity.list({ action: 'job.interrupted' }, 0, 100);
        expect(interruptions.total, context).toBeGreaterThan(0);
        expect((await services.activity.list({}, 0, 1)).integrity, context).toMatchObject({ intact: true, problems: [] });
      } finally {
        await services.close();
      }
    },
  );
});
