import { useAllowCapability } from '../connections/useAllowCapability';
import { Button, Code, Group, Modal, NumberInput, SegmentedControl, Stack, Switch, TagsInput, Text } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import type {
  ConsentWorkflow,
  MicrosoftConsentSettings,
  PolicyChange,
  PolicyChangeKind,
  PolicyChangePlan,
  PolicyChangeResult,
  TenantConsentPolicy,
} from '../../../src-shared/contract/consent';
import { useChangePolicy, usePlanPolicyChange } from '../bridge/consent-queries';
import { FailureAlert } from '../components/FailureAlert';
import { plural } from '../grants/grant-format';
import { BeforeAfter } from './BeforeAfter';
import { ConsentCapabilityNeeded } from './ConsentCapabilityNeeded';
import { PlanFailureAlert } from './PlanFailureAlert';
import { ReadBackOutcome } from './ReadBackOutcome';

/**
 * The change a fix proposes: what the baseline asks (MS.AAD.5.1–5.4: nobody consents, only admins
 * register apps, a workflow whose reviewers are notified), keeping the tenant's own reviewers and expiry.
 */
function proposedChange(kind: PolicyChangeKind, workflow: ConsentWorkflow | null): PolicyChange {
  switch (kind) {
    case 'user_consent':
      return { kind, value: 'none' };
    case 'group_owner_consent':
    case 'app_registration':
      return { kind, allowed: false };
    case 'admin_consent_workflow':
      return {
        kind,
        isEnabled: true,
        // Graph names a user reviewer `/users/{id}`; the object id is a reference main takes back.
        // A user by id; a group or role reviewer by its Graph query, which main keeps as it is.
        reviewers: (workflow?.reviewers ?? []).map((reviewer) => /^\/users\/([^/]+)$/.exec(reviewer.query)?.[1] ?? reviewer.query),
        // The baseline warns while reviewers go unnotified, so the fix turns notices on.
        notifyReviewers: true,
        remindersEnabled: workflow?.remindersEnabled ?? true,
        requestDurationInDays: workflow && workflow.requestDurationInDays > 0 ? workflow.requestDurationInDays : 30,
      };
  }
}

function allowedChoice(value: boolean, onChange: (allowed: boolean) => void, label: string) {
  return (
    <SegmentedControl
      fullWidth
      aria-label={label}
      value={value ? 'allowed' : 'not_allowed'}
      onChange={(choice) => onChange(choice === 'allowed')}
      data={[
        { label: 'Not allowed', value: 'not_allowed' },
        { label: 'Allowed', value: 'allowed' },
      ]}
    />
  );
}

const userConsentWords: Record<MicrosoftConsentSettings['userConsent'], string> = {
  none: 'No app: an admin decides',
  low_risk: 'Apps of verified publishers, low-risk permissions only',
  legacy: 'Any app, for any permission that needs no admin consent (legacy setting)',
  custom: 'What a custom consent policy allows',
};

function allowedWords(allowed: boolean): string {
  return allowed ? 'Allowed' : 'Not allowed';
}

function workflowWords(workflow: ConsentWorkflow | null): string {
  if (!workflow) return 'Could not be read';
  if (!workflow.isEnabled) return 'Off';
  const reviewers = workflow.reviewers.length > 0 ? workflow.reviewers.map((reviewer) => reviewer.displayName ?? reviewer.query).join(', ') : 'no reviewer';
  return `On: ${reviewers}; reviewers ${workflow.notifyReviewers ? 'notified' : 'not notified'}; requests expire after ${plural(workflow.requestDurationInDays, 'day')}`;
}

/** The setting as the tenant has it, in the words of the choice below it. */
function currentWords(kind: PolicyChangeKind, settings: MicrosoftConsentSettings | null): string {
  if (!settings) return 'Not read';
  switch (kind) {
    case 'user_consent':
      return userConsentWords[settings.userConsent];
    case 'group_owner_consent':
      return allowedWords(settings.groupOwnerConsent);
    case 'app_registration':
      return allowedWords(settings.allowedToCreateApps);
    case 'admin_consent_workflow':
      return workflowWords(settings.workflow);
  }
}

function CurrentValue({ words }: { words: string }) {
  return (
    <Text size="sm" c="dimmed" data-testid="policy-change-now">
      Now: {words}
    </Text>
  );
}

