import { ActionIcon, Checkbox, Group, Menu, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useElementSize, useMergedRef } from '@mantine/hooks';
import { IconBan, IconDots, IconFileDescription, IconRotateClockwise } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { Credential } from '../../../src-shared/contract/credentials';
import { providerNames } from '../grants/grant-format';
import { SortHeader } from '../grants/SortHeader';
import { CredentialStatusBadge } from './CredentialStatusBadge';
import { credentialLabel, daysSince, formatDay, formatDays, kindLabels, statusLooks } from './credential-format';
import type { CredentialSort, CredentialSortColumn } from './credential-view';
import { VirtualRowSpacer } from '../components/VirtualRowSpacer';

/** Pixels per row: small enough that ten rows and more show at first sight in a 1280×720 window. */
const rowHeight = 36;
/** Two lines of text in a row's height. */
const twoLines = 1.25;
const headerHeight = 38;
const selectWidth = 36;

export interface CredentialRowActions {
  onOpen: (credential: Credential) => void;
  onRotate: (credential: Credential) => void;
  onRevoke: (credential: Credential) => void;
  onSelect: (key: string, select: boolean) => void;
}

interface Column {
  id: string;
  header: string;
  /** Pixels; the credential column takes what the others leave (see `credentialWidth`). */
  width: number;
  sort: CredentialSortColumn;
  firstDirection?: 'asc' | 'desc';
  render: (credential: Credential, now: number) => ReactNode;
}

function Dimmed({ children, title }: { children: ReactNode; title?: string }) {
  return (
    <Text size="sm" c="dimmed" truncate title={title}>
      {children}
    </Text>
  );
}

function Age({ iso, now }: { iso: string | null; now: number }) {
  const days = daysSince(iso, now);
  if (iso === null || days === null) return <Dimmed>Unknown</Dimmed>;
  return (
    <Text size="sm" truncate title={formatDay(iso)} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatDays(Math.max(days, 0))}
    </Text>
  );
}

