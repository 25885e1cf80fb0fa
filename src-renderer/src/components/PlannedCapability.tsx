import { Card, EmptyState, List, Text } from '@mantine/core';
import type { PlannedCapability } from '../app/planned-capabilities';
import { PageHeader } from './PageHeader';

/**
 * The honest page of a capability this build does not have yet: what will appear there, and no
 * invented data.
 */
export function PlannedCapabilityPage({ capability }: { capability: PlannedCapability }) {
  const { icon: CapabilityIcon } = capability;
  return (
    <>
      <PageHeader title={capability.title} description={capability.description} />
      <Card withBorder padding="xl" data-testid="planned-capability">
        <EmptyState
          icon={<CapabilityIcon size={36} stroke={1.5} />}
          variant="light"
          title={capability.emptyTitle}
          description={capability.summary}
          size="lg"
        >
          <EmptyState.Actions>
            <Card withBorder padding="md" radius="md" maw={620} ta="left">
              <Text fw={600} size="sm" mb={6}>
                What will appear here
              </Text>
              <List size="sm" spacing={4}>
                {capability.willShow.map((item) => (
                  <List.Item key={item}>{item}</List.Item>
                ))}
              </List>
            </Card>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    </>
  );
}
