import { Badge, type BadgeProps } from '@mantine/core';
import { IconAlertOctagon, IconAlertTriangle, IconCircleDot, IconShieldCheck, type Icon } from '@tabler/icons-react';
import type { RiskLevelName } from '../../../src-shared/contract/grants';

/**
 * Each level has its word, its colour and its icon, so colour is never the only signal. Filled
 * badges with automatic text contrast read in light and dark themes alike.
 */
export const riskLooks: Record<RiskLevelName, { label: string; color: string; variant: BadgeProps['variant']; icon: Icon }> = {
  critical: { label: 'Critical', color: 'red', variant: 'filled', icon: IconAlertOctagon },
  high: { label: 'High', color: 'orange', variant: 'filled', icon: IconAlertTriangle },
  medium: { label: 'Medium', color: 'yellow', variant: 'filled', icon: IconCircleDot },
  low: { label: 'Low', color: 'gray', variant: 'light', icon: IconShieldCheck },
};

export function RiskBadge({ level, size = 'sm' }: { level: RiskLevelName; size?: BadgeProps['size'] }) {
  const look = riskLooks[level];
  return (
    <Badge color={look.color} variant={look.variant} autoContrast size={size} tt="none" leftSection={<look.icon size={12} aria-hidden />} style={{ flexShrink: 0 }}>
      {look.label}
    </Badge>
  );
}
