import { Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';

/** A page's heading; it takes keyboard focus when the page opens so screen readers announce it. */
export function PageHeader({ title, description, actions }: { title: string; description: string; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <Group justify="space-between" align="flex-start" wrap="nowrap" mb="lg">
      <Stack gap={4}>
        <Title order={1} size="h2" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
          {title}
        </Title>
        <Text c="dimmed" maw={760}>
          {description}
        </Text>
      </Stack>
      {actions}
    </Group>
  );
}
