/**
 * Turns an imported file's bytes into text, or says in one sentence what the file is instead and
 * how to save it as CSV. Reads UTF-8 with or without a byte-order mark, and UTF-16 (little or big
 * endian) with one: Excel's "Unicode Text" is UTF-16LE with a mark.
 */
import { AppError } from '../errors/app-error';

const saveAsCsv = 'in Excel choose File › Save As › CSV UTF-8 (Comma delimited) and import that file';

// Files people drop by mistake, known by their first bytes.
const signatures: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook (.xlsx) or another zip archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an old Excel workbook (.xls)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
];

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((byte, index) => bytes[index] === byte);

const unreadable = (message: string) => new AppError('import_unreadable', message);

/** The 1-based line of a position in text. */
function lineAt(text: string, position: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < position; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): string {
  if (bytes.length % 2 !== 0) throw unreadable(`The file says it is UTF-16 text but ends in the middle of a character: ${saveAsCsv}.`);
  // Buffer.swap16 turns big-endian into the little-endian TextDecoder reads without full ICU.
  const littleEndian = bigEndian ? Buffer.from(bytes).swap16() : bytes;
  try {
    return new TextDecoder('utf-16le', { fatal: true }).decode(littleEndian);
  } catch {
    throw unreadable(`The file says it is UTF-16 text but holds characters UTF-16 does not allow: ${saveAsCsv}.`);
  }
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Decode again leniently only to say where: the first replacement character is the first bad byte.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const line = lineAt(lenient, lenient.indexOf('\uFFFD'));
    throw unreadable(
      `Line ${line} of the file is not UTF-8 text (Excel's plain "CSV (Comma delimited)" writes accented letters in another encoding): ${saveAsCsv}.`,
    );
  }
}

/** Many NUL bytes at odd (or even) places only: UTF-16 text that lost its byte-order mark. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512);
  let even = 0;
  let odd = 0;
  for (let index = 0; index < sample.length; index += 1) {
    if (sample[index] === 0) {
      if (index % 2 === 0) even += 1;
      else odd += 1;
    }
  }
  const pairs = sample.length / 2;
  return (odd > pairs * 0.3 && even === 0) || (even > pairs * 0.3 && odd === 0);
}

// C0 control characters other than tab, line feed and carriage return do not occur in a list of people.
// eslint-disable-next-line no-control-regex -- finding them is the point
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Refuses text holding control characters: binary data that happened to decode. */
export function assertPlainText(text: string, source: 'file' | 'paste'): void {
  const match = controlCharacter.exec(text);
  if (!match) return;
  const code = match[0].charCodeAt(0).toString(16).padStart(2, '0').toUpperCase();
  const where = `line ${lineAt(text, match.index)}`;
  throw unreadable(
    source === 'file'
      ? `The file holds binary data, not text (control character 0x${code} on ${where}): ${saveAsCsv}.`
      : `The pasted text holds a control character (0x${code} on ${where}), so it is not a list: paste one email per line, or the lines of a CSV with an email column.`,
  );
}

/** The text of an imported file; throws `import_unreadable` for anything that is not text. */
export function decodeListFile(bytes: Uint8Array): string {
  if (bytes.length === 0) throw unreadable('The file is empty: export the list again and import the new file.');
  for (const signature of signatures) {
    if (startsWith(bytes, signature.bytes)) throw unreadable(`The file is ${signature.what}, not CSV text: ${saveAsCsv}.`);
  }
  let text: string;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) text = decodeUtf8(bytes.subarray(3));
  else if (startsWith(bytes, [0xff, 0xfe])) text = decodeUtf16(bytes.subarray(2), false);
  else if (startsWith(bytes, [0xfe, 0xff])) text = decodeUtf16(bytes.subarray(2), true);
  else if (bytes.includes(0)) {
    throw unreadable(
      looksLikeUtf16(bytes)
        ? `The file looks like UTF-16 text without a byte-order mark, which cannot be read safely: ${saveAsCsv}.`
        : `The file holds binary data, not text (a NUL byte at byte ${bytes.indexOf(0) + 1}): ${saveAsCsv}.`,
    );
  } else text = decodeUtf8(bytes);
  assertPlainText(text, 'file');
  return text;
}
