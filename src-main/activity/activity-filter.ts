import type { ActivityEntry, ActivityFilter } from '../../src-shared/contract/activity';
import { readEntry, type StoredEntry } from './activity-chain';
import type { ActivityCounts } from './activity-counts';
import type { LogLine } from './log-lines';

/** A filter made ready for scanning many lines: cheap text checks first, parsing only candidates. */
export interface EntryMatcher {
  /** The same for equal filters: names cached counts and positions. */
  readonly key: string;
  /** Matches every entry. */
  readonly empty: boolean;
  /**
   * Matches among the log's counts: a filter on action, action prefix and result only (or nothing);
   * `undefined` for any other filter, or when the counts overflowed.
   */
  countIn(counts: ActivityCounts): number | undefined;
  /** The entry on `line` when it matches. */
  read(line: LogLine): StoredEntry | undefined;
  matches(entry: ActivityEntry): boolean;
}

// Printable ASCII without quote or backslash is written verbatim in a JSON line, so a line lacking
// it lowercased cannot hold an entry whose fields contain it.
const verbatimInJson = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/;

export function entryMatcher(filter: ActivityFilter): EntryMatcher {
  const text = filter.text?.trim().toLowerCase() || undefined;
  const since = filter.since ? Date.parse(filter.since) : undefined;
  const until = filter.until ? Date.parse(filter.until) : undefined;
  const { action, result } = filter;
  const prefix = filter.actionPrefix || undefined;
  // Lines are written by JSON.stringify, so a matching entry holds these exact substrings. A prefix
  // JSON would escape could end inside an escape sequence, so only a verbatim one is looked for.
  const needles = [
    action !== undefined ? `"action":${JSON.stringify(action)}` : undefined,
    prefix !== undefined && verbatimInJson.test(prefix) ? `"action":"${prefix}` : undefined,
    result !== undefined ? `"result":"${result}"` : undefined,
  ].filter((needle): needle is string => needle !== undefined);
  const textNeedle = text !== undefined && verbatimInJson.test(text) ? text : undefined;
  const countable = text === undefined && since === undefined && until === undefined;

  const matches = (entry: ActivityEntry): boolean => {
    if (action !== undefined && entry.action !== action) return false;
    if (prefix !== undefined && !entry.action.startsWith(prefix)) return false;
    if (result !== undefined && entry.result !== result) return false;
    if (since !== undefined || until !== undefined) {
      const at = Date.parse(entry.at);
      if (since !== undefined && !(at >= since)) return false;
      if (until !== undefined && !(at <= until)) return false;
    }
    if (text !== undefined && ![entry.action, entry.target, entry.detail ?? '', entry.errorCode ?? ''].some((field) => field.toLowerCase().includes(text))) {
      return false;
    }
    return true;
  };

  const countIn = (counts: ActivityCounts): number | undefined => {
    if (!countable) return undefined;
    if (action !== undefined) return prefix !== undefined && !action.startsWith(prefix) ? 0 : counts.matching(action, result);
    if (prefix === undefined) return counts.matching(undefined, result);
    let sum = 0;
    for (const name of counts.actions()) {
      if (!name.startsWith(prefix)) continue;
      const matching = counts.matching(name, result);
      if (matching === undefined) return undefined;
      sum += matching;
    }
    // No action starts with the prefix: 0, unless the counts overflowed (then `undefined`).
    return sum === 0 ? counts.matching(prefix, result) : sum;
  };

  return {
    key: JSON.stringify([action ?? null, prefix ?? null, result ?? null, text ?? null, since ?? null, until ?? null]),
    empty: action === undefined && prefix === undefined && result === undefined && countable,
    countIn,
    matches,
    read: (line) => {
      if (line.text === null) return undefined;
      for (const needle of needles) if (!line.text.includes(needle)) return undefined;
      if (textNeedle !== undefined && !line.text.toLowerCase().includes(textNeedle)) return undefined;
      const entry = readEntry(line.text);
      return entry && matches(entry) ? entry : undefined;
    },
  };
}
