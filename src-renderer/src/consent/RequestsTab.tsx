import { Alert, Badge, Button, Card, Group, Skeleton, Stack, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconInbox, IconThumbDown, IconThumbUp } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import type { ConsentRequest } from '../../../src-shared/contract/consent';
import { useConsentRequests } from '../bridge/consent-queries';
import { FailureAlert } from '../components/FailureAlert';
import { RelativeTime } from '../components/RelativeTime';
import { formatInstant } from '../format/time';
import { plural } from '../grants/grant-format';
import { DenyDialog } from './DenyDialog';
import type { WizardStart } from './GrantWizard';
import { RatedScopeChips } from './RatedScopeChips';

function Requesters({ request }: { request: ConsentRequest }) {
  return (
    <Stack gap={6} py={4} data-testid={`requesters-${request.id}`}>
      {request.requests.map((asked) => (
        <Group key={asked.id} gap="sm" align="baseline" wrap="nowrap">
          <Text size="sm" fw={500} w={300} truncate title={asked.requestedBy}>
            {asked.requestedBy}
          </Text>
          <Text size="sm" style={{ flex: 1 }} c={asked.reason ? undefined : 'dimmed'}>
            {asked.reason ?? 'No reason given'}
          </Text>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {formatInstant(asked.createdAt)}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

/** The publisher main read from the app's service principal; without one, why there is none. */
function publisherText(request: ConsentRequest): string {
  if (request.publisher) return request.publisher;
  if (request.inTenant === false) return 'Not in this tenant yet';
  if (request.inTenant === null) return 'Publisher not read';
  return 'Publisher unknown';
}

function PublisherLine({ request }: { request: ConsentRequest }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="xs" c="dimmed" truncate title={publisherText(request)}>
        {publisherText(request)}
      </Text>
      {request.verifiedPublisher === true && (
        <Badge size="xs" variant="light" color="teal" tt="none">
          Verified
        </Badge>
      )}
      {request.verifiedPublisher === false && (
        <Badge size="xs" variant="light" color="orange" tt="none">
          Not verified
        </Badge>
      )}
    </Group>
  );
}

/** Microsoft's admin-consent request queue: who asked for which app, with approve and deny. */
export function RequestsTab({ onReview }: { onReview: (start: WizardStart) => void }) {
  const requests = useConsentRequests();
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [denying, setDenying] = useState<ConsentRequest | null>(null);

  if (requests.error && !requests.data) return <FailureAlert title="The consent requests could not be read" error={requests.error} />;
  if (!requests.data) return <Skeleton h={240} />;
  const { requests: pending, unavailable } = requests.data;
  const toggle = (id: string) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Stack gap="lg">
      {unavailable.map((tenant) => (
        <Alert key={tenant.connectionId} color="gray" variant="light" title={`${tenant.label}: requests not read`} data-testid="requests-unavailable">
          <Text size="sm">{tenant.message}</Text>
          {tenant.nextStep && (
            <Text size="sm" fw={500}>
              Next step: {tenant.nextStep}
            </Text>
          )}
        </Alert>
      ))}
      {pending.length === 0 ? (
        <Card withBorder padding="xl">
          <Group gap="sm" justify="center" c="dimmed">
            <IconInbox size={20} aria-hidden />
            <Text size="sm">No pending consent requests.</Text>
          </Group>
        </Card>
      ) : (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" horizontalSpacing="md" layout="fixed" data-testid="consent-requests">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="23%">App</Table.Th>
                  <Table.Th>Asks for</Table.Th>
                  <Table.Th w={124}>Who asked</Table.Th>
                  <Table.Th w={124}>Last asked</Table.Th>
                  <Table.Th w={236}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {pending.map((request) => {
                  const open = expanded.has(request.id);
                  return (
                    <Fragment key={`${request.connectionId}:${request.id}`}>
                      <Table.Tr data-testid={`consent-request-${request.id}`}>
                        <Table.Td>
                          <Text size="sm" fw={600} truncate>
                            {request.appName}
                          </Text>
                          <PublisherLine request={request} />
                          {/* Tenant labels run long ("Sample workspace — Microsoft 365"): wrapped, never cut. */}
                          <Text size="xs" c="dimmed">
                            {request.connectionLabel}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <RatedScopeChips scopes={request.scopes} />
                        </Table.Td>
                        <Table.Td>
                          <UnstyledButton onClick={() => toggle(request.id)} aria-expanded={open} aria-label={`${open ? 'Hide' : 'Show'} who asked for ${request.appName}`}>
                            <Group gap={4} wrap="nowrap">
                              {open ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
                              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                                {plural(request.requests.length, 'person', 'people')}
                              </Text>
                            </Group>
                          </UnstyledButton>
                        </Table.Td>
                        <Table.Td>
                          <RelativeTime iso={request.lastRequestedAt} />
                        </Table.Td>
                        <Table.Td>
                          <Stack gap={6} align="stretch">
                            <Button
                              size="xs"
                              justify="flex-start"
                              leftSection={<IconThumbUp size={14} />}
                              onClick={() => onReview({ connectionId: request.connectionId, appId: request.appId, requestId: request.id })}
                            >
                              Review and approve…
                            </Button>
                            <Button size="xs" variant="light" color="red" justify="flex-start" leftSection={<IconThumbDown size={14} />} onClick={() => setDenying(request)}>
                              Deny…
                            </Button>
                          </Stack>
                        </Table.Td>
                      </Table.Tr>
                      {open && (
                        <Table.Tr>
                          <Table.Td colSpan={5} bg="var(--mantine-color-default-hover)">
                            <Requesters request={request} />
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {denying && <DenyDialog request={denying} onClose={() => setDenying(null)} />}
    </Stack>
  );
}
