import { Alert, Button, Card, Group, List, SimpleGrid, Spoiler, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconInfoCircle, IconPlayerPlay, IconRefresh, IconZoomCheck } from '@tabler/icons-react';
import { useState } from 'react';
import type { OffboardingList, OffboardingPlan, RunOptions } from '../../../src-shared/contract/offboarding';
import { useMakeOffboardingPlan, useStartDryRun } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { useAllowCapability } from '../connections/useAllowCapability';
import { formatCount, plural } from '../grants/grant-format';
import { PlanConnectionCard } from './PlanConnectionCard';
import { PlanOptionsForm } from './PlanOptionsForm';

const defaultOptions: RunOptions = { suspend: true, transferData: true, connectionIds: [] };

const sameOptions = (a: RunOptions, b: RunOptions) =>
  a.suspend === b.suspend && a.transferData === b.transferData && a.connectionIds.length === b.connectionIds.length && a.connectionIds.every((id) => b.connectionIds.includes(id));

/** The warnings by what they say, in the order first met: seventeen people without a manager are one warning with seventeen names. */
function warningGroups(warnings: OffboardingPlan['warnings']): { message: string; emails: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const warning of warnings) groups.set(warning.message, [...(groups.get(warning.message) ?? []), warning.email]);
  return [...groups].map(([message, emails]) => ({ message, emails }));
}

function Warnings({ plan }: { plan: OffboardingPlan }) {
  if (plan.warnings.length === 0) return null;
  const groups = warningGroups(plan.warnings);
  return (
    <Card withBorder radius="md" padding="md" data-testid="plan-warnings">
      <Group gap="xs" mb="xs">
        <IconAlertTriangle size={18} color="var(--mantine-color-orange-6)" aria-hidden />
        <Text fw={600}>{plural(plan.warnings.length, 'warning')}</Text>
        <Text size="sm" c="dimmed">
          These people take part; read what each warning means for them.
        </Text>
      </Group>
      <Spoiler maxHeight={150} showLabel={`Show all ${plan.warnings.length}`} hideLabel="Show fewer">
        <List size="sm" spacing={6}>
          {groups.map(({ message, emails }) => (
            <List.Item key={message} style={{ overflowWrap: 'anywhere' }}>
              {emails.length === 1 ? (
                <>
                  <strong>{emails[0]}</strong>: {message}
                </>
              ) : (
                <>
                  <strong>{plural(emails.length, 'person', 'people')}</strong>: {message}
                  <Text size="xs" c="dimmed">
                    {emails.join(', ')}
                  </Text>
                </>
              )}
            </List.Item>
          ))}
        </List>
      </Spoiler>
    </Card>
  );
}

/**
 * Step 3: the options, then main's plan: N people × M steps, per connection its steps in order
 * (Consentry's and the admin's, with where), who was found, the warnings, the rows left out, and
 * the permission a connection still needs, asked for right here.
 */
export function PlanStep({
  list,
  plan,
  fresh,
  onReview,
  onDryRun,
  onSkipDryRun,
}: {
  list: OffboardingList;
  plan: OffboardingPlan | null;
  /** The plan was worked out from the list as it is now. */
  fresh: boolean;
  onReview: () => void;
  onDryRun: () => void;
  onSkipDryRun: () => void;
}) {
  const [options, setOptions] = useState<RunOptions>(plan?.options ?? defaultOptions);
  const makePlan = useMakeOffboardingPlan();
  const dryRun = useStartDryRun();
  const capability = useAllowCapability('offboarding', () => makePlan.mutate(plan?.options ?? options));
  const current = plan !== null && fresh && sameOptions(plan.options, options);
  const stepsPerPerson = plan ? plan.connections.reduce((sum, connection) => sum + connection.steps.length, 0) : 0;

  return (
    <Stack gap="md">
      {capability.dialog}
      <PlanOptionsForm list={list} value={options} onChange={setOptions} onPlan={() => makePlan.mutate(options)} planning={makePlan.isPending} planned={plan !== null} />
      {makePlan.error && <FailureAlert title="The plan was not worked out" error={makePlan.error} />}
      {plan === null ? (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} title="No plan yet">
          Choose the options above, then work out the plan: it lists every step per person and connection, in the order that works there. Nothing is changed until you
          start the run.
        </Alert>
      ) : (
        <Stack gap="md" data-testid="plan">
          {!current && (
            <Alert color="yellow" variant="light" icon={<IconRefresh size={18} />} title="This plan is out of date">
              {fresh ? 'The options changed since it was worked out.' : 'The list changed since it was worked out.'} Work it out again before the dry run.
            </Alert>
          )}
          <Group justify="space-between" align="flex-end" gap="md">
            <Stack gap={2}>
              <Title order={2} size="h3" data-testid="plan-size">
                {plural(plan.people.length, 'person', 'people')} × {plural(stepsPerPerson, 'step')}
              </Title>
              <Text size="sm" c="dimmed">
                {formatCount(plan.apiSteps)} steps by Consentry · {formatCount(plan.manualSteps)} for you to do by hand · {plural(plan.connections.length, 'connection')}
              </Text>
            </Stack>
            {/* Beside the plan's size, not under every step of every connection: the next move is in sight. */}
            <Group gap="sm">
              <Button variant="subtle" leftSection={<IconPlayerPlay size={16} />} disabled={!current} onClick={onSkipDryRun}>
                Skip the dry run
              </Button>
              <Button leftSection={<IconZoomCheck size={16} />} disabled={!current} loading={dryRun.isPending} onClick={() => dryRun.mutate(plan.id, { onSuccess: onDryRun })}>
                Start the dry run
              </Button>
            </Group>
          </Group>
          {dryRun.error && <FailureAlert title="The dry run did not start" error={dryRun.error} />}
          {plan.excludedRows > 0 && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={`${plural(plan.excludedRows, 'row')} with errors left out`}>
              <Group justify="space-between" gap="sm">
                <Text size="sm">Fix or drop them on Review, then work the plan out again to include them.</Text>
                <Button size="xs" variant="light" color="red" leftSection={<IconArrowLeft size={14} />} onClick={onReview}>
                  Back to review
                </Button>
              </Group>
            </Alert>
          )}
          <Warnings plan={plan} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {plan.connections.map((connection) => (
              <PlanConnectionCard key={connection.connectionId} connection={connection} people={plan.people.length} onAllow={() => capability.allow(connection.connectionId)} />
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}
