import { useAllowCapability } from '../connections/useAllowCapability';
import { Alert, Button, Group, Loader, Modal, Stack, Stepper, Text } from '@mantine/core';
import { IconBrowser, IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import type { JobSummary } from '../../../src-shared/contract/jobs';
import { useConsentReview, useOpenConsentPrompt, usePlanConsentGrant, useStartConsentGrant } from '../bridge/consent-queries';
import { isJobActive, useJob } from '../bridge/job-queries';
import { FailureAlert } from '../components/FailureAlert';
import { ConsentCapabilityNeeded } from './ConsentCapabilityNeeded';
import { GrantPlanStep } from './GrantPlanStep';
import { BrowserGrantResult, GraphGrantResult } from './GrantResultStep';
import { PlanFailureAlert } from './PlanFailureAlert';
import { keptAtFirst, ReviewStep, type GrantMethod, type KeptPermissions, type PermissionKind } from './ReviewStep';
import { isConfirmed, TypedConfirmation } from './TypedConfirmation';
import { WizardAppForm, type ReviewTarget } from './WizardAppForm';

/** Where the wizard starts: from nothing, a request (its scopes included) or an app already consented. */
export interface WizardStart {
  connectionId?: string;
  appId?: string;
  requestId?: string;
}

function startTarget(start: WizardStart): ReviewTarget | null {
  if (!start.connectionId || !start.appId) return null;
  return { connectionId: start.connectionId, appId: start.appId, ...(start.requestId ? { requestId: start.requestId } : {}), delegated: [], application: [] };
}

/**
 * Admin consent for exactly what the admin reviewed: the app, every permission rated (untick to
 * leave out), main's plan, then the grant (a job through Graph, or Microsoft's prompt in the
 * browser) and what the tenant holds afterwards, read back.
 */
export function GrantWizard({ start, onClose }: { start: WizardStart; onClose: () => void }) {
  const [target, setTarget] = useState<ReviewTarget | null>(() => startTarget(start));
  /** What the app form shows after Back: the target last reviewed. */
  const [draft, setDraft] = useState<ReviewTarget | null>(null);
  const [kept, setKept] = useState<KeptPermissions | null>(null);
  const [method, setMethod] = useState<GrantMethod>('graph');
  const [typed, setTyped] = useState('');
  const [started, setStarted] = useState<JobSummary | null>(null);
  const [promptOpened, setPromptOpened] = useState(false);
  const review = useConsentReview(target);
  const plan = usePlanConsentGrant();
  const grant = useStartConsentGrant();
  const prompt = useOpenConsentPrompt();
  const job = useJob(started?.id ?? null);
  const planAgain = () => {
    grant.reset();
    prompt.reset();
    setTyped('');
    if (plan.variables) plan.mutate(plan.variables);
  };
  const capability = useAllowCapability('consent', () => {
    if (plan.data) planAgain();
  });

  const reviewed = review.data;
  const keptNow = kept ?? (reviewed ? keptAtFirst(reviewed) : null);
  const planned = plan.data;
  const sending = grant.isPending || prompt.isPending;

  const toggle = (kind: PermissionKind, scope: string, keep: boolean) => {
    if (!keptNow) return;
    const next = new Set(keptNow[kind]);
    if (keep) next.add(scope);
    else next.delete(scope);
    setKept({ ...keptNow, [kind]: next });
  };

  const workOutPlan = () => {
    if (!reviewed || !keptNow) return;
    // In the review's order, so the plan reads as the admin saw the list.
    const keepDelegated = reviewed.delegated.map((permission) => permission.scope).filter((scope) => keptNow.delegated.has(scope));
    const keepApplication = reviewed.application.map((permission) => permission.scope).filter((scope) => keptNow.application.has(scope));
    setTyped('');
    plan.mutate({ reviewId: reviewed.reviewId, keepDelegated, keepApplication, method });
  };

  const confirm = () => {
    if (!planned) return;
    if (planned.method === 'graph') {
      grant.mutate({ planId: planned.planId, confirmation: planned.confirmationText ? typed.trim() : '' }, { onSuccess: setStarted });
    } else {
      prompt.mutate(planned.planId, { onSuccess: (opened) => setPromptOpened(opened.opened) });
    }
  };

  const backToApp = () => {
    plan.reset();
    setDraft(target);
    setTarget(null);
    setKept(null);
  };

  const title = reviewed ? `Grant admin consent: ${reviewed.appName}` : 'Grant admin consent';
  const current = job ?? started;
  const running = current ? isJobActive(current) : false;
  // Past the last step (every step ticked) once the grant has ended.
  const step = started || promptOpened ? (started && !running ? 4 : 3) : planned ? 2 : target ? 1 : 0;

  return (
    <>
      <Modal
        opened={!capability.allowing}
        onClose={onClose}
        title={title}
        size={920}
        closeOnClickOutside={false}
        closeOnEscape={!sending}
        withCloseButton={!sending}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack gap="lg">
          <Stepper active={step} size="sm" allowNextStepsSelect={false}>
            <Stepper.Step label="App" />
            <Stepper.Step label="Review" />
            <Stepper.Step label="Plan" />
            <Stepper.Step label="Result" />
          </Stepper>
          {step === 0 && <WizardAppForm initial={draft ?? start} onReview={setTarget} onCancel={onClose} reviewing={review.isFetching} />}
          {step === 1 && (
            <Stack gap="md">
              {review.error ? (
                <FailureAlert title="The app could not be reviewed" error={review.error} />
              ) : !reviewed || !keptNow ? (
                <Group gap="sm" py="lg">
                  <Loader size="sm" aria-hidden />
                  <Text size="sm">Reading what the app asks for and holds…</Text>
                </Group>
              ) : (
                <ReviewStep review={reviewed} kept={keptNow} onToggle={toggle} method={method} onMethod={setMethod} />
              )}
              {plan.error && <FailureAlert title="The grant could not be worked out" error={plan.error} />}
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={backToApp}>
                  Back
                </Button>
                <Button onClick={workOutPlan} loading={plan.isPending} disabled={!reviewed}>
                  Work out the plan
                </Button>
              </Group>
            </Stack>
          )}
          {step === 2 && planned && (
            <Stack gap="md">
              <GrantPlanStep plan={planned} />
              {planned.missingScopes.length > 0 && (
                <ConsentCapabilityNeeded label={planned.connectionLabel} missingScopes={planned.missingScopes} what="Granting consent" onAllow={() => capability.allow(planned.connectionId)} />
              )}
              {planned.confirmationText && <TypedConfirmation expected={planned.confirmationText} value={typed} onChange={setTyped} />}
              {prompt.data && !prompt.data.opened && (
                <Alert color="orange" variant="light" title="The browser did not open">
                  Consentry could not open your browser. Try again; if it keeps failing, grant through Microsoft Graph instead.
                </Alert>
              )}
              {(grant.error ?? prompt.error) && <PlanFailureAlert title="Nothing was granted" error={grant.error ?? prompt.error} onPlanAgain={planAgain} againLabel="Work out the plan again" />}
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => plan.reset()} disabled={sending}>
                  Back
                </Button>
                <Button
                  leftSection={planned.method === 'graph' ? <IconCheck size={16} /> : <IconBrowser size={16} />}
                  onClick={confirm}
                  loading={sending}
                  disabled={planned.missingScopes.length > 0 || !isConfirmed(planned.confirmationText, typed)}
                >
                  {planned.method === 'graph' ? 'Grant consent' : 'Open the consent prompt'}
                </Button>
              </Group>
            </Stack>
          )}
          {step >= 3 && planned && (
            <Stack gap="md">
              {started ? <GraphGrantResult started={started} /> : <BrowserGrantResult planId={planned.planId} appName={planned.appName} />}
              <Group justify="flex-end">
                <Button onClick={onClose}>{running ? 'Run in the background' : 'Done'}</Button>
              </Group>
            </Stack>
          )}
        </Stack>
      </Modal>
      {capability.dialog}
    </>
  );
}
