import { Button, Group, Loader, Paper, Text } from '@mantine/core';
import { IconBan, IconListCheck, IconX } from '@tabler/icons-react';
import { formatCount, plural } from './grant-format';

export interface SelectionCollecting {
  collected: number;
  total: number;
}

/**
 * What is selected in the view and what can be done with it: select every matching row (read in
 * pages, keys only), clear, revoke.
 */
export function SelectionBar({
  noun,
  selected,
  matching,
  limit,
  collecting,
  onSelectAllMatching,
  onCancelCollecting,
  onClear,
  onRevoke,
}: {
  /** "app" or "grant". */
  noun: string;
  selected: number;
  matching: number | null;
  /** The most one revocation takes. */
  limit: number;
  collecting: SelectionCollecting | null;
  onSelectAllMatching: () => void;
  onCancelCollecting: () => void;
  onClear: () => void;
  onRevoke: () => void;
}) {
  if (selected === 0 && !collecting) return null;
  const canSelectAll = matching !== null && matching > selected && matching <= limit;
  return (
    <Paper withBorder p="xs" px="md" radius="md" bg="var(--mantine-primary-color-light)" data-testid="selection-bar">
      <Group justify="space-between" gap="sm">
        {collecting ? (
          <Group gap="sm">
            <Loader size="xs" aria-hidden />
            <Text size="sm" role="status">
              Selecting every matching {noun}: {formatCount(collecting.collected)} of {formatCount(collecting.total)}…
            </Text>
            <Button size="compact-sm" variant="subtle" onClick={onCancelCollecting}>
              Stop
            </Button>
          </Group>
        ) : (
          <Group gap="sm">
            <Text size="sm" fw={600} role="status">
              {plural(selected, `${noun} selected`, `${noun}s selected`)}
            </Text>
            {canSelectAll && (
              <Button size="compact-sm" variant="subtle" leftSection={<IconListCheck size={14} />} onClick={onSelectAllMatching}>
                Select all {formatCount(matching)} matching
              </Button>
            )}
            {matching !== null && matching > limit && matching > selected && (
              <Text size="xs" c="dimmed">
                One revocation takes at most {formatCount(limit)} {noun}s; narrow the filter to select the rest.
              </Text>
            )}
          </Group>
        )}
        <Group gap="xs">
          <Button size="xs" variant="default" leftSection={<IconX size={14} />} onClick={onClear} disabled={collecting !== null}>
            Clear selection
          </Button>
          <Button size="xs" color="red" leftSection={<IconBan size={14} />} onClick={onRevoke} disabled={collecting !== null || selected === 0}>
            Revoke…
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
