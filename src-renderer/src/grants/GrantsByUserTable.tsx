import { Badge, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { GrantFilter, GrantRow, grantSortColumns } from '../../../src-preload/contract';
import { useGrantListWindow, type GrantRowWindow, type GrantSort } from '../bridge/queries';
import { ConsentBadges } from './ConsentBadges';
import { accessLabels, grantHolder, plural, providerNames, shortScope } from './grant-format';
import { LastUsed } from './LastUsed';
import { NewBadge } from './NewBadge';
import { RiskBadge } from './RiskBadge';
import { useVisiblePages } from './use-visible-pages';
import { VirtualGrantTable, type GrantColumn } from './VirtualGrantTable';

type GrantSortColumn = (typeof grantSortColumns)[number];

const columns: GrantColumn<GrantRow, GrantSortColumn>[] = [
  {
    id: 'user',
    header: 'User',
    width: 210,
    sort: 'user',
    render: (grant) => (
      <Text size="sm" fw={grant.user ? 500 : 600} fs={grant.user ? undefined : 'italic'} truncate>
        {grantHolder(grant.user)}
      </Text>
    ),
  },
  {
    id: 'app',
    header: 'App',
    width: 190,
    sort: 'app',
    render: (grant) => (
      <Stack gap={0}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" truncate>
            {grant.appName}
          </Text>
          {grant.isNew && <NewBadge />}
        </Group>
        <Text size="xs" c="dimmed" truncate>
          {providerNames[grant.provider]}
        </Text>
      </Stack>
    ),
  },
  { id: 'risk', header: 'Risk', width: 106, sort: 'risk', firstDirection: 'desc', render: (grant) => <RiskBadge level={grant.risk} /> },
  {
    id: 'scopes',
    header: 'Scopes',
    width: 150,
    sort: 'scopes',
    firstDirection: 'desc',
    render: (grant) => (
      <Stack gap={0}>
        <Text size="sm">{plural(grant.scopes.length, 'scope')}</Text>
        <Text size="xs" c="dimmed" ff="monospace" truncate title={grant.scopes.join(' ')}>
          {grant.scopes.slice(0, 3).map(shortScope).join(', ')}
        </Text>
      </Stack>
    ),
  },
  {
    id: 'consent',
    header: 'Consent and access',
    width: 150,
    render: (grant) => (
      <Stack gap={2} align="flex-start">
        <ConsentBadges consent={[grant.consent]} />
        <Badge variant="default" tt="none" size="sm">
          {accessLabels[grant.access]}
        </Badge>
      </Stack>
    ),
  },
  { id: 'lastUsed', header: 'Last used', width: 124, sort: 'lastUsed', firstDirection: 'desc', render: (grant) => <LastUsed iso={grant.lastUsed} /> },
];

const grantKey = (grant: GrantRow) => grant.key;
const grantName = (grant: GrantRow) => `${grant.appName} for ${grantHolder(grant.user)}`;

export interface GrantsByUserTableProps {
  filter: GrantFilter;
  sort: GrantSort;
  onSortChange: (sort: GrantSort) => void;
  selected: ReadonlySet<string>;
  onSelectionChange: (keys: string[], select: boolean) => void;
  /** Opens the grant's app. */
  onOpen: (grant: GrantRow) => void;
  empty: ReactNode;
  toolbar: (rows: GrantRowWindow<GrantRow>) => ReactNode;
}

/** One row per grant: which user gave which app what, or which app an admin let reach everyone. */
export function GrantsByUserTable({ filter, sort, onSortChange, selected, onSelectionChange, onOpen, empty, toolbar }: GrantsByUserTableProps) {
  const { pages, onVisibleRangeChange } = useVisiblePages();
  const rows = useGrantListWindow(filter, sort, pages);
  return (
    <Stack gap="sm">
      {toolbar(rows)}
      <VirtualGrantTable
        label="Grants by user"
        testId="grants-by-user-table"
        columns={columns}
        rows={rows}
        sort={sort}
        onSortChange={onSortChange}
        rowKey={grantKey}
        rowName={grantName}
        selected={selected}
        onSelectionChange={onSelectionChange}
        onOpen={onOpen}
        onVisibleRangeChange={onVisibleRangeChange}
        resetKey={JSON.stringify([filter, sort])}
        empty={empty}
      />
    </Stack>
  );
}
