import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import type { RunDetail, RunPerson } from '../../../src-shared/contract/offboarding';
import { useExportEvidence } from '../bridge/offboarding-queries';
import { notifyFailure } from '../components/failure-notification';
import { saveTextFile } from '../files/save-text-file';
import { formatCount, plural } from '../grants/grant-format';
import { isRunOpen, personStateLooks, stepStatusLooks } from './offboarding-format';
import { PeopleBrowser, type PeopleFilter } from './PeopleBrowser';
import { RunPersonSteps } from './RunPersonSteps';
import { LookBadge } from './LookBadge';

const mimeTypes = { csv: 'text/csv;charset=utf-8', json: 'application/json;charset=utf-8' } as const;

const personFilters: PeopleFilter<RunPerson>[] = [
  { value: 'all', label: 'Everyone', keep: () => true },
  { value: 'failed', label: 'With a failure', keep: (person) => person.steps.some((step) => step.status === 'failed' || step.status === 'in_doubt') },
  { value: 'manual', label: 'With steps by hand', keep: (person) => person.steps.some((step) => step.status === 'manual') },
];

/** "172 steps: 150 done, 2 failed, 18 by hand". */
function describeSteps(run: RunDetail): string {
  const steps = run.persons.flatMap((person) => person.steps);
  const parts = (['succeeded', 'failed', 'in_doubt', 'skipped', 'manual', 'running', 'pending'] as const)
    .map((status) => [status, steps.filter((step) => step.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${formatCount(count)} ${stepStatusLooks[status].label.toLowerCase()}`);
  return `${plural(steps.length, 'step')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

function ExportButton({ run, format }: { run: RunDetail; format: 'csv' | 'json' }) {
  const exportEvidence = useExportEvidence();
  return (
    <Button
      variant={format === 'csv' ? 'filled' : 'default'}
      leftSection={<IconDownload size={16} />}
      loading={exportEvidence.isPending}
      onClick={() =>
        exportEvidence.mutate(
          { runId: run.job.id, format },
          {
            onSuccess: (file) => {
              saveTextFile(file.fileName, file.content, mimeTypes[format]);
              notifications.show({ color: 'teal', title: 'Evidence exported', message: `${file.fileName}: ${plural(file.rows, 'step')}.` });
            },
            onError: (error) => notifyFailure('The evidence was not exported', error),
          },
        )
      }
    >
      Export {format.toUpperCase()}
    </Button>
  );
}

/**
 * Step 6: the run's evidence: per person, every step with when it ended, its result, what was read
 * before and after and the provider's request ids; exported as CSV and JSON like the other exports.
 */
export function EvidenceView({ run }: { run: RunDetail }) {
  return (
    <Stack gap="md" data-testid="evidence">
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" align="flex-start" gap="md">
          <Stack gap={2}>
            <Text fw={600}>
              Evidence of “{run.job.title}” · {plural(run.people, 'person', 'people')}
            </Text>
            <Text size="sm" c="dimmed">
              {describeSteps(run)}
            </Text>
          </Stack>
          <Group gap="sm">
            <ExportButton run={run} format="csv" />
            <ExportButton run={run} format="json" />
          </Group>
        </Group>
      </Paper>
      {isRunOpen(run.job.state) && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} title="The run is not over">
          The evidence grows as steps end; export it again once the run has finished.
        </Alert>
      )}
      <PeopleBrowser
        label="Evidence per person"
        people={run.persons}
        filters={personFilters}
        summary={(person) => (
          <LookBadge look={personStateLooks[person.state]} />
        )}
        details={(person) => <RunPersonSteps run={run} steps={person.steps} evidence />}
      />
    </Stack>
  );
}
