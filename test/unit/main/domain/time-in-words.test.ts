import { describe, expect, test } from 'vitest';
import { utcDayInWords, utcTimeInWords } from '../../../../src-shared/domain/time-in-words';

describe('moments in words', () => {
  test('writes a moment as day, month, year and UTC time, whatever the offset it was given in', () => {
    expect(utcTimeInWords('2026-06-02T22:11:06.005Z')).toBe('2 Jun 2026 22:11 UTC');
    expect(utcTimeInWords('2026-06-03T00:11:06+02:00')).toBe('2 Jun 2026 22:11 UTC');
    expect(utcTimeInWords('2026-12-21T09:00:00.000Z')).toBe('21 Dec 2026 09:00 UTC');
  });

  test('keeps the seconds when asked, so two moments in one minute read apart', () => {
    expect(utcTimeInWords('2026-06-02T22:11:06.005Z', { seconds: true })).toBe('2 Jun 2026 22:11:06 UTC');
    expect(utcTimeInWords('2026-06-02T22:11:59Z', { seconds: true })).toBe('2 Jun 2026 22:11:59 UTC');
  });

  test('writes a day alone', () => {
    expect(utcDayInWords('2026-01-09T23:59:59Z')).toBe('9 Jan 2026');
  });

  test('leaves text that is not a date as it is rather than writing "Invalid Date"', () => {
    expect(utcTimeInWords('soon')).toBe('soon');
    expect(utcDayInWords('')).toBe('');
  });
});
