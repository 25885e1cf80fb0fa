/**
 * The Google data transfer step: the departed user's Drive and Docs files and Calendar events go
 * to the transfer target through the Data Transfer API, and the step waits until Google reports
 * the transfer completed — for a bounded time, so a transfer Google takes days over fails the step
 * (and the suspension after it waits) rather than holding the run forever. It never asks twice: a
 * transfer between the two that covers what this step would move, requested since the run was
 * confirmed or still under way, is found with transfers.list and waited for; an insert whose answer
 * was lost is looked for before it is sent again. A transfer that moves less (Calendar only, shared
 * files only) is not taken for this one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { admin_datatransfer_v1 } from 'googleapis';
import { utcDayInWords, utcTimeInWords } from '../../../src-shared/domain/time-in-words';
import { AppError } from '../../errors/app-error';
import type { DirectoryPerson, StepResult, StepTarget } from '../../offboarding/offboarding-port';
import { offboardingFailure, offboardingScopes, type GoogleOffboardingApis } from './google-offboarding-apis';
import { type GoogleStep } from './google-offboarding-steps';
import { countInWords } from '../../../src-shared/domain/count-in-words';
import { nothingLeft } from '../../offboarding/offboarding-port';

type DataTransfer = admin_datatransfer_v1.Schema$DataTransfer;
type ApplicationDataTransfer = admin_datatransfer_v1.Schema$ApplicationDataTransfer;

/** The applications transferred, by the names applications.list gives them, with the parameters Google documents for each. */
const transferredApplications: { name: string; params: admin_datatransfer_v1.Schema$ApplicationTransferParam[] }[] = [
  // Files shared with others and private ones alike (Google moves only shared ones when PRIVACY_LEVEL is left out).
  { name: 'Drive and Docs', params: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
  // Rooms and resources booked by the user's future events are released, as Google recommends for a departure.
  { name: 'Calendar', params: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] },
];

/** How long one apply waits for Google to complete a transfer by default; a larger Drive can take Google longer. */
const defaultTransferWaitMs = 2 * 60 * 60_000;
/** How far Google's requestTime may lag the run's confirmation (clocks differ) and still be this run's. */
const clockSkewMs = 5 * 60_000;
/** Sending an insert whose answer was lost: tries, each after a look for the transfer it may have made. */
const insertTries = 3;
/** Polling a transfer in progress: the first wait, growing by half each time up to the last. */
const firstPollMs = 500;
const longestPollMs = 15_000;

const isFinished = (transfer: DataTransfer) => transfer.overallTransferStatusCode === 'completed' || transfer.overallTransferStatusCode === 'failed';
const requestedAt = (transfer: DataTransfer) => Date.parse(transfer.requestTime ?? '') || 0;

const transferName = (person: DirectoryPerson, transferTo: DirectoryPerson) => `the data transfer from ${person.email} to ${transferTo.email}`;
const transferAction = (person: DirectoryPerson, transferTo: DirectoryPerson, doing: string) => ({ what: `${doing} ${transferName(person, transferTo)}`, scope: offboardingScopes.dataTransfer });

/** Every transfer from the person to the target, in Google's order. */
async function transfersBetween(apis: GoogleOffboardingApis, person: DirectoryPerson, transferTo: DirectoryPerson): Promise<DataTransfer[]> {
  const found: DataTransfer[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const page: admin_datatransfer_v1.Schema$DataTransfersListResponse = await apis.call(
        (options) => apis.transfers.transfers.list({ oldOwnerUserId: person.id, newOwnerUserId: transferTo.id, maxResults: 100, ...(pageToken ? { pageToken } : {}) }, options),
        true,
      );
      found.push(...(page.dataTransfers ?? []));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  } catch (error) {
    throw offboardingFailure(error, transferAction(person, transferTo, 'reading'));
  }
  // Google filters by both people; checked again, as adopting someone else's transfer would be worse than asking twice.
  return found.filter((transfer) => transfer.oldOwnerUserId === person.id && transfer.newOwnerUserId === transferTo.id);
}

interface ApplicationTransfers {
  items: ApplicationDataTransfer[];
  /** "Drive and Docs and Calendar", for the admin. */
  names: string;
}

