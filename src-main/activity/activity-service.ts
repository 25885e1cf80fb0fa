import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActivityEntry, ActivityFilter, ActivityPage, CsvExport } from '../../src-shared/contract/activity';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import { toCsvRecords } from '../export/csv-document';
import type { ActivityLog, ActivityRecord } from './activity-log';
import { writeFailure } from './write-failure';

export interface ActivityServiceOptions {
  clock?: () => Date;
  /** Where an export too large to hand to the window is saved (the data folder's `exports`). */
  exportDirectory?: string;
  /** Characters of CSV handed to the window at most; a larger export is saved in `exportDirectory`. */
  inlineExportLimit?: number;
}

const csvColumns = ['sequence', 'time_utc', 'action', 'target', 'result', 'error_code', 'detail', 'entry_sha256'];
const rowsPerWrite = 1_000;

function csvRow(entry: ActivityEntry): (string | number | null)[] {
  return [entry.seq, entry.at, entry.action, entry.target, entry.result, entry.errorCode, entry.detail, entry.hash];
}

const exportFailure = {
  diskFull: {
    message: 'The disk is full: the activity export could not be saved.',
    nextStep: 'Free some space on the disk that holds the Consentry data folder, or export fewer entries with the filters, then export again.',
  },
  other: { message: 'The activity export could not be saved.', nextStep: 'Check that your user can write to the Consentry data folder, then export again.' },
};

/** What the console and its admins read from the activity log, and how services add to it. */
export class ActivityService {
  readonly #log: ActivityLog;
  readonly #clock: () => Date;
  readonly #exportDirectory: string | undefined;
  readonly #inlineExportLimit: number;

  constructor(log: ActivityLog, events: EventHub, options: ActivityServiceOptions = {}) {
    this.#log = log;
    this.#clock = options.clock ?? (() => new Date());
    this.#exportDirectory = options.exportDirectory;
    this.#inlineExportLimit = options.inlineExportLimit ?? 24 * 1024 * 1024;
    log.onAppend((entry) => events.publish('activity.appended', entry));
  }

  record(record: ActivityRecord) {
    return this.#log.append(record);
  }

  async list(filter: ActivityFilter, offset: number, limit: number): Promise<ActivityPage> {
    const page = await this.#log.page(filter, offset, limit);
    return { ...page, actions: this.#log.actions(), integrity: this.#log.integrity() };
  }

  /**
   * The matching entries as CSV, newest first, read from the log as a stream. Up to the inline
   * limit the document goes to the window, which saves it; a larger one is written to a file in the
   * export folder (the window could not hold it) and the answer says where.
   */
  async exportCsv(filter: ActivityFilter): Promise<CsvExport> {
    const stamp = this.#clock().toISOString().slice(0, 19).replaceAll(':', '-');
    const fileName = `consentry-activity-${stamp}.csv`;
    let inline: string[] = [`\uFEFF${toCsvRecords([csvColumns])}`];
    let inlineLength = inline[0]!.length;
    let file: { handle: FileHandle; path: string } | undefined;
    let batch: ActivityEntry[] = [];
    let rows = 0;
    const flush = async () => {
      const text = toCsvRecords(batch.map(csvRow));
      batch = [];
      if (file) {
        await file.handle.write(text);
        return;
      }
      inline.push(text);
      inlineLength += text.length;
      if (inlineLength > this.#inlineExportLimit) file = await this.#saveAside(fileName, inline.join(''));
      if (file) inline = [];
    };
    try {
      for await (const entry of this.#log.entries(filter)) {
        batch.push(entry);
        rows += 1;
        if (batch.length === rowsPerWrite) await flush();
      }
      await flush();
      await file?.handle.close();
    } catch (error) {
      if (file) {
        await file.handle.close().catch(() => undefined);
        // A cut-off export would pass for a whole one; the log itself is untouched.
        await rm(file.path, { force: true }).catch(() => undefined);
      }
      throw writeFailure(error, exportFailure);
    }
    if (file) return { fileName, content: '', rows, savedTo: file.path };
    return { fileName, content: inline.join(''), rows };
  }

  async #saveAside(fileName: string, start: string): Promise<{ handle: FileHandle; path: string }> {
    if (!this.#exportDirectory) {
      throw new AppError('invalid_request', 'These entries make a file too large to export at once.', {
        nextStep: 'Narrow the export with the filters (a period, an action), then export again.',
      });
    }
    await mkdir(this.#exportDirectory, { recursive: true });
    const path = join(this.#exportDirectory, fileName);
    const handle = await open(path, 'w', 0o600);
    const file = { handle, path };
    try {
      await handle.write(start);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(path, { force: true }).catch(() => undefined);
      throw error;
    }
    return file;
  }
}
