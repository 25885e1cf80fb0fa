import { describe, expect, test } from 'vitest';
import { importList, type ImportedList } from '../../../../src-main/offboarding/list-import';

const counter = () => {
  let next = 0;
  return () => `row-${(next += 1)}`;
};

const fromFile = (bytes: Buffer | string, fileName = 'departed.csv'): ImportedList =>
  importList({ source: 'file', fileName, base64: (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString('base64') }, counter());

const fromPaste = (text: string): ImportedList => importList({ source: 'paste', text }, counter());

/** The `import_unreadable` failure with this message (a string is the whole sentence, a pattern part of it). */
const unreadable = (message: string | RegExp) =>
  expect.objectContaining({ code: 'import_unreadable', message: typeof message === 'string' ? message : expect.stringMatching(message) });

const emails = (list: ImportedList) => list.rows.map((row) => row.fields.email);

describe('files that are no list', () => {
  test('an empty file says it is empty', () => {
    expect(() => fromFile(Buffer.alloc(0))).toThrow(unreadable(/^The file is empty/));
  });

  test('a file of a byte-order mark and blank lines is empty too', () => {
    expect(() => fromFile('\uFEFF\r\n  \r\n')).toThrow(unreadable(/^The file is empty/));
  });

  test('empty pasted text is refused with what to paste', () => {
    expect(() => fromPaste(' \n\t\n')).toThrow(unreadable('The pasted text is empty: paste one email per line, or the lines of a CSV with an email column.'));
  });

  test('a header without rows says so, naming the columns', () => {
    expect(() => fromFile('email,transfer to,note\r\n\r\n,,\r\n')).toThrow(
      unreadable('The file has a header (email, transfer to, note) but no rows: add one line per departed person under it and import again.'),
    );
  });

  test('an Excel workbook is named as one, with how to save it as CSV UTF-8', () => {
    const workbook = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.alloc(200, 7)]);
    expect(() => fromFile(workbook, 'departed.xlsx')).toThrow(unreadable(/^The file is an Excel workbook \(\.xlsx\).*CSV UTF-8/));
  });

  test('binary data is refused, naming the first NUL byte', () => {
    const binary = Buffer.from([0x89, 0x61, 0x62, 0x00, 0x01, 0xff, 0x10, 0x00, 0x00, 0x00, 0x33]);
    expect(() => fromFile(binary, 'photo.png')).toThrow(
      unreadable('The file holds binary data, not text (a NUL byte at byte 4): in Excel choose File › Save As › CSV UTF-8 (Comma delimited) and import that file.'),
    );
  });

  test('control characters in otherwise valid UTF-8 are binary too, with their line', () => {
    expect(() => fromFile('email\nann@example.com\n\u0003\u0004junk\n')).toThrow(unreadable(/control character 0x03 on line 3/));
  });

  test('text in another encoding than UTF-8 names the line of the first bad byte', () => {
    // Excel's plain "CSV (Comma delimited)" writes é as the single Windows-1252 byte 0xE9.
    const windows1252 = Buffer.concat([Buffer.from('email,note\r\nann@example.com,left\r\nbob@example.com,Ren'), Buffer.from([0xe9]), Buffer.from('\r\n')]);
    expect(() => fromFile(windows1252)).toThrow(unreadable(/^Line 3 of the file is not UTF-8 text .*CSV UTF-8/));
  });

  test('UTF-16 without a byte-order mark is named as such rather than as binary', () => {
    expect(() => fromFile(Buffer.from('email\r\nann@example.com\r\n', 'utf16le'))).toThrow(unreadable(/^The file looks like UTF-16 text without a byte-order mark/));
  });

  test('a quoted value that is never closed names the line it opens on', () => {
    expect(() => fromPaste('email,note\nann@example.com,fine\n\nbob@example.com,"left in May\ncarl@example.com,x\n')).toThrow(
      unreadable('Line 4 opens a quoted value that is never closed: add the closing " (or remove the opening one) and import again.'),
    );
  });

  test('a header that names no email column is refused, naming what it found', () => {
    expect(() => fromFile('manager,note\nboss@example.com,x\n')).toThrow(unreadable('The header (manager, note) names no email column: name the column of addresses "email" and import again.'));
  });

  test('a first line that is neither an address nor a header is refused', () => {
    expect(() => fromPaste('Name,Department\nAnn,Sales\n')).toThrow(unreadable(/^The first line \("Name, Department"\) is neither an email nor a header/));
  });
});

