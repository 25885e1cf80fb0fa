import { Group, Stack, Text } from '@mantine/core';
import { IconRosetteDiscountCheck } from '@tabler/icons-react';
import type { GrantAppRow, grantAppSortColumns } from '../../../src-shared/contract/grants';
import { useGrantAppWindow } from '../bridge/queries';
import { ConsentBadges } from './ConsentBadges';
import { formatCount, plural, providerNames, publisherStatus } from './grant-format';
import { GrantTableView, type GrantTableProps } from './GrantTableView';
import { LastUsed } from './LastUsed';
import { NewBadge } from './NewBadge';
import { RiskBadge } from './RiskBadge';
import { ScopeSummary } from './ScopeSummary';
import { useVisiblePages } from './use-visible-pages';
import type { GrantColumn } from './VirtualGrantTable';

type AppSortColumn = (typeof grantAppSortColumns)[number];

const columns: GrantColumn<GrantAppRow, AppSortColumn>[] = [
  {
    id: 'app',
    header: 'App',
    width: 220,
    sort: 'name',
    render: (app) => (
      <Stack gap={0}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={600} truncate>
            {app.name}
          </Text>
          {app.isNew && <NewBadge />}
        </Group>
        <Text size="xs" c="dimmed" truncate title={`${app.connectionLabel} · ${app.clientId}`}>
          {providerNames[app.provider]} ·{' '}
          <Text span inherit ff="monospace">
            {app.clientId}
          </Text>
        </Text>
      </Stack>
    ),
  },
  {
    id: 'publisher',
    header: 'Publisher',
    width: 150,
    sort: 'publisher',
    render: (app) => (
      <Group gap={4} wrap="nowrap">
        <Text size="sm" truncate c={app.publisher ? undefined : 'dimmed'}>
          {app.publisher ?? 'Not reported'}
        </Text>
        {app.verifiedPublisher && (
          <IconRosetteDiscountCheck size={16} color="var(--mantine-color-teal-6)" title="Verified publisher" aria-label="Verified publisher" role="img" style={{ flexShrink: 0 }} />
        )}
        {!app.verifiedPublisher && (app.internal || app.anonymous) && (
          <Text size="xs" c="dimmed" truncate title={publisherStatus(app)}>
            {app.internal ? '(internal)' : '(anonymous)'}
          </Text>
        )}
      </Group>
    ),
  },
  { id: 'risk', header: 'Risk', width: 106, sort: 'risk', firstDirection: 'desc', render: (app) => <RiskBadge level={app.risk} /> },
  {
    id: 'users',
    header: 'Users',
    width: 92,
    sort: 'users',
    firstDirection: 'desc',
    render: (app) =>
      app.consent.includes('tenant') ? (
        <Text size="sm" title={`Tenant-wide consent: every user${app.users > 0 ? `, and ${plural(app.users, 'user')} on their own` : ''}`}>
          Everyone
        </Text>
      ) : (
        <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatCount(app.users)}
        </Text>
      ),
  },
  {
    id: 'scopes',
    header: 'Scopes',
    width: 150,
    sort: 'scopes',
    firstDirection: 'desc',
    render: (app) => <ScopeSummary scopes={app.scopes} />,
  },
  { id: 'consent', header: 'Consent type', width: 140, render: (app) => <ConsentBadges consent={app.consent} /> },
  {
    id: 'lastUsed',
    header: 'Last used',
    width: 124,
    sort: 'lastUsed',
    firstDirection: 'desc',
    render: (app) => <LastUsed iso={app.lastUsed} />,
  },
];

const appKey = (app: GrantAppRow) => app.key;
const appName = (app: GrantAppRow) => app.name;

export type GrantAppsTableProps = GrantTableProps<GrantAppRow, AppSortColumn>;

/** One row per third-party app: who publishes it, how risky, how many users, which scopes, how consented, when last used. */
export function GrantAppsTable(props: GrantAppsTableProps) {
  const { pages, onVisibleRangeChange } = useVisiblePages();
  const rows = useGrantAppWindow(props.filter, props.sort, pages);
  return (
    <GrantTableView
      {...props}
      label="Third-party apps"
      testId="grant-apps-table"
      columns={columns}
      rows={rows}
      rowKey={appKey}
      rowName={appName}
      onVisibleRangeChange={onVisibleRangeChange}
    />
  );
}
