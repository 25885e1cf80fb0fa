/** The Grants page's current view as an RFC 4180 CSV: the apps table or the grants table, filtered. */
import type { CsvExport } from '../../src-shared/contract/activity';
import type { GrantFilter } from '../../src-shared/contract/grants';
import { toCsvDocument } from '../export/csv-document';
import type { GrantIndex } from './grant-index';

export type GrantCsvView = 'apps' | 'grants';

const list = (values: readonly string[]) => values.join(' ');
const yesNo = (value: boolean | null) => (value === null ? '' : value ? 'yes' : 'no');

export function grantCsv(index: GrantIndex, view: GrantCsvView, filter: GrantFilter, now: Date): CsvExport {
  const stamp = now.toISOString().slice(0, 19).replaceAll(':', '-');
  if (view === 'apps') {
    const rows = index.matchingApps(filter);
    const content = toCsvDocument(
      ['provider', 'connection', 'app', 'client_id', 'publisher', 'verified_publisher', 'internal', 'anonymous', 'risk', 'risk_factors', 'users', 'grants', 'consent', 'access', 'scopes', 'last_used', 'new_since_previous_scan'],
      rows.map((row) => [
        row.provider,
        row.connectionLabel,
        row.name,
        row.clientId,
        row.publisher,
        yesNo(row.verifiedPublisher),
        yesNo(row.internal),
        yesNo(row.anonymous),
        row.risk,
        row.factors.map((factor) => factor.text).join(' '),
        row.users,
        row.grants,
        list(row.consent),
        list(row.access),
        list(row.scopes),
        row.lastUsed,
        yesNo(row.isNew),
      ]),
    );
    return { fileName: `consentry-grant-apps-${stamp}.csv`, content, rows: rows.length };
  }
  const indices = index.matchingGrants(filter);
  const content = toCsvDocument(
    ['provider', 'connection', 'app', 'client_id', 'user', 'consent', 'access', 'risk', 'scopes', 'last_used', 'new_since_previous_scan'],
    indices.map((position) => {
      const row = index.grantRow(position);
      const app = index.appRow(row.appKey)!;
      return [row.provider, app.connectionLabel, row.appName, app.clientId, row.user ?? 'everyone (tenant-wide)', row.consent, row.access, row.risk, list(row.scopes), row.lastUsed, yesNo(row.isNew)];
    }),
  );
  return { fileName: `consentry-grants-${stamp}.csv`, content, rows: indices.length };
}
