import { Alert, Button, Group, Loader, Skeleton, Stack, Stepper, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBrowser, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { ConnectionPreviewRequest, ProviderPreset } from '../../../src-shared/contract/connections';
import type { CapabilityId, ProviderId } from '../../../src-shared/domain/ids';
import { asBridgeError } from '../bridge/bridge-failure';
import { useConsentry } from '../bridge/consentry-bridge';
import { useConnectionPreview, useProviderCatalog } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { AttemptProgress } from './AttemptProgress';
import { ClientDetailsForm, ClientSecretInput, type ClientFieldControls } from './ClientDetailsForm';
import {
  checkDraft,
  checkPreviewRequest,
  connectionDraft,
  emptyClientValues,
  fieldErrorsFrom,
  previewRequest,
  type ClientValues,
  type DraftField,
  type FieldErrors,
} from './connection-draft';
import { CapabilityChoice } from './CapabilityChoice';
import { capabilityText } from './capability-text';
import { ProviderPicker } from './ProviderPicker';
import { notifyConnected } from './notify-connected';
import { ScopeTable } from './ScopeTable';
import { useConnectAttempt } from './useConnectAttempt';
import { SignInModal } from './SignInModal';

const steps = { provider: 0, client: 1, access: 2, scopes: 3, browser: 4 } as const;
const previewDelayMs = 300;

/** Which input an error belongs to, from the name of the value it edits. */
function draftFieldFor(field: keyof ClientValues): DraftField {
  return field === 'label' || field === 'clientId' || field === 'clientSecret' ? field : `settings.${field}`;
}

function WizardBody({ providers, onClose, onRunningChange }: { providers: ProviderPreset[]; onClose: () => void; onRunningChange: (running: boolean) => void }) {
  const client = useConsentry();
  const [active, setActive] = useState<number>(steps.provider);
  const [providerId, setProviderId] = useState<ProviderId | null>(null);
  const [values, setValues] = useState<ClientValues>(emptyClientValues);
  const [touched, setTouched] = useState<ReadonlySet<DraftField>>(new Set());
  const [showAllErrors, setShowAllErrors] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  // Least privilege first: nothing beyond reading until the admin allows it.
  const [capabilities, setCapabilities] = useState<CapabilityId[]>([]);
  const [secretWasSent, setSecretWasSent] = useState(false);
  const attempt = useConnectAttempt();
  const running = attempt.state.phase === 'running';

  const preset = providers.find((candidate) => candidate.id === providerId) ?? null;

  // The preview follows what is typed, a moment after typing stops. Keyed by content, so typing the
  // secret (which no preview carries) does not restart it.
  const previewJson = preset ? JSON.stringify(previewRequest(preset, values, capabilities)) : null;
  const [settledJson] = useDebouncedValue(previewJson, previewDelayMs);
  const previewSettled = settledJson === previewJson;
  const draftForPreview = previewJson === null ? null : (JSON.parse(previewJson) as ConnectionPreviewRequest);
  const settledDraft = settledJson === null ? null : (JSON.parse(settledJson) as ConnectionPreviewRequest);
  // Only complete drafts that pass the contract are sent: main records every request it refuses.
  const isSendable = (request: ConnectionPreviewRequest | null) => preset !== null && request !== null && Object.keys(checkPreviewRequest(preset, request)).length === 0;
  const sendablePreview = active >= steps.client && isSendable(settledDraft) ? settledDraft : null;
  const preview = useConnectionPreview(sendablePreview);
  const previewFailure = preview.error ? asBridgeError(preview.error) : null;
  const previewProblems = fieldErrorsFrom(previewFailure?.fields ?? []);

  const localErrors = preset ? checkDraft(preset, connectionDraft(preset, values, capabilities)) : {};

  // Main's answer to a sign-in shows at once; the rest once the admin has been at the field.
  const errorFor = (field: DraftField) => {
    const server = serverErrors[field];
    if (server) return server;
    if (!showAllErrors && !touched.has(field)) return undefined;
    return localErrors[field] ?? previewProblems.byField[field];
  };

  const controls: ClientFieldControls = {
    values,
    errorFor,
    onChange: (field, value) => {
      setValues((previous) => ({ ...previous, [field]: value }));
      const key = draftFieldFor(field);
      setTouched((previous) => new Set(previous).add(key));
      setServerErrors(({ [key]: _fixed, ...rest }) => rest);
    },
    onBlur: (field) => setTouched((previous) => new Set(previous).add(draftFieldFor(field))),
  };

  const chooseProvider = (id: ProviderId) => {
    const next = providers.find((candidate) => candidate.id === id);
    setProviderId(id);
    // What one provider may do says nothing about another.
    if (id !== providerId) setCapabilities([]);
    setServerErrors({});
    setShowAllErrors(false);
    // Suggest the provider's name until the admin names the connection.
    if (next && !touched.has('label')) setValues((previous) => ({ ...previous, label: next.label }));
  };

  // Next waits for main's view of the latest values, so a draft main refuses does not slip past.
  const previewPending = isSendable(draftForPreview) && (!previewSettled || preview.isFetching);

  const clientStepReady = () => {
    const blocking = { ...previewProblems.byField, ...localErrors };
    if (Object.keys(blocking).length > 0 || previewProblems.unplaced.length > 0) {
      setShowAllErrors(true);
      return false;
    }
    return true;
  };

  const next = () => {
    if (active === steps.client && !clientStepReady()) return;
    setActive((step) => Math.min(step + 1, steps.browser));
  };

  const currentPreview = previewSettled && !preview.isPlaceholderData ? preview.data : undefined;

  const connect = async () => {
    if (!preset) return;
    const draft = connectionDraft(preset, values, capabilities);
    const problems = checkDraft(preset, draft);
    if (Object.keys(problems).length > 0) {
      setShowAllErrors(true);
      // A secret asked again after a failed try is typed on this step; anything else is back on Client.
      if (Object.keys(problems).some((field) => field !== 'clientSecret')) setActive(steps.client);
      return;
    }
    if (draft.clientSecret) setSecretWasSent(true);
    // The secret lives on only inside the request that carries it.
    setValues((previous) => ({ ...previous, clientSecret: '' }));
    // Asking for it again after a failed try is not an error until the admin tries once more.
    setTouched((previous) => {
      const next = new Set(previous);
      next.delete('clientSecret');
      return next;
    });
    setShowAllErrors(false);
    onRunningChange(true);
    const outcome = await attempt.start((attemptId) => client.call('connections.connect', { attemptId, draft }));
    onRunningChange(false);
    if (outcome.ok) {
      notifyConnected('Connected', outcome.connection);
      onClose();
      return;
    }
    if (outcome.error.fields.length > 0) {
      setServerErrors(fieldErrorsFrom(outcome.error.fields).byField);
      setShowAllErrors(true);
    }
  };

  const failedWithFields = attempt.state.phase === 'failed' && attempt.state.error.fields.length > 0;
  const secretAskedAgain = preset !== null && preset.clientSecret !== 'none' && secretWasSent && values.clientSecret === '';

  return (
    <Stack gap="lg">
      <Stepper
        active={active}
        onStepClick={(step) => {
          if (!running && step < active) setActive(step);
        }}
        allowNextStepsSelect={false}
        size="sm"
      >
        <Stepper.Step label="Provider" description="Who to connect">
          <ProviderPicker providers={providers} value={providerId} onChange={chooseProvider} />
        </Stepper.Step>
        <Stepper.Step label="Client" description="Your OAuth client">
          {preset && (
            <ClientDetailsForm
              key={preset.id}
              preset={preset}
              controls={controls}
              preview={preview.data}
              previewLoading={previewPending}
              otherProblems={showAllErrors ? previewProblems.unplaced : []}
            />
          )}
        </Stepper.Step>
        <Stepper.Step label="Access" description="What it may do">
          {preset && <CapabilityChoice preset={preset} value={capabilities} onChange={setCapabilities} />}
        </Stepper.Step>
        <Stepper.Step label="Scopes" description="What will be asked">
          {previewFailure && previewSettled ? (
            <FailureAlert title="The scopes cannot be worked out yet" error={previewFailure}>
              {previewProblems.unplaced.length + Object.keys(previewProblems.byField).length > 0 && (
                <Button variant="light" color="red" size="xs" w="fit-content" onClick={() => { setShowAllErrors(true); setActive(steps.client); }}>
                  Fix client details
                </Button>
              )}
            </FailureAlert>
          ) : currentPreview ? (
            <Stack gap="sm">
              <Text size="sm">
                Exactly these scopes will be asked for. Your browser will open <strong>{currentPreview.authorizationHost}</strong>, where{' '}
                {preset?.label} shows them again for you to approve.
              </Text>
              {currentPreview.scopesNote && (
                <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} title="Set the scopes on your app">
                  {currentPreview.scopesNote}
                </Alert>
              )}
              <ScopeTable scopes={currentPreview.scopes} caption={capabilities.length === 0 ? 'Scopes asked for: reading only' : 'Scopes asked for: reading, and what you allowed'} />
              {preset?.capabilities
                .filter((capability) => capabilities.includes(capability.id) && capability.scopes.length === 0)
                .map((capability) => (
                  <Text key={capability.id} size="sm" c="dimmed">
                    {capabilityText[capability.id].title} adds no scope: the audit scopes already allow it.
                  </Text>
                ))}
            </Stack>
          ) : (
            <Group gap="sm">
              <Loader size="sm" aria-hidden />
              <Text size="sm">Working out the scopes…</Text>
            </Group>
          )}
        </Stepper.Step>
        <Stepper.Step label="Browser" description="Sign in and approve">
          {preset && (
            <Stack gap="md">
              <Text size="sm">
                Consentry opens your default browser at <strong>{currentPreview?.authorizationHost ?? preset.label}</strong>. Sign in as an
                administrator and approve the scopes; the browser then hands the sign-in back to Consentry on this computer. Tokens are
                kept by the console, encrypted, and never reach this window.
              </Text>
              {secretAskedAgain && attempt.state.phase !== 'running' && (
                <ClientSecretInput
                  preset={preset}
                  controls={controls}
                  description="Consentry does not keep the secret between tries. Enter it again to try once more."
                />
              )}
              <AttemptProgress state={attempt.state} providerLabel={preset.label} onCancel={() => void attempt.cancel()} />
            </Stack>
          )}
        </Stepper.Step>
      </Stepper>

      {!running && (
        <Group justify="flex-end" gap="sm">
          {active > steps.provider && (
            <Button variant="default" onClick={() => setActive((step) => step - 1)}>
              Back
            </Button>
          )}
          {active === steps.browser && failedWithFields && (
            <Button variant="light" onClick={() => setActive(steps.client)}>
              Fix client details
            </Button>
          )}
          {active < steps.browser ? (
            <Button
              onClick={next}
              loading={active === steps.client && previewPending}
              disabled={(active === steps.provider && !preset) || (active === steps.scopes && !currentPreview)}
            >
              Next
            </Button>
          ) : (
            <Button leftSection={<IconBrowser size={16} />} onClick={() => void connect()}>
              {attempt.state.phase === 'failed' ? 'Try again' : 'Open browser and connect'}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}

/** Connect a tenant: provider, the admin's OAuth client, what Consentry may do, scopes, then the system browser. */
export function ConnectWizard({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const catalog = useProviderCatalog();
  const [running, setRunning] = useState(false);
  // A fresh wizard (and no secret left in memory) each time it opens.
  const [session, setSession] = useState(0);
  const close = () => {
    setRunning(false);
    setSession((value) => value + 1);
    onClose();
  };

  return (
    <SignInModal opened={opened} onClose={close} title="Connect a tenant" size={960} running={running}>
      {catalog.error ? (
        <FailureAlert title="The list of providers could not be loaded" error={catalog.error} />
      ) : !catalog.data ? (
        <Skeleton h={240} />
      ) : (
        <WizardBody key={session} providers={catalog.data.providers} onClose={close} onRunningChange={setRunning} />
      )}
    </SignInModal>
  );
}
