import { Card, Skeleton, Text } from '@mantine/core';
import { useState } from 'react';
import { useConsentHistory } from '../bridge/consent-queries';
import { ActivityEntriesTable, ActivityPaging, activityPageSize } from '../components/ActivityEntries';
import { FailureAlert } from '../components/FailureAlert';

/** Every consent decision and change, from the activity log, paged as the Activity page pages it. */
export function ConsentHistoryTab() {
  const [page, setPage] = useState(1);
  const history = useConsentHistory((page - 1) * activityPageSize, activityPageSize);
  if (history.error && !history.data) return <FailureAlert title="The consent history could not be read" error={history.error} />;
  if (!history.data) return <Skeleton h={240} />;
  if (history.data.total === 0) {
    return (
      <Text c="dimmed" ta="center" py="xl">
        No consent decision or change recorded yet.
      </Text>
    );
  }
  return (
    <Card withBorder padding="md">
      <ActivityEntriesTable entries={history.data.entries} testId="consent-history" />
      <ActivityPaging activity={history.data} page={page} onPage={setPage} />
    </Card>
  );
}