describe('encodings and delimiters as spreadsheets write them', () => {
  test('a `;`-delimited file with a BOM and CRLF (Excel in European locales) reads its columns and lines', () => {
    const list = fromFile('\uFEFFE-Mail;Transfer_To;Notes\r\nann@example.com;boss@example.com;left 3 May\r\nbob@example.com;;\r\n');
    expect(list.delimiter).toBe(';');
    expect(list.columns).toEqual(['E-Mail', 'Transfer_To', 'Notes']);
    expect(list.rows).toEqual([
      { id: 'row-1', line: 2, fields: { email: 'ann@example.com', transferTo: 'boss@example.com', providers: null, note: 'left 3 May' } },
      { id: 'row-2', line: 3, fields: { email: 'bob@example.com', transferTo: null, providers: null, note: null } },
    ]);
    expect(list.unknownValues).toEqual({});
  });

  test("UTF-16LE with a BOM, tab-separated (Excel's Unicode Text), is read with its accents", () => {
    const text = 'Email\tNote\r\nrené@example.com\tCafé team\r\nann@example.com\t\r\n';
    const list = fromFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'departed.txt');
    expect(list.delimiter).toBe('\t');
    expect(list.rows.map((row) => [row.line, row.fields.email, row.fields.note])).toEqual([
      [2, 'rené@example.com', 'Café team'],
      [3, 'ann@example.com', null],
    ]);
  });

  test('UTF-16BE with a BOM is read too', () => {
    const bigEndian = Buffer.from('email\r\nann@example.com\r\n', 'utf16le').swap16();
    expect(emails(fromFile(Buffer.concat([Buffer.from([0xfe, 0xff]), bigEndian])))).toEqual(['ann@example.com']);
  });

  test('quoted values keep their commas, doubled quotes and line breaks, and later rows keep their file lines', () => {
    const list = fromFile('email,note\r\n"ann@example.com","Left, on 3 May\r\nsee ""HR"" ticket"\r\nbob@example.com,plain\r\n');
    expect(list.delimiter).toBe(',');
    expect(list.rows.map((row) => [row.line, row.fields.note])).toEqual([
      [2, 'Left, on 3 May\nsee "HR" ticket'],
      [4, 'plain'],
    ]);
  });

  test('spaces around delimiters and quotes, as typed by hand, are not part of the values', () => {
    const list = fromPaste('email, note\nann@example.com, "Smith, Ann"\n"bob@example.com" , left \n');
    expect(list.rows.map((row) => [row.fields.email, row.fields.note])).toEqual([
      ['ann@example.com', 'Smith, Ann'],
      ['bob@example.com', 'left'],
    ]);
    expect(list.unknownValues).toEqual({});
  });

  test('a first line `sep=;` names the delimiter and is not the header', () => {
    const list = fromFile('sep=;\r\nemail;note\r\nann@example.com;a, b\r\n');
    expect(list.delimiter).toBe(';');
    expect(list.columns).toEqual(['email', 'note']);
    expect(list.rows).toEqual([{ id: 'row-1', line: 3, fields: { email: 'ann@example.com', transferTo: null, providers: null, note: 'a, b' } }]);
  });
});

