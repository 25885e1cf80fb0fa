import { Alert, Button, Group, List, Modal, MultiSelect, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { ListRow, OffboardingList } from '../../../src-shared/contract/offboarding';
import { useEditOffboardingRow } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { verdictLooks } from './offboarding-format';
import { LookBadge } from './LookBadge';

export interface ProviderOption {
  value: string;
  label: string;
}

function Reasons({ row }: { row: ListRow }) {
  if (row.reasons.length === 0) return null;
  const error = row.verdict === 'error';
  return (
    <Alert color={verdictLooks[row.verdict].color} variant="light" title={error ? 'Why this row is left out of the plan' : 'Worth knowing'} data-testid="row-reasons">
      <List size="sm" spacing={4}>
        {row.reasons.map((reason) => (
          <List.Item key={`${reason.code}-${reason.connectionId ?? ''}`}>{reason.message}</List.Item>
        ))}
      </List>
    </Alert>
  );
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

/**
 * Fixes one row in place (its verdict is worked out again by main), or adds a person by hand. A
 * row that is still an error after saving stays open with its new reasons; nothing typed is lost
 * on a refusal.
 */
export function RowEditDialog({ list, rowId, providerOptions, onClose }: { list: OffboardingList; rowId: string | null; providerOptions: ProviderOption[]; onClose: () => void }) {
  const edit = useEditOffboardingRow();
  const row = rowId === null ? undefined : list.rows.find((candidate) => candidate.id === rowId);
  const [email, setEmail] = useState(row?.email ?? '');
  const [transferTo, setTransferTo] = useState(row?.transferTo ?? '');
  const [providers, setProviders] = useState<string[]>(row?.providers ?? []);
  const [note, setNote] = useState(row?.note ?? '');
  const [saved, setSaved] = useState(false);
  // A value the file named that no connection matches stays choosable, so the admin sees it and can remove it.
  const options = [...providerOptions, ...providers.filter((value) => !providerOptions.some((option) => option.value === value)).map((value) => ({ value, label: value }))];
  const title = rowId === null ? 'Add a person' : row?.line ? `Fix row ${row.line}` : 'Fix a row';

  const save = () =>
    edit.mutate(
      { rowId, fields: { email: email.trim(), transferTo: orNull(transferTo), providers: providers.length > 0 ? providers : null, note: orNull(note) } },
      {
        onSuccess: (next) => {
          const now = rowId === null ? undefined : next.rows.find((candidate) => candidate.id === rowId);
          if (now?.verdict === 'error') {
            setSaved(true);
            return;
          }
          notifications.show({
            color: now?.verdict === 'warning' ? 'orange' : 'teal',
            title: rowId === null ? `${email.trim()} added` : `${email.trim()}: ${now ? verdictLooks[now.verdict].label.toLowerCase() : 'saved'}`,
            message: now?.verdict === 'warning' ? now.reasons.map((reason) => reason.message).join(' ') : 'The row is checked again and takes part in the plan.',
          });
          onClose();
        },
      },
    );

  return (
    <Modal opened onClose={onClose} title={title} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="md">
        {row && (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Now:
            </Text>
            <LookBadge look={verdictLooks[row.verdict]} />
            {saved && row.verdict === 'error' && (
              <Text size="sm" c="red">
                Still an error after your change.
              </Text>
            )}
          </Group>
        )}
        {row && <Reasons row={row} />}
        <TextInput label="Email" description="The departed person’s primary address." value={email} onChange={(event) => setEmail(event.currentTarget.value)} required data-autofocus />
        <TextInput
          label="Transfer data to"
          description="The manager who receives their Drive and Calendar data; leave empty for none."
          value={transferTo}
          onChange={(event) => setTransferTo(event.currentTarget.value)}
        />
        <MultiSelect
          label="Connections"
          description="Leave empty to offboard the person at every connection in the run."
          placeholder={providers.length === 0 ? 'Every connection' : undefined}
          data={options}
          value={providers}
          onChange={setProviders}
          clearable
          comboboxProps={{ withinPortal: true }}
        />
        <Textarea label="Note" value={note} onChange={(event) => setNote(event.currentTarget.value)} autosize minRows={2} maxRows={5} />
        {edit.error && <FailureAlert title={rowId === null ? 'The person was not added' : 'The row was not saved'} error={edit.error} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {saved ? 'Close' : 'Cancel'}
          </Button>
          <Button onClick={save} loading={edit.isPending} disabled={email.trim() === ''}>
            {rowId === null ? 'Add and check' : 'Save and check'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
