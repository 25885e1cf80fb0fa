import type { ActivityService } from '../activity/activity-service';
import type { ChannelHandlers } from './router';

export function activityApi(activity: ActivityService): Pick<ChannelHandlers, 'activity.list' | 'activity.exportCsv'> {
  return {
    'activity.list': ({ filter, offset, limit }) => activity.list(filter, offset, limit),
    'activity.exportCsv': (filter) => activity.exportCsv(filter),
  };
}
