import { describe, expect, test } from 'vitest';
import { toCsvDocument } from '../../../../src-main/export/csv-document';

describe('CSV documents', () => {
  test('start with a UTF-8 byte-order mark and end records with CRLF', () => {
    const csv = toCsvDocument(['a', 'b'], [['1', '2']]);
    expect(csv).toBe('\uFEFFa,b\r\n1,2\r\n');
  });

  test('quote fields with commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    const csv = toCsvDocument(['value'], [['Smith, Jane'], ['say "hi"'], ['two\nlines']]);
    expect(csv).toBe('\uFEFFvalue\r\n"Smith, Jane"\r\n"say ""hi"""\r\n"two\nlines"\r\n');
  });

  test('neutralise cells a spreadsheet would run as a formula', () => {
    const csv = toCsvDocument(['value'], [['=HYPERLINK("http://evil")'], ['+1'], ['@SUM(A1)'], ['-2']]);
    expect(csv.split('\r\n').slice(1, 5)).toEqual(['"\'=HYPERLINK(""http://evil"")"', "'+1", "'@SUM(A1)", "'-2"]);
  });

  test('write empty cells for missing values and keep non-Latin text', () => {
    expect(toCsvDocument(['name', 'code'], [['Zoë Šťastná', null]])).toBe('\uFEFFname,code\r\nZoë Šťastná,\r\n');
  });
});
