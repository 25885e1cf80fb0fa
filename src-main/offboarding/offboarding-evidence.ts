/**
 * A run's evidence for an auditor: every step of every person with its time, result, what was read
 * before and after, and the provider's request ids — as a CSV file (one row per step) and as JSON
 * (the run, then each person with their steps). Built from the run's detail alone, which holds
 * outcomes in words and ids, never a token or secret; CSV cells a spreadsheet would run as formulas
 * are neutralised (csv-document.ts).
 */
import type { RunDetail } from '../../src-shared/contract/offboarding';
import { toCsvDocument } from '../export/csv-document';

export interface EvidenceFile {
  fileName: string;
  content: string;
  /** Steps in the file. */
  rows: number;
}

const columns = ['run_id', 'person', 'provider', 'connection', 'step', 'status', 'code', 'time', 'before', 'after', 'request_ids', 'message'];

function fileName(run: RunDetail, now: Date, extension: 'csv' | 'json'): string {
  return `consentry-offboarding-${now.toISOString().slice(0, 10)}-${run.job.id.replaceAll('-', '').slice(0, 8)}.${extension}`;
}

function stepCount(run: RunDetail): number {
  return run.persons.reduce((sum, person) => sum + person.steps.length, 0);
}

export function evidenceCsv(run: RunDetail, now: Date): EvidenceFile {
  const connections = new Map(run.connections.map((connection) => [connection.connectionId, connection]));
  const rows = run.persons.flatMap((person) =>
    person.steps.map((step) => {
      const connection = connections.get(step.connectionId);
      return [
        run.job.id,
        person.email,
        connection?.provider ?? null,
        connection?.label ?? step.connectionId,
        step.title,
        step.status,
        step.code,
        step.at,
        step.before,
        step.after,
        step.requestIds.join(' '),
        step.message,
      ];
    }),
  );
  return { fileName: fileName(run, now, 'csv'), content: toCsvDocument(columns, rows), rows: rows.length };
}

export function evidenceJson(run: RunDetail, now: Date): EvidenceFile {
  const document = {
    exportedAt: now.toISOString(),
    run: {
      id: run.job.id,
      title: run.job.title,
      state: run.job.state,
      reason: run.job.reason,
      startedAt: run.job.createdAt,
      updatedAt: run.job.updatedAt,
      options: run.options,
      people: run.people,
      steps: { total: run.job.total, succeeded: run.job.succeeded, failed: run.job.failed, skipped: run.job.skipped, inDoubt: run.job.inDoubt, notStarted: run.job.notStarted },
      connections: run.connections,
    },
    persons: run.persons,
    manual: run.manual,
  };
  return { fileName: fileName(run, now, 'json'), content: `${JSON.stringify(document, null, 2)}\n`, rows: stepCount(run) };
}
