import type { LogFileHandle } from './activity-files';

/** One line of the log file, located by byte offsets so a reader can come back to it. */
export interface LogLine {
  /** Its text without the newline; `null` when it is longer than a reader keeps (not an entry). */
  text: string | null;
  /** Offset of its first byte. */
  start: number;
  /** Offset just past its newline, or the end of the file for a last line without one. */
  next: number;
  /** False for a last line without a newline: a write cut off mid-way. */
  terminated: boolean;
}

export interface LineReading {
  /** Bytes read per call: memory stays in the order of this, whatever the file size. */
  chunkBytes: number;
  /** A backward scan that goes on doubles its reads up to this (a first page needs little; a search much). */
  largestChunkBytes?: number;
  /** A longer line is reported without its text, so garbage without newlines cannot fill memory. */
  maxLineBytes: number;
}

export const defaultLineReading: LineReading = { chunkBytes: 256 * 1024, maxLineBytes: 1024 * 1024 };

const newline = 0x0a;

/**
 * Background reading (the chain check, counts) awaits this every `everyLines` lines, so the
 * Activity page's queries run in between rather than after it.
 */
export const letOthersRun = Object.assign(() => new Promise((resolve) => setImmediate(resolve)), { everyLines: 500 });

/** The bytes of one line, gathered across chunks up to the reader's limit. */
class LinePieces {
  #pieces: Buffer[] = [];
  #length = 0;
  #oversized = false;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(piece: Buffer, atFront: boolean): void {
    if (piece.length === 0) return;
    this.#length += piece.length;
    if (this.#oversized) return;
    if (this.#length > this.#limit) {
      this.#oversized = true;
      this.#pieces = [];
      return;
    }
    if (atFront) this.#pieces.unshift(piece);
    else this.#pieces.push(piece);
  }

  /** The line's text: `last` (in the chunk at hand) joined to what was gathered. Then empties itself. */
  takeWith(last: Buffer, atFront: boolean): string | null {
    // Most lines sit whole in one chunk: decode them without gathering.
    if (this.#length === 0) return last.length > this.#limit ? null : last.toString('utf8');
    this.add(last, atFront);
    return this.take();
  }

  /** The line's text, then empties itself for the next line. */
  take(): string | null {
    const text = this.#oversized ? null : this.#pieces.length === 1 ? this.#pieces[0]!.toString('utf8') : Buffer.concat(this.#pieces).toString('utf8');
    this.#pieces = [];
    this.#length = 0;
    this.#oversized = false;
    return text;
  }
}

async function readAt(file: LogFileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const read = await file.read(filled === 0 ? buffer : buffer.subarray(filled), position + filled);
    if (read === 0) throw new Error(`The activity log is shorter than expected: it ended at byte ${position + filled}.`);
    filled += read;
  }
  return buffer;
}

/**
 * The lines that end at or before byte `end`, last first. Splitting on the newline byte is safe in
 * UTF-8: no multi-byte character contains it. A line spanning several chunks is joined.
 */
export async function* linesBackward(file: LogFileHandle, end: number, reading: LineReading = defaultLineReading): AsyncGenerator<LogLine> {
  const pieces = new LinePieces(reading.maxLineBytes);
  let position = end;
  let lineEnd = end;
  let terminated = false;
  let chunkBytes = reading.chunkBytes;
  while (position > 0) {
    const readStart = Math.max(0, position - chunkBytes);
    chunkBytes = Math.min(chunkBytes * 2, Math.max(reading.chunkBytes, reading.largestChunkBytes ?? 0));
    const buffer = await readAt(file, readStart, position - readStart);
    let segmentEnd = buffer.length;
    let found = segmentEnd > 0 ? buffer.lastIndexOf(newline, segmentEnd - 1) : -1;
    while (found !== -1) {
      const start = readStart + found + 1;
      const text = pieces.takeWith(buffer.subarray(found + 1, segmentEnd), true);
      // The empty piece after the file's last newline is not a line.
      if (terminated || lineEnd > start) yield { text, start, next: terminated ? lineEnd + 1 : lineEnd, terminated };
      segmentEnd = found;
      lineEnd = readStart + found;
      terminated = true;
      found = segmentEnd > 0 ? buffer.lastIndexOf(newline, segmentEnd - 1) : -1;
    }
    pieces.add(buffer.subarray(0, segmentEnd), true);
    position = readStart;
  }
  const text = pieces.take();
  if (terminated || lineEnd > 0) yield { text, start: 0, next: terminated ? lineEnd + 1 : lineEnd, terminated };
}

/** The lines between bytes `start` (a line start) and `end`, first first. */
export async function* linesForward(file: LogFileHandle, start: number, end: number, reading: LineReading = defaultLineReading): AsyncGenerator<LogLine> {
  const pieces = new LinePieces(reading.maxLineBytes);
  let position = start;
  let lineStart = start;
  while (position < end) {
    const buffer = await readAt(file, position, Math.min(reading.chunkBytes, end - position));
    let from = 0;
    let found = buffer.indexOf(newline, from);
    while (found !== -1) {
      const next = position + found + 1;
      yield { text: pieces.takeWith(buffer.subarray(from, found), false), start: lineStart, next, terminated: true };
      lineStart = next;
      from = found + 1;
      found = buffer.indexOf(newline, from);
    }
    pieces.add(buffer.subarray(from), false);
    position += buffer.length;
  }
  if (lineStart < end) yield { text: pieces.take(), start: lineStart, next: end, terminated: false };
}
