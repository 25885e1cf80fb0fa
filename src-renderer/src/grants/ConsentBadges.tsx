import { Badge, Group } from '@mantine/core';
import type { GrantRow } from '../../../src-shared/contract/grants';

const looks: Record<GrantRow['consent'], { label: string; color: string }> = {
  user: { label: 'User', color: 'blue' },
  tenant: { label: 'Tenant-wide', color: 'grape' },
};

/** How the access was given: each user for themself, or an admin for the whole tenant. */
export function ConsentBadges({ consent }: { consent: GrantRow['consent'][] }) {
  return (
    <Group gap={4} wrap="wrap">
      {consent.map((kind) => (
        <Badge key={kind} variant="light" color={looks[kind].color} tt="none" size="sm">
          {looks[kind].label}
        </Badge>
      ))}
    </Group>
  );
}
