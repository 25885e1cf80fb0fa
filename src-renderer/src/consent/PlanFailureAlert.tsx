import { Button } from '@mantine/core';
import { asBridgeError } from '../bridge/bridge-failure';
import { FailureAlert } from '../components/FailureAlert';

/** A confirmed plan main refused; an expired one can be worked out again with the same choices. */
export function PlanFailureAlert({ title, error, onPlanAgain, againLabel = 'Work out the change again' }: { title: string; error: unknown; onPlanAgain: () => void; againLabel?: string }) {
  return (
    <FailureAlert title={title} error={error}>
      {asBridgeError(error).code === 'plan_expired' && (
        <Button variant="light" color="red" size="xs" w="fit-content" onClick={onPlanAgain}>
          {againLabel}
        </Button>
      )}
    </FailureAlert>
  );
}
