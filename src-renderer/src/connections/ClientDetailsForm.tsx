import { Alert, Button, Collapse, List, Loader, NumberInput, Paper, PasswordInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useId, useState } from 'react';
import type { ConnectionPreview, MicrosoftCloud, ProviderField, ProviderPreset } from '../../../src-shared/contract/connections';
import { CopyableValue } from '../components/CopyableValue';
import { OpenInBrowserButton } from '../components/OpenInBrowserButton';
import { endpointFields, type ClientValues, type DraftField } from './connection-draft';

export interface ClientFieldControls {
  values: ClientValues;
  errorFor: (field: DraftField) => string | undefined;
  onChange: <K extends keyof ClientValues>(field: K, value: ClientValues[K]) => void;
  onBlur: (field: keyof ClientValues) => void;
}

/** The secret input: empty on every render that is not the admin typing; never filled from anywhere. */
export function ClientSecretInput({ preset, controls, description }: { preset: ProviderPreset; controls: ClientFieldControls; description?: string }) {
  return (
    <PasswordInput
      label="Client secret"
      description={description ?? preset.clientSecretNote}
      required={preset.clientSecret === 'required'}
      autoComplete="off"
      value={controls.values.clientSecret}
      onChange={(event) => controls.onChange('clientSecret', event.currentTarget.value)}
      onBlur={() => controls.onBlur('clientSecret')}
      error={controls.errorFor('clientSecret')}
    />
  );
}

function ProviderFieldInput({ preset, field, controls }: { preset: ProviderPreset; field: ProviderField; controls: ClientFieldControls }) {
  const key = `settings.${field.name}` as DraftField;
  if (field.name === 'cloud') {
    return (
      <Select
        label={field.label}
        description={field.description}
        placeholder={preset.clouds.find((cloud) => cloud.id === 'global')?.label ?? field.placeholder}
        data={preset.clouds.map((cloud) => ({ value: cloud.id, label: cloud.label }))}
        value={controls.values.cloud || null}
        onChange={(value) => controls.onChange('cloud', (value ?? '') as MicrosoftCloud | '')}
        onBlur={() => controls.onBlur('cloud')}
        clearable
        required={field.required}
        error={controls.errorFor(key)}
      />
    );
  }
  const name = field.name;
  return (
    <TextInput
      label={field.label}
      description={field.description}
      placeholder={field.placeholder}
      required={field.required}
      value={controls.values[name]}
      onChange={(event) => controls.onChange(name, event.currentTarget.value)}
      onBlur={() => controls.onBlur(name)}
      error={controls.errorFor(key)}
    />
  );
}

function RegistrationGuide({ preset, preview, previewLoading }: { preset: ProviderPreset; preview: ConnectionPreview | undefined; previewLoading: boolean }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={3} size="h5" mb={4}>
        Register an OAuth client for Consentry
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {preset.registration.where}
      </Text>
      <List type="ordered" size="sm" spacing={4} mb="sm">
        {preset.registration.steps.map((step) => (
          <List.Item key={step}>{step}</List.Item>
        ))}
      </List>
      {preset.registration.url && (
        <OpenInBrowserButton url={preset.registration.url} size="xs" mb="sm">
          Open the registration page
        </OpenInBrowserButton>
      )}
      <Text size="sm" fw={600} id="redirect-uri-heading">
        Redirect URI to register
      </Text>
      {preview ? (
        <Stack gap={4} mt={4} aria-labelledby="redirect-uri-heading">
          <CopyableValue value={preview.redirectUri} copyLabel="Copy redirect URI" testId="redirect-uri" />
          <Text size="xs" c="dimmed">
            {preview.redirectNote}
          </Text>
        </Stack>
      ) : previewLoading ? (
        <Loader size="xs" mt={4} aria-label="Working out the redirect URI" />
      ) : (
        <Text size="sm" c="dimmed">
          It appears here as soon as the details below are valid.
        </Text>
      )}
    </Paper>
  );
}

const endpointInputs: Record<Exclude<(typeof endpointFields)[number], 'redirectPort'>, { label: string; placeholder: string }> = {
  authorizationEndpoint: { label: 'Authorization endpoint', placeholder: 'https://login.example.com/oauth2/authorize' },
  tokenEndpoint: { label: 'Token endpoint', placeholder: 'https://login.example.com/oauth2/token' },
  revocationEndpoint: { label: 'Revocation endpoint', placeholder: 'https://login.example.com/oauth2/revoke' },
};

