import { Alert, Badge, Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { ProviderPreset } from '../../../src-shared/contract/connections';
import { arrivesWith, isInThisBuild, type CapabilityId } from '../../../src-shared/domain/ids';
import { capabilityText } from './capability-text';
import { CapabilityScopeList } from './CapabilityScopeList';

function CapabilityCard({ id, scopes, checked, onToggle }: { id: CapabilityId; scopes: ProviderPreset['capabilities'][number]['scopes']; checked: boolean; onToggle: () => void }) {
  const text = capabilityText[id];
  const available = isInThisBuild(id);
  return (
    <Checkbox.Card
      checked={checked}
      onClick={available ? onToggle : undefined}
      disabled={!available}
      p="md"
      radius="md"
      aria-label={text.title}
      data-testid={`capability-${id}`}
      style={available ? undefined : { opacity: 0.75, cursor: 'not-allowed' }}
    >
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Checkbox.Indicator mt={2} disabled={!available} />
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs" wrap="wrap">
            <Text fw={600} size="sm">
              {text.title}
            </Text>
            {!available && (
              <Badge size="sm" variant="light" color="gray" tt="none">
                Arrives with {arrivesWith(id)}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {text.description}
          </Text>
          {available ? (
            <CapabilityScopeList scopes={scopes} empty="Adds no scope: the audit scopes already allow it." />
          ) : (
            // Cannot be chosen yet: named briefly; the reasons come when it can be allowed.
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {scopes.length === 0 ? 'Will add no scope.' : `Will add: ${scopes.map((added) => added.scope).join(', ')}`}
            </Text>
          )}
        </Stack>
      </Group>
    </Checkbox.Card>
  );
}

/**
 * Step 3: what Consentry may do. Reading (the audit scopes) always; everything that changes the
 * tenant is off until the admin allows it, here or later when first needed.
 */
export function CapabilityChoice({ preset, value, onChange }: { preset: ProviderPreset; value: readonly CapabilityId[]; onChange: (capabilities: CapabilityId[]) => void }) {
  const toggle = (id: CapabilityId) => onChange(value.includes(id) ? value.filter((candidate) => candidate !== id) : [...value, id]);
  const base = preset.scopes.filter((scope) => scope.purpose === 'audit');
  return (
    <Stack gap="md">
      <Text size="sm">
        Consentry always reads. Anything that changes {preset.label} stays off until you allow it, here or later from the connection’s details
        when you first need it; Consentry then asks only for the scopes it adds.
      </Text>
      <Paper withBorder p="md" radius="md" data-testid="capability-read">
        <Stack gap={6}>
          <Group gap="xs">
            <Text fw={600} size="sm">
              Read — audit
            </Text>
            <Badge size="sm" variant="light" color="blue" tt="none">
              Always
            </Badge>
          </Group>
          <CapabilityScopeList scopes={base} empty="The scopes you list on the Client step, and nothing else." />
        </Stack>
      </Paper>
      {preset.capabilities.length === 0 ? (
        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} title="Read only">
          Consentry changes nothing at {preset.label}: it uses no API there that changes access.
        </Alert>
      ) : (
        <Stack gap="sm" role="group" aria-label="What Consentry may change">
          <Text size="sm" fw={600}>
            What Consentry may change (each off until you allow it)
          </Text>
          {preset.capabilities.map((capability) => (
            <CapabilityCard key={capability.id} id={capability.id} scopes={capability.scopes} checked={value.includes(capability.id)} onToggle={() => toggle(capability.id)} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