function Expiry({ credential, now }: { credential: Credential; now: number }) {
  const days = daysSince(credential.expiresAt, now);
  if (credential.expiresAt === null || days === null) return <Dimmed>Never</Dimmed>;
  const left = -days;
  return (
    <Text size="sm" truncate title={formatDay(credential.expiresAt)} c={left < 0 ? 'red' : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {left < 0 ? `${formatDays(-left)} ago` : left === 0 ? 'today' : `in ${formatDays(left)}`}
    </Text>
  );
}

function LastUsed({ credential, now }: { credential: Credential; now: number }) {
  const days = daysSince(credential.lastUsedAt, now);
  if (credential.lastUsedAt === null || days === null) return <Dimmed title={credential.lastUsedNote ?? undefined}>{credential.lastUsedNote ? 'Not reported' : '—'}</Dimmed>;
  return (
    <Text size="sm" truncate title={[formatDay(credential.lastUsedAt), credential.lastUsedNote].filter(Boolean).join(' · ')}>
      {days <= 0 ? 'today' : `${formatDays(days)} ago`}
    </Text>
  );
}

/** The worst finding, and how many more there are (the status chips count those too). */
function Status({ credential }: { credential: Credential }) {
  const others = credential.findings.filter((finding) => finding.status !== credential.status);
  return (
    <Group gap={4} wrap="nowrap">
      <CredentialStatusBadge status={credential.status} />
      {others.length > 0 && (
        <Text size="xs" c="dimmed" title={`Also: ${others.map((finding) => statusLooks[finding.status].label.toLowerCase()).join(', ')}`}>
          +{others.length}
        </Text>
      )}
    </Group>
  );
}

const columns: Column[] = [
  { id: 'status', header: 'Status', width: 124, sort: 'status', render: (credential) => <Status credential={credential} /> },
  {
    id: 'credential',
    header: 'Credential',
    width: 0,
    sort: 'credential',
    render: (credential) => (
      <Stack gap={0}>
        <Text size="sm" fw={600} lh={twoLines} truncate title={credentialLabel(credential)}>
          {credentialLabel(credential)}
        </Text>
        <Text size="xs" c="dimmed" lh={twoLines} truncate title={`${kindLabels[credential.kind]} · ${credential.credentialId}`}>
          {kindLabels[credential.kind]} ·{' '}
          <Text span inherit ff="monospace">
            {credential.hint ? `…${credential.hint} · ` : ''}
            {credential.credentialId}
          </Text>
        </Text>
      </Stack>
    ),
  },
  {
    // The kind under the credential's name and the tenant under the owner: two columns less, so
    // names keep their room at 1280 pixels (the kind filter still narrows by kind).
    id: 'owner',
    header: 'Owner',
    width: 168,
    sort: 'owner',
    render: (credential) => (
      <Stack gap={0}>
        <Text size="sm" lh={twoLines} truncate title={`${credential.ownerName} (${credential.ownerId})`}>
          {credential.ownerName}
        </Text>
        <Text size="xs" c="dimmed" lh={twoLines} truncate title={`${credential.tenantLabel} (${providerNames[credential.provider]})`}>
          {credential.tenantLabel}
        </Text>
      </Stack>
    ),
  },
  { id: 'created', header: 'Age', width: 100, sort: 'created', firstDirection: 'asc', render: (credential, now) => <Age iso={credential.createdAt} now={now} /> },
  { id: 'expires', header: 'Expires', width: 112, sort: 'expires', render: (credential, now) => <Expiry credential={credential} now={now} /> },
  { id: 'lastUsed', header: 'Last used', width: 128, sort: 'lastUsed', firstDirection: 'desc', render: (credential, now) => <LastUsed credential={credential} now={now} /> },
];
const actionsWidth = 40;
const fixedWidth = columns.reduce((sum, column) => sum + column.width, selectWidth + actionsWidth);
/** Below this the credential's name is unreadable: the table scrolls sideways rather than squeeze it. */
const credentialMinWidth = 170;
/** The table fills its box: the credential column takes the width the fixed columns leave. */
function credentialWidth(boxWidth: number): number {
  return Math.max(credentialMinWidth, boxWidth - fixedWidth - 2);
}

function RowMenu({ credential, actions }: { credential: Credential; actions: CredentialRowActions }) {
  const label = credentialLabel(credential);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${label}`} onClick={(event) => event.stopPropagation()}>
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown onClick={(event) => event.stopPropagation()}>
        <Menu.Item leftSection={<IconFileDescription size={14} />} onClick={() => actions.onOpen(credential)}>
          Details
        </Menu.Item>
        <Menu.Item leftSection={<IconRotateClockwise size={14} />} disabled={credential.rotation.mode === 'none'} onClick={() => actions.onRotate(credential)}>
          {credential.rotationId ? 'Continue rotation…' : 'Rotate…'}
        </Menu.Item>
        <Menu.Item leftSection={<IconBan size={14} />} color="red" disabled={!credential.revocable} onClick={() => actions.onRevoke(credential)}>
          Revoke now…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

const CredentialRow = memo(function CredentialRow({
  credential,
  index,
  selected,
  now,
  actions,
}: {
  credential: Credential;
  index: number;
  selected: boolean;
  now: number;
  actions: CredentialRowActions;
}) {
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      actions.onOpen(credential);
    } else if (event.key === ' ') {
      event.preventDefault();
      actions.onSelect(credential.key, !selected);
    }
  };
  return (
    <Table.Tr
      data-index={index}
      aria-rowindex={index + 2}
      tabIndex={0}
      h={rowHeight}
      bg={selected ? 'var(--mantine-primary-color-light)' : undefined}
      style={{ cursor: 'pointer' }}
      onClick={() => actions.onOpen(credential)}
      onKeyDown={onKeyDown}
    >
      <Table.Td onClick={(event) => event.stopPropagation()}>
        <Checkbox aria-label={`Select ${credentialLabel(credential)}`} checked={selected} tabIndex={-1} onChange={() => actions.onSelect(credential.key, !selected)} />
      </Table.Td>
      {columns.map((column) => (
        <Table.Td key={column.id} style={{ overflow: 'hidden' }}>
          {column.render(credential, now)}
        </Table.Td>
      ))}
      <Table.Td onClick={(event) => event.stopPropagation()}>
        <RowMenu credential={credential} actions={actions} />
      </Table.Td>
    </Table.Tr>
  );
});

/**
 * Every credential in view, drawn only where the admin looks: 10,000 rows scroll like 50. The rows
 * are already filtered and sorted (in memory; the inventory is one answer). Fixed widths except the
 * credential column, so the table fits the window and never scrolls sideways.
 */
export function CredentialTable({
  rows,
  sort,
  onSortChange,
  selected,
  onSelectAll,
  actions,
  now,
  resetKey,
  empty,
}: {
  rows: Credential[];
  sort: CredentialSort;
  onSortChange: (sort: CredentialSort) => void;
  selected: ReadonlySet<string>;
  onSelectAll: (select: boolean) => void;
  actions: CredentialRowActions;
  now: number;
  /** Changes with the filter and the sort: the table goes back to the top. */
  resetKey: string;
  empty: ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const box = useElementSize<HTMLDivElement>();
  const boxRef = useMergedRef(scrollRef, box.ref);
  const flexible = credentialWidth(box.width);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler in this build; the virtualizer re-renders this component on scroll itself.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    paddingStart: headerHeight,
    scrollPaddingStart: headerHeight,
  });
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [resetKey, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0] ? items[0].start - headerHeight : 0;
  const last = items.at(-1);
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const columnCount = columns.length + 2;
  const selectedInView = selected.size === 0 ? 0 : rows.reduce((count, row) => count + (selected.has(row.key) ? 1 : 0), 0);
  const allSelected = rows.length > 0 && selectedInView === rows.length;

  return (
    <div
      ref={boxRef}
      data-virtual-scroller=""
      data-testid="credential-table"
      // Fills the window below the filters once scrolled to: at 720 pixels high, eleven rows show.
      style={{ height: 'max(460px, calc(100vh - 200px))', overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)' }}
    >
      <Table stickyHeader highlightOnHover verticalSpacing={0} horizontalSpacing="xs" layout="fixed" w={fixedWidth + flexible} aria-label="Credentials" aria-rowcount={rows.length + 1}>
        <Table.Thead style={{ zIndex: 2 }}>
          <Table.Tr h={headerHeight} aria-rowindex={1}>
            <Table.Th w={selectWidth}>
              <Tooltip label={`Select the ${rows.length.toLocaleString()} credentials in view`} withArrow>
                <Checkbox
                  aria-label="Select every credential in view"
                  checked={allSelected}
                  indeterminate={selectedInView > 0 && !allSelected}
                  disabled={rows.length === 0}
                  onChange={() => onSelectAll(!allSelected)}
                />
              </Tooltip>
            </Table.Th>
            {columns.map((column) => {
              const by = column.sort;
              return (
                <SortHeader
                  key={column.id}
                  label={column.header}
                  width={column.width || flexible}
                  direction={sort.column === by ? sort.direction : null}
                  onSort={() =>
                    onSortChange(sort.column === by ? { column: by, direction: sort.direction === 'asc' ? 'desc' : 'asc' } : { column: by, direction: column.firstDirection ?? 'asc' })
                  }
                />
              );
            })}
            <Table.Th w={actionsWidth}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columnCount} py="xl">
                {empty}
              </Table.Td>
            </Table.Tr>
          )}
          <VirtualRowSpacer height={paddingTop} columnCount={columnCount} />
          {items.map((item) => {
            const credential = rows[item.index]!;
            return <CredentialRow key={credential.key} credential={credential} index={item.index} selected={selected.has(credential.key)} now={now} actions={actions} />;
          })}
          <VirtualRowSpacer height={paddingBottom} columnCount={columnCount} />
        </Table.Tbody>
      </Table>
    </div>
  );
}
