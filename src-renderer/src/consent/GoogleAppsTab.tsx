import { Alert, Button, Card, Group, Select, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { AppAccessDecision, GoogleAppDecision } from '../../../src-shared/contract/consent';
import type { GrantAppRow } from '../../../src-shared/contract/grants';
import { useDecideGoogleApp, useExportGoogleList, useGoogleDecisions, useGoogleScanApps } from '../bridge/consent-queries';
import { FailureAlert } from '../components/FailureAlert';
import { notifyFailure } from '../components/failure-notification';
import { OpenInBrowserButton } from '../components/OpenInBrowserButton';
import { saveTextFile } from '../files/save-text-file';
import { plural } from '../grants/grant-format';
import { RiskBadge } from '../grants/RiskBadge';

type Choice = AppAccessDecision | 'undecided';

const choices: { value: Choice; label: string }[] = [
  { value: 'undecided', label: 'Undecided' },
  { value: 'trusted', label: 'Trusted' },
  { value: 'limited', label: 'Limited' },
  { value: 'blocked', label: 'Blocked' },
];

const decisionKey = (connectionId: string, clientId: string) => `${connectionId}\n${clientId}`;

function DecisionRow({ app, decision }: { app: GrantAppRow; decision: GoogleAppDecision | undefined }) {
  const decide = useDecideGoogleApp();
  const [note, setNote] = useState(decision?.note ?? '');
  const save = (choice: Choice, nextNote: string) =>
    decide.mutate(
      { connectionId: app.connectionId, clientId: app.clientId, appName: app.name, decision: choice === 'undecided' ? null : choice, ...(nextNote.trim() ? { note: nextNote.trim() } : {}) },
      { onError: (error) => notifyFailure(`The decision on ${app.name} was not kept`, error) },
    );
  const current: Choice = decision?.decision ?? 'undecided';
  return (
    <Table.Tr data-testid={`google-app-${app.clientId}`}>
      <Table.Td>
        <Text size="sm" fw={600} truncate>
          {app.name}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" truncate title={app.clientId}>
          {app.clientId}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          {app.connectionLabel} · {plural(app.users, 'user')}
        </Text>
      </Table.Td>
      <Table.Td>
        <RiskBadge level={app.risk} />
      </Table.Td>
      <Table.Td>
        <Select aria-label={`Decision on ${app.name}`} data={choices} value={current} onChange={(value) => value && save(value as Choice, note)} allowDeselect={false} disabled={decide.isPending} />
      </Table.Td>
      <Table.Td>
        <TextInput
          aria-label={`Note on ${app.name}`}
          placeholder={current === 'undecided' ? 'Decide first' : 'Why (optional)'}
          value={note}
          maxLength={500}
          disabled={current === 'undecided'}
          onChange={(event) => setNote(event.currentTarget.value)}
          onBlur={() => {
            if (note.trim() !== (decision?.note ?? '')) save(current, note);
          }}
        />
      </Table.Td>
    </Table.Tr>
  );
}

function ExportButton({ decision, label }: { decision: AppAccessDecision; label: string }) {
  const exportList = useExportGoogleList();
  return (
    <Button
      size="xs"
      variant="default"
      leftSection={<IconDownload size={14} />}
      loading={exportList.isPending}
      onClick={() =>
        exportList.mutate(decision, {
          onSuccess: (file) => {
            saveTextFile(file.fileName, file.content, 'text/plain;charset=utf-8');
            notifications.show({ color: 'teal', title: 'Client ids exported', message: `${plural(file.count, 'client id')} saved as ${file.fileName}.` });
          },
          onError: (error) => notifyFailure('The client ids were not exported', error),
        })
      }
    >
      {label}
    </Button>
  );
}

/**
 * Google's per-app access list (trusted, limited, blocked) has no API: the admin decides here, on
 * the apps of the last scan, and pastes the exported client ids into the Admin console.
 */
export function GoogleAppsTab() {
  const apps = useGoogleScanApps();
  const decisions = useGoogleDecisions();
  const error = apps.error ?? decisions.error;
  if (error && (!apps.data || !decisions.data)) return <FailureAlert title="The Google apps could not be read" error={error} />;
  if (!apps.data || !decisions.data) return <Skeleton h={240} />;
  const byApp = new Map(decisions.data.decisions.map((decision) => [decisionKey(decision.connectionId, decision.clientId), decision]));

  return (
    <Stack gap="md">
      <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} title="Google has no API for this list">
        <Stack gap="xs">
          <Text size="sm">
            Which apps are trusted, limited or blocked is set only in the Google Admin console (Security › API controls › App access control).
            Decide here for each app of the last scan; Consentry keeps your decisions and exports the client ids to paste there (Configure new app
            › search by client id).
          </Text>
          <Group gap="xs">
            <ExportButton decision="trusted" label="Export trusted client ids" />
            <ExportButton decision="blocked" label="Export blocked client ids" />
            <OpenInBrowserButton url={decisions.data.adminConsoleUrl} size="xs">
              Open App access control
            </OpenInBrowserButton>
          </Group>
        </Stack>
      </Alert>
      {apps.data.snapshotId === null ? (
        <Text size="sm" c="dimmed">
          No grant scan yet: the apps to decide on come from one. <Link to="/grants">Scan on the Grants page</Link>.
        </Text>
      ) : apps.data.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          The last scan found no app in a Google Workspace tenant.
        </Text>
      ) : (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" horizontalSpacing="md" layout="fixed" data-testid="google-apps">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="32%">App</Table.Th>
                  <Table.Th w={120}>Risk</Table.Th>
                  <Table.Th w={170}>Decision</Table.Th>
                  <Table.Th>Note</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {apps.data.rows.map((app) => (
                  <DecisionRow key={app.key} app={app} decision={byApp.get(decisionKey(app.connectionId, app.clientId))} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}
