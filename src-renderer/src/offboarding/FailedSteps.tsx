import { Alert, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { plural } from '../grants/grant-format';

export interface FailedStep {
  email: string;
  /** The step, and where: "Suspend the account at Acme Workspace". */
  step: string;
  /** The provider's reason, in main's words. */
  reason: string;
}

/** Named one by one; the rest are found with the people filter named in the alert. */
const namedAtMost = 10;

/** Steps that failed for some people, each with the provider's reason, while the others carried on. */
export function FailedSteps({ failed, verb = 'failed', intro, filter, testId }: { failed: FailedStep[]; verb?: string; intro: string; filter: string; testId: string }) {
  if (failed.length === 0) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={`${plural(failed.length, 'step')} ${verb}`} data-testid={testId}>
      <Stack gap={4}>
        <Text size="sm">{intro}</Text>
        <List size="sm" spacing={2}>
          {failed.slice(0, namedAtMost).map(({ email, step, reason }) => (
            <List.Item key={`${email}|${step}`} style={{ overflowWrap: 'anywhere' }}>
              <strong>{email}</strong> · {step}: {reason}
            </List.Item>
          ))}
        </List>
        {failed.length > namedAtMost && <Text size="sm">and {plural(failed.length - namedAtMost, 'more')}: filter the people by “{filter}”.</Text>}
      </Stack>
    </Alert>
  );
}
