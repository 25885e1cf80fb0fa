import { Button, Card, Grid, Group, Stack, Tabs, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconApps, IconDownload, IconFilterOff, IconUsers } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GrantAppRow, GrantRow, RiskLevelName, SnapshotSummary } from '../../../src-shared/contract/grants';
import type { ProviderId } from '../../../src-shared/domain/ids';
import { useConsentry } from '../bridge/consentry-bridge';
import type { GrantAppSort, GrantRowWindow, GrantSort, RevocationSelection } from '../bridge/queries';
import { notifyFailure } from '../components/failure-notification';
import { saveTextFile } from '../files/save-text-file';
import { AppDrawer } from './AppDrawer';
import { ChangesSinceLastScan } from './ChangesSinceLastScan';
import { collectMatchingKeys, selectionLimits } from './collect-matching-keys';
import { formatCount, plural } from './grant-format';
import { isFiltered, noGrantFilters, toGrantFilter, type GrantFilterState } from './grant-filter-state';
import { GrantAppsTable } from './GrantAppsTable';
import { GrantFilters } from './GrantFilters';
import { GrantsByUserTable } from './GrantsByUserTable';
import { PartialScanNotice } from './PartialScanNotice';
import { RevokeDialog } from './RevokeDialog';
import { ScanCoverage } from './ScanCoverage';
import { SelectionBar, type SelectionCollecting } from './SelectionBar';
import { SnapshotSummary as SnapshotSummaryCard } from './SnapshotSummary';
import { useKeySelection } from './use-key-selection';

type View = 'apps' | 'grants';

const defaultAppSort: GrantAppSort = { column: 'risk', direction: 'desc' };
const defaultGrantSort: GrantSort = { column: 'risk', direction: 'desc' };

/**
 * The last scan, explored: its summary and what changed, the app-centric and user-centric tables
 * with filters, sort, selection and revocation, an app's details, CSV export, and what the scan
 * covered.
 */
