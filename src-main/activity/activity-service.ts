import type {
  ActivityFilter,
  ActivityPage,
  CsvExport,
} from '../../src-preload/contract';
import type { EventHub } from '../events/event-hub';
import { toCsvDocument } from '../export/csv-document';
import type { ActivityLog, ActivityRecord } from './activity-log';

/** What the console and its admins read from the activity log, and how services add to it. */
export class ActivityService {
  readonly #log: ActivityLog;
  readonly #clock: () => Date;

  constructor(log: ActivityLog, events: EventHub, clock: () => Date = () => new Date()) {
    this.#log = log;
    this.#clock = clock;
    log.onAppend((entry) => events.publish('activity.appended', entry));
  }

  record(record: ActivityRecord) {
    return this.#log.append(record);
  }

  list(filter: ActivityFilter, offset: number, limit: number): ActivityPage {
    const matches = this.#log.query(filter);
    return {
      entries: matches.slice(offset, offset + limit),
      total: matches.length,
      actions: this.#log.actions(),
      integrity: this.#log.integrity(),
    };
  }

  exportCsv(filter: ActivityFilter): CsvExport {
    const matches = this.#log.query(filter);
    const content = toCsvDocument(
      ['sequence', 'time_utc', 'action', 'target', 'result', 'error_code', 'detail', 'entry_sha256'],
      matches.map((entry) => [entry.seq, entry.at, entry.action, entry.target, entry.result, entry.errorCode, entry.detail, entry.hash]),
    );
    const stamp = this.#clock().toISOString().slice(0, 19).replaceAll(':', '-');
    return { fileName: `consentry-activity-${stamp}.csv`, content, rows: matches.length };
  }
}