/** The new value of the one setting the fix is about, under what the tenant has now. */
function ChangeForm({ change, now, onChange }: { change: PolicyChange; now: string; onChange: (change: PolicyChange) => void }) {
  switch (change.kind) {
    case 'user_consent':
      return (
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Users may consent to apps
          </Text>
          <CurrentValue words={now} />
          <SegmentedControl
            fullWidth
            aria-label="Users may consent to apps"
            value={change.value}
            onChange={(value) => onChange({ kind: 'user_consent', value: value as 'none' | 'low_risk' })}
            data={[
              { label: 'Never (an admin decides)', value: 'none' },
              { label: 'Verified publishers, low-risk permissions', value: 'low_risk' },
            ]}
          />
        </Stack>
      );
    case 'group_owner_consent':
      return (
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Group owners may consent for their groups’ data
          </Text>
          <CurrentValue words={now} />
          {allowedChoice(change.allowed, (allowed) => onChange({ kind: 'group_owner_consent', allowed }), 'Group owners may consent')}
        </Stack>
      );
    case 'app_registration':
      return (
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Users may register applications
          </Text>
          <CurrentValue words={now} />
          {allowedChoice(change.allowed, (allowed) => onChange({ kind: 'app_registration', allowed }), 'Users may register applications')}
        </Stack>
      );
    case 'admin_consent_workflow':
      return (
        <Stack gap="sm">
          <CurrentValue words={now} />
          <Switch label="Users can ask an admin to approve apps they cannot consent to" checked={change.isEnabled} onChange={(event) => onChange({ ...change, isEnabled: event.currentTarget.checked })} />
          <TagsInput
            label="Reviewers"
            description="By user principal name (admin@contoso.com) or object id; press Enter after each. Reviewers need a role that may grant consent."
            placeholder="reviewer@contoso.com"
            value={change.reviewers}
            onChange={(reviewers) => onChange({ ...change, reviewers })}
            maxTags={25}
            error={change.isEnabled && change.reviewers.length === 0 ? 'Name at least one reviewer, or nobody can act on the requests.' : undefined}
            disabled={!change.isEnabled}
          />
          <Group gap="xl">
            <Switch label="Email reviewers about new requests" checked={change.notifyReviewers} disabled={!change.isEnabled} onChange={(event) => onChange({ ...change, notifyReviewers: event.currentTarget.checked })} />
            <Switch label="Remind reviewers before a request expires" checked={change.remindersEnabled} disabled={!change.isEnabled} onChange={(event) => onChange({ ...change, remindersEnabled: event.currentTarget.checked })} />
          </Group>
          <NumberInput
            label="Requests expire after (days)"
            min={1}
            max={30}
            w={220}
            value={change.requestDurationInDays}
            disabled={!change.isEnabled}
            onChange={(value) => onChange({ ...change, requestDurationInDays: typeof value === 'number' ? value : Number.parseInt(value, 10) || 1 })}
          />
        </Stack>
      );
  }
}

function invalid(change: PolicyChange): boolean {
  if (change.kind !== 'admin_consent_workflow') return false;
  return (change.isEnabled && change.reviewers.length === 0) || change.requestDurationInDays < 1 || change.requestDurationInDays > 30;
}

/** Before → after, the call that makes it and what changes for users. */
function PlanSummary({ plan }: { plan: PolicyChangePlan }) {
  return (
    <Stack gap="sm" data-testid="policy-change-plan">
      <Text size="sm" fw={600}>
        {plan.setting} at {plan.connectionLabel}
      </Text>
      <BeforeAfter before={plan.before} after={plan.after} />
      <Text size="sm">{plan.effect}</Text>
      <Text size="xs" c="dimmed">
        Consentry calls <Code>{plan.call}</Code> and reads the setting back.
      </Text>
    </Stack>
  );
}

function ChangeOutcome({ result }: { result: PolicyChangeResult }) {
  return (
    <ReadBackOutcome applied={result.applied} appliedTitle="Changed, and read back as asked" testId="policy-change-result">
      {result.message}
    </ReadBackOutcome>
  );
}

/**
 * A setting changed the way every change here is: the new value, main's plan (before → after, the
 * call, the effect), confirm, then the setting as read back.
 */
export function PolicyChangeDialog({ tenant, change: kind, label, onClose }: { tenant: TenantConsentPolicy; change: PolicyChangeKind; label: string; onClose: () => void }) {
  const [change, setChange] = useState<PolicyChange>(() => proposedChange(kind, tenant.microsoft?.workflow ?? null));
  const plan = usePlanPolicyChange();
  const apply = useChangePolicy();
  const planned = plan.data;
  const workOut = () => {
    apply.reset();
    plan.mutate({ connectionId: tenant.connectionId, change });
  };
  const capability = useAllowCapability('consent', () => {
    if (planned) workOut();
  });
  const result = apply.data;
  const busy = apply.isPending;

  return (
    <>
      <Modal opened={!capability.allowing} onClose={onClose} title={label} size="lg" closeOnClickOutside={!busy} closeOnEscape={!busy} closeButtonProps={{ 'aria-label': 'Close' }}>
        {result ? (
          <Stack gap="md">
            <ChangeOutcome result={result} />
            <Group justify="flex-end">
              <Button onClick={onClose}>Done</Button>
            </Group>
          </Stack>
        ) : planned ? (
          <Stack gap="md">
            <PlanSummary plan={planned} />
            {planned.missingScopes.length > 0 && (
              <ConsentCapabilityNeeded label={tenant.label} missingScopes={planned.missingScopes} onAllow={() => capability.allow(tenant.connectionId)} />
            )}
            {apply.error && <PlanFailureAlert title="Nothing was changed" error={apply.error} onPlanAgain={workOut} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => plan.reset()} disabled={busy}>
                Back
              </Button>
              <Button leftSection={<IconCheck size={16} />} loading={busy} disabled={planned.missingScopes.length > 0} onClick={() => apply.mutate({ planId: planned.planId, confirmation: '' })}>
                Confirm the change
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="md">
            <ChangeForm change={change} now={currentWords(kind, tenant.microsoft)} onChange={setChange} />
            {plan.error && <FailureAlert title="The change could not be worked out" error={plan.error} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button onClick={workOut} loading={plan.isPending} disabled={invalid(change)}>
                Review the change
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      {capability.dialog}
    </>
  );
}