export function GrantExplorer({ snapshot }: { snapshot: SnapshotSummary }) {
  const client = useConsentry();
  const [view, setView] = useState<View>('apps');
  const [filters, setFilters] = useState<GrantFilterState>(noGrantFilters);
  const [debouncedText] = useDebouncedValue(filters.text.trim(), 250);
  const filter = useMemo(() => toGrantFilter(filters, debouncedText), [filters, debouncedText]);
  const [appSort, setAppSort] = useState<GrantAppSort>(defaultAppSort);
  const [grantSort, setGrantSort] = useState<GrantSort>(defaultGrantSort);
  const apps = useKeySelection(snapshot.id);
  const grants = useKeySelection(snapshot.id);
  const [collecting, setCollecting] = useState<(SelectionCollecting & { view: View }) | null>(null);
  const collector = useRef<AbortController | null>(null);
  const [openAppKey, setOpenAppKey] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<{ selection: RevocationSelection; from: View | 'drawer' } | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => () => collector.current?.abort(), []);

  const stopCollecting = useCallback(() => {
    collector.current?.abort();
    collector.current = null;
    setCollecting(null);
  }, []);

  // Stable, so the filter bar and the summary cards do not redraw with every selection change.
  const changeFilters = useCallback(
    (next: GrantFilterState | ((previous: GrantFilterState) => GrantFilterState)) => {
      stopCollecting();
      setFilters(next);
    },
    [stopCollecting],
  );
  const filterByRisk = useCallback((level: RiskLevelName) => changeFilters((previous) => ({ ...previous, risks: [level] })), [changeFilters]);
  const showOnlyNew = useCallback(() => changeFilters((previous) => ({ ...previous, onlyNew: true })), [changeFilters]);

  const providers = useMemo(() => [...new Set(snapshot.connections.map((connection) => connection.provider))] as ProviderId[], [snapshot.connections]);
  const filtered = isFiltered(filters);

  const selectAllMatching = async (target: View) => {
    stopCollecting();
    const controller = new AbortController();
    collector.current = controller;
    setCollecting({ view: target, collected: 0, total: 0 });
    try {
      const { keys } = await collectMatchingKeys(client, target, filter, (collected, total) => setCollecting({ view: target, collected, total }), controller.signal);
      if (controller.signal.aborted) return;
      (target === 'apps' ? apps : grants).replace(keys);
    } catch (error) {
      if (!controller.signal.aborted) notifyFailure('Not every matching row could be selected', error);
    } finally {
      if (collector.current === controller) {
        collector.current = null;
        setCollecting(null);
      }
    }
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const file = await client.call('grants.exportCsv', { view, filter });
      saveTextFile(file.fileName, file.content, 'text/csv;charset=utf-8');
      notifications.show({ color: 'teal', title: 'Grants exported', message: `${plural(file.rows, 'row')} saved as ${file.fileName}.` });
    } catch (error) {
      notifyFailure('Export failed', error);
    } finally {
      setExporting(false);
    }
  };

  // Once confirmed, the selection has been handed to a job: start afresh.
  const onStarted = () => {
    if (revoking?.from === 'apps') apps.clear();
    if (revoking?.from === 'grants') grants.clear();
  };

  const empty = (noun: string) => (
    <Stack align="center" gap="xs">
      <Text c="dimmed" ta="center">
        {filtered
          ? `No ${noun} match these filters.`
          : snapshot.connections.length > 0 && snapshot.connections.every((connection) => connection.outcome === 'not_supported')
            ? 'None of the scanned connections offers an admin listing of third-party apps; see “What the scan covers”.'
            : `The last scan found no ${noun}${snapshot.partial ? ' in what it could read' : ''}.`}
      </Text>
      {filtered && (
        <Button variant="subtle" size="xs" leftSection={<IconFilterOff size={14} />} onClick={() => changeFilters(noGrantFilters)}>
          Clear filters
        </Button>
      )}
    </Stack>
  );

  const toolbar = <Row,>(target: View, rows: GrantRowWindow<Row>) => {
    const selection = target === 'apps' ? apps : grants;
    const noun = target === 'apps' ? 'app' : 'grant';
    return (
      <>
        <Text size="sm" c="dimmed" role="status" data-testid={`${target}-count`}>
          {rows.total === null ? 'Loading…' : filtered ? `${plural(rows.total, noun)} match the filters` : plural(rows.total, noun)}
        </Text>
        <SelectionBar
          noun={noun}
          selected={selection.selected.size}
          matching={rows.total}
          limit={target === 'apps' ? selectionLimits.apps : selectionLimits.grants}
          collecting={collecting?.view === target ? collecting : null}
          onSelectAllMatching={() => void selectAllMatching(target)}
          onCancelCollecting={stopCollecting}
          onClear={selection.clear}
          onRevoke={() =>
            setRevoking({
              from: target,
              selection: { snapshotId: rows.snapshotId ?? snapshot.id, appKeys: target === 'apps' ? [...selection.selected] : [], grantKeys: target === 'grants' ? [...selection.selected] : [] },
            })
          }
        />
      </>
    );
  };

  return (
    <Stack gap="lg">
      {snapshot.partial && <PartialScanNotice connections={snapshot.connections} />}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <SnapshotSummaryCard snapshot={snapshot} onRiskClick={filterByRisk} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <ChangesSinceLastScan changes={snapshot.changes} onShowOnlyNew={showOnlyNew} onOpenApp={setOpenAppKey} />
        </Grid.Col>
      </Grid>
      <Card withBorder padding="lg">
        <Tabs value={view} onChange={(next) => next && setView(next as View)} keepMounted={false}>
          <Group justify="space-between" align="flex-end" mb="md">
            <Tabs.List>
              <Tabs.Tab value="apps" leftSection={<IconApps size={16} />}>
                Apps ({formatCount(snapshot.apps)})
              </Tabs.Tab>
              <Tabs.Tab value="grants" leftSection={<IconUsers size={16} />}>
                By user ({formatCount(snapshot.grants)})
              </Tabs.Tab>
            </Tabs.List>
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => void exportCsv()} loading={exporting}>
              Export CSV
            </Button>
          </Group>
          <Stack gap="md">
            <GrantFilters value={filters} onChange={changeFilters} providers={providers} scopes={snapshot.scopes} />
            <Tabs.Panel value="apps">
              <GrantAppsTable
                filter={filter}
                sort={appSort}
                onSortChange={setAppSort}
                selected={apps.selected}
                onSelectionChange={apps.change}
                onOpen={(app: GrantAppRow) => setOpenAppKey(app.key)}
                empty={empty('apps')}
                toolbar={(rows) => toolbar('apps', rows)}
              />
            </Tabs.Panel>
            <Tabs.Panel value="grants">
              <GrantsByUserTable
                filter={filter}
                sort={grantSort}
                onSortChange={setGrantSort}
                selected={grants.selected}
                onSelectionChange={grants.change}
                onOpen={(grant: GrantRow) => setOpenAppKey(grant.appKey)}
                empty={empty('grants')}
                toolbar={(rows) => toolbar('grants', rows)}
              />
            </Tabs.Panel>
          </Stack>
        </Tabs>
      </Card>
      <ScanCoverage connections={snapshot.connections} />
      <AppDrawer
        appKey={openAppKey}
        onClose={() => setOpenAppKey(null)}
        onRevoke={(app) => {
          setOpenAppKey(null);
          setRevoking({ from: 'drawer', selection: { snapshotId: snapshot.id, appKeys: [app.key], grantKeys: [] } });
        }}
      />
      {revoking && <RevokeDialog selection={revoking.selection} onClose={() => setRevoking(null)} onStarted={onStarted} />}
    </Stack>
  );
}
