import { Badge, Button, Card, Group, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconHandStop } from '@tabler/icons-react';
import type { RunDetail } from '../../../src-shared/contract/offboarding';
import { useConfirmManualStep } from '../bridge/offboarding-queries';
import { OpenInBrowserButton } from '../components/OpenInBrowserButton';
import { notifyFailure } from '../components/failure-notification';
import { formatCount, plural } from '../grants/grant-format';

type ManualItem = RunDetail['manual'][number];

interface ManualGroup {
  connectionId: string;
  kind: string;
  title: string;
  where: string;
  url: string | null;
  items: ManualItem[];
}

function groupsOf(manual: RunDetail['manual']): ManualGroup[] {
  const groups = new Map<string, ManualGroup>();
  for (const item of manual) {
    const key = `${item.connectionId}|${item.kind}`;
    const group = groups.get(key) ?? { connectionId: item.connectionId, kind: item.kind, title: item.title, where: item.where, url: item.url, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The code main gives a manual step the admin marked done. */
const confirmedByAdmin = 'confirmed_by_admin';

/** Still waiting for the admin: the person's step is recorded as manual, not yet confirmed done. */
function isWaiting(run: RunDetail, item: ManualItem): boolean {
  const step = run.persons.find((person) => person.email === item.email)?.steps.find((candidate) => candidate.connectionId === item.connectionId && candidate.kind === item.kind);
  return step === undefined || step.status === 'manual';
}

/**
 * Steps no admin API exists for, grouped by step: where to do each, and "Mark done" per person —
 * recorded in the activity log as the admin's word, never as something Consentry did.
 */
export function ManualSteps({ run }: { run: RunDetail }) {
  const confirm = useConfirmManualStep();
  // Main lists the manual steps still waiting; those confirmed are recorded on the person's steps.
  const confirmed = run.persons.reduce((count, person) => count + person.steps.filter((step) => step.code === confirmedByAdmin).length, 0);
  if (run.manual.length === 0 && confirmed === 0) return null;
  const waiting = run.manual.filter((item) => isWaiting(run, item)).length;
  const label = (connectionId: string) => run.connections.find((connection) => connection.connectionId === connectionId)?.label ?? connectionId;
  return (
    <Card withBorder radius="md" padding="md" data-testid="manual-steps">
      <Group gap="xs" mb="sm">
        <IconHandStop size={18} color="var(--mantine-color-violet-6)" aria-hidden />
        <Text fw={600}>For you to do by hand</Text>
        <Text size="sm" c="dimmed">
          {waiting === 0
            ? `All marked done by you${confirmed > 0 ? ` (${formatCount(confirmed)})` : ''}.`
            : `${plural(waiting, 'step')} waiting${confirmed > 0 ? `, ${formatCount(confirmed)} marked done` : ''}. These providers have no admin API for them: Consentry does not pretend to.`}
        </Text>
      </Group>
      <Stack gap="md">
        {groupsOf(run.manual).map((group) => (
          <Stack key={`${group.connectionId}|${group.kind}`} gap={6}>
            <Group justify="space-between" wrap="nowrap" gap="sm">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" fw={600}>
                  {group.title} · {label(group.connectionId)}
                </Text>
                <Text size="xs" c="dimmed">
                  Where: {group.where}
                </Text>
              </Stack>
              {group.url && (
                <OpenInBrowserButton url={group.url} size="compact-sm" style={{ flexShrink: 0 }}>
                  Open
                </OpenInBrowserButton>
              )}
            </Group>
            <ScrollArea.Autosize mah={220} type="auto">
              <Table verticalSpacing={4} layout="fixed">
                <Table.Tbody>
                  {group.items.map((item) => {
                    const open = isWaiting(run, item);
                    const sending = confirm.isPending && confirm.variables?.email === item.email && confirm.variables.kind === item.kind && confirm.variables.connectionId === item.connectionId;
                    return (
                      <Table.Tr key={item.email}>
                        <Table.Td>
                          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                            {item.email}
                          </Text>
                        </Table.Td>
                        <Table.Td w={150} ta="right">
                          {open ? (
                            <Button
                              size="compact-sm"
                              variant="light"
                              leftSection={<IconCheck size={14} />}
                              loading={sending}
                              aria-label={`Mark ${group.title} done for ${item.email}`}
                              onClick={() =>
                                confirm.mutate(
                                  { runId: run.job.id, email: item.email, connectionId: item.connectionId, kind: item.kind },
                                  {
                                    onSuccess: () => notifications.show({ color: 'teal', title: `${group.title}: marked done`, message: `Recorded as your word for ${item.email}.` }),
                                    onError: (error) => notifyFailure('Not marked done', error),
                                  },
                                )
                              }
                            >
                              Mark done
                            </Button>
                          ) : (
                            <Badge variant="light" color="teal" tt="none">
                              Marked done
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Stack>
        ))}
      </Stack>
    </Card>
  );
}
