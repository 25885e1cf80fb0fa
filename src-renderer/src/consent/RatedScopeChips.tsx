import { Badge, Group } from '@mantine/core';
import type { RiskLevelName } from '../../../src-shared/contract/grants';
import { riskLooks } from '../grants/RiskBadge';

/** Scopes as chips in their risk colour; the level and the reason are in each chip's tooltip text. */
export function RatedScopeChips({ scopes }: { scopes: { scope: string; level: RiskLevelName; reason: string }[] }) {
  return (
    <Group gap={4}>
      {scopes.map((scope) => {
        const look = riskLooks[scope.level];
        return (
          <Badge
            key={scope.scope}
            color={look.color}
            variant="light"
            tt="none"
            size="sm"
            leftSection={<look.icon size={11} aria-hidden />}
            title={`${look.label}: ${scope.reason}`}
            aria-label={`${scope.scope}, ${look.label}`}
          >
            {scope.scope}
          </Badge>
        );
      })}
    </Group>
  );
}