describe('rows and columns', () => {
  test('addresses are trimmed and lower-cased, invisible characters and all', () => {
    expect(emails(fromPaste(' Ann@Example.COM \n\u200Bbob@example.com\u00A0\n'))).toEqual(['ann@example.com', 'bob@example.com']);
  });

  test('a list without a header is one address per line, the first line included', () => {
    const list = fromPaste('ann@example.com\r\n\r\nBOB@example.com\r\n');
    expect(list.columns).toEqual([]);
    expect(list.rows.map((row) => [row.line, row.fields.email])).toEqual([
      [1, 'ann@example.com'],
      [3, 'bob@example.com'],
    ]);
  });

  test('without a header, a value beside the address is kept as an unknown column rather than guessed', () => {
    const list = fromPaste('ann@example.com,boss@example.com\nbob@example.com\n');
    expect(list.rows[0]!.fields.transferTo).toBeNull();
    expect(list.unknownValues).toEqual({ 'row-1': [['column 2', 'boss@example.com']] });
  });

  test('header names are recognised whatever their case, spaces, dashes or underscores', () => {
    const list = fromPaste('UserPrincipalName,Manager Email,Services,Comment\nann@example.com,boss@example.com,google,gone\n');
    expect(list.rows[0]!.fields).toEqual({ email: 'ann@example.com', transferTo: 'boss@example.com', providers: ['google'], note: 'gone' });
  });

  test('unknown columns are kept: a value in one is reported by column, an empty one is fine', () => {
    const list = fromPaste('email,Department,Badge\nann@example.com,Sales,\nbob@example.com,,\n');
    expect(list.columns).toEqual(['email', 'Department', 'Badge']);
    expect(list.unknownValues).toEqual({ 'row-1': [['Department', 'Sales']] });
  });

  test('a second column for a field already taken is not guessed between', () => {
    const list = fromPaste('email,primary email\nann@example.com,ann.smith@example.com\n');
    expect(list.rows[0]!.fields.email).toBe('ann@example.com');
    expect(list.unknownValues).toEqual({ 'row-1': [['primary email', 'ann.smith@example.com']] });
  });

  test('ragged rows import: missing cells are empty, extra cells are values of unnamed columns', () => {
    const list = fromPaste('email,transfer to,note\nann@example.com\nbob@example.com,boss@example.com,gone,extra\n');
    expect(list.rows.map((row) => row.fields)).toEqual([
      { email: 'ann@example.com', transferTo: null, providers: null, note: null },
      { email: 'bob@example.com', transferTo: 'boss@example.com', providers: null, note: 'gone' },
    ]);
    expect(list.unknownValues).toEqual({ 'row-2': [['column 4', 'extra']] });
  });

  test('rows that are blank entirely are no rows, and the others keep their file lines', () => {
    const list = fromPaste('email,note\n,,\n   \n ann@example.com ,\n');
    expect(list.rows).toEqual([{ id: 'row-1', line: 4, fields: { email: 'ann@example.com', transferTo: null, providers: null, note: null } }]);
  });

  test('a row with a note but no address stays a row (its verdict says what is wrong)', () => {
    expect(fromPaste('email,note\n,left in May\n').rows[0]!.fields).toEqual({ email: '', transferTo: null, providers: null, note: 'left in May' });
  });

  test('providers split on commas, semicolons and bars; a product name of two words stays one value', () => {
    const list = fromPaste('email,providers\nann@example.com,"google; Microsoft  365|okta,"\n');
    expect(list.rows[0]!.fields.providers).toEqual(['google', 'Microsoft 365', 'okta']);
  });

  test('a formula cell is imported as written, for its verdict to name it', () => {
    const list = fromPaste('email,note\n"=HYPERLINK(""mailto:Ann@Example.com"",""Ann"")",=1+1\n');
    expect(list.rows[0]!.fields).toEqual({ email: '=hyperlink("mailto:ann@example.com","ann")', transferTo: null, providers: null, note: '=1+1' });
  });

  test('values longer than the list allows are cut to its limits', () => {
    const list = fromPaste(`email,note\n${'a'.repeat(400)}@example.com,${'n'.repeat(3_000)}\n`);
    expect(list.rows[0]!.fields.email).toHaveLength(320);
    expect(list.rows[0]!.fields.note).toHaveLength(2_000);
  });

  test('50,000 rows import, each with its own id and line', { timeout: 30_000 }, () => {
    const lines = Array.from({ length: 50_000 }, (_, index) => `user${index}@example.com,boss@example.com,google,row ${index}`);
    const list = fromFile(`\uFEFFemail,transfer to,providers,note\r\n${lines.join('\r\n')}\r\n`);
    expect(list.rows).toHaveLength(50_000);
    expect(new Set(list.rows.map((row) => row.id)).size).toBe(50_000);
    expect(list.rows[49_999]).toEqual({
      id: 'row-50000',
      line: 50_001,
      fields: { email: 'user49999@example.com', transferTo: 'boss@example.com', providers: ['google'], note: 'row 49999' },
    });
  });
});
