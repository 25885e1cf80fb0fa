import { Badge } from '@mantine/core';

/** Not in the scan before the last one. */
export function NewBadge() {
  return (
    <Badge variant="outline" color="indigo" size="xs" tt="none" style={{ flexShrink: 0 }}>
      New
    </Badge>
  );
}
