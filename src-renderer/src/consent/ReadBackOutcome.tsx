import { Alert } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** Whether a change shows in what main read back afterwards; teal only when it does. */
export function ReadBackOutcome({ applied, appliedTitle, testId, children }: { applied: boolean; appliedTitle: string; testId: string; children: ReactNode }) {
  return (
    <Alert
      color={applied ? 'teal' : 'orange'}
      variant="light"
      icon={applied ? <IconCircleCheck size={18} /> : <IconAlertTriangle size={18} />}
      title={applied ? appliedTitle : 'The read-back does not show the change'}
      role="status"
      data-testid={testId}
    >
      {children}
    </Alert>
  );
}
