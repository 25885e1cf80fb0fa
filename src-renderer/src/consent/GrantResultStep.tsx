import { Alert, Badge, Button, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { IconBrowserCheck } from '@tabler/icons-react';
import type { ConsentGrantResult } from '../../../src-shared/contract/consent';
import type { JobSummary } from '../../../src-shared/contract/jobs';
import { useConsentGrantResult, useConsentReadBack } from '../bridge/consent-queries';
import { isJobActive, useJob } from '../bridge/job-queries';
import { FailureAlert } from '../components/FailureAlert';
import { JobProgress } from '../jobs/JobProgress';
import { GrantedConsentView } from './GrantedConsentView';

const outcomeLooks: Record<ConsentGrantResult['steps'][number]['outcome'], { label: string; color: string }> = {
  succeeded: { label: 'Done', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  skipped: { label: 'Skipped', color: 'gray' },
  in_doubt: { label: 'Unknown', color: 'orange' },
  not_started: { label: 'Not started', color: 'gray' },
};

function StepOutcomes({ steps }: { steps: ConsentGrantResult['steps'] }) {
  return (
    <Table verticalSpacing={6} layout="fixed" data-testid="consent-grant-steps">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="40%">Step</Table.Th>
          <Table.Th w={120}>Outcome</Table.Th>
          <Table.Th>Message</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {steps.map((step) => (
          <Table.Tr key={step.label}>
            <Table.Td>
              <Text size="sm">{step.label}</Text>
            </Table.Td>
            <Table.Td>
              <Badge color={outcomeLooks[step.outcome].color} variant="light" tt="none">
                {outcomeLooks[step.outcome].label}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{step.message}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A grant through Graph: the job's progress, then each step's outcome and what the tenant holds now. */
export function GraphGrantResult({ started }: { started: JobSummary }) {
  const listed = useJob(started.id);
  const result = useConsentGrantResult(started.id);
  // The jobs list follows the progress events; until it holds the job, the last answer about it will do.
  const job = listed ?? result.data?.job ?? started;
  const granted = result.data?.granted ?? null;
  return (
    <Stack gap="md">
      {!granted && <JobProgress job={job} unit="steps" />}
      {result.error && <FailureAlert title="The result could not be read" error={result.error} />}
      {result.data && result.data.steps.length > 0 && <StepOutcomes steps={result.data.steps} />}
      {granted ? (
        <GrantedConsentView granted={granted} />
      ) : isJobActive(job) ? (
        <Group gap="sm">
          <Loader size="sm" aria-hidden />
          <Text size="sm">Granting, then reading back what the tenant holds…</Text>
        </Group>
      ) : (
        result.data && (
          <Text size="sm" c="dimmed">
            Nothing was read back: the steps above say where the grant stopped.
          </Text>
        )
      )}
    </Stack>
  );
}

/** The prompt is open in the browser: the admin says when they are done, then Consentry reads back. */
export function BrowserGrantResult({ planId, appName }: { planId: string; appName: string }) {
  const readBack = useConsentReadBack();
  return (
    <Stack gap="md">
      <Alert color="blue" variant="light" title="Finish in your browser" icon={<IconBrowserCheck size={18} />}>
        Microsoft’s admin-consent page for {appName} opened in your browser. Sign in with an admin account, check the permissions it lists and
        accept. Whatever you accept there is what {appName} gets; Consentry then reads it back and compares it with what you kept.
      </Alert>
      {readBack.error && <FailureAlert title="What was granted could not be read" error={readBack.error} />}
      <Button w="fit-content" onClick={() => readBack.mutate(planId)} loading={readBack.isPending}>
        I’ve finished in the browser — check what was granted
      </Button>
      {readBack.data && <GrantedConsentView granted={readBack.data} />}
    </Stack>
  );
}
