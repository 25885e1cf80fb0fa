import { Badge, Checkbox, Code, Group, Radio, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ConsentReview, ReviewedPermission } from '../../../src-shared/contract/consent';
import { RiskBadge } from '../grants/RiskBadge';
import { WarningList } from './WarningList';

export type GrantMethod = 'graph' | 'browser';
export type PermissionKind = 'delegated' | 'application';

/** The permissions the admin keeps, by kind. */
export interface KeptPermissions {
  delegated: Set<string>;
  application: Set<string>;
}

/** Every permission Microsoft Graph publishes is kept until the admin unticks it. */
export function keptAtFirst(review: ConsentReview): KeptPermissions {
  const known = (permissions: ReviewedPermission[]) => new Set(permissions.filter((permission) => permission.known).map((permission) => permission.scope));
  return { delegated: known(review.delegated), application: known(review.application) };
}

function Origin({ permission }: { permission: ReviewedPermission }) {
  return (
    <Group gap={4}>
      {permission.granted && (
        <Badge size="xs" variant="light" color="teal" tt="none">
          Already granted
        </Badge>
      )}
      {permission.source === 'request' && (
        <Badge size="xs" variant="light" color="blue" tt="none">
          From the request
        </Badge>
      )}
      {permission.source === 'admin' && (
        <Badge size="xs" variant="light" color="gray" tt="none">
          Added by you
        </Badge>
      )}
      {!permission.known && (
        <Badge size="xs" variant="light" color="orange" tt="none">
          Not published by Microsoft Graph
        </Badge>
      )}
    </Group>
  );
}

function PermissionTable({
  title,
  audience,
  kind,
  permissions,
  kept,
  onToggle,
}: {
  title: string;
  audience: string;
  kind: PermissionKind;
  permissions: ReviewedPermission[];
  kept: Set<string>;
  onToggle: (kind: PermissionKind, scope: string, keep: boolean) => void;
}) {
  if (permissions.length === 0) return null;
  return (
    <Stack gap={4}>
      <Group gap="xs" align="baseline">
        <Text size="sm" fw={600}>
          {title}
        </Text>
        <Text size="xs" c="dimmed">
          {audience} · {kept.size} of {permissions.length} kept
        </Text>
      </Group>
      <Table verticalSpacing={6} layout="fixed" data-testid={`review-${kind}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={44}>
              <VisuallyHidden>Keep</VisuallyHidden>
            </Table.Th>
            <Table.Th w="30%">Permission</Table.Th>
            <Table.Th w={110}>Risk</Table.Th>
            <Table.Th>Why it is rated so</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {permissions.map((permission) => (
            <Table.Tr key={permission.scope} opacity={permission.known ? 1 : 0.7}>
              <Table.Td>
                <Checkbox
                  aria-label={`Keep ${permission.scope}`}
                  checked={kept.has(permission.scope)}
                  disabled={!permission.known}
                  onChange={(event) => onToggle(kind, permission.scope, event.currentTarget.checked)}
                />
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {permission.scope}
                </Text>
                <Origin permission={permission} />
              </Table.Td>
              <Table.Td>
                <RiskBadge level={permission.level} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{permission.reason}</Text>
                {!permission.known && (
                  <Text size="xs" c="dimmed">
                    Microsoft Graph does not publish a permission of this name, so it cannot be granted; check the spelling with the vendor.
                  </Text>
                )}
                {permission.granted && !kept.has(permission.scope) && permission.known && (
                  <Text size="xs" c="orange">
                    Unticked: the consent is narrowed and the app loses this permission.
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** The app, every permission it asks for or holds, rated, and how to grant what is kept. */
export function ReviewStep({
  review,
  kept,
  onToggle,
  method,
  onMethod,
}: {
  review: ConsentReview;
  kept: KeptPermissions;
  onToggle: (kind: PermissionKind, scope: string, keep: boolean) => void;
  method: GrantMethod;
  onMethod: (method: GrantMethod) => void;
}) {
  return (
    <Stack gap="md" data-testid="consent-review">
      <Stack gap={2}>
        <Group gap="xs">
          <Text fw={700}>{review.appName}</Text>
          {review.verifiedPublisher === true && (
            <Badge size="sm" color="teal" variant="light" tt="none">
              Verified publisher
            </Badge>
          )}
          {review.verifiedPublisher === false && (
            <Badge size="sm" color="orange" variant="light" tt="none">
              Publisher not verified
            </Badge>
          )}
          {review.accountEnabled === false && (
            <Badge size="sm" color="red" variant="light" tt="none">
              Sign-in blocked
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {/* Without a service principal there is no publisher to read yet; the line below says so. */}
          {review.publisher ? `${review.publisher} · ` : review.servicePrincipalId === null ? '' : 'Publisher unknown · '}client id <Code>{review.appId}</Code> ·{' '}
          {review.connectionLabel}
        </Text>
        {review.servicePrincipalId === null && (
          <Text size="sm">The app is not in this tenant yet: granting adds it (creates its service principal) first.</Text>
        )}
      </Stack>
      <WarningList title="Before you grant" warnings={review.warnings} />
      <PermissionTable title="Delegated permissions" audience="on behalf of every user" kind="delegated" permissions={review.delegated} kept={kept.delegated} onToggle={onToggle} />
      <PermissionTable title="Application permissions" audience="as the app itself, without a user" kind="application" permissions={review.application} kept={kept.application} onToggle={onToggle} />
      {review.delegated.length + review.application.length === 0 && (
        <Text size="sm" c="dimmed">
          The app asks for nothing and holds nothing in this tenant. Go back and name the permissions the vendor documents.
        </Text>
      )}
      <Radio.Group label="How to grant" value={method} onChange={(value) => onMethod(value as GrantMethod)}>
        <Stack gap={6} mt={6}>
          <Radio value="graph" label="Through Microsoft Graph (exactly the permissions kept, read back after)" />
          <Radio value="browser" label="In Microsoft’s admin-consent prompt, in your browser (you approve there; Consentry reads back what was granted)" />
        </Stack>
      </Radio.Group>
    </Stack>
  );
}
