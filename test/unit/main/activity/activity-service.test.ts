import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { EventHub } from '../../../../src-main/events/event-hub';
import { ActivityPageSchema, CsvExportSchema } from '../../../../src-shared/contract/activity';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { logWithEntries } from './activity-log-fixtures';

const exportedAt = () => new Date('2026-11-02T08:30:00Z');

describe('activity service', () => {
  test('answers a page of the Activity page with its exact total, the actions and the integrity', async () => {
    const { log } = await logWithEntries(6);
    const activity = new ActivityService(log, new EventHub());
    const page = await activity.list({ action: 'settings.update' }, 1, 2);
    expect(ActivityPageSchema.parse(page)).toEqual(page);
    expect(page).toMatchObject({ total: 3, totalExact: true, actions: ['grant.revoke', 'settings.update'], integrity: { intact: true, verification: 'complete' } });
    expect(page.entries.map((entry) => entry.seq)).toEqual([3, 1]);
    await log.close();
  });

  test('announces each new entry', async () => {
    const { log } = await logWithEntries(0);
    const events = new EventHub();
    const announced = vi.fn();
    events.subscribe(announced);
    new ActivityService(log, events).record({ action: 'settings.update', target: 'settings', result: 'succeeded' });
    await vi.waitFor(() => expect(announced).toHaveBeenCalledWith('activity.appended', expect.objectContaining({ seq: 1 })));
    await log.close();
  });

  test('exports the matching entries as one CSV document for the window to save', async () => {
    const { log } = await logWithEntries(3);
    const activity = new ActivityService(log, new EventHub(), { clock: exportedAt });
    const file = await activity.exportCsv({ result: 'succeeded' });
    expect(CsvExportSchema.parse(file)).toEqual(file);
    expect(file).toMatchObject({ fileName: 'consentry-activity-2026-11-02T08-30-00.csv', rows: 2 });
    expect(file.savedTo).toBeUndefined();
    const lines = file.content.split('\r\n');
    expect(lines[0]).toBe('\uFEFFsequence,time_utc,action,target,result,error_code,detail,entry_sha256');
    expect(lines.slice(1, 3).map((line) => line.split(',').slice(0, 5).join(','))).toEqual([
      '2,2026-11-01T10:02:00.000Z,grant.revoke,target-2,succeeded',
      '1,2026-11-01T10:01:00.000Z,settings.update,target-1,succeeded',
    ]);
    await log.close();
  });

  test('saves an export too large for the window to a file in the export folder and says where', async () => {
    const { log } = await logWithEntries(40);
    const exportDirectory = join(await temporaryDirectory(), 'exports');
    const inline = await new ActivityService(log, new EventHub(), { clock: exportedAt }).exportCsv({});
    const activity = new ActivityService(log, new EventHub(), { clock: exportedAt, exportDirectory, inlineExportLimit: 1_000 });
    const file = await activity.exportCsv({});
    expect(file).toEqual({
      fileName: 'consentry-activity-2026-11-02T08-30-00.csv',
      content: '',
      rows: 40,
      savedTo: join(exportDirectory, 'consentry-activity-2026-11-02T08-30-00.csv'),
    });
    // The same document, written piece by piece.
    expect(await readFile(file.savedTo!, 'utf8')).toBe(inline.content);
    await log.close();
  });
});
