/**
 * Which connections a row's providers cell limits it to. Admins write provider ids (`google`),
 * product names ("Google Workspace", "Microsoft 365"), a connection's label or its id; a value is
 * compared without case, spaces or punctuation, and one that matches nothing as a whole is tried
 * word by word ("google okta").
 */
import type { ProviderId } from '../../src-shared/domain/ids';

export interface ScopedConnection {
  connectionId: string;
  label: string;
  provider: ProviderId;
  /** The provider's product name ("Google Workspace"), when known. */
  providerLabel?: string;
}

export interface RowScope {
  /** Whether the row takes part at this connection. */
  includes(connectionId: string): boolean;
  /** The row's values that match no connection, as written. */
  unknown: string[];
}

const compact = (value: string) => value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

// A shorter fragment ("ms", "go") would match too much by accident.
const shortestFragment = 4;

const everyConnection: RowScope = { includes: () => true, unknown: [] };

export class RowScopeMatcher {
  private readonly names: { connectionId: string; exact: Set<string>; text: string[] }[];
  private readonly matches = new Map<string, ReadonlySet<string> | null>();

  constructor(connections: readonly ScopedConnection[]) {
    this.names = connections.map((connection) => {
      const text = [connection.label, connection.providerLabel ?? ''].map(compact).filter((name) => name !== '');
      return { connectionId: connection.connectionId, exact: new Set([compact(connection.connectionId), connection.provider, ...text]), text };
    });
  }

  /** The connections the row is limited to; every connection when the cell is empty. */
  scopeOf(providers: readonly string[] | null): RowScope {
    if (providers === null || providers.length === 0) return everyConnection;
    const included = new Set<string>();
    const unknown: string[] = [];
    for (const value of providers) {
      const matched = this.match(value);
      if (matched === null) unknown.push(value);
      else for (const connectionId of matched) included.add(connectionId);
    }
    return { includes: (connectionId) => included.has(connectionId), unknown };
  }

  /** The connections one value names, or null when it names none. Cached: a list repeats a few values. */
  private match(value: string): ReadonlySet<string> | null {
    const cached = this.matches.get(value);
    if (cached !== undefined) return cached;
    let matched = this.matchWhole(compact(value));
    if (matched === null) {
      const words = value.split(/\s+/).filter((word) => word !== '');
      if (words.length > 1) {
        const byWord = words.map((word) => this.matchWhole(compact(word)));
        matched = byWord.every((set) => set !== null) ? new Set(byWord.flatMap((set) => [...set!])) : null;
      }
    }
    this.matches.set(value, matched);
    return matched;
  }

  private matchWhole(key: string): ReadonlySet<string> | null {
    if (key === '') return null;
    const matched = new Set<string>();
    for (const name of this.names) {
      if (name.exact.has(key) || (key.length >= shortestFragment && name.text.some((text) => text.includes(key)))) matched.add(name.connectionId);
    }
    return matched.size > 0 ? matched : null;
  }
}
