import { Alert, Group, List, Text } from '@mantine/core';
import { IconAlertOctagon, IconLock } from '@tabler/icons-react';
import type { ActivityIntegrity } from '../../../src-preload/contract';

/** Whether the activity log's hash chain held when the console opened it. */
export function IntegrityAlert({ integrity, compact = false }: { integrity: ActivityIntegrity; compact?: boolean }) {
  if (integrity.intact && compact) {
    return (
      <Group gap={6} data-testid="integrity-intact">
        <IconLock size={16} color="var(--mantine-color-teal-6)" aria-hidden />
        <Text size="sm" c="dimmed">
          {integrity.checkedEntries === 0
            ? 'The activity log is empty; each entry will be chained to the one before it.'
            : `Activity log intact: ${integrity.checkedEntries} ${integrity.checkedEntries === 1 ? 'entry' : 'entries'}, chain verified.`}
        </Text>
      </Group>
    );
  }
  if (integrity.intact) {
    return (
      <Alert color="teal" variant="light" icon={<IconLock size={18} />} title="Activity log intact" data-testid="integrity-intact">
        <Text size="sm">
          {integrity.checkedEntries === 0
            ? 'The log is empty. Each entry will carry a hash of itself and of the entry before it, so a changed or removed entry shows here.'
            : `${integrity.checkedEntries} ${integrity.checkedEntries === 1 ? 'entry' : 'entries'}. The chain was verified when Consentry started: every entry's hash and its link to the one before it match, and none were cut from the end. New entries are linked to it as they are written.`}
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconAlertOctagon size={18} />} title="The activity log has been altered" data-testid="integrity-broken" role="alert">
      <Text size="sm" mb={compact ? 0 : 'xs'}>
        {integrity.problems.length} problem{integrity.problems.length === 1 ? '' : 's'} found in {integrity.checkedEntries} entries. The entries
        are still shown, but they can no longer be taken as evidence. Keep a copy of the data folder for investigation.
      </Text>
      {!compact && (
        <List size="sm">
          {integrity.problems.slice(0, 10).map((problem) => (
            <List.Item key={`${problem.kind}-${problem.at}`}>{problem.message}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
