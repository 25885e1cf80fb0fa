import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { GrantAppRow } from '../../../src-shared/contract/grants';
import { GrantsPage } from '../../../src-renderer/src/pages/GrantsPage';
import { ok } from './connection-fixtures';
import { appRow, auditStatus, grantConsole, layOutVirtualTables, snapshot } from './grant-fixtures';
import { renderWithConsole } from './render-with-console';

layOutVirtualTables();

const total = 100_000;
const rowHeight = 52;

/** Main's answer for any window of a 100,000-app scan, made up on demand. */
function hugeScan(request: unknown) {
  const { offset = 0, limit = 200 } = request as { offset?: number; limit?: number };
  const rows: GrantAppRow[] = [];
  for (let index = offset; index < Math.min(offset + limit, total); index += 1) rows.push(appRow({ key: `app-${index}`, name: `App ${index}`, clientId: `client-${index}` }));
  return ok({ snapshotId: 'snap-2', total, rows });
}

function renderedRows(table: HTMLElement) {
  return [...table.querySelectorAll('tr[data-index]')];
}

describe('the apps table at 100,000 rows', { timeout: 20_000 }, () => {
  test('draws only the rows in view and asks main for one page at a time', async () => {
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole({ 'grants.apps': hugeScan }, auditStatus({ snapshot: snapshot({ apps: total }) })));
    const scroller = await screen.findByTestId('grant-apps-table');
    await within(scroller).findByText('App 0');
    const table = within(scroller).getByRole('table', { name: 'Third-party apps' });
    expect(table).toHaveAttribute('aria-rowcount', String(total + 1));
    expect(screen.getByTestId('apps-count')).toHaveTextContent('100,000 apps');
    const drawn = renderedRows(scroller);
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.length).toBeLessThan(60);
    expect(drawn[0]).toHaveAttribute('aria-rowindex', '2');
    expect(requestsTo('grants.apps')).toEqual([{ filter: {}, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 200 }]);
  });

  test('scrolling to the middle fetches the pages there, and only those', async () => {
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole({ 'grants.apps': hugeScan }, auditStatus({ snapshot: snapshot({ apps: total }) })));
    const scroller = await screen.findByTestId('grant-apps-table');
    await within(scroller).findByText('App 0');
    // Scroll so that row 50,000 is at the top (the header takes the first 42 pixels).
    Object.defineProperty(scroller, 'scrollTop', { configurable: true, value: 42 + 50_000 * rowHeight });
    fireEvent.scroll(scroller);
    expect(await within(scroller).findByText('App 50000', {}, { timeout: 5_000 })).toBeInTheDocument();
    const drawn = renderedRows(scroller);
    expect(drawn.length).toBeLessThan(60);
    expect(drawn.some((row) => row.getAttribute('aria-rowindex') === String(50_000 + 2))).toBe(true);
    await waitFor(() => expect((requestsTo('grants.apps') as { offset: number }[]).map((request) => request.offset)).toContain(50_000));
    const requests = requestsTo('grants.apps') as { offset: number; limit: number }[];
    // Page 0 (it carries the total) and the pages around row 50,000; never the 499 others.
    expect(requests.every((request) => request.limit <= 1_000)).toBe(true);
    expect(new Set(requests.map((request) => request.offset)).size).toBeLessThanOrEqual(3);
  });
});