/** The Drive and Calendar applications with their parameters, by the ids this tenant's Google gives them. */
async function applicationTransfers(apis: GoogleOffboardingApis, action: { what: string; scope: string }): Promise<ApplicationTransfers> {
  const applications: admin_datatransfer_v1.Schema$Application[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const page: admin_datatransfer_v1.Schema$ApplicationsListResponse = await apis.call((options) => apis.transfers.applications.list({ ...(pageToken ? { pageToken } : {}) }, options), true);
      applications.push(...(page.applications ?? []));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  } catch (error) {
    throw offboardingFailure(error, action);
  }
  const offered = transferredApplications.flatMap(({ name, params }) => {
    const id = applications.find((candidate) => candidate.name === name)?.id;
    return id ? [{ name, item: { applicationId: id, applicationTransferParams: params } }] : [];
  });
  if (offered.length === 0) throw new AppError('not_supported', 'Google offers neither a Drive nor a Calendar data transfer for this account.', { nextStep: 'Transfer the data from the Admin console, then mark the step done.' });
  return { items: offered.map((application) => application.item), names: offered.map((application) => application.name).join(' and ') };
}

/** The transfer moves at least what this step would: every application, each with every parameter value this step sends. */
function covers(transfer: DataTransfer, wanted: ApplicationDataTransfer[]): boolean {
  return wanted.every((application) => {
    const held = transfer.applicationDataTransfers?.find((candidate) => String(candidate.applicationId) === String(application.applicationId));
    if (!held) return false;
    return (application.applicationTransferParams ?? []).every((param) => {
      const values = held.applicationTransferParams?.find((candidate) => candidate.key === param.key)?.value ?? [];
      return (param.value ?? []).every((value) => values.includes(value));
    });
  });
}

const day = (transfer: DataTransfer) => (transfer.requestTime ? utcDayInWords(transfer.requestTime) : 'an unknown day');

function durationInWords(ms: number): string {
  if (ms >= 3_600_000) return countInWords(Math.round((ms / 3_600_000) * 10) / 10, 'hour');
  if (ms >= 60_000) return countInWords(Math.round(ms / 60_000), 'minute');
  return countInWords(Math.max(1, Math.round(ms / 1_000)), 'second');
}

/** Where the admin follows a transfer Google is still carrying out. */
const transferPlace = 'the Google Admin console (Apps › Google Workspace › Drive and Docs › Transfer ownership) or the email Google sends the admin when it completes';

/** Reads the transfer until Google reports it finished, for at most `longestWaitMs`; the run's signal ends the wait sooner. */
async function waitUntilFinished(apis: GoogleOffboardingApis, transfer: DataTransfer, person: DirectoryPerson, transferTo: DirectoryPerson, longestWaitMs: number): Promise<DataTransfer> {
  const name = transferName(person, transferTo);
  const deadline = Date.now() + longestWaitMs;
  let current = transfer;
  let delay = firstPollMs;
  while (!isFinished(current)) {
    const left = deadline - Date.now();
    if (left <= 0) {
      // Not `timeout`: a transient code would have the step retried, waiting as long again each time.
      throw new AppError('precondition_failed', `Google is still carrying out ${name} (${transfer.id}) after ${durationInWords(longestWaitMs)}; the steps after it, the suspension included, were not done, so the account keeps its data until the transfer completes.`, {
        nextStep: `Follow the transfer in ${transferPlace}; once it has completed, plan ${person.email} again: the step finds that transfer instead of requesting another, then the account is suspended.`,
      });
    }
    try {
      await sleep(Math.min(delay, left), undefined, apis.signal ? { signal: apis.signal } : {});
    } catch {
      throw new AppError('cancelled', `Stopped waiting for ${name}; Google carries on with it, and the step finds it when the run resumes.`);
    }
    delay = Math.min(Math.round(delay * 1.5), longestPollMs);
    try {
      current = await apis.call((options) => apis.transfers.transfers.get({ dataTransferId: transfer.id! }, options));
    } catch (error) {
      throw offboardingFailure(error, transferAction(person, transferTo, 'reading'));
    }
  }
  if (current.overallTransferStatusCode === 'failed') {
    throw new AppError('provider_error', `Google reports ${name} (${transfer.id}) failed.`, {
      nextStep: 'Check it in the Admin console, then retry the step: a new transfer is requested.',
    });
  }
  return current;
}

