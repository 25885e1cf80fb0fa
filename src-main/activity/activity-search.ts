/**
 * A one-off search of the activity log, newest first, read a page at a time: how a start finds the
 * entries a stop may have left unwritten (a job item's, a consent decision's, a run's summary).
 */
import type { ActivityEntry, ActivityFilter } from '../../src-shared/contract/activity';
import type { ActivityService } from './activity-service';

const pageSize = 1_000;

export async function* activityMatching(activity: Pick<ActivityService, 'list'>, filter: ActivityFilter): AsyncGenerator<ActivityEntry> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await activity.list(filter, offset, pageSize);
    yield* page.entries;
    if (page.entries.length < pageSize) return;
  }
}
