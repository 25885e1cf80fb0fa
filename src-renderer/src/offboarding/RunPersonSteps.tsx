import { Code, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import type { RunDetail, RunStep } from '../../../src-shared/contract/offboarding';
import { formatInstant } from '../format/time';
import { stepStatusLooks } from './offboarding-format';
import { LookBadge } from './LookBadge';
import { StepNameCell } from './StepCells';

const wrapAnywhere = { overflowWrap: 'anywhere' } as const;

function Result({ step }: { step: RunStep }) {
  return (
    <Group gap={4} wrap="wrap">
      <LookBadge look={stepStatusLooks[step.status]} />
      {step.verified && (
        <Tooltip label="Read back after the change: confirmed" withArrow>
          <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" aria-label="Confirmed by reading it back" />
        </Tooltip>
      )}
    </Group>
  );
}

/**
 * One person's steps in a run, in order. As evidence: when each ended, its result and the
 * provider's word for it, what was read before and after, and the provider's request ids.
 */
export function RunPersonSteps({ run, steps, evidence }: { run: RunDetail; steps: RunStep[]; evidence: boolean }) {
  const label = (connectionId: string) => run.connections.find((connection) => connection.connectionId === connectionId)?.label ?? connectionId;
  return (
    <Table verticalSpacing={6} horizontalSpacing="xs" layout="fixed" data-testid={evidence ? 'evidence-steps' : 'run-person-steps'}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={evidence ? '24%' : '34%'}>Step</Table.Th>
          <Table.Th w={evidence ? 120 : 130}>Result</Table.Th>
          {evidence && <Table.Th w={150}>When</Table.Th>}
          {evidence ? <Table.Th>Before → after</Table.Th> : <Table.Th>What happened</Table.Th>}
          {evidence && <Table.Th w="20%">Request ids</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {steps.map((step) => (
          <Table.Tr key={`${step.connectionId}-${step.kind}`}>
            <StepNameCell title={step.title} connection={label(step.connectionId)} />
            <Table.Td>
              <Result step={step} />
              {/* The provider-side word when it adds to the badge ("already_done"), not "done" under Done. */}
              {evidence && step.code && step.code !== stepStatusLooks[step.status].label.toLowerCase() && (
                <Text size="xs" c="dimmed" ff="monospace">
                  {step.code}
                </Text>
              )}
            </Table.Td>
            {evidence && (
              <Table.Td>
                <Text size="xs">{step.at ? formatInstant(step.at) : '—'}</Text>
              </Table.Td>
            )}
            <Table.Td>
              <Stack gap={2}>
                {evidence && (step.before || step.after) && (
                  <Text size="xs" style={wrapAnywhere}>
                    {step.before ?? 'not read'} → {step.after ?? 'not read back'}
                  </Text>
                )}
                {step.message && (
                  <Text size={evidence ? 'xs' : 'sm'} c={step.status === 'failed' ? 'red' : evidence ? 'dimmed' : undefined} style={wrapAnywhere}>
                    {step.message}
                  </Text>
                )}
                {!evidence && !step.message && (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Stack>
            </Table.Td>
            {evidence && (
              <Table.Td>
                {step.requestIds.length === 0 ? (
                  <Text size="xs" c="dimmed">
                    —
                  </Text>
                ) : (
                  <Stack gap={2}>
                    {step.requestIds.map((id) => (
                      <Code key={id} fz="xs" style={{ wordBreak: 'break-all' }}>
                        {id}
                      </Code>
                    ))}
                  </Stack>
                )}
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
