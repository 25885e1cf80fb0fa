import { Button, Card, EmptyState } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import { Link } from 'react-router';

/** Nothing to show here yet, and the page where the admin can change that. */
export function LinkedEmptyState({
  testId,
  icon: EmptyIcon,
  title,
  description,
  to,
  linkLabel,
  size,
}: {
  testId: string;
  icon: Icon;
  title: string;
  description: string;
  to: string;
  linkLabel: string;
  size?: 'lg';
}) {
  return (
    <Card withBorder padding="xl" data-testid={testId}>
      <EmptyState icon={<EmptyIcon size={36} stroke={1.5} />} variant="light" size={size} title={title} description={description}>
        <EmptyState.Actions>
          <Button component={Link} to={to} leftSection={<EmptyIcon size={16} />}>
            {linkLabel}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}
