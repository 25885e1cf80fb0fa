import { Badge } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconHandFinger, IconQuestionMark, type Icon } from '@tabler/icons-react';
import type { PolicyCheckResult } from '../../../src-shared/contract/consent';

/** Each result has its word and icon as well as its colour, so colour is never the only signal. */
const resultLooks: Record<PolicyCheckResult, { label: string; color: string; icon: Icon }> = {
  pass: { label: 'Pass', color: 'teal', icon: IconCircleCheck },
  warn: { label: 'Warning', color: 'yellow', icon: IconAlertTriangle },
  fail: { label: 'Fail', color: 'red', icon: IconCircleX },
  manual: { label: 'Manual', color: 'gray', icon: IconHandFinger },
  error: { label: 'Not read', color: 'orange', icon: IconQuestionMark },
};

export function PolicyResultBadge({ result }: { result: PolicyCheckResult }) {
  const look = resultLooks[result];
  return (
    <Badge color={look.color} variant="light" tt="none" leftSection={<look.icon size={12} aria-hidden />} style={{ flexShrink: 0 }}>
      {look.label}
    </Badge>
  );
}
