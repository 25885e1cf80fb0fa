import { Chip, Group } from '@mantine/core';
import { credentialStatuses, type CredentialStatus } from '../../../src-shared/contract/credentials';
import { statusLooks } from './credential-format';

/**
 * How many credentials have each status, as toggles that narrow the table to them; none ticked
 * means every status.
 */
export function CredentialStatusChips({ counts, value, onChange }: { counts: Record<CredentialStatus, number>; value: CredentialStatus[]; onChange: (next: CredentialStatus[]) => void }) {
  return (
    <Chip.Group multiple value={value} onChange={(next) => onChange(next as CredentialStatus[])}>
      <Group gap={6} role="group" aria-label="Status" data-testid="credential-status-chips">
        {credentialStatuses.map((status) => (
          <Chip key={status} value={status} color={statusLooks[status].color} variant="light" size="xs" disabled={counts[status] === 0 && !value.includes(status)}>
            {statusLooks[status].label} · {counts[status].toLocaleString()}
          </Chip>
        ))}
      </Group>
    </Chip.Group>
  );
}
