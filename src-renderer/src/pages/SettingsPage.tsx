import { Button, Card, Group, NumberInput, SegmentedControl, SimpleGrid, Skeleton, Stack, Switch, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { BridgeError } from '../../../src-preload/client';
import { credentialKinds, type CredentialKind } from '../../../src-shared/contract/credential-kinds';
import { defaultSettings, SettingsSchema, settingsLimits, type Settings, type ThemePreference } from '../../../src-shared/contract/settings';
import { useSettings, useUpdateSettings } from '../bridge/queries';
import { PageHeader } from '../components/PageHeader';
import { kindLabels } from '../credentials/credential-format';
import { describeScanInterval } from '../format/time';

type NumberField = 'backgroundScanIntervalMinutes' | 'keyAgePolicyDays' | 'expiryWarningDays' | 'unusedKeyDays';
/** A kind's maximum age, or '' where the kind follows the key-age policy. */
type KindAges = Record<CredentialKind, number | ''>;
type PolicyValues = Pick<Settings, NumberField | 'forbidUnrestrictedApiKeys'> & { credentialMaxAgeDays: KindAges };
type PolicyField = NumberField | 'forbidUnrestrictedApiKeys' | 'credentialMaxAgeDays';

const policyInputs: { field: NumberField; label: string; min: number; max: number; describe: (value: unknown) => string }[] = [
  {
    field: 'keyAgePolicyDays',
    label: 'Key-age policy (days)',
    min: settingsLimits.keyAgePolicyDays.min,
    max: settingsLimits.keyAgePolicyDays.max,
    describe: () => `The oldest a secret, certificate or key may be before the Credentials page calls it too old, unless its kind has its own maximum below. Default ${defaultSettings.keyAgePolicyDays}.`,
  },
  {
    field: 'expiryWarningDays',
    label: 'Expiry warning window (days)',
    min: settingsLimits.expiryWarningDays.min,
    max: settingsLimits.expiryWarningDays.max,
    describe: () => `A credential that expires within this many days is expiring, and raises one notification. Default ${defaultSettings.expiryWarningDays}.`,
  },
  {
    field: 'unusedKeyDays',
    label: 'Unused service-account keys (days)',
    min: settingsLimits.unusedKeyDays.off,
    max: settingsLimits.unusedKeyDays.max,
    describe: () =>
      `A service-account key not used for this many days is a finding. 0 turns the check off; otherwise ${settingsLimits.unusedKeyDays.min}–${settingsLimits.unusedKeyDays.max}. Default ${defaultSettings.unusedKeyDays}.`,
  },
  {
    field: 'backgroundScanIntervalMinutes',
    label: 'Background scan interval (minutes)',
    min: 0,
    max: settingsLimits.backgroundScanIntervalMinutes.max,
    describe: (value) =>
      `While Consentry runs, it scans every connected tenant this often and notifies you of new Critical grants. 0 turns it off; otherwise ${settingsLimits.backgroundScanIntervalMinutes.min}–${settingsLimits.backgroundScanIntervalMinutes.max}. Now: ${typeof value === 'number' ? describeScanInterval(value) : '—'}.`,
  },
];
const policyFields: PolicyField[] = [...policyInputs.map((input) => input.field), 'forbidUnrestrictedApiKeys', 'credentialMaxAgeDays'];

const firstIssue = (outcome: { success: boolean; error?: { issues: { message: string }[] } }) =>
  outcome.success ? null : (outcome.error?.issues[0]?.message ?? 'This value is not valid.');

// The same rules main applies; checked here first so the admin sees the problem before saving.
function checkField(field: NumberField) {
  return (value: unknown) => firstIssue(SettingsSchema.shape[field].safeParse(value === '' ? undefined : value));
}

/** An empty box means the kind follows the key-age policy. */
function checkKindAge(kind: CredentialKind) {
  return (value: unknown) => (value === '' ? null : firstIssue(SettingsSchema.shape.credentialMaxAgeDays.safeParse({ [kind]: value })));
}

function formValues(settings: Settings): PolicyValues {
  return {
    backgroundScanIntervalMinutes: settings.backgroundScanIntervalMinutes,
    keyAgePolicyDays: settings.keyAgePolicyDays,
    expiryWarningDays: settings.expiryWarningDays,
    unusedKeyDays: settings.unusedKeyDays,
    forbidUnrestrictedApiKeys: settings.forbidUnrestrictedApiKeys,
    credentialMaxAgeDays: Object.fromEntries(credentialKinds.map((kind) => [kind, settings.credentialMaxAgeDays[kind] ?? ''])) as KindAges,
  };
}

/** The policies the admin changed, as main stores them (only the kinds with their own maximum), so a save never overwrites another's change. */
function settingsPatch(values: PolicyValues, changed: (field: PolicyField) => boolean): Partial<Settings> {
  const credentialMaxAgeDays: Settings['credentialMaxAgeDays'] = {};
  for (const kind of credentialKinds) {
    const days = values.credentialMaxAgeDays[kind];
    if (days !== '') credentialMaxAgeDays[kind] = days;
  }
  const all: Partial<Settings> = { ...values, credentialMaxAgeDays };
  return Object.fromEntries(policyFields.filter(changed).map((field) => [field, all[field]]));
}

/** Main names a kind's field `credentialMaxAgeDays.<kind>`; the form's path is the same. */
function formPathOf(field: string): string | null {
  const [root] = field.split('.');
  return root && (policyFields as string[]).includes(root) ? field : null;
}

function showFailure(title: string, error: unknown) {
  notifications.show({
    color: 'red',
    title,
    message: error instanceof BridgeError ? [error.message, error.nextStep].filter(Boolean).join(' ') : 'Consentry could not reach its console.',
  });
}

function ThemeCard({ theme }: { theme: ThemePreference }) {
  const update = useUpdateSettings();
  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h4" mb={4}>
        Appearance
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        System follows the light or dark setting of Windows or macOS.
      </Text>
      <SegmentedControl
        aria-label="Theme"
        value={theme}
        disabled={update.isPending}
        onChange={(value) =>
          update.mutate({ theme: value as ThemePreference }, { onError: (error) => showFailure('Theme not saved', error) })
        }
        data={[
          { label: 'Light', value: 'light' },
          { label: 'Dark', value: 'dark' },
          { label: 'System', value: 'system' },
        ]}
      />
    </Card>
  );
}

