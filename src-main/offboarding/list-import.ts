/**
 * Reads a list of departed people from a CSV file or pasted text into draft rows. A real RFC 4180
 * parser (csv-parse) does the quoting; this module finds the delimiter Excel used (`,`, or `;` in
 * many European locales, or a tab in "Unicode Text"), the header (or none: one email per line) and
 * the columns Consentry knows. It never judges a row: a ragged row, an unknown column's value or a
 * bad address becomes a verdict later, so nothing the admin imported is lost.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { ImportRequest, RowFields } from '../../src-shared/contract/offboarding';
import { AppError } from '../errors/app-error';
import { normalAddress } from './email-address';
import { assertPlainText, decodeListFile } from './list-file-decoder';

export interface DraftRow {
  id: string;
  /** The file's line the row starts on (1 = the header when there is one); null for a row added by hand. */
  line: number | null;
  fields: RowFields;
}

export interface ImportedList {
  delimiter: string;
  /** The header's columns as the file named them; empty when the list has no header. */
  columns: string[];
  rows: DraftRow[];
  /** values in columns Consentry does not know, by row id: [column, value] */
  unknownValues: Record<string, [string, string][]>;
}

type Field = keyof RowFields;

/** Column names as spreadsheets and directory exports write them, compared without case, spaces, `_`, `-` or `.`. */
const columnNames: Record<Field, readonly string[]> = {
  email: ['email', 'mail', 'emailaddress', 'user', 'primaryemail', 'userprincipalname', 'upn'],
  transferTo: ['transferto', 'manager', 'manageremail', 'dataowner'],
  providers: ['providers', 'provider', 'services', 'service'],
  note: ['note', 'notes', 'comment', 'comments', 'reason'],
};

const fieldOfColumn = new Map<string, Field>(
  (Object.entries(columnNames) as [Field, readonly string[]][]).flatMap(([field, names]) => names.map((name) => [name, field] as const)),
);

const fieldOf = (column: string): Field | undefined => fieldOfColumn.get(column.toLowerCase().replace(/[\s_\-.]+/g, ''));

// The contract's limits on a row's fields: longer values are cut so the list stays valid.
const maxNote = 2_000;
const maxProviders = 20;
const maxProviderValue = 100;

const delimiters = [',', ';', '\t'] as const;

const unreadable = (message: string) => new AppError('import_unreadable', message);

/** The first line with something on it, and where it starts. */
function firstLine(text: string): { start: number; text: string } | null {
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    if (line.trim() !== '') return { start, text: line };
    if (end === -1) return null;
    start = end + 1;
  }
  return null;
}

/** The delimiter used most often outside quotes on the first line; `,` for a one-column list. */
function delimiterOf(line: string): string {
  const counts = new Map<string, number>(delimiters.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const character of line) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && counts.has(character)) counts.set(character, counts.get(character)! + 1);
  }
  let best: string = ',';
  for (const delimiter of delimiters) if (counts.get(delimiter)! > counts.get(best)!) best = delimiter;
  return best;
}

