import { Button, Card, EmptyState, Group, Skeleton, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconArrowLeft, IconHistory } from '@tabler/icons-react';
import type { RunSummary } from '../../../src-shared/contract/offboarding';
import { useOffboardingRuns } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { formatInstant } from '../format/time';
import { formatCount, plural } from '../grants/grant-format';
import { EvidenceView } from './EvidenceView';
import { runStateLooks } from './offboarding-format';
import { RunProgressView } from './RunProgressView';
import { RunView } from './RunView';
import { LookBadge } from './LookBadge';

function RunRow({ run, onOpen }: { run: RunSummary; onOpen: () => void }) {
  const { job } = run;
  const ended = job.succeeded + job.failed + job.skipped;
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm">{formatInstant(job.createdAt)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600}>
          {job.title}
        </Text>
        <Text size="xs" c="dimmed">
          {run.connections.map((connection) => connection.label).join(', ')}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatCount(run.people)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatCount(ended)} / {formatCount(job.total)}
        </Text>
        {job.failed > 0 && (
          <Text size="xs" c="red">
            {formatCount(job.failed)} failed
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <LookBadge look={runStateLooks[job.state]} />
      </Table.Td>
      <Table.Td ta="right">
        <Button size="compact-sm" variant="light" onClick={onOpen} aria-label={`Open ${job.title}, started ${formatInstant(job.createdAt)}`}>
          Open
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

/** Every offboarding run, newest first, each openable to its progress and evidence. */
export function RunHistory({ openRunId, onOpen }: { openRunId: string | null; onOpen: (runId: string | null) => void }) {
  const runs = useOffboardingRuns();
  if (openRunId) {
    return (
      <Stack gap="md">
        <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} w="fit-content" onClick={() => onOpen(null)}>
          All runs
        </Button>
        <RunView runId={openRunId}>
          {(run) => (
            <Stack gap="xl">
              <RunProgressView run={run} />
              <EvidenceView run={run} />
            </Stack>
          )}
        </RunView>
      </Stack>
    );
  }
  if (runs.error) return <FailureAlert title="The runs could not be read" error={runs.error} />;
  if (!runs.data) return <Skeleton h={200} radius="md" />;
  if (runs.data.runs.length === 0) {
    return (
      <Card withBorder padding="xl" data-testid="runs-empty">
        <EmptyState icon={<IconHistory size={36} stroke={1.5} />} variant="light" title="No offboarding runs yet" description="Each run you start is kept here with its progress and its evidence." />
      </Card>
    );
  }
  const sorted = [...runs.data.runs].sort((a, b) => b.job.createdAt.localeCompare(a.job.createdAt));
  return (
    <Card withBorder radius="md" padding="sm">
      <Group justify="space-between" mb="xs" px="xs">
        <Text fw={600}>{plural(sorted.length, 'run')}</Text>
      </Group>
      <Table verticalSpacing={8} layout="fixed" highlightOnHover data-testid="run-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={210}>Started</Table.Th>
            <Table.Th>Run</Table.Th>
            <Table.Th w={80}>People</Table.Th>
            <Table.Th w={120}>Steps ended</Table.Th>
            <Table.Th w={120}>State</Table.Th>
            <Table.Th w={90}>
              <VisuallyHidden>Open</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((run) => (
            <RunRow key={run.job.id} run={run} onOpen={() => onOpen(run.job.id)} />
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