/** Sends the insert; an answer lost on the way is looked for among the transfers before it is sent again. */
async function insertOnce(apis: GoogleOffboardingApis, target: StepTarget, transferTo: DirectoryPerson, requestBody: DataTransfer, since: number): Promise<DataTransfer> {
  const action = transferAction(target.person, transferTo, 'requesting');
  let lost: unknown;
  for (let attempt = 0; attempt < insertTries; attempt += 1) {
    if (attempt > 0) {
      const made = (await transfersBetween(apis, target.person, transferTo)).find(
        (transfer) => requestedAt(transfer) >= since && transfer.overallTransferStatusCode !== 'failed' && covers(transfer, requestBody.applicationDataTransfers ?? []),
      );
      if (made) return made;
    }
    let sent: Awaited<ReturnType<GoogleOffboardingApis['callOnce']>>;
    try {
      sent = await apis.callOnce((options) => apis.transfers.transfers.insert({ requestBody }, options));
    } catch (error) {
      throw offboardingFailure(error, action);
    }
    if ('data' in sent) return sent.data as DataTransfer;
    lost = sent.inDoubt;
  }
  throw offboardingFailure(lost, action);
}

function targetOf(target: Omit<StepTarget, 'confirmedAt'>): DirectoryPerson {
  if (!target.transferTo) throw new AppError('precondition_failed', `No transfer target was given for ${target.person.email}: their data stays with the account.`);
  return target.transferTo;
}

export interface DataTransferStepOptions {
  /** How long one apply waits for Google to complete the transfer before it fails (default two hours). */
  longestWaitMs?: number;
}

export function dataTransferStep(options: DataTransferStepOptions = {}): GoogleStep {
  const longestWaitMs = options.longestWaitMs ?? defaultTransferWaitMs;
  return {
    async measure(apis, target) {
      const transferTo = targetOf(target);
      const apps = await applicationTransfers(apis, transferAction(target.person, transferTo, 'preparing'));
      const found = (await transfersBetween(apis, target.person, transferTo)).filter((transfer) => covers(transfer, apps.items));
      const underWay = found.find((transfer) => !isFinished(transfer));
      if (underWay) return { count: 0, description: `A transfer of ${apps.names} data to ${transferTo.email} requested on ${day(underWay)} is under way; the step waits for it.` };
      const completed = found.filter((transfer) => transfer.overallTransferStatusCode === 'completed').sort((a, b) => requestedAt(b) - requestedAt(a))[0];
      const earlier = completed ? ` (one completed on ${day(completed)}; a new one moves what was added since)` : '';
      return { count: 1, description: `${apps.names} data would be transferred to ${transferTo.email}${earlier}.` };
    },

    async apply(apis, target) {
      const transferTo = targetOf(target);
      const since = Date.parse(target.confirmedAt) - clockSkewMs;
      const apps = await applicationTransfers(apis, transferAction(target.person, transferTo, 'preparing'));
      const found = await transfersBetween(apis, target.person, transferTo);
      // Only a transfer moving all this step would (not a Calendar-only one, not shared files only) stands in for it.
      const covering = found.filter((transfer) => covers(transfer, apps.items));
      const earlier = covering.find((transfer) => !isFinished(transfer)) ?? covering.find((transfer) => transfer.overallTransferStatusCode === 'completed' && requestedAt(transfer) >= since);
      if (earlier) {
        // Requested before a stop (or by hand): waited for, never asked again.
        const finished = await waitUntilFinished(apis, earlier, target.person, transferTo, longestWaitMs);
        const result = nothingLeft(
          `A transfer of ${apps.names} to ${transferTo.email} requested ${earlier.requestTime ? utcTimeInWords(earlier.requestTime) : 'earlier'} (${earlier.overallTransferStatusCode})`,
          `The transfer of ${target.person.email}’s ${apps.names} data to ${transferTo.email} requested earlier has completed; none was requested again.`,
        );
        return { ...result, after: `Transfer ${finished.id} completed`, requestIds: finished.id ? [finished.id] : [] };
      }
      const created = await insertOnce(apis, target, transferTo, { oldOwnerUserId: target.person.id, newOwnerUserId: transferTo.id, applicationDataTransfers: apps.items }, since);
      const finished = await waitUntilFinished(apis, created, target.person, transferTo, longestWaitMs);
      const names = apps.names;
      const result: StepResult = {
        code: 'done',
        changed: 1,
        before: found.length === 0 ? `No transfer to ${transferTo.email} yet` : `${countInWords(found.length, 'earlier transfer')} to ${transferTo.email}, none of this run moving ${names}`,
        after: `Transfer ${finished.id} of ${names} completed`,
        verified: true,
        requestIds: finished.id ? [finished.id] : [],
        message: `Transferred ${target.person.email}’s ${names} data to ${transferTo.email}; Google reports it completed.`,
      };
      return result;
    },
  };
}
