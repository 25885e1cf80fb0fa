import { Text } from '@mantine/core';
import { formatInstant, formatRelative } from '../format/time';

/**
 * "3 hours ago", with the exact time as its title. Lighter than RelativeTime (no tooltip layer),
 * for table cells drawn again at every scroll.
 */
export function LastUsed({ iso }: { iso: string | null }) {
  if (!iso) {
    return (
      <Text size="sm" c="dimmed" span>
        Not reported
      </Text>
    );
  }
  return (
    <Text size="sm" span component="time" dateTime={iso} title={formatInstant(iso)} style={{ whiteSpace: 'nowrap' }}>
      {formatRelative(iso)}
    </Text>
  );
}
