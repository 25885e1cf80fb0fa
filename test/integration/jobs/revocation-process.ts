/**
 * One run of the console in its own process, for the crash test: `revoke` plans and confirms the
 * revocation of every Google grant of the last scan; `resume` resumes the job a crash interrupted.
 * Prints one JSON line per step on stdout; the test kills it with SIGKILL whenever it likes.
 */
import { openNodeConsole } from '../../support/node-console';

const [dataDirectory, mode] = process.argv.slice(2);
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

const services = await openNodeConsole(dataDirectory!);
let jobId: string | undefined;
if (mode === 'revoke') {
  const status = await services.grants.status();
  const apps = await services.grants.apps({ filter: { providers: ['google'] }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 10_000 });
  const plan = await services.grants.planRevocation({ snapshotId: status.snapshot!.id, appKeys: apps.rows.map((row) => row.key), grantKeys: [] });
  const job = await services.grants.revoke({ planId: plan.planId, revokeSessions: false, confirmation: plan.confirmationText ?? '' });
  jobId = job.id;
} else {
  const open = services.jobs.list().find((job) => job.state === 'interrupted' || job.state === 'paused');
  if (open) jobId = (await services.jobs.resume(open.id)).id;
}
say({ event: jobId ? 'started' : 'nothing', jobId });
if (jobId) say({ event: 'settled', job: await services.jobs.settled(jobId) });
await services.close();
process.exit(0);
