import { ActivityCounts } from './activity-counts';
import { sealText, type KeySegment, type SealingKey } from './activity-chain';

/**
 * The head anchor, a small file beside the log rewritten after each append: the last entry's
 * sequence number and hash (so entries cut from the end show), where the log ended in bytes (so
 * opening checks only what was written after it), and the counts the Activity page needs at once.
 * Sealed with the log's key when there is one, so it cannot be rewritten to match a cut log.
 */
export interface HeadAnchor {
  seq: number;
  hash: string;
  /** Bytes of the log up to and including the anchored entry's line; `null` in first-format anchors. */
  offset: number | null;
  /** Lines in those bytes, when known (for naming a problem by line). */
  lines: number | null;
  counts: ActivityCounts | null;
  segments: KeySegment[] | null;
}

export type AnchorReading =
  | { state: 'missing' }
  | { state: 'unreadable'; reason: string }
  | { state: 'found'; anchor: HeadAnchor; sealedBy: string | null; sealHolds: (key: SealingKey) => boolean };

const format = 2;

function sealedBody(values: unknown[]): string {
  return JSON.stringify([format, ...values]);
}

function isSegments(value: unknown): value is [number, string | null][] {
  return Array.isArray(value) && value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'number' && (pair[1] === null || typeof pair[1] === 'string'));
}

export function readAnchor(text: string | undefined): AnchorReading {
  if (text === undefined) return { state: 'missing' };
  let parsed: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return { state: 'unreadable', reason: 'it is not a head anchor' };
    parsed = value as Record<string, unknown>;
  } catch {
    return { state: 'unreadable', reason: 'it is not valid JSON' };
  }
  const { seq, hash } = parsed;
  if (typeof seq !== 'number' || typeof hash !== 'string') return { state: 'unreadable', reason: 'it names no entry' };
  if (parsed.format !== format) {
    // The first format: sequence number and hash only.
    return { state: 'found', anchor: { seq, hash, offset: null, lines: null, counts: null, segments: null }, sealedBy: null, sealHolds: () => false };
  }
  const { offset, lines, counts, segments, sealedBy, seal } = parsed;
  if (
    typeof offset !== 'number' ||
    (lines !== null && typeof lines !== 'number') ||
    (segments !== null && !isSegments(segments)) ||
    (sealedBy !== null && typeof sealedBy !== 'string') ||
    (seal !== null && typeof seal !== 'string')
  ) {
    return { state: 'unreadable', reason: 'its fields are not those of a head anchor' };
  }
  const body = sealedBody([seq, hash, offset, lines, counts, segments, sealedBy]);
  return {
    state: 'found',
    anchor: {
      seq,
      hash,
      offset,
      lines,
      counts: counts === null ? null : (ActivityCounts.fromJSON(counts) ?? null),
      segments: segments === null ? null : segments.map(([from, key]) => ({ from, key })),
    },
    sealedBy,
    sealHolds: (key) => sealedBy === key.id && seal === sealText(body, key),
  };
}

export function anchorText(anchor: HeadAnchor, key: SealingKey | null): string {
  const counts = anchor.counts?.toJSON() ?? null;
  const segments = anchor.segments?.map((segment) => [segment.from, segment.key]) ?? null;
  const sealedBy = key?.id ?? null;
  const values = [anchor.seq, anchor.hash, anchor.offset, anchor.lines, counts, segments, sealedBy];
  const seal = key ? sealText(sealedBody(values), key) : null;
  return JSON.stringify({ format, seq: anchor.seq, hash: anchor.hash, offset: anchor.offset, lines: anchor.lines, counts, segments, sealedBy, seal });
}
