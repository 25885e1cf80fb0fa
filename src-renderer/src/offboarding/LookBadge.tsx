import { Badge, type BadgeProps } from '@mantine/core';
import type { Look } from './offboarding-format';

/** A state as a light badge, in the words and colour its table of looks gives it. */
export function LookBadge({ look, ...props }: { look: Look } & Omit<BadgeProps, 'color' | 'children'> & { 'data-testid'?: string }) {
  return (
    <Badge variant="light" color={look.color} tt="none" {...props}>
      {look.label}
    </Badge>
  );
}
