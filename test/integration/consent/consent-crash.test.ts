/**
 * The consent decisions under crashes: the console runs in a process of its own against the sample
 * workspace's Entra tenant (started here, so it outlives every kill), is killed at random moments
 * while it approves, grants, changes the policy, blocks and denies, and is started again to resume
 * until every job has ended. Then the tenant, each job's report and the activity log must agree.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConsoleServices } from '../../../src-main/app-services';
import { consentJobKinds } from '../../../src-main/consent/consent-jobs';
import { SeededRandom } from '../../../src-main/sample/seeded-random';
import { sampleWorkspaceSeed, sampleWorkspaceUsers } from '../../../src-main/sample/sample-workspace';
import { appServicePrincipals, servicePrincipalSettings } from '../../../src-main/sample/simulator/simulated-tenant';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { openNodeConsole } from '../../support/node-console';
import { temporaryDirectory } from '../../support/temporary-directory';
import type { ConsentScenario } from './consent-process';

const runScript = fileURLToPath(new URL('./consent-process.ts', import.meta.url));
const kills = 4;
const legacyUserConsent = 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy';
const itemActions = ['consent.grant', 'consent.policy', 'consent.block', 'consent.deny'];
const denialReason = 'Sending mail as staff needs a data-protection review first.';
const sorted = (values: readonly string[]) => [...values].sort();

interface Run {
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
  kill(): void;
  opened: Promise<void>;
}

/** The console in a process of its own, trusting the simulator's certificate, which the test can kill at any moment. */
function runConsole(dataDirectory: string, certificateFile: string, scenario: ConsentScenario): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', runScript, dataDirectory, JSON.stringify(scenario)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certificateFile },
  });
  const lines: Record<string, unknown>[] = [];
  let markOpened!: () => void;
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let at: number;
    while ((at = buffered.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffered.slice(0, at)) as Record<string, unknown>);
      buffered = buffered.slice(at + 1);
      markOpened();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => markOpened());
  return { lines, exited, opened, kill: () => child.kill('SIGKILL') };
}

describe('consent decisions under crashes', () => {
  let sim: TenantSimulator;
  const defaultCertificates = getCACertificates('default');
  beforeAll(async () => {
    // The sample workspace's tenant; latency makes each job take long enough for the kills to land in it.
    sim = await startTenantSimulator({ seed: sampleWorkspaceSeed, users: sampleWorkspaceUsers, faults: { latencyMs: [20, 60] } });
    setDefaultCACertificates([...defaultCertificates, sim.microsoft.certificate]);
  });
  afterAll(async () => {
    setDefaultCACertificates(defaultCertificates);
    await sim?.close();
  });

  test(
    'killed at random points and resumed, every job ends once: the tenant, the job reports and the activity log agree',
    { timeout: 120_000 },
    async () => {
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
      const random = new SeededRandom(seed);
      const dataDirectory = await temporaryDirectory();
      const certificateFile = join(dataDirectory, '..', `${randomUUID()}.pem`);
      await writeFile(certificateFile, sim.microsoft.certificate);
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

      // Killed again and again, each time at a random moment of the run.
      const killedAfter: number[] = [];
      for (let round = 0; round < kills; round += 1) {
        const run = runConsole(dataDirectory, certificateFile, scenario);
        await run.opened;
        const wait = Math.floor(random.next() * 1_500);
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

        // Each job's report: every item ended, none in doubt, and each success is what the tenant shows.
        for (const job of jobs) {
          for (const { item, status, outcome } of services.jobs.items(job.id)) {
            const payload = item.payload as { step?: string };
            const said = `${context}: ${item.label} → ${status} ${outcome?.code}`;
            // Only a call sent again after a stop may find its work done: it says so, and claims no call of its own.
            if (status === 'skipped') expect([payload.step ?? job.kind, outcome?.code], said).toEqual([job.kind === consentJobKinds.deny ? consentJobKinds.deny : 'approve_request', 'not_pending']);
            else expect(status, said).toBe('succeeded');
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
        // One decision entry per grant, even when a kill fell between the job's end and the entry (written at the next start).
        const grantJobs = jobs.filter((job) => job.kind === consentJobKinds.grant);
        await expect.poll(async () => (await services.activity.list({ action: 'consent.granted' }, 0, 100)).total, { timeout: 10_000 }).toBeGreaterThanOrEqual(grantJobs.length);
        const granted = await services.activity.list({ action: 'consent.granted' }, 0, 100);
        expect(sorted(granted.entries.map((entry) => /Job (\S+)\.$/.exec(entry.detail ?? '')?.[1] ?? '')), context).toEqual(sorted(grantJobs.map((job) => job.id)));
        expect(granted.entries.every((entry) => entry.result === 'succeeded'), context).toBe(true);
        // The kills did land mid-job, and the log still verifies end to end.
        const interruptions = await services.activity.list({ action: 'job.interrupted' }, 0, 100);
        expect(interruptions.total, context).toBeGreaterThan(0);
        expect(granted.integrity, context).toMatchObject({ intact: true, problems: [] });
      } finally {
        await services.close();
      }
    },
  );
});
