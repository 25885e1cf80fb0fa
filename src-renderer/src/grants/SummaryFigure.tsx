import { Text } from '@mantine/core';
import { formatCount } from './grant-format';

/** A large number with what it counts underneath; in `color` when it is more than zero. */
export function SummaryFigure({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <div>
      <Text size="xl" fw={700} c={color && value > 0 ? color : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatCount(value)}
      </Text>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </div>
  );
}
