import type { ActivityEntry, ActivityFilter } from '../../src-shared/contract/activity';
import { readEntry, type StoredEntry } from './activity-chain';
import type { LogLine } from './log-lines';

/** A filter made ready for scanning many lines: cheap text checks first, parsing only candidates. */
export interface EntryMatcher {
  /** The same for equal filters: names cached counts and positions. */
  readonly key: string;
  /** Filters on action and result only (or nothing): answered from the log's counts. */
  readonly countable: boolean;
  /** Matches every entry. */
  readonly empty: boolean;
  readonly action: string | undefined;
  readonly result: ActivityEntry['result'] | undefined;
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
  // Lines are written by JSON.stringify, so a matching entry holds these exact substrings.
  const needles = [
    action !== undefined ? `"action":${JSON.stringify(action)}` : undefined,
    result !== undefined ? `"result":"${result}"` : undefined,
  ].filter((needle): needle is string => needle !== undefined);
  const textNeedle = text !== undefined && verbatimInJson.test(text) ? text : undefined;

  const matches = (entry: ActivityEntry): boolean => {
    if (action !== undefined && entry.action !== action) return false;
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

  return {
    key: JSON.stringify([action ?? null, result ?? null, text ?? null, since ?? null, until ?? null]),
    countable: text === undefined && since === undefined && until === undefined,
    empty: action === undefined && result === undefined && text === undefined && since === undefined && until === undefined,
    action,
    result,
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
