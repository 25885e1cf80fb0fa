/**
 * Builds the console's services and its bridge router from ports. The Electron composition root
 * (index.ts) and the browser bridge used by tests and demos both call this, so they run the same
 * code and differ only in the adapters and the transport they pass.
 */
import { join } from 'node:path';
import type { AppDescription } from '../src-preload/contract';
import { ActivityLog } from './activity/activity-log';
import { ActivityService } from './activity/activity-service';
import { activityApi } from './api/activity-api';
import { appApi } from './api/app-api';
import { createRouter, type Dispatch } from './api/router';
import { settingsApi } from './api/settings-api';
import type { SenderPolicy } from './api/sender-policy';
import { EventHub } from './events/event-hub';
import { SettingsService } from './settings/settings-service';
import type { KeyValueStore } from './storage/key-value-store';

export interface ConsoleAdapters {
  /** The app's data folder (Electron: userData). */
  dataDirectory: string;
  settingsStore: KeyValueStore;
  description: Omit<AppDescription, 'dataDirectory'>;
  isTrustedSender: SenderPolicy;
  reportUnexpected: (context: string, error: unknown) => void;
  clock?: () => Date;
}

export interface ConsoleServices {
  events: EventHub;
  activity: ActivityService;
  settings: SettingsService;
  dispatch: Dispatch;
  close(): Promise<void>;
}

export async function startConsoleServices(adapters: ConsoleAdapters): Promise<ConsoleServices> {
  const clock = adapters.clock ?? (() => new Date());
  const events = new EventHub();
  const activityLog = await ActivityLog.open(join(adapters.dataDirectory, 'activity'), clock);
  const activity = new ActivityService(activityLog, events, clock);
  const settings = new SettingsService(adapters.settingsStore, activity, events);
  const dispatch = createRouter({
    handlers: {
      ...appApi({ ...adapters.description, dataDirectory: adapters.dataDirectory }),
      ...settingsApi(settings),
      ...activityApi(activity),
    },
    isTrustedSender: adapters.isTrustedSender,
    activity,
    reportUnexpected: adapters.reportUnexpected,
  });
  return { events, activity, settings, dispatch, close: () => activityLog.close() };
}
