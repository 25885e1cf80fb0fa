import { Alert, Button, Code, Group, Stack, Text, useComputedColorScheme } from '@mantine/core';
import { IconFileAlert } from '@tabler/icons-react';
import type { ProfileProblem } from '../../../src-shared/contract/app';
import { useDismissProfileProblems, useProfileProblems } from '../bridge/queries';
import { KeptAsPath } from '../components/KeptAsPath';
import { notifyFailure } from '../components/failure-notification';

function ProblemDetail({ problem }: { problem: ProfileProblem }) {
  return (
    <Stack gap={4} data-testid="profile-problem">
      <Group gap="xs" wrap="nowrap" align="baseline">
        <Code fw={600}>{problem.file}</Code>
        <Text size="sm">{problem.problem}</Text>
      </Group>
      <Text size="sm">{problem.consequence}</Text>
      <KeptAsPath file={problem.file} keptAs={problem.keptAs} />
    </Stack>
  );
}

/**
 * Shown on every page while a profile file found damaged at start is not dismissed: which file,
 * what was wrong, where the damaged copy was kept and what starting without it means.
 */
export function ProfileProblemsNotice() {
  const problems = useProfileProblems().data?.problems ?? [];
  const dismiss = useDismissProfileProblems();
  const colorScheme = useComputedColorScheme('light');
  if (problems.length === 0) return null;
  const [first] = problems;
  return (
    <Alert
      color="yellow"
      // Yellow "light" is calm on white but a heavy brown block on dark: outlined there.
      variant={colorScheme === 'dark' ? 'outline' : 'light'}
      icon={<IconFileAlert size={18} />}
      title={problems.length === 1 ? `Consentry started without ${first!.file}` : `Consentry started without ${problems.length} of its files`}
      mb="lg"
      data-testid="profile-problems"
    >
      <Stack gap="md">
        <Text size="sm">
          {problems.length === 1 ? 'It could not be used' : 'They could not be used'}, so Consentry set {problems.length === 1 ? 'it' : 'them'} aside and
          started that part afresh. Nothing was deleted: the damaged {problems.length === 1 ? 'copy is' : 'copies are'} kept for you or your support team.
        </Text>
        {problems.map((problem) => (
          <ProblemDetail key={problem.id} problem={problem} />
        ))}
        <Button
          variant="default"
          w="fit-content"
          loading={dismiss.isPending}
          onClick={() => dismiss.mutate(problems.map((problem) => problem.id), { onError: (error) => notifyFailure('Notice not dismissed', error) })}
        >
          Dismiss
        </Button>
      </Stack>
    </Alert>
  );
}
