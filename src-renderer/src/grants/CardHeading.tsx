import { Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A grants card's title with a line under it, and an action on the right. */
export function CardHeading({ title, description, children }: { title: ReactNode; description: ReactNode; children?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start">
      <div>
        <Title order={2} size="h4">
          {title}
        </Title>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      </div>
      {children}
    </Group>
  );
}
