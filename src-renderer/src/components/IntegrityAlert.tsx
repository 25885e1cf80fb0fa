import { Alert, Group, List, Loader, Text } from '@mantine/core';
import { IconAlertOctagon, IconLock, IconLockOpen } from '@tabler/icons-react';
import type { ActivityIntegrity } from '../../../src-shared/contract/activity';

function entries(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'entry' : 'entries'}`;
}

/** What the activity log's check found: its chain, its anchor, and which part is sealed with the vault's key. */
export function IntegrityAlert({ integrity, compact = false }: { integrity: ActivityIntegrity; compact?: boolean }) {
  const { keying } = integrity;
  const checking = integrity.verification === 'checking';
  if (!integrity.intact) return <BrokenIntegrity integrity={integrity} compact={compact} />;
  const sealed = keying.state === 'keyed';
  if (compact) {
    return (
      <Group gap={6} wrap="nowrap" data-testid="integrity-intact">
        {checking ? <Loader size={14} /> : sealed ? <IconLock size={16} color="var(--mantine-color-teal-6)" aria-hidden /> : <IconLockOpen size={16} color="var(--mantine-color-yellow-7)" aria-hidden />}
        <Text size="sm" c="dimmed">
          {checking
            ? `Checking the activity log: ${entries(integrity.checkedEntries)} of ${integrity.totalEntries.toLocaleString()} verified so far, nothing wrong found.`
            : integrity.checkedEntries < integrity.totalEntries
              ? `Activity log partly verified: ${entries(integrity.checkedEntries)} of ${integrity.totalEntries.toLocaleString()}; the others are sealed with a key that cannot be read now.`
              : integrity.totalEntries === 0
              ? 'The activity log is empty; each entry will be chained to the one before it.'
              : `Activity log intact: ${entries(integrity.totalEntries)}, chain verified${sealed ? ' and sealed with the vault’s key' : '; not all of it is keyed'}.`}
        </Text>
      </Group>
    );
  }
  if (checking) {
    return (
      <Alert color="blue" variant="light" icon={<Loader size={18} />} title="Checking the activity log" data-testid="integrity-intact">
        <Text size="sm">
          The log opened at once; its whole chain is being verified in the background. {entries(integrity.checkedEntries)} of{' '}
          {integrity.totalEntries.toLocaleString()} verified so far, and nothing wrong found yet.
        </Text>
        <Text size="sm" c="dimmed" mt={4}>
          {keying.note}
        </Text>
      </Alert>
    );
  }
  if (integrity.checkedEntries < integrity.totalEntries) {
    return (
      <Alert color="yellow" variant="light" icon={<IconLockOpen size={18} />} title="Activity log not fully verified" data-testid="integrity-partial">
        <Text size="sm">
          {entries(integrity.checkedEntries)} of {integrity.totalEntries.toLocaleString()} verified, and nothing wrong found in them. The others could not be
          checked:
        </Text>
        <Text size="sm" c="dimmed" mt={4} data-testid="integrity-keying">
          {keying.note}
        </Text>
      </Alert>
    );
  }
  return (
    <Alert
      color={keying.state === 'not_keyed' ? 'yellow' : 'teal'}
      variant="light"
      icon={sealed ? <IconLock size={18} /> : <IconLockOpen size={18} />}
      title={keying.state === 'not_keyed' ? 'Activity log intact, but not keyed' : 'Activity log intact'}
      data-testid="integrity-intact"
    >
      <Text size="sm">
        {integrity.totalEntries === 0
          ? 'The log is empty. Each entry will carry a seal of itself and of the entry before it, so a changed or removed entry shows here.'
          : `${entries(integrity.totalEntries)}. The whole chain was verified: every entry's seal and its link to the one before it match, and none were cut from the end. New entries are linked to it as they are written.`}
      </Text>
      <Text size="sm" c="dimmed" mt={4} data-testid="integrity-keying">
        {keying.note}
      </Text>
    </Alert>
  );
}

function BrokenIntegrity({ integrity, compact }: { integrity: ActivityIntegrity; compact: boolean }) {
  const setAsideOnly = integrity.problems.every((problem) => problem.kind === 'set_aside');
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertOctagon size={18} />}
      title={setAsideOnly ? 'The activity log was damaged and set aside' : 'The activity log has been altered'}
      data-testid="integrity-broken"
      role="alert"
    >
      <Text size="sm" mb={compact ? 0 : 'xs'}>
        {setAsideOnly
          ? 'Consentry could not read its activity log when it started. The file was kept, not deleted; keep a copy of the data folder for investigation.'
          : `${integrity.problems.length} problem${integrity.problems.length === 1 ? '' : 's'} found${integrity.verification === 'checking' ? ' so far' : ''} in ${entries(integrity.checkedEntries)}. The entries are still shown, but they can no longer be taken as evidence. Keep a copy of the data folder for investigation.`}
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