function PoliciesForm({ settings }: { settings: Settings }) {
  const update = useUpdateSettings();
  const form = useForm<PolicyValues>({
    mode: 'controlled',
    initialValues: formValues(settings),
    validate: {
      ...Object.fromEntries(policyInputs.map((input) => [input.field, checkField(input.field)])),
      credentialMaxAgeDays: Object.fromEntries(credentialKinds.map((kind) => [kind, checkKindAge(kind)])),
    },
    validateInputOnBlur: true,
  });

  // When settings change elsewhere (another save, a restart), show the stored values.
  useEffect(() => {
    if (!form.isDirty()) {
      form.setValues(formValues(settings));
      form.resetDirty();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- form is stable; react to stored values only
  }, [settings]);

  const save = form.onSubmit((values) => {
    update.mutate(settingsPatch(values, (field) => form.isDirty(field)), {
      onSuccess: (saved) => {
        form.setValues(formValues(saved));
        form.resetDirty(formValues(saved));
        notifications.show({ color: 'teal', title: 'Settings saved', message: 'Your policies are stored and in force.' });
      },
      onError: (error) => {
        if (error instanceof BridgeError) {
          for (const problem of error.fields) {
            const path = formPathOf(problem.field);
            if (path) form.setFieldError(path, problem.message);
          }
        }
        showFailure('Settings not saved', error);
      },
    });
  });

  return (
    <Card withBorder padding="lg" component="form" onSubmit={save} noValidate>
      <Title order={2} size="h4" mb={4}>
        Policies
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Used by scans, the credential inventory and its expiry notifications, and reports.
      </Text>
      <Stack gap="md" maw={460}>
        {policyInputs.map((input) => (
          <NumberInput
            key={input.field}
            label={input.label}
            description={input.describe(form.getValues()[input.field])}
            min={input.min}
            max={input.max}
            allowDecimal={false}
            clampBehavior="none"
            {...form.getInputProps(input.field)}
          />
        ))}
        <Switch
          label="No unrestricted API keys"
          description="An API key that any site, app or API may use is a finding on the Credentials page."
          {...form.getInputProps('forbidUnrestrictedApiKeys', { type: 'checkbox' })}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Maximum age per kind (days)
          </Text>
          <Text size="xs" c="dimmed">
            Leave a kind empty to use the key-age policy above.
          </Text>
          <SimpleGrid cols={2} spacing="sm" verticalSpacing="xs" data-testid="kind-max-age">
            {credentialKinds.map((kind) => (
              <NumberInput
                key={kind}
                label={kindLabels[kind]}
                placeholder={`${form.getValues().keyAgePolicyDays || defaultSettings.keyAgePolicyDays} (policy)`}
                min={settingsLimits.keyAgePolicyDays.min}
                max={settingsLimits.keyAgePolicyDays.max}
                allowDecimal={false}
                clampBehavior="none"
                size="xs"
                {...form.getInputProps(`credentialMaxAgeDays.${kind}`)}
              />
            ))}
          </SimpleGrid>
        </Stack>
        <Group gap="sm" mt="xs">
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            Save policies
          </Button>
          <Button variant="default" disabled={!form.isDirty() || update.isPending} onClick={() => form.reset()}>
            Discard changes
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function SettingsPage() {
  const settings = useSettings();
  return (
    <>
      <PageHeader title="Settings" description="How Consentry looks and the policies it measures your tenants against. Stored on this computer." />
      {settings.data ? (
        <Stack gap="lg" maw={720}>
          <ThemeCard theme={settings.data.theme} />
          <PoliciesForm settings={settings.data} />
        </Stack>
      ) : (
        <Skeleton h={320} maw={720} />
      )}
    </>
  );
}
