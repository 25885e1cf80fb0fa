import { Alert, Card, ColorSwatch, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlayerPause } from '@tabler/icons-react';
import type { RunDetail, RunPerson } from '../../../src-shared/contract/offboarding';
import { isJobActive } from '../bridge/job-queries';
import { RelativeTime } from '../components/RelativeTime';
import { formatCount, formatDuration, plural, providerNames } from '../grants/grant-format';
import { FailedSteps } from './FailedSteps';
import { personStateLooks, runStateLooks } from './offboarding-format';
import { PeopleBrowser, type PeopleFilter } from './PeopleBrowser';
import { ReconnectFirst } from './ReconnectFirst';
import { RunControls } from './RunControls';
import { RunPersonSteps } from './RunPersonSteps';
import { ManualSteps } from './ManualSteps';
import { LookBadge } from './LookBadge';
import { FailedCountCell } from './StepCells';

const personFilters: PeopleFilter<RunPerson>[] = [
  { value: 'all', label: 'Everyone', keep: () => true },
  { value: 'failed', label: 'Failed', keep: (person) => person.state === 'failed' || person.state === 'in_doubt' },
  { value: 'open', label: 'Not done', keep: (person) => person.state === 'running' || person.state === 'pending' },
  { value: 'done', label: 'Done', keep: (person) => person.state === 'done' },
];

/** "12 of 20 people done · 1 failed · 3 running · 4 waiting". */
function describePeople(persons: RunPerson[]): string {
  const count = (state: RunPerson['state']) => persons.filter((person) => person.state === state).length;
  const parts = [`${formatCount(count('done'))} of ${plural(persons.length, 'person', 'people')} done`];
  for (const state of ['failed', 'in_doubt', 'running', 'pending'] as const) {
    const many = count(state);
    if (many > 0) parts.push(`${formatCount(many)} ${personStateLooks[state].label.toLowerCase()}`);
  }
  return parts.join(' · ');
}

