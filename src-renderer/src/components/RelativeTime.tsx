import { Text, Tooltip } from '@mantine/core';
import { formatInstant, formatRelative } from '../format/time';

/**
 * "in 4 minutes", with the exact time in the admin's zone on hover and for screen readers. `now` is
 * when the data was read, so the words stay true to it as the list reloads.
 */
export function RelativeTime({ iso, now, empty = '—' }: { iso: string | null; now?: number; empty?: string }) {
  if (!iso) {
    return (
      <Text size="sm" c="dimmed" span>
        {empty}
      </Text>
    );
  }
  const absolute = formatInstant(iso);
  return (
    <Tooltip label={absolute} withArrow>
      <Text size="sm" span component="time" dateTime={iso} title={absolute} style={{ whiteSpace: 'nowrap' }}>
        {formatRelative(iso, now)}
      </Text>
    </Tooltip>
  );
}
