import { Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One titled part of a details drawer. */
export function DetailSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </section>
  );
}
