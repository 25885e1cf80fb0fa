import { Badge, Group, Stack, Text } from '@mantine/core';
import type { GrantRow, grantSortColumns } from '../../../src-shared/contract/grants';
import { useGrantListWindow } from '../bridge/queries';
import { ConsentBadges } from './ConsentBadges';
import { accessLabels, grantHolder, providerNames } from './grant-format';
import { GrantHolder } from './GrantHolder';
import { GrantTableView, type GrantTableProps } from './GrantTableView';
import { LastUsed } from './LastUsed';
import { NewBadge } from './NewBadge';
import { RiskBadge } from './RiskBadge';
import { ScopeSummary } from './ScopeSummary';
import { useVisiblePages } from './use-visible-pages';
import type { GrantColumn } from './VirtualGrantTable';

type GrantSortColumn = (typeof grantSortColumns)[number];

const columns: GrantColumn<GrantRow, GrantSortColumn>[] = [
  {
    id: 'user',
    header: 'User',
    width: 210,
    sort: 'user',
    render: (grant) => <GrantHolder user={grant.user} fw={grant.user ? 500 : 600} />,
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
    render: (grant) => <ScopeSummary scopes={grant.scopes} />,
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

export type GrantsByUserTableProps = GrantTableProps<GrantRow, GrantSortColumn>;

/** One row per grant: which user gave which app what, or which app an admin let reach everyone. `onOpen` opens the grant's app. */
export function GrantsByUserTable(props: GrantsByUserTableProps) {
  const { pages, onVisibleRangeChange } = useVisiblePages();
  const rows = useGrantListWindow(props.filter, props.sort, pages);
  return (
    <GrantTableView
      {...props}
      label="Grants by user"
      testId="grants-by-user-table"
      columns={columns}
      rows={rows}
      rowKey={grantKey}
      rowName={grantName}
      onVisibleRangeChange={onVisibleRangeChange}
    />
  );
}
