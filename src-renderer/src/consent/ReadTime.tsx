import { Text } from '@mantine/core';
import { useState } from 'react';
import { formatInstant, formatRelative } from '../format/time';

function ReadWords({ iso, verb }: { iso: string; verb: string }) {
  // When this read was first shown: the words stay put while the page re-renders (a new read remounts it).
  const [now] = useState(() => Date.now());
  // Intl says "now" for the current second only; an admin reads "just now" for the whole first minute.
  const recent = now - Date.parse(iso) < 60_000;
  return (
    <Text size="xs" c="dimmed" component="time" dateTime={iso} title={formatInstant(iso)}>
      {verb} {recent ? 'just now' : formatRelative(iso, now)}
    </Text>
  );
}

/** "Read just now", "Read back 5 minutes ago", "Not read yet": in the caption's own size, the exact time on hover. */
export function ReadTime({ iso, verb = 'Read' }: { iso: string | null; verb?: string }) {
  if (!iso) {
    return (
      <Text size="xs" c="dimmed">
        Not read yet
      </Text>
    );
  }
  return <ReadWords key={iso} iso={iso} verb={verb} />;
}
