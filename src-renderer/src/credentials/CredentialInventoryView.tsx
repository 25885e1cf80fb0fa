import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconBan, IconX } from '@tabler/icons-react';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { Credential, CredentialInventory, CredentialKind } from '../../../src-shared/contract/credentials';
import type { ProviderId } from '../../../src-shared/domain/ids';
import { RelativeTime } from '../components/RelativeTime';
import { plural } from '../grants/grant-format';
import { CredentialDrawer } from './CredentialDrawer';
import { CredentialFilters } from './CredentialFilters';
import { CredentialSourceAlerts } from './CredentialSourceAlerts';
import { CredentialStatusChips } from './CredentialStatusChips';
import { CredentialTable, type CredentialRowActions } from './CredentialTable';
import { countByStatus, defaultCredentialSort, noCredentialFilter, viewCredentials, type CredentialFilter, type CredentialSort } from './credential-view';
import { RevokeCredentialsDialog } from './RevokeCredentialsDialog';
import { UnfinishedRotations } from './UnfinishedRotations';

function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * The inventory as one table: status chips with their counts, filters, the rows in view, a drawer
 * per credential, and "Revoke now" for the selected. Filtering and sorting run in memory and only
 * when the inventory, the filter or the sort change.
 */
export function CredentialInventoryView({ inventory, onRotate }: { inventory: CredentialInventory; onRotate: (credentialKey: string) => void }) {
  const [filter, setFilter] = useState<CredentialFilter>(noCredentialFilter);
  const [sort, setSort] = useState<CredentialSort>(defaultCredentialSort);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [openKey, setOpenKey] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Credential[] | null>(null);
  // Typing in the search box stays responsive at 10,000 rows: the table follows a moment later.
  const appliedFilter = useDeferredValue(filter);
  const { credentials } = inventory;

  const rows = useMemo(() => viewCredentials(credentials, appliedFilter, sort), [credentials, appliedFilter, sort]);
  const counts = useMemo(() => countByStatus(credentials, appliedFilter), [credentials, appliedFilter]);
  const byKey = useMemo(() => new Map(credentials.map((credential) => [credential.key, credential])), [credentials]);
  const kinds = useMemo(() => distinct<CredentialKind>(credentials.map((credential) => credential.kind)), [credentials]);
  const providers = useMemo(() => distinct<ProviderId>(inventory.sources.map((source) => source.provider)), [inventory.sources]);
  // Ages and expiries are counted from when the inventory was read, so the words match the findings.
  const [openedAt] = useState(() => Date.now());
  const now = inventory.readAt ? Date.parse(inventory.readAt) : openedAt;

  const select = useCallback((key: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);
  const actions = useMemo<CredentialRowActions>(
    () => ({
      onOpen: (credential) => setOpenKey(credential.key),
      onRotate: (credential) => onRotate(credential.key),
      onRevoke: (credential) => setRevoking([credential]),
      onSelect: select,
    }),
    [onRotate, select],
  );
  const selectAll = (on: boolean) => setSelected(on ? new Set(rows.map((row) => row.key)) : new Set());
  const selectedCredentials = [...selected].map((key) => byKey.get(key)).filter((credential): credential is Credential => credential !== undefined);
  const open = openKey ? (byKey.get(openKey) ?? null) : null;

  const shown = rows.length === credentials.length ? plural(credentials.length, 'credential') : `${rows.length.toLocaleString()} of ${plural(credentials.length, 'credential')}`;

  return (
    <Stack gap="xs">
      <CredentialSourceAlerts sources={inventory.sources} />
      <UnfinishedRotations onContinue={onRotate} />
      <Group justify="space-between" gap="sm" mih={30}>
        <CredentialStatusChips counts={counts} value={filter.statuses} onChange={(statuses) => setFilter({ ...filter, statuses })} />
        {selectedCredentials.length > 0 && (
          <Paper withBorder px="sm" py={2} radius="md" bg="var(--mantine-primary-color-light)" data-testid="credential-selection">
            <Group gap="sm">
              <Text size="sm" fw={600} role="status">
                {plural(selectedCredentials.length, 'selected', 'selected')}
              </Text>
              <Button size="compact-sm" variant="default" leftSection={<IconX size={14} />} onClick={() => setSelected(new Set())}>
                Clear
              </Button>
              <Button size="compact-sm" color="red" leftSection={<IconBan size={14} />} onClick={() => setRevoking(selectedCredentials)}>
                Revoke now…
              </Button>
            </Group>
          </Paper>
        )}
      </Group>
      <CredentialFilters value={filter} onChange={setFilter} kinds={kinds} providers={providers}>
        <Text size="sm" c="dimmed" data-testid="credential-count" style={{ whiteSpace: 'nowrap' }}>
          {shown}
          {' · '}
          {inventory.reading ? (
            'reading…'
          ) : inventory.readAt ? (
            <>
              read <RelativeTime iso={inventory.readAt} />
            </>
          ) : (
            'not read yet'
          )}
        </Text>
      </CredentialFilters>
      <CredentialTable
        rows={rows}
        sort={sort}
        onSortChange={setSort}
        selected={selected}
        onSelectAll={selectAll}
        actions={actions}
        now={now}
        resetKey={JSON.stringify([appliedFilter, sort])}
        empty={
          <Text size="sm" c="dimmed" ta="center">
            {credentials.length === 0 ? 'No credentials were found in the tenants read.' : 'No credential matches these filters.'}
          </Text>
        }
      />
      <CredentialDrawer
        credential={open}
        onClose={() => setOpenKey(null)}
        onRotate={(credential) => onRotate(credential.key)}
        onRevoke={(credential) => setRevoking([credential])}
      />
      {revoking && (
        <RevokeCredentialsDialog
          credentials={revoking}
          onClose={() => {
            setRevoking(null);
            setSelected(new Set());
          }}
        />
      )}
    </Stack>
  );
}
