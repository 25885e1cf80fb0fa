import { Alert, Badge, Button, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconBan, IconLockOpen } from '@tabler/icons-react';
import type { PlanConnection, StepDefinition } from '../../../src-shared/contract/offboarding';
import { OpenInBrowserButton } from '../components/OpenInBrowserButton';
import { capabilityText } from '../connections/capability-text';
import { CapabilityScopeList } from '../connections/CapabilityScopeList';
import { plural } from '../grants/grant-format';

/** What the connection lacks before Consentry may offboard there: each scope and why, and the button that asks for them. */
function CapabilityNeeded({ connection, onAllow }: { connection: PlanConnection; onAllow: () => void }) {
  return (
    <Alert color="orange" variant="light" icon={<IconLockOpen size={18} />} title={`First allow “${capabilityText.offboarding.title}”`} data-testid="offboarding-capability-needed">
      <Stack gap="xs">
        <Text size="sm">
          Offboarding at {connection.label} needs permissions the connection does not hold yet. You allow them in your browser; nothing changes at the tenant until you start
          the run.
        </Text>
        <CapabilityScopeList scopes={connection.missingScopes} empty="" />
        {/* A connection's label can be long: the button wraps it rather than run out of the card. */}
        <Button
          size="xs"
          variant="light"
          color="orange"
          w="fit-content"
          maw="100%"
          h="auto"
          py={6}
          leftSection={<IconLockOpen size={14} />}
          styles={{ label: { whiteSpace: 'normal', textAlign: 'start', lineHeight: 1.35 } }}
          onClick={onAllow}
        >
          Allow {capabilityText.offboarding.activity} for {connection.label}
        </Button>
      </Stack>
    </Alert>
  );
}

/** Mantine's List lays an item out as wide as its words: these rows wrap inside the card instead. */
const orderedList = { listStyle: 'none', margin: 0, padding: 0 } as const;

function PlannedStep({ step, position }: { step: StepDefinition; position: number }) {
  const manual = step.mode === 'manual';
  return (
    <Group component="li" gap="sm" wrap="nowrap" align="flex-start">
      <ThemeIcon size={22} radius="xl" variant="light" color={manual ? 'violet' : 'teal'} aria-hidden fz="xs" fw={700} style={{ flexShrink: 0 }}>
        {position}
      </ThemeIcon>
      <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
        <Group gap={6} wrap="wrap">
          <Text size="sm" fw={500}>
            {step.title}
          </Text>
          <Badge size="xs" variant="light" color={manual ? 'violet' : 'teal'} tt="none">
            {manual ? 'By hand' : 'Consentry'}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {step.why}
        </Text>
        {step.where && (
          <Group gap="xs" mt={2} wrap="nowrap" align="flex-start" justify="space-between">
            <Text size="xs" style={{ minWidth: 0 }}>
              Where: {step.where.label}
            </Text>
            {step.where.url && (
              <OpenInBrowserButton url={step.where.url} size="compact-xs" variant="subtle" style={{ flexShrink: 0 }}>
                Open
              </OpenInBrowserButton>
            )}
          </Group>
        )}
      </Stack>
    </Group>
  );
}

/** One connection's part of the plan: its steps in the order that works there, who was found, and what stops it. */
export function PlanConnectionCard({ connection, people, onAllow }: { connection: PlanConnection; people: number; onAllow: () => void }) {
  return (
    <Card withBorder radius="md" padding="md" data-testid={`plan-connection-${connection.connectionId}`} miw={0}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text fw={650}>{connection.label}</Text>
            <Text size="xs" c="dimmed">
              {connection.providerLabel}
            </Text>
          </Stack>
          <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
            <Text size="sm">
              {connection.people.toLocaleString()} of {plural(people, 'person', 'people')} found
            </Text>
            <Text size="xs" c="dimmed">
              {plural(connection.apiSteps, 'step')} by Consentry
            </Text>
          </Stack>
        </Group>
        {connection.blocked && (
          <Alert color="red" variant="light" icon={<IconBan size={18} />} title="Cannot take part">
            {connection.blocked}
          </Alert>
        )}
        {connection.missingScopes.length > 0 && <CapabilityNeeded connection={connection} onAllow={onAllow} />}
        <Stack component="ol" gap="xs" aria-label={`Steps at ${connection.label}`} style={orderedList}>
          {connection.steps.map((step, index) => (
            <PlannedStep key={step.kind} step={step} position={index + 1} />
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}
