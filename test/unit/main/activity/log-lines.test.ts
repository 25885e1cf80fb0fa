import { describe, expect, test } from 'vitest';
import { memoryActivityFiles } from '../../../../src-main/activity/activity-files';
import { linesBackward, linesForward, type LogLine } from '../../../../src-main/activity/log-lines';

async function fileHolding(content: string | Buffer) {
  const handle = await memoryActivityFiles().openLog('log');
  await handle.append(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
  return { handle, size: await handle.size() };
}

async function collect(lines: AsyncGenerator<LogLine>): Promise<LogLine[]> {
  const found: LogLine[] = [];
  for await (const line of lines) found.push(line);
  return found;
}

// Chunk sizes from one byte up: every line crosses chunk boundaries at some size.
const chunkSizes = [1, 2, 3, 5, 7, 16, 1024];

describe('log lines', () => {
  test.each(chunkSizes)('reads the same lines forwards and backwards with %i-byte chunks, joining lines across chunks', async (chunkBytes) => {
    const content = 'first line\nsécond, with accents — and a dash\n\n{"seq":3}\n';
    const { handle, size } = await fileHolding(content);
    const reading = { chunkBytes, maxLineBytes: 1024 };
    const forward = await collect(linesForward(handle, 0, size, reading));
    const backward = await collect(linesBackward(handle, size, reading));
    expect(forward.map((line) => line.text)).toEqual(['first line', 'sécond, with accents — and a dash', '', '{"seq":3}']);
    expect(backward.reverse()).toEqual(forward);
    // Offsets point at each line's bytes, so a scan can come back to it.
    const bytes = Buffer.from(content, 'utf8');
    for (const line of forward) expect(bytes.subarray(line.start, line.next).toString('utf8')).toBe(`${line.text}\n`);
  });

  test.each(chunkSizes)('reports a last line without a newline as cut off (%i-byte chunks)', async (chunkBytes) => {
    const { handle, size } = await fileHolding('whole\n{"seq":2,"at":"20');
    const reading = { chunkBytes, maxLineBytes: 1024 };
    const forward = await collect(linesForward(handle, 0, size, reading));
    expect(forward.map(({ text, terminated }) => ({ text, terminated }))).toEqual([
      { text: 'whole', terminated: true },
      { text: '{"seq":2,"at":"20', terminated: false },
    ]);
    expect((await collect(linesBackward(handle, size, reading))).reverse()).toEqual(forward);
  });

  test('reads backwards from the middle of a file, from the end of a line', async () => {
    const { handle } = await fileHolding('one\ntwo\nthree\n');
    const lines = await collect(linesBackward(handle, 8, { chunkBytes: 3, maxLineBytes: 64 }));
    expect(lines.map((line) => line.text)).toEqual(['two', 'one']);
    expect(lines[0]).toMatchObject({ start: 4, next: 8, terminated: true });
  });

  test.each([1, 4, 64])('hands a line longer than the limit over without its text, keeping the lines around it (%i-byte chunks)', async (chunkBytes) => {
    const { handle, size } = await fileHolding(`before\n${'x'.repeat(500)}\nafter\n`);
    const reading = { chunkBytes, maxLineBytes: 100 };
    const forward = await collect(linesForward(handle, 0, size, reading));
    expect(forward.map((line) => line.text)).toEqual(['before', null, 'after']);
    expect(forward[1]).toMatchObject({ start: 7, next: 508 });
    expect((await collect(linesBackward(handle, size, reading))).reverse()).toEqual(forward);
  });

  test('reads nothing from an empty file', async () => {
    const { handle } = await fileHolding('');
    expect(await collect(linesForward(handle, 0, 0))).toEqual([]);
    expect(await collect(linesBackward(handle, 0))).toEqual([]);
  });
});