function parseRecords(text: string, delimiter: string): { cells: string[]; line: number }[] {
  const records: { cells: string[]; line: number }[] = [];
  let lastLine = 0;
  try {
    parse(text, {
      delimiter,
      // A ragged row gets a verdict instead of failing the whole import.
      relax_column_count: true,
      // A quote inside an unquoted value (Ann "the boss" Smith) is kept as typed.
      relax_quotes: true,
      // Spaces around a delimiter are not part of a value, so a typed `ann@example.com, "Smith, Ann"` is two cells.
      trim: true,
      skip_empty_lines: true,
      on_record: (cells: string[], context) => {
        // `lines` is the line the record ends on; a quoted value with line breaks started earlier.
        const breaks = cells.reduce((sum, cell) => sum + (cell.includes('\n') ? cell.split('\n').length - 1 : 0), 0);
        records.push({ cells, line: context.lines - breaks });
        lastLine = context.lines;
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // The record that failed began on the first line with something on it after the last one read.
    const line = lineOfNextRecord(text, lastLine);
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw unreadable(`Line ${line} opens a quoted value that is never closed: add the closing " (or remove the opening one) and import again.`);
    }
    throw unreadable(`Line ${line} cannot be read as CSV (${error.code.toLowerCase().replace(/^csv_/, '').replace(/_/g, ' ')}): fix that line and import again.`);
  }
  return records;
}

/** The first non-blank line after `line`. */
function lineOfNextRecord(text: string, line: number): number {
  const lines = text.split('\n');
  for (let index = line; index < lines.length; index += 1) if (lines[index]!.trim() !== '') return index + 1;
  return line + 1;
}

const splitProviders = (cell: string): string[] | null => {
  // `,`, `;` and `|` separate values; spaces stay inside one so "Google Workspace" is one name (the
  // matching tries a value's words one by one when the whole does not match).
  const values = cell
    .split(/[,;|\n\t]/)
    .map((value) => value.replace(/\s+/g, ' ').trim().slice(0, maxProviderValue))
    .filter((value) => value !== '');
  return values.length === 0 ? null : values.slice(0, maxProviders);
};

function textOf(request: ImportRequest): string {
  if (request.source === 'file') return decodeListFile(Buffer.from(request.base64, 'base64'));
  const text = request.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw unreadable('The pasted text is empty: paste one email per line, or the lines of a CSV with an email column.');
  assertPlainText(text, 'paste');
  return text;
}

/** Reads a file or pasted text into draft rows; throws `import_unreadable` when it is not a list. */
export function importList(request: ImportRequest, newId: () => string): ImportedList {
  const what = request.source === 'file' ? 'The file' : 'The pasted text';
  // One line end for all: the parser counts lines right, and notes keep plain line breaks.
  let text = textOf(request).replace(/\r\n?/g, '\n');
  const first = firstLine(text);
  if (first === null) throw unreadable(`${what} is empty (blank lines only): add one departed person per line and import again.`);

  // Excel reads (and some exports write) a first line `sep=;` naming the delimiter.
  let delimiter = delimiterOf(first.text);
  const separatorLine = /^"?sep=(.)"?\s*$/i.exec(first.text);
  if (separatorLine) {
    delimiter = separatorLine[1]!;
    // Blank it rather than cut it, so line numbers stay those of the file.
    text = `${text.slice(0, first.start)}${text.slice(first.start + first.text.length)}`;
    if (firstLine(text) === null) throw unreadable(`${what} names its delimiter but has no header and no rows: add one departed person per line and import again.`);
  }

  // Lines of spaces or empty cells only (`,,`) are no rows.
  const records = parseRecords(text, delimiter).filter((record) => record.cells.some((cell) => cell.trim() !== ''));
  const head = records[0];
  if (head === undefined) throw unreadable(`${what} is empty (blank lines only): add one departed person per line and import again.`);

  // A list without a header starts with an address; a header names at least one known column.
  const firstCell = head.cells[0]!.trim();
  const headerFields = head.cells.map((cell) => fieldOf(cell.trim()));
  const hasHeader = !firstCell.includes('@') && headerFields.some((field) => field !== undefined);
  if (!hasHeader && !firstCell.includes('@')) {
    const shown = head.cells.map((cell) => cell.trim()).filter((cell) => cell !== '').join(', ').slice(0, 120);
    throw unreadable(`The first line ("${shown}") is neither an email nor a header with an email column: add a header line "email" (or start with an address) and import again.`);
  }
  const columns = hasHeader ? head.cells.map((cell) => cell.trim()) : [];
  // For each column: the field it fills, or null for one Consentry does not know. Without a header
  // the first column holds the addresses, and anything beside it cannot be told apart.
  const taken = new Set<Field>();
  const fieldOfIndex: (Field | null)[] = hasHeader
    ? headerFields.map((field) => {
        // A second column for the same field (email and primary email) is not guessed between.
        if (field === undefined || taken.has(field)) return null;
        taken.add(field);
        return field;
      })
    : ['email'];
  if (hasHeader && !taken.has('email')) {
    throw unreadable(`The header (${columns.join(', ')}) names no email column: name the column of addresses "email" and import again.`);
  }
  const columnName = (index: number) => columns[index] || `column ${index + 1}`;

  const rows: DraftRow[] = [];
  const unknownValues: Record<string, [string, string][]> = {};
  for (const record of hasHeader ? records.slice(1) : records) {
    const fields: RowFields = { email: '', transferTo: null, providers: null, note: null };
    const unknown: [string, string][] = [];
    record.cells.forEach((cell, index) => {
      const value = cell.trim();
      const field = fieldOfIndex[index] ?? null;
      if (field === 'email') fields.email = normalAddress(cell);
      else if (field === 'transferTo') fields.transferTo = normalAddress(cell) || null;
      else if (field === 'providers') fields.providers = splitProviders(cell);
      else if (field === 'note') fields.note = value === '' ? null : value.slice(0, maxNote);
      else if (value !== '') unknown.push([columnName(index), value.slice(0, maxNote)]);
    });
    const id = newId();
    rows.push({ id, line: record.line, fields });
    if (unknown.length > 0) unknownValues[id] = unknown;
  }
  if (rows.length === 0) {
    throw unreadable(`${what} has a header (${columns.join(', ')}) but no rows: add one line per departed person under it and import again.`);
  }
  return { delimiter, columns, rows, unknownValues };
}
