import { Badge } from '@mantine/core';
import type { CredentialStatus } from '../../../src-shared/contract/credentials';
import { statusLooks } from './credential-format';

/** A credential's worst finding, in its colour. */
export function CredentialStatusBadge({ status }: { status: CredentialStatus }) {
  const look = statusLooks[status];
  return (
    <Badge color={look.color} variant={status === 'ok' ? 'light' : 'filled'} tt="none" style={{ flexShrink: 0 }}>
      {look.label}
    </Badge>
  );
}
