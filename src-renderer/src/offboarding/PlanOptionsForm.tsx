import { Badge, Button, Checkbox, Group, Paper, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useMemo } from 'react';
import type { OffboardingList, RunOptions } from '../../../src-shared/contract/offboarding';
import { useConnectionList } from '../bridge/queries';
import { providerNames } from '../grants/grant-format';
import type { ProviderId } from '../../../src-shared/domain/ids';

interface Candidate {
  id: string;
  label: string;
  provider: ProviderId;
  /** The offboarding capability is allowed and held there. */
  held: boolean;
}

/** The connections that can take part: those offering offboarding, and those the list was checked against. */
function useCandidates(list: OffboardingList): Candidate[] {
  const connections = useConnectionList().data?.connections;
  return useMemo(() => {
    const candidates = new Map<string, Candidate>();
    for (const connection of connections ?? []) {
      const capability = connection.capabilities.find((entry) => entry.id === 'offboarding');
      if (capability) candidates.set(connection.id, { id: connection.id, label: connection.label, provider: connection.provider, held: capability.held });
    }
    for (const check of list.checks) {
      if (!candidates.has(check.connectionId)) candidates.set(check.connectionId, { id: check.connectionId, label: check.label, provider: check.provider, held: true });
    }
    return [...candidates.values()];
  }, [connections, list.checks]);
}

/**
 * The run's options: suspend or keep the accounts, transfer data or not, and which connections
 * take part (all by default: sent as none named, so a connection added later takes part too).
 */
export function PlanOptionsForm({
  list,
  value,
  onChange,
  onPlan,
  planning,
  planned,
}: {
  list: OffboardingList;
  value: RunOptions;
  onChange: (options: RunOptions) => void;
  onPlan: () => void;
  planning: boolean;
  planned: boolean;
}) {
  const candidates = useCandidates(list);
  const chosen = value.connectionIds.length === 0 ? new Set(candidates.map((candidate) => candidate.id)) : new Set(value.connectionIds);
  // None named means every connection, so the last one ticked stays ticked.
  const choose = (ids: string[]) => {
    if (ids.length === 0) return;
    onChange({ ...value, connectionIds: ids.length === candidates.length ? [] : candidates.map((candidate) => candidate.id).filter((id) => ids.includes(id)) });
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="plan-options">
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Stack gap="sm">
            <Switch
              checked={value.suspend}
              onChange={(event) => onChange({ ...value, suspend: event.currentTarget.checked })}
              label="Suspend or disable the accounts once their access is removed"
              description="Google, Okta and Zendesk suspend; Microsoft disables. Off: the accounts stay, with every session, token and grant removed."
            />
            <Switch
              checked={value.transferData}
              onChange={(event) => onChange({ ...value, transferData: event.currentTarget.checked })}
              label="Transfer Drive and Calendar data to the transfer-to person"
              description="For rows that name one. Google finishes the transfer before the account is suspended."
            />
          </Stack>
          <Checkbox.Group
            label="Connections that take part"
            description="People are offboarded at each connection ticked; at least one takes part."
            value={[...chosen]}
            onChange={choose}
          >
            <Stack gap={6} mt="xs">
              {candidates.length === 0 && (
                <Text size="sm" c="dimmed">
                  No connection offers offboarding yet.
                </Text>
              )}
              {candidates.map((candidate) => (
                <Checkbox
                  key={candidate.id}
                  value={candidate.id}
                  label={
                    <Group gap={6} wrap="wrap">
                      <Text size="sm">
                        {candidate.label}{' '}
                        <Text span size="sm" c="dimmed">
                          ({providerNames[candidate.provider]})
                        </Text>
                      </Text>
                      {!candidate.held && (
                        <Badge size="xs" variant="light" color="orange" tt="none">
                          Offboarding not allowed yet
                        </Badge>
                      )}
                    </Group>
                  }
                />
              ))}
            </Stack>
          </Checkbox.Group>
        </SimpleGrid>
        <Group justify="flex-end">
          <Button leftSection={<IconListDetails size={16} />} loading={planning} onClick={onPlan} variant={planned ? 'default' : 'filled'}>
            {planned ? 'Work out the plan again' : 'Work out the plan'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
