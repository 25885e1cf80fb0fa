import { Chip, Group } from '@mantine/core';
import { riskLevelNames, type RiskLevelName } from '../../../src-shared/contract/grants';
import { riskLooks } from '../grants/RiskBadge';

/** The risk levels to narrow a list to, as toggles; none ticked means every level. */
export function RiskChips({
  value,
  onChange,
  ...labelling
}: { value: RiskLevelName[]; onChange: (next: RiskLevelName[]) => void } & ({ 'aria-label': string } | { 'aria-labelledby': string })) {
  return (
    <Chip.Group multiple value={value} onChange={(next) => onChange(next as RiskLevelName[])}>
      <Group gap={6} role="group" wrap="nowrap" {...labelling}>
        {riskLevelNames.map((level) => (
          <Chip key={level} value={level} color={riskLooks[level].color} variant="light" size="sm">
            {riskLooks[level].label}
          </Chip>
        ))}
      </Group>
    </Chip.Group>
  );
}
