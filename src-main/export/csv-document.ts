import { stringify } from 'csv-stringify/sync';

// Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
const formulaTriggers = new Set(['=', '+', '-', '@', '\t', '\r']);

function neutralise(value: string): string {
  return value.length > 0 && formulaTriggers.has(value[0]!) ? `'${value}` : value;
}

/**
 * An RFC 4180 CSV file (CRLF line ends, quotes doubled) as UTF-8 with a byte-order mark, so that
 * Excel on Windows reads accents and non-Latin names correctly.
 */
export function toCsvDocument(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return `\uFEFF${toCsvRecords([header, ...rows])}`;
}

/** CSV records without the byte-order mark: a document written piece by piece joins these after it. */
export function toCsvRecords(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const records = rows.map((row) => row.map((cell) => (cell === null ? '' : neutralise(String(cell)))));
  return stringify(records, {
    record_delimiter: 'windows',
    // csv-stringify only quotes the record delimiter itself (CRLF); a lone LF or CR must be quoted too.
    quoted_match: /[\r\n]/,
  });
}
