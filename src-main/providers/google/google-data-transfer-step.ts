/**
 * The Google data transfer step: the departed user's Drive and Docs files and Calendar events go
 * to the transfer target through the Data Transfer API, and the step waits until Google reports
 * the transfer completed. It never asks twice: a transfer between the two requested since the run
 * was confirmed, or one still under way, is found with transfers.list and waited for; an insert
 * whose answer was lost is looked for before it is sent again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { admin_datatransfer_v1 } from 'googleapis';
import { AppError } from '../../errors/app-error';
import type { DirectoryPerson, StepResult, StepTarget } from '../../offboarding/offboarding-port';
import { offboardingFailure, offboardingScopes, type GoogleOffboardingApis } from './google-offboarding-apis';
import { nothingLeft, type GoogleStep } from './google-offboarding-steps';

type DataTransfer = admin_datatransfer_v1.Schema$DataTransfer;

/** The applications transferred, by the names applications.list gives them, with the parameters Google documents for each. */
const transferredApplications: { name: string; params: admin_datatransfer_v1.Schema$ApplicationTransferParam[] }[] = [
  // Files shared with others and private ones alike.
  { name: 'Drive and Docs', params: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
  // Rooms and resources booked by the user's future events are released, as Google recommends for a departure.
  { name: 'Calendar', params: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] },
];

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
  return found;
}

interface ApplicationTransfers {
  items: admin_datatransfer_v1.Schema$ApplicationDataTransfer[];
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

const day = (transfer: DataTransfer) => (transfer.requestTime ?? '').slice(0, 10) || 'an unknown day';

/** Reads the transfer until Google reports it finished; the run's signal ends the wait. */
async function waitUntilFinished(apis: GoogleOffboardingApis, transfer: DataTransfer, person: DirectoryPerson, transferTo: DirectoryPerson): Promise<DataTransfer> {
  const name = transferName(person, transferTo);
  let current = transfer;
  let delay = firstPollMs;
  while (!isFinished(current)) {
    try {
      await sleep(delay, undefined, apis.signal ? { signal: apis.signal } : {});
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
      const made = (await transfersBetween(apis, target.person, transferTo)).find((transfer) => requestedAt(transfer) >= since && transfer.overallTransferStatusCode !== 'failed');
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

export const dataTransfer: GoogleStep = {
  async measure(apis, target) {
    const transferTo = targetOf(target);
    const found = await transfersBetween(apis, target.person, transferTo);
    const underWay = found.find((transfer) => !isFinished(transfer));
    if (underWay) return { count: 0, description: `A transfer to ${transferTo.email} requested on ${day(underWay)} is under way; the step waits for it.` };
    const apps = await applicationTransfers(apis, transferAction(target.person, transferTo, 'preparing'));
    const completed = found.filter((transfer) => transfer.overallTransferStatusCode === 'completed').sort((a, b) => requestedAt(b) - requestedAt(a))[0];
    const earlier = completed ? ` (one completed on ${day(completed)}; a new one moves what was added since)` : '';
    return { count: 1, description: `${apps.names} data would be transferred to ${transferTo.email}${earlier}.` };
  },

  async apply(apis, target) {
    const transferTo = targetOf(target);
    const since = Date.parse(target.confirmedAt) - clockSkewMs;
    const found = await transfersBetween(apis, target.person, transferTo);
    const earlier = found.find((transfer) => !isFinished(transfer)) ?? found.find((transfer) => transfer.overallTransferStatusCode === 'completed' && requestedAt(transfer) >= since);
    if (earlier) {
      // Requested before a stop (or by hand): waited for, never asked again.
      const finished = await waitUntilFinished(apis, earlier, target.person, transferTo);
      const result = nothingLeft(`A transfer to ${transferTo.email} requested ${earlier.requestTime ?? 'earlier'} (${earlier.overallTransferStatusCode})`, `The transfer of ${target.person.email}’s data to ${transferTo.email} requested earlier has completed; none was requested again.`);
      return { ...result, after: `Transfer ${finished.id} completed`, requestIds: finished.id ? [finished.id] : [] };
    }
    const apps = await applicationTransfers(apis, transferAction(target.person, transferTo, 'preparing'));
    const created = await insertOnce(apis, target, transferTo, { oldOwnerUserId: target.person.id, newOwnerUserId: transferTo.id, applicationDataTransfers: apps.items }, since);
    const finished = await waitUntilFinished(apis, created, target.person, transferTo);
    const names = apps.names;
    const result: StepResult = {
      code: 'done',
      changed: 1,
      before: found.length === 0 ? `No transfer to ${transferTo.email} yet` : `${found.length} earlier transfer${found.length === 1 ? '' : 's'} to ${transferTo.email}, none of this run`,
      after: `Transfer ${finished.id} of ${names} completed`,
      verified: true,
      requestIds: finished.id ? [finished.id] : [],
      message: `Transferred ${target.person.email}’s ${names} data to ${transferTo.email}; Google reports it completed.`,
    };
    return result;
  },
};
