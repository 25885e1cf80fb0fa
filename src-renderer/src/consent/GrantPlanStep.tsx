import { Badge, Group, List, Stack, Text } from '@mantine/core';
import type { ConsentGrantPlan } from '../../../src-shared/contract/consent';
import { WarningList } from './WarningList';

function ScopeLine({ label, scopes, color, crossed = false }: { label: string; scopes: string[]; color: string; crossed?: boolean }) {
  if (scopes.length === 0) return null;
  return (
    <Group gap={6} align="center">
      <Text size="sm" w={190}>
        {label}
      </Text>
      {scopes.map((scope) => (
        <Badge key={scope} variant="light" color={color} tt="none" td={crossed ? 'line-through' : undefined}>
          {scope}
        </Badge>
      ))}
    </Group>
  );
}

/** What granting will do, step by step, and what it keeps and leaves out, before the admin confirms. */
export function GrantPlanStep({ plan }: { plan: ConsentGrantPlan }) {
  const nothingKept = plan.keptDelegated.length + plan.keptApplication.length === 0;
  return (
    <Stack gap="md" data-testid="consent-grant-plan">
      <Text size="sm">
        {plan.method === 'graph'
          ? `Consentry makes these calls to ${plan.connectionLabel}, in this order, then reads back what ${plan.appName} holds:`
          : `Microsoft’s admin-consent prompt opens in your browser for ${plan.appName}; you approve it there, then Consentry reads back what was granted:`}
      </Text>
      <List type="ordered" size="sm" spacing={4} data-testid="consent-plan-steps">
        {plan.steps.map((step) => (
          <List.Item key={step}>{step}</List.Item>
        ))}
      </List>
      <Stack gap={6}>
        <ScopeLine label="Delegated, kept" scopes={plan.keptDelegated} color="teal" />
        <ScopeLine label="Application, kept" scopes={plan.keptApplication} color="teal" />
        <ScopeLine label="Delegated, left out" scopes={plan.droppedDelegated} color="gray" crossed />
        <ScopeLine label="Application, left out" scopes={plan.droppedApplication} color="gray" crossed />
        {nothingKept && (
          <Text size="sm" c="orange">
            Nothing is kept: the app’s tenant-wide consent is removed.
          </Text>
        )}
      </Stack>
      <WarningList title="Before you confirm" warnings={plan.warnings} />
    </Stack>
  );
}