function Headline({ run }: { run: RunDetail }) {
  const { job } = run;
  const ended = job.succeeded + job.failed + job.skipped;
  const moving = isJobActive(job);
  const rate = run.stepsPerMinute === null ? null : `${formatCount(Math.round(run.stepsPerMinute))} steps/min`;
  // Time left only while it runs: a finished or paused run has none to tell.
  const eta = job.state !== 'running' ? null : job.etaSeconds === null ? 'estimating time left…' : `${formatDuration(job.etaSeconds)} left`;
  const legend = [
    { label: 'done', count: job.succeeded, color: 'teal' },
    { label: 'skipped or by hand', count: job.skipped, color: 'violet' },
    { label: 'failed', count: job.failed, color: 'red' },
  ].filter((part) => part.count > 0);
  return (
    <Paper withBorder radius="md" p="md" data-testid="run-progress">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="md">
          <Stack gap={2}>
            <Group gap="xs">
              <Title order={2} size="h4">
                {job.title}
              </Title>
              <LookBadge look={runStateLooks[job.state]} data-testid="run-state" />
            </Group>
            <Text size="sm" c="dimmed">
              Started <RelativeTime iso={job.createdAt} /> · suspend {run.options.suspend ? 'on' : 'off'} · data transfer {run.options.transferData ? 'on' : 'off'}
            </Text>
          </Stack>
          <RunControls job={job} />
        </Group>
        <Group justify="space-between" gap="sm">
          <Text size="sm" fw={600} role="status">
            {formatCount(ended)} of {plural(job.total, 'step')} ended
            {rate ? ` · ${rate}` : ''}
          </Text>
          {eta && (
            <Text size="sm" c="dimmed">
              {eta}
            </Text>
          )}
        </Group>
        <Progress.Root size="lg" aria-label={`${job.title}: progress`}>
          <Progress.Section value={job.total > 0 ? (job.succeeded / job.total) * 100 : 0} color="teal" animated={moving} />
          <Progress.Section value={job.total > 0 ? (job.skipped / job.total) * 100 : 0} color="violet" />
          <Progress.Section value={job.total > 0 ? (job.failed / job.total) * 100 : 0} color="red" />
        </Progress.Root>
        <Group justify="space-between" gap="sm">
          <Text size="sm" data-testid="run-people">
            {describePeople(run.persons)}
          </Text>
          {/* What the bar's colours count. */}
          <Group gap="md" data-testid="run-step-legend">
            {legend.map((part) => (
              <Group key={part.label} gap={6} wrap="nowrap">
                <ColorSwatch color={`var(--mantine-color-${part.color}-filled)`} size={10} withShadow={false} aria-hidden />
                <Text size="xs" c="dimmed">
                  {formatCount(part.count)} {part.label}
                </Text>
              </Group>
            ))}
          </Group>
        </Group>
        {(job.state === 'paused' || job.state === 'interrupted') && (
          <Alert color={job.state === 'interrupted' ? 'orange' : 'gray'} variant="light" icon={<IconPlayerPause size={18} />} title={job.state === 'interrupted' ? 'This run was interrupted' : 'This run is paused'}>
            <Stack gap="xs">
              <Text size="sm">
                {job.reason ?? 'Nothing is sent until you resume.'}
                {/* An interruption's reason already counts the steps without an answer; said twice it reads as two problems. */}
                {job.inDoubt > 0 && job.state === 'paused' ? ` ${plural(job.inDoubt, 'step')} had no recorded answer: on resume each reads the provider first and is never applied twice.` : ''}
              </Text>
              {/* An interrupted run's offer at the top of the page says so already. */}
              {job.state === 'paused' && <ReconnectFirst run={run} testId="paused-run-reconnect" />}
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function PerConnection({ run }: { run: RunDetail }) {
  return (
    <Card withBorder radius="md" padding="sm">
      <Table verticalSpacing={8} layout="fixed" data-testid="run-connections">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="40%">Connection</Table.Th>
            <Table.Th>Steps ended</Table.Th>
            <Table.Th w={120}>Failed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {run.connections.map((connection) => (
            <Table.Tr key={connection.connectionId}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {connection.label}
                </Text>
                <Text size="xs" c="dimmed">
                  {providerNames[connection.provider]}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap="sm" wrap="nowrap">
                  <Progress value={connection.total > 0 ? (connection.ended / connection.total) * 100 : 0} size="md" style={{ flex: 1 }} aria-label={`${connection.label}: progress`} />
                  <Text size="sm" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {formatCount(connection.ended)} / {formatCount(connection.total)}
                  </Text>
                </Group>
              </Table.Td>
              <FailedCountCell count={connection.failed} words={formatCount(connection.failed)} />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Failures({ run }: { run: RunDetail }) {
  const label = (connectionId: string) => run.connections.find((connection) => connection.connectionId === connectionId)?.label ?? connectionId;
  const failed = run.persons.flatMap((person) =>
    person.steps
      .filter((step) => step.status === 'failed')
      .map((step) => ({ email: person.email, step: `${step.title} at ${label(step.connectionId)}`, reason: step.message ?? 'no reason was given' })),
  );
  return (
    <FailedSteps
      failed={failed}
      intro="Each was tried again before it was marked failed; that person’s later steps at the connection were not attempted. The others carried on."
      filter="Failed"
      testId="run-failures"
    />
  );
}

/** A run as it goes: overall and per connection, with rate and ETA, its controls, failures, manual steps and each person. */
export function RunProgressView({ run }: { run: RunDetail }) {
  return (
    <Stack gap="md">
      <Headline run={run} />
      <Failures run={run} />
      <ManualSteps run={run} />
      <PerConnection run={run} />
      <Stack gap="xs">
        <Text fw={600}>Per person</Text>
        <PeopleBrowser
          label="People of the run"
          people={run.persons}
          filters={personFilters}
          summary={(person) => (
            <LookBadge look={personStateLooks[person.state]} />
          )}
          details={(person) => <RunPersonSteps run={run} steps={person.steps} evidence={false} />}
        />
      </Stack>
    </Stack>
  );
}
