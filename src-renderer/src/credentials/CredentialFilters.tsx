import { Button, Group, MultiSelect, TextInput } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { memo, type ReactNode } from 'react';
import type { CredentialKind } from '../../../src-shared/contract/credentials';
import type { ProviderId } from '../../../src-shared/domain/ids';
import { providerNames } from '../grants/grant-format';
import { kindLabels } from './credential-format';
import { noCredentialFilter, type CredentialFilter } from './credential-view';

/**
 * Narrows the table by text, kind and provider (the status chips narrow it by status), in one row
 * with no labels above the boxes (their names are in the boxes), so the table keeps the window;
 * `children` sit at the row's end.
 */
export const CredentialFilters = memo(function CredentialFilters({
  value,
  onChange,
  kinds,
  providers,
  children,
}: {
  value: CredentialFilter;
  onChange: (next: CredentialFilter) => void;
  /** Only those the inventory holds. */
  kinds: CredentialKind[];
  providers: ProviderId[];
  children?: ReactNode;
}) {
  const filtered = value.text !== '' || value.kinds.length > 0 || value.providers.length > 0 || value.statuses.length > 0;
  return (
    <Group gap="sm" wrap="wrap" data-testid="credential-filters">
      <TextInput
        aria-label="Search"
        placeholder="Name, id, owner, tenant…"
        leftSection={<IconSearch size={16} />}
        value={value.text}
        onChange={(event) => onChange({ ...value, text: event.currentTarget.value })}
        maxLength={200}
        style={{ flex: 1, minWidth: 160, maxWidth: 420 }}
      />
      <MultiSelect
        aria-label="Kind"
        placeholder={value.kinds.length === 0 ? 'All kinds' : undefined}
        data={kinds.map((kind) => ({ value: kind, label: kindLabels[kind] }))}
        value={value.kinds}
        onChange={(next) => onChange({ ...value, kinds: next as CredentialKind[] })}
        clearable
        w={170}
      />
      <MultiSelect
        aria-label="Provider"
        placeholder={value.providers.length === 0 ? 'All providers' : undefined}
        data={providers.map((provider) => ({ value: provider, label: providerNames[provider] }))}
        value={value.providers}
        onChange={(next) => onChange({ ...value, providers: next as ProviderId[] })}
        clearable
        w={160}
      />
      <Button variant="subtle" leftSection={<IconFilterOff size={16} />} disabled={!filtered} onClick={() => onChange(noCredentialFilter)}>
        Clear filters
      </Button>
      {children && <div style={{ marginLeft: 'auto' }}>{children}</div>}
    </Group>
  );
});
