import { Alert, Button, Code, Group, Paper, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconArrowRight, IconListCheck, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { maxImportBytes, type ImportRequest, type OffboardingList } from '../../../src-shared/contract/offboarding';
import { useClearOffboardingList, useImportOffboardingList } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { notifyFailure } from '../components/failure-notification';
import { RelativeTime } from '../components/RelativeTime';
import { plural } from '../grants/grant-format';
import { ConfirmDialog } from './ConfirmDialog';
import { fileAsBase64 } from './file-as-base64';
import { ListDropZone } from './ListDropZone';

const sample = `email,transfer_to,providers,note
ana.lopez@acme.example,lee.chen@acme.example,,Left 30 June
sam.berg@acme.example,,google;okta,Contractor`;

const importableName = /\.(csv|txt)$/i;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** What is wrong with a file before it is read, in one sentence with the way on; null when it may be sent. */
function fileProblem(file: File): string | null {
  if (!importableName.test(file.name)) return `${file.name} is not a .csv or .txt file. Save the list as CSV (in Excel: CSV UTF-8) and import that file.`;
  if (file.size > maxImportBytes) return `${file.name} is ${megabytes(file.size)}; at most ${megabytes(maxImportBytes)} are imported at once. Split the list into smaller files.`;
  return null;
}

function CurrentList({ list, onReview }: { list: OffboardingList; onReview: () => void }) {
  const clear = useClearOffboardingList();
  const [asking, setAsking] = useState(false);
  return (
    <Paper withBorder radius="md" p="md" data-testid="current-list">
      <Group justify="space-between" wrap="nowrap" gap="md">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text fw={600}>The list being prepared: {plural(list.rows.length, 'row')}</Text>
          <Text size="sm" c="dimmed">
            {list.source.kind === 'file' ? `From ${list.source.fileName ?? 'a file'}` : 'Pasted'}, imported <RelativeTime iso={list.createdAt} />. Importing another list
            replaces it.
          </Text>
        </Stack>
        <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
          <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => setAsking(true)}>
            Clear the list
          </Button>
          <Button rightSection={<IconArrowRight size={16} />} onClick={onReview}>
            Review it
          </Button>
        </Group>
      </Group>
      <ConfirmDialog
        opened={asking}
        title="Clear the list being prepared?"
        keepLabel="Keep it"
        confirmLabel="Clear the list"
        busy={clear.isPending}
        onKeep={() => setAsking(false)}
        onConfirm={() =>
          clear.mutate(undefined, {
            onSuccess: () => setAsking(false),
            onError: (error) => {
              setAsking(false);
              notifyFailure('The list was not cleared', error);
            },
          })
        }
      >
        <Text size="sm">Its {plural(list.rows.length, 'row')}, with the fixes and rows you added, are forgotten. No account is changed.</Text>
      </ConfirmDialog>
    </Paper>
  );
}

/**
 * Step 1: HR's list, dropped or chosen as a file (sent as its bytes) or pasted. A list that already
 * has rows is replaced only once the admin says so; a refused import keeps what was pasted.
 */
export function ImportStep({
  list,
  pasted,
  onPastedChange,
  onImported,
  onReview,
}: {
  list: OffboardingList | null;
  /** Kept by the page, so nothing typed is lost when the admin looks at another step. */
  pasted: string;
  onPastedChange: (text: string) => void;
  onImported: () => void;
  onReview: () => void;
}) {
  const importList = useImportOffboardingList();
  const [waiting, setWaiting] = useState<ImportRequest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reading, setReading] = useState(false);

  const send = (request: ImportRequest) => {
    setWaiting(null);
    importList.mutate(request, {
      onSuccess: () => {
        if (request.source === 'paste') onPastedChange('');
        onImported();
      },
    });
  };
  const submit = (request: ImportRequest) => {
    setProblem(null);
    importList.reset();
    if (list && list.rows.length > 0) setWaiting(request);
    else send(request);
  };
  const takeFile = async (file: File) => {
    const refusal = fileProblem(file);
    if (refusal) {
      importList.reset();
      setProblem(refusal);
      return;
    }
    setReading(true);
    try {
      submit({ source: 'file', fileName: file.name, base64: await fileAsBase64(file) });
    } catch {
      setProblem(`${file.name} could not be read from the disk. Check that it is not open elsewhere, then try again.`);
    } finally {
      setReading(false);
    }
  };
  const lines = pasted.split(/\r?\n/).filter((line) => line.trim() !== '').length;

  return (
    <Stack gap="lg">
      {list && <CurrentList list={list} onReview={onReview} />}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ListDropZone onFile={(file) => void takeFile(file)} busy={reading || (importList.isPending && importList.variables?.source === 'file')} />
        <Stack gap="sm">
          <Textarea
            label="Or paste the list"
            description="One email per line, or CSV with the columns email, transfer_to, providers, note."
            placeholder="ana.lopez@acme.example"
            value={pasted}
            onChange={(event) => onPastedChange(event.currentTarget.value)}
            autosize
            minRows={6}
            maxRows={10}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          {/* The whole width: an example cut into pieces by the button beside it reads as broken CSV. */}
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              For example:
            </Text>
            <Code block style={{ fontSize: 'var(--mantine-font-size-xs)', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="paste-sample">
              {sample}
            </Code>
          </Stack>
          <Group justify="flex-end">
            <Button
              leftSection={<IconListCheck size={16} />}
              disabled={lines === 0}
              loading={importList.isPending && importList.variables?.source === 'paste'}
              onClick={() => submit({ source: 'paste', text: pasted })}
            >
              {lines === 0 ? 'Check the list' : `Check ${plural(lines, 'line')}`}
            </Button>
          </Group>
        </Stack>
      </SimpleGrid>
      {problem && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The file was not imported" role="alert">
          {problem}
        </Alert>
      )}
      {importList.error && <FailureAlert title="The list was not imported" error={importList.error} />}
      <ConfirmDialog
        opened={waiting !== null}
        title="Replace the list being prepared?"
        keepLabel="Keep the current list"
        confirmLabel="Replace it"
        color="orange"
        onKeep={() => setWaiting(null)}
        onConfirm={() => waiting && send(waiting)}
      >
        <Text size="sm">
          The current list has {plural(list?.rows.length ?? 0, 'row')}; the fixes and rows you added go with it. The new list is checked from the start. No account is
          changed.
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}
