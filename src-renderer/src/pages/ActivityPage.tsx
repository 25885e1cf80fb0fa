import { Button, Card, Group, SegmentedControl, Select, Skeleton, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { ActivityFilter, ActivityResult } from '../../../src-shared/contract/activity';
import { BridgeError } from '../../../src-preload/client';
import { useConsentry } from '../bridge/consentry-bridge';
import { useActivityPage } from '../bridge/queries';
import { ActivityEntriesTable, ActivityPaging, activityPageSize } from '../components/ActivityEntries';
import { IntegrityAlert } from '../components/IntegrityAlert';
import { PageHeader } from '../components/PageHeader';
import { saveTextFile } from '../files/save-text-file';

/** `yyyy-mm-dd` from a date input, as the start (or end) of that day in the admin's time zone. */
function dayBoundary(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00.000'}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function ActivityPage() {
  const client = useConsentry();
  const [action, setAction] = useState<string | null>(null);
  const [result, setResult] = useState<'all' | ActivityResult>('all');
  const [text, setText] = useState('');
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const [page, setPage] = useState(1);
  const [exporting, setExporting] = useState(false);
  const [debouncedText] = useDebouncedValue(text.trim(), 250);

  const since = dayBoundary(fromDay, false);
  const until = dayBoundary(toDay, true);
  const periodError = since && until && since > until ? 'The start date is after the end date.' : null;

  const filter = useMemo<ActivityFilter>(
    () => ({
      ...(action ? { action } : {}),
      ...(result !== 'all' ? { result } : {}),
      ...(debouncedText ? { text: debouncedText } : {}),
      ...(since && !periodError ? { since } : {}),
      ...(until && !periodError ? { until } : {}),
    }),
    [action, result, debouncedText, since, until, periodError],
  );
  const activity = useActivityPage(filter, (page - 1) * activityPageSize, activityPageSize);

  const resetPage = <T,>(setter: (value: T) => void) => (value: T) => {
    setter(value);
    setPage(1);
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const file = await client.call('activity.exportCsv', filter);
      // An export too large for this window was saved by Consentry itself.
      if (file.savedTo) {
        notifications.show({ color: 'teal', title: 'Activity exported', message: `${file.rows.toLocaleString()} entries saved to ${file.savedTo}.`, autoClose: false });
        return;
      }
      saveTextFile(file.fileName, file.content, 'text/csv;charset=utf-8');
      notifications.show({ color: 'teal', title: 'Activity exported', message: `${file.rows} entries saved as ${file.fileName}.` });
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Export failed',
        message: error instanceof BridgeError ? `${error.message} ${error.nextStep ?? ''}` : 'The export could not be produced.',
      });
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Activity"
        description="Every action the console takes, when, on what, and with which result. Each entry is sealed together with the one before it, so a changed or removed entry shows."
        actions={
          <Button leftSection={<IconDownload size={16} />} variant="default" onClick={() => void exportCsv()} loading={exporting} disabled={!activity.data || activity.data.total === 0}>
            Export CSV
          </Button>
        }
      />
      {activity.data && <IntegrityAlert integrity={activity.data.integrity} />}
      <Card withBorder padding="md" mt="md">
        <Group align="flex-end" gap="sm" wrap="wrap" mb="md">
          <TextInput
            label="Search"
            placeholder="Action, target, detail or error code"
            leftSection={<IconSearch size={16} />}
            value={text}
            onChange={(event) => resetPage(setText)(event.currentTarget.value)}
            style={{ flex: 1, minWidth: 220 }}
          />
          <Select
            label="Action"
            placeholder="All actions"
            data={activity.data?.actions ?? []}
            value={action}
            onChange={resetPage(setAction)}
            clearable
            searchable
            w={190}
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="result-filter-label">
              Result
            </Text>
            <SegmentedControl
              aria-labelledby="result-filter-label"
              value={result}
              onChange={(value) => resetPage(setResult)(value as typeof result)}
              data={[
                { label: 'All', value: 'all' },
                { label: 'Succeeded', value: 'succeeded' },
                { label: 'Failed', value: 'failed' },
              ]}
            />
          </div>
          <TextInput type="date" label="From" value={fromDay} onChange={(event) => resetPage(setFromDay)(event.currentTarget.value)} w={150} />
          <TextInput type="date" label="To" value={toDay} onChange={(event) => resetPage(setToDay)(event.currentTarget.value)} w={150} error={periodError} />
        </Group>
        {!activity.data ? (
          <Skeleton h={240} />
        ) : activity.data.entries.length === 0 ? (
          <Text c="dimmed" ta="center" py="xl">
            {activity.data.total === 0 && Object.keys(filter).length > 0 ? 'No entries match these filters.' : 'No activity recorded yet.'}
          </Text>
        ) : (
          <ActivityEntriesTable entries={activity.data.entries} testId="activity-table" numbered />
        )}
        {activity.data && activity.data.total > 0 && (
          <ActivityPaging activity={activity.data} page={page} onPage={setPage} />
        )}
      </Card>
    </>
  );
}
