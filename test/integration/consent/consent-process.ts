/**
 * One run of the console in its own process, for the consent crash test: it resumes every consent
 * job a stop interrupted, then makes each decision of the scenario that has no job yet, as the
 * Consent page does (approve Board Notes, grant Timesheet Pro by client id, user consent → none,
 * block an app, deny Survey Hub), and waits for every job to settle. Prints one JSON line per step
 * on stdout; the test kills it with SIGKILL whenever it likes. The simulator runs in the test.
 */
import type { ConsoleServices } from '../../../src-main/app-services';
import { consentJobKinds } from '../../../src-main/consent/consent-jobs';
import { openNodeConsole } from '../../support/node-console';

export interface ConsentScenario {
  connectionId: string;
  timesheetAppId: string;
  blockAppId: string;
  blockAppName: string;
  denialReason: string;
}

const [dataDirectory, scenarioJson] = process.argv.slice(2);
const scenario = JSON.parse(scenarioJson!) as ConsentScenario;
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function approveBoardNotes(services: ConsoleServices): Promise<void> {
  const boardNotes = (await services.consent.requests()).requests.find((request) => request.appName === 'Board Notes')!;
  const review = await services.consent.review({ connectionId: scenario.connectionId, appId: boardNotes.appId, requestId: boardNotes.id, delegated: [], application: [] });
  const plan = services.consent.planGrant({ reviewId: review.reviewId, keepDelegated: ['User.Read', 'Calendars.Read'], keepApplication: [], method: 'graph' });
  await services.consent.grant({ planId: plan.planId, confirmation: plan.confirmationText ?? '' });
}

async function grantTimesheetPro(services: ConsoleServices): Promise<void> {
  const review = await services.consent.review({ connectionId: scenario.connectionId, appId: scenario.timesheetAppId, delegated: ['User.Read', 'Calendars.ReadWrite'], application: ['User.Read.All'] });
  const plan = services.consent.planGrant({ reviewId: review.reviewId, keepDelegated: ['User.Read', 'Calendars.ReadWrite'], keepApplication: ['User.Read.All'], method: 'graph' });
  await services.consent.grant({ planId: plan.planId, confirmation: plan.confirmationText ?? '' });
}

async function turnUserConsentOff(services: ConsoleServices): Promise<void> {
  const plan = await services.consent.planPolicyChange({ connectionId: scenario.connectionId, change: { kind: 'user_consent', value: 'none' } });
  await services.consent.changePolicy({ planId: plan.planId, confirmation: '' });
}

async function blockApp(services: ConsoleServices): Promise<void> {
  const plan = await services.consent.planBlock({ connectionId: scenario.connectionId, appId: scenario.blockAppId, mode: 'disable_sign_in' });
  await services.consent.block({ planId: plan.planId, confirmation: plan.confirmationText ?? '' });
}

async function denySurveyHub(services: ConsoleServices): Promise<void> {
  const surveyHub = (await services.consent.requests()).requests.find((request) => request.appName === 'Survey Hub')!;
  await services.consent.deny({ connectionId: scenario.connectionId, requestId: surveyHub.id, reason: scenario.denialReason });
}

/** Each decision, with what its job's items name (a run that may have been killed since may have created it). */
const decisions = [
  { name: 'approve Board Notes', kind: consentJobKinds.grant, names: 'Board Notes', make: approveBoardNotes },
  { name: 'grant Timesheet Pro', kind: consentJobKinds.grant, names: scenario.timesheetAppId, make: grantTimesheetPro },
  { name: 'user consent off', kind: consentJobKinds.policy, names: 'user_consent', make: turnUserConsentOff },
  { name: `block ${scenario.blockAppName}`, kind: consentJobKinds.block, names: scenario.blockAppId, make: blockApp },
  { name: 'deny Survey Hub', kind: consentJobKinds.deny, names: 'Survey Hub', make: denySurveyHub },
];

const services = await openNodeConsole(dataDirectory!);
say({ event: 'opened' });
const existing = services.jobs.list();
const resumed = await Promise.all(existing.filter((job) => job.state === 'interrupted' || job.state === 'paused').map((job) => services.jobs.resume(job.id)));
// A grant by client id is titled with the id until the app has a service principal: recognised by its payload.
const payloadOf = (jobId: string) => JSON.stringify(services.jobs.items(jobId)[0]?.item.payload ?? null);
const toMake = decisions.filter((decision) => !existing.some((job) => job.kind === decision.kind && payloadOf(job.id).toLowerCase().includes(decision.names.toLowerCase())));
say({ event: 'started', resumed: resumed.map((job) => job.id), making: toMake.map((decision) => decision.name) });
const made = await Promise.allSettled(toMake.map((decision) => decision.make(services)));
const refused = made.flatMap((result, n) => (result.status === 'rejected' ? [{ decision: toMake[n]!.name, error: String(result.reason) }] : []));
const jobs = await Promise.all(services.jobs.list().map((job) => services.jobs.settled(job.id)));
say({ event: 'settled', jobs, refused });
await services.close();
process.exit(refused.length === 0 ? 0 : 1);
