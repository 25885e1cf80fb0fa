import { Badge } from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconCircleX,
  IconClockExclamation,
  IconClockX,
  IconLinkOff,
  IconPlugConnectedX,
  IconRefresh,
  type Icon,
} from '@tabler/icons-react';
import type { ConnectionStatus } from '../../../src-shared/contract/connections';

/** Each status has its words and an icon, so colour is never the only signal. */
export const connectionStatusLooks: Record<ConnectionStatus, { label: string; color: string; icon: Icon }> = {
  active: { label: 'Active', color: 'teal', icon: IconCircleCheck },
  expiring_soon: { label: 'Expiring soon', color: 'yellow', icon: IconClockExclamation },
  expired: { label: 'Expired', color: 'orange', icon: IconClockX },
  refreshing: { label: 'Refreshing', color: 'blue', icon: IconRefresh },
  refresh_failing: { label: 'Refresh failing', color: 'orange', icon: IconAlertTriangle },
  needs_reconnect: { label: 'Needs reconnect', color: 'red', icon: IconPlugConnectedX },
  revoked: { label: 'Revoked', color: 'gray', icon: IconLinkOff },
  error: { label: 'Error', color: 'red', icon: IconCircleX },
};

/** Statuses where the admin should read the detail, not just the badge. */
export const statusesNeedingAttention: readonly ConnectionStatus[] = ['expired', 'refresh_failing', 'needs_reconnect', 'error'];

export function ConnectionStatusBadge({ status }: { status: ConnectionStatus }) {
  const look = connectionStatusLooks[status];
  return (
    <Badge variant="light" color={look.color} leftSection={<look.icon size={12} aria-hidden />} tt="none">
      {look.label}
    </Badge>
  );
}
