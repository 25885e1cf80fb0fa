import type { JobKernel } from '../jobs/job-kernel';
import type { ChannelHandlers } from './router';

type JobChannels = 'jobs.list' | 'jobs.pause' | 'jobs.resume' | 'jobs.cancel';

export function jobsApi(jobs: JobKernel): Pick<ChannelHandlers, JobChannels> {
  return {
    'jobs.list': () => ({ jobs: jobs.list() }),
    'jobs.pause': ({ jobId }) => jobs.pause(jobId),
    'jobs.resume': ({ jobId }) => jobs.resume(jobId),
    'jobs.cancel': ({ jobId }) => jobs.cancel(jobId),
  };
}
