import { Button, Group, MultiSelect, SegmentedControl, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { memo, type ReactNode, useId } from 'react';
import type { ProviderId } from '../../../src-shared/domain/ids';
import { RiskChips } from '../components/RiskChips';
import { providerNames, shortScope } from './grant-format';
import { isFiltered, noGrantFilters, type GrantFilterState } from './grant-filter-state';

function Labelled({ label, children }: { label: string; children: (labelId: string) => ReactNode }) {
  const id = useId();
  return (
    <div>
      <Text size="sm" fw={500} mb={4} id={id}>
        {label}
      </Text>
      {children(id)}
    </div>
  );
}

/**
 * Narrows both views: search text, risk levels, providers, one scope, how consent was given, the
 * kind of access, and only what is new since the scan before.
 */
export const GrantFilters = memo(function GrantFilters({ value, onChange, providers, scopes }: { value: GrantFilterState; onChange: (next: GrantFilterState) => void; providers: ProviderId[]; scopes: string[] }) {
  const set = <K extends keyof GrantFilterState>(key: K) => (next: GrantFilterState[K]) => onChange({ ...value, [key]: next });
  return (
    <Stack gap="sm" data-testid="grant-filters">
      <Group align="flex-end" gap="md" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="App, client ID, publisher or user"
          leftSection={<IconSearch size={16} />}
          value={value.text}
          onChange={(event) => set('text')(event.currentTarget.value)}
          maxLength={200}
          style={{ flex: 1, minWidth: 240 }}
        />
        <Labelled label="Risk">
          {(labelId) => <RiskChips value={value.risks} onChange={set('risks')} aria-labelledby={labelId} />}
        </Labelled>
      </Group>
      <Group align="flex-end" gap="md" wrap="wrap">
        <MultiSelect
          label="Provider"
          placeholder={value.providers.length === 0 ? 'All providers' : undefined}
          data={providers.map((provider) => ({ value: provider, label: providerNames[provider] }))}
          value={value.providers}
          onChange={(next) => set('providers')(next as ProviderId[])}
          clearable
          w={240}
        />
        <Select
          label="Scope"
          placeholder="Any scope"
          data={scopes.map((scope) => ({ value: scope, label: scope }))}
          value={value.scope}
          onChange={set('scope')}
          searchable
          clearable
          limit={100}
          nothingFoundMessage="No scope in the last scan matches"
          renderOption={({ option }) => (
            <Stack gap={0}>
              <Text size="sm">{shortScope(option.value)}</Text>
              {shortScope(option.value) !== option.value && (
                <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {option.value}
                </Text>
              )}
            </Stack>
          )}
          w={300}
        />
        <Labelled label="Consent type">
          {(labelId) => (
            <SegmentedControl
              aria-labelledby={labelId}
              value={value.consent}
              onChange={(next) => set('consent')(next as GrantFilterState['consent'])}
              data={[
                { label: 'Any', value: 'any' },
                { label: 'User', value: 'user' },
                { label: 'Tenant-wide', value: 'tenant' },
              ]}
            />
          )}
        </Labelled>
        <Labelled label="Access">
          {(labelId) => (
            <SegmentedControl
              aria-labelledby={labelId}
              value={value.access}
              onChange={(next) => set('access')(next as GrantFilterState['access'])}
              data={[
                { label: 'Any', value: 'any' },
                { label: 'Delegated', value: 'delegated' },
                { label: 'Application', value: 'application' },
              ]}
            />
          )}
        </Labelled>
        <Switch label="Only new since the scan before" checked={value.onlyNew} onChange={(event) => set('onlyNew')(event.currentTarget.checked)} mb={8} />
        {isFiltered(value) && (
          <Button variant="subtle" leftSection={<IconFilterOff size={16} />} onClick={() => onChange(noGrantFilters)} mb={2}>
            Clear filters
          </Button>
        )}
      </Group>
    </Stack>
  );
});
