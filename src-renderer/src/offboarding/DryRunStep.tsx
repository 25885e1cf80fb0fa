import { Alert, Badge, Button, Card, Group, Paper, Progress, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { IconArrowRight, IconPlayerStop, IconRefresh, IconZoomCheck } from '@tabler/icons-react';
import type { DryRun, DryRunStep as DryRunStepResult, OffboardingPlan } from '../../../src-shared/contract/offboarding';
import { useCancelDryRun, useStartDryRun } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { RelativeTime } from '../components/RelativeTime';
import { formatCount, plural } from '../grants/grant-format';
import { FailedSteps } from './FailedSteps';
import { dryRunStepLooks, stepTitle } from './offboarding-format';
import { PeopleBrowser, type PeopleFilter } from './PeopleBrowser';
import { LookBadge } from './LookBadge';
import { FailedCountCell, StepNameCell } from './StepCells';

type DryRunPerson = DryRun['people'][number];

const personFilters: PeopleFilter<DryRunPerson>[] = [
  { value: 'all', label: 'Everyone', keep: () => true },
  { value: 'change', label: 'Would change', keep: (person) => person.steps.some((step) => step.state === 'would_change') },
  { value: 'failed', label: 'Not read', keep: (person) => person.steps.some((step) => step.state === 'failed') },
];

/** "37 items from 18 people", that nothing is left to do, or who it acts on where the provider shows no count (sessions). */
function effect(total: DryRun['totals'][number]): string {
  if (total.people === 0) return 'Nothing to do';
  if (total.items === 0) return `${plural(total.people, 'person', 'people')} · not countable beforehand`;
  return `${plural(total.items, 'item')} from ${plural(total.people, 'person', 'people')}`;
}

function Totals({ plan, dryRun }: { plan: OffboardingPlan; dryRun: DryRun }) {
  return (
    <Stack gap="md" data-testid="dry-run-totals">
      {plan.connections.map((connection) => {
        const totals = dryRun.totals.filter((total) => total.connectionId === connection.connectionId);
        if (totals.length === 0) return null;
        return (
          <Card key={connection.connectionId} withBorder radius="md" padding="sm">
            <Text fw={650} mb="xs">
              {connection.label}{' '}
              <Text span size="sm" c="dimmed" fw={400}>
                · {connection.providerLabel}
              </Text>
            </Text>
            <Table verticalSpacing={6} layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Step</Table.Th>
                  <Table.Th w="40%">Would change</Table.Th>
                  <Table.Th w={120}>Not read</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {totals.map((total) => (
                  <Table.Tr key={total.kind}>
                    <Table.Td>
                      <Text size="sm">{stepTitle(plan.connections, total.connectionId, total.kind)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={total.people === 0 ? 'dimmed' : undefined}>
                        {effect(total)}
                      </Text>
                    </Table.Td>
                    <FailedCountCell count={total.failed} words={plural(total.failed, 'person', 'people')} />
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        );
      })}
    </Stack>
  );
}

function PersonSteps({ plan, steps }: { plan: OffboardingPlan; steps: DryRunStepResult[] }) {
  return (
    <Table verticalSpacing={4} layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="32%">Step</Table.Th>
          <Table.Th w={150}>Result</Table.Th>
          <Table.Th>What was read</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {steps.map((step) => (
          <Table.Tr key={`${step.connectionId}-${step.kind}`}>
            <StepNameCell
              title={stepTitle(plan.connections, step.connectionId, step.kind)}
              connection={plan.connections.find((connection) => connection.connectionId === step.connectionId)?.label ?? step.connectionId}
            />
            <Table.Td>
              <LookBadge look={dryRunStepLooks[step.state]} />
            </Table.Td>
            <Table.Td>
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {step.description}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Failures({ plan, dryRun }: { plan: OffboardingPlan; dryRun: DryRun }) {
  const failed = dryRun.people.flatMap((person) =>
    person.steps.filter((step) => step.state === 'failed').map((step) => ({ email: person.email, step: stepTitle(plan.connections, step.connectionId, step.kind), reason: step.description })),
  );
  return <FailedSteps failed={failed} verb="could not be read" intro="The run tries them again, but the same cause may stop them then." filter="Not read" testId="dry-run-failures" />;
}

function DryRunProgress({ plan, dryRun }: { plan: OffboardingPlan; dryRun: DryRun }) {
  const cancel = useCancelDryRun();
  const percent = dryRun.total > 0 ? (dryRun.done / dryRun.total) * 100 : 0;
  if (dryRun.state !== 'running') {
    const ended = dryRun.state === 'finished';
    return (
      <Alert
        color={ended ? 'teal' : dryRun.state === 'failed' ? 'red' : 'gray'}
        variant="light"
        title={ended ? `Read ${plural(dryRun.done, 'person', 'people')}: nothing was changed` : dryRun.state === 'failed' ? 'The dry run stopped' : 'The dry run was cancelled'}
        data-testid="dry-run-state"
      >
        <Text size="sm">
          {ended ? (
            <>
              Finished <RelativeTime iso={dryRun.finishedAt ?? dryRun.startedAt} />. What each step would change is below.
            </>
          ) : (
            `${dryRun.reason ?? ''} ${formatCount(dryRun.done)} of ${plural(dryRun.total, 'person', 'people')} were read; their results are below.`.trim()
          )}
        </Text>
      </Alert>
    );
  }
  return (
    <Paper withBorder radius="md" p="md" data-testid="dry-run-state">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600} role="status">
            Reading {formatCount(dryRun.done)} of {plural(dryRun.total, 'person', 'people')}… nothing is changed
          </Text>
          <Button
            size="xs"
            variant="light"
            color="red"
            leftSection={<IconPlayerStop size={14} />}
            loading={cancel.isPending}
            onClick={() => cancel.mutate(plan.id)}
          >
            Cancel the dry run
          </Button>
        </Group>
        <Progress value={percent} animated size="lg" aria-label="Dry run: progress" />
        {cancel.error && <FailureAlert title="The dry run was not cancelled" error={cancel.error} />}
      </Stack>
    </Paper>
  );
}

/**
 * Step 4: the read-only pass: every person resolved at every connection, and what each step would
 * change, counted; its progress as main reports it, totals per connection and step, failures, and
 * each person's detail.
 */
export function DryRunStep({ plan, onContinue }: { plan: OffboardingPlan; onContinue: () => void }) {
  const start = useStartDryRun();
  const dryRun = plan.dryRun;
  if (!dryRun) {
    return (
      <Paper withBorder radius="md" p="xl" data-testid="dry-run-none">
        <Group wrap="nowrap" align="flex-start" gap="lg">
          <ThemeIcon size={48} radius="xl" variant="light">
            <IconZoomCheck size={26} />
          </ThemeIcon>
          <Stack gap="sm">
            <Text fw={600}>See the effect before anything is done</Text>
            <Text size="sm" c="dimmed" maw={640}>
              The dry run reads each of the {plural(plan.people.length, 'person', 'people')} at every connection and counts what each step would remove or change: tokens,
              grants, sessions, data to transfer. It changes nothing.
            </Text>
            {start.error && <FailureAlert title="The dry run did not start" error={start.error} />}
            <Group gap="sm">
              <Button leftSection={<IconZoomCheck size={16} />} loading={start.isPending} onClick={() => start.mutate(plan.id)}>
                Start the dry run
              </Button>
              <Button variant="subtle" onClick={onContinue}>
                Skip to the run
              </Button>
            </Group>
          </Stack>
        </Group>
      </Paper>
    );
  }
  return (
    <Stack gap="md">
      <DryRunProgress plan={plan} dryRun={dryRun} />
      <Failures plan={plan} dryRun={dryRun} />
      <Totals plan={plan} dryRun={dryRun} />
      {/* Under the totals, what the admin came for; each person's detail follows for those who look. */}
      {start.error && <FailureAlert title="The dry run did not start" error={start.error} />}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" leftSection={<IconRefresh size={16} />} disabled={dryRun.state === 'running'} loading={start.isPending} onClick={() => start.mutate(plan.id)}>
          Run the dry run again
        </Button>
        <Button rightSection={<IconArrowRight size={16} />} disabled={dryRun.state === 'running'} onClick={onContinue}>
          Continue to the run
        </Button>
      </Group>
      {dryRun.people.length > 0 && (
        <Stack gap="xs">
          <Text fw={600}>Per person</Text>
          <PeopleBrowser
            label="People of the dry run"
            people={dryRun.people}
            filters={personFilters}
            summary={(person) => {
              const changes = person.steps.filter((step) => step.state === 'would_change').length;
              const failed = person.steps.filter((step) => step.state === 'failed').length;
              return (
                <>
                  {failed > 0 && (
                    <Badge variant="light" color="red" tt="none">
                      {plural(failed, 'step')} not read
                    </Badge>
                  )}
                  <Text size="sm" c="dimmed">
                    {changes === 0 ? 'Nothing to change' : `${plural(changes, 'step')} would change`}
                  </Text>
                </>
              );
            }}
            details={(person) => <PersonSteps plan={plan} steps={person.steps} />}
          />
        </Stack>
      )}
    </Stack>
  );
}
