import { Alert, Button, Group, List, Paper, SimpleGrid, Spoiler, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconUserMinus, IconZoomCheck } from '@tabler/icons-react';
import { useState } from 'react';
import type { OffboardingPlan, RunSummary } from '../../../src-shared/contract/offboarding';
import { useStartOffboarding } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { formatCount, plural } from '../grants/grant-format';

/** Named one by one before the confirmation; past this many the rest are counted (Review lists them all). */
const peopleNamed = 500;

/** Who is offboarded, each email whole: the admin checks them against HR's list before typing the phrase. */
function People({ plan }: { plan: OffboardingPlan }) {
  const named = plan.people.slice(0, peopleNamed);
  return (
    <Stack gap={4} data-testid="run-people-to-offboard">
      <Text size="sm" fw={600}>
        Who is offboarded
      </Text>
      {/* Room for a day’s list (twenty-odd people) whole; a longer one opens on demand. */}
      <Spoiler maxHeight={320} showLabel={`Show all ${formatCount(plan.people.length)}`} hideLabel="Show fewer">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs" verticalSpacing={2}>
          {named.map((person) => (
            <Text key={person.rowId} size="sm" style={{ overflowWrap: 'anywhere' }}>
              {person.email}
              {person.transferTo && plan.options.transferData && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  → data to {person.transferTo}
                </Text>
              )}
            </Text>
          ))}
        </SimpleGrid>
        {plan.people.length > named.length && (
          <Text size="sm" c="dimmed" mt={4}>
            and {plural(plan.people.length - named.length, 'more person', 'more people')}, listed on Review.
          </Text>
        )}
      </Spoiler>
    </Stack>
  );
}

/**
 * The last look before the run, and the confirmation: the admin types the plan's phrase exactly
 * (a destructive bulk action), then the steps become a job.
 */
export function StartRunForm({ plan, onStarted, onDryRun }: { plan: OffboardingPlan; onStarted: (run: RunSummary) => void; onDryRun: () => void }) {
  const start = useStartOffboarding();
  const [typed, setTyped] = useState('');
  const confirmed = typed.trim() === plan.confirmationPhrase;
  const lacking = plan.connections.filter((connection) => connection.missingScopes.length > 0 || connection.blocked !== null);
  const people = plural(plan.people.length, 'person', 'people');

  return (
    <Paper withBorder radius="md" p="lg" data-testid="start-run">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} size="h4">
            Offboard {people} at {plural(plan.connections.length, 'connection')}
          </Title>
          <Text size="sm" c="dimmed">
            {formatCount(plan.apiSteps)} steps by Consentry, in the order shown on the plan; {formatCount(plan.manualSteps)} for you by hand.{' '}
            {plan.options.suspend ? 'Accounts are suspended or disabled at the end.' : 'Accounts stay active, with their access removed.'}{' '}
            {plan.options.transferData ? 'Data goes to the transfer-to person first.' : 'No data is transferred.'}
          </Text>
        </Stack>
        <People plan={plan} />
        {plan.dryRun?.state !== 'finished' && (
          <Alert color="yellow" variant="light" icon={<IconZoomCheck size={18} />} title="No finished dry run">
            <Group justify="space-between" gap="sm">
              <Text size="sm">A dry run shows what each step would change, and changes nothing.</Text>
              <Button size="xs" variant="light" color="yellow" onClick={onDryRun}>
                Do the dry run first
              </Button>
            </Group>
          </Alert>
        )}
        {lacking.length > 0 && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Not every connection is ready">
            <List size="sm" spacing={2}>
              {lacking.map((connection) => (
                <List.Item key={connection.connectionId}>
                  <strong>{connection.label}</strong>: {connection.blocked ?? 'offboarding is not allowed there yet; allow it on the plan.'}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Alert color="red" variant="light" icon={<IconUserMinus size={18} />} title="This removes access now">
          Sessions end, app passwords, tokens and grants are removed{plan.options.suspend ? ', and accounts are suspended' : ''}. Each step is done once, survives a restart,
          and is recorded as evidence. Cancelling later stops what is left; it does not undo what is done.
        </Alert>
        <TextInput
          label={
            <>
              To start, type <strong>{plan.confirmationPhrase}</strong> exactly
            </>
          }
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          maw={420}
          data-testid="run-confirmation"
        />
        {start.error && <FailureAlert title="The run did not start" error={start.error} />}
        <Group justify="flex-end">
          <Button
            color="red"
            leftSection={<IconUserMinus size={16} />}
            disabled={!confirmed}
            loading={start.isPending}
            onClick={() => start.mutate({ planId: plan.id, confirmation: typed.trim() }, { onSuccess: onStarted })}
          >
            Offboard {people}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