/** Step 2: the admin's own OAuth client, the provider's fields, and what to register where. */
export function ClientDetailsForm({
  preset,
  controls,
  preview,
  previewLoading,
  otherProblems,
}: {
  preset: ProviderPreset;
  controls: ClientFieldControls;
  preview: ConnectionPreview | undefined;
  previewLoading: boolean;
  /** Problems main reported that belong to no input here. */
  otherProblems: string[];
}) {
  const advancedId = useId();
  const advancedHasError = endpointFields.some((name) => controls.errorFor(`settings.${name}`));
  const [advancedOpen, setAdvancedOpen] = useState(preset.scopesEditable);
  const showAdvanced = advancedOpen || advancedHasError;
  const { values } = controls;

  return (
    <Stack gap="md">
      <RegistrationGuide preset={preset} preview={preview} previewLoading={previewLoading} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <TextInput
          label="Connection name"
          description="Shown in Consentry, e.g. “Acme Workspace”."
          required
          value={values.label}
          onChange={(event) => controls.onChange('label', event.currentTarget.value)}
          onBlur={() => controls.onBlur('label')}
          error={controls.errorFor('label')}
        />
        <TextInput
          label="Client ID"
          description="From the OAuth client you registered."
          required
          autoComplete="off"
          value={values.clientId}
          onChange={(event) => controls.onChange('clientId', event.currentTarget.value)}
          onBlur={() => controls.onBlur('clientId')}
          error={controls.errorFor('clientId')}
        />
      </SimpleGrid>
      {preset.clientSecret !== 'none' && <ClientSecretInput preset={preset} controls={controls} />}
      {preset.clientSecret === 'none' && (
        <Text size="sm" c="dimmed">
          {preset.clientSecretNote}
        </Text>
      )}
      {preset.fields.map((field) => (
        <ProviderFieldInput key={field.name} preset={preset} field={field} controls={controls} />
      ))}
      {preset.scopesEditable && (
        <Textarea
          label="Audit scopes"
          description="Read-only scopes, one per line or separated by spaces. Asked for at every sign-in; Consentry changes nothing at a custom provider."
          autosize
          minRows={3}
          ff="monospace"
          value={values.auditScopes}
          onChange={(event) => controls.onChange('auditScopes', event.currentTarget.value)}
          onBlur={() => controls.onBlur('auditScopes')}
          error={controls.errorFor('settings.auditScopes')}
        />
      )}
      <div>
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={showAdvanced ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
          aria-expanded={showAdvanced}
          aria-controls={advancedId}
          onClick={() => setAdvancedOpen(!showAdvanced)}
        >
          Endpoints (advanced)
        </Button>
        <Collapse expanded={showAdvanced} id={advancedId}>
          <Stack gap="sm" mt="sm">
            <Text size="sm" c="dimmed">
              Leave these empty to use {preset.label}’s own endpoints. Fill them in for national clouds, custom domains or a test
              server{preset.scopesEditable ? ', or when your provider has no issuer to discover them from' : ''}.
            </Text>
            {(Object.keys(endpointInputs) as (keyof typeof endpointInputs)[]).map((name) => (
              <TextInput
                key={name}
                label={endpointInputs[name].label}
                placeholder={endpointInputs[name].placeholder}
                value={values[name]}
                onChange={(event) => controls.onChange(name, event.currentTarget.value)}
                onBlur={() => controls.onBlur(name)}
                error={controls.errorFor(`settings.${name}`)}
              />
            ))}
            <NumberInput
              label="Redirect port"
              description="For providers that match the redirect URI exactly, port included; the URI above follows it."
              placeholder="Chosen by Consentry"
              min={1024}
              max={65_535}
              allowDecimal={false}
              allowNegative={false}
              clampBehavior="none"
              value={values.redirectPort}
              onChange={(value) => controls.onChange('redirectPort', value)}
              onBlur={() => controls.onBlur('redirectPort')}
              error={controls.errorFor('settings.redirectPort')}
              w={220}
            />
          </Stack>
        </Collapse>
      </div>
      {otherProblems.length > 0 && (
        <Alert color="red" variant="light" title="Some details need correcting" role="alert">
          <List size="sm">
            {otherProblems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}
