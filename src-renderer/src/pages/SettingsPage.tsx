import { Button, Card, Group, NumberInput, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { BridgeError } from '../../../src-preload/client';
import { defaultSettings, SettingsSchema, settingsLimits, type Settings, type ThemePreference } from '../../../src-shared/contract/settings';
import { useSettings, useUpdateSettings } from '../bridge/queries';
import { PageHeader } from '../components/PageHeader';
import { describeScanInterval } from '../format/time';

type PolicyValues = Pick<Settings, 'backgroundScanIntervalMinutes' | 'keyAgePolicyDays' | 'expiryWarningDays'>;
type PolicyField = keyof PolicyValues;

const policyInputs: { field: PolicyField; label: string; min: number; max: number; describe: (value: unknown) => string }[] = [
  {
    field: 'keyAgePolicyDays',
    label: 'Key-age policy (days)',
    min: settingsLimits.keyAgePolicyDays.min,
    max: settingsLimits.keyAgePolicyDays.max,
    describe: () => `Not checked yet: Consentry does not read app secrets and keys yet, and keeps this for when it does. Default ${defaultSettings.keyAgePolicyDays}.`,
  },
  {
    field: 'expiryWarningDays',
    label: 'Expiry warning window (days)',
    min: settingsLimits.expiryWarningDays.min,
    max: settingsLimits.expiryWarningDays.max,
    describe: () => `Not checked yet: Consentry does not read secrets and certificates yet, and keeps this for when it does. Default ${defaultSettings.expiryWarningDays}.`,
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
const policyFields = policyInputs.map((input) => input.field);

// The same rules main applies; checked here first so the admin sees the problem before saving.
function checkField(field: PolicyField) {
  return (value: unknown) => {
    const outcome = SettingsSchema.shape[field].safeParse(value === '' ? undefined : value);
    return outcome.success ? null : (outcome.error.issues[0]?.message ?? 'This value is not valid.');
  };
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
    initialValues: {
      backgroundScanIntervalMinutes: settings.backgroundScanIntervalMinutes,
      keyAgePolicyDays: settings.keyAgePolicyDays,
      expiryWarningDays: settings.expiryWarningDays,
    },
    validate: Object.fromEntries(policyFields.map((field) => [field, checkField(field)])),
    validateInputOnBlur: true,
  });

  // When settings change elsewhere (another save, a restart), show the stored values.
  useEffect(() => {
    if (!form.isDirty()) {
      form.setValues({
        backgroundScanIntervalMinutes: settings.backgroundScanIntervalMinutes,
        keyAgePolicyDays: settings.keyAgePolicyDays,
        expiryWarningDays: settings.expiryWarningDays,
      });
      form.resetDirty();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- form is stable; react to stored values only
  }, [settings.backgroundScanIntervalMinutes, settings.keyAgePolicyDays, settings.expiryWarningDays]);

  const save = form.onSubmit((values) => {
    update.mutate(values, {
      onSuccess: (saved) => {
        form.setValues(saved);
        form.resetDirty(saved);
        notifications.show({ color: 'teal', title: 'Settings saved', message: 'Your policies are stored and in force.' });
      },
      onError: (error) => {
        if (error instanceof BridgeError) {
          for (const problem of error.fields) {
            if ((policyFields as string[]).includes(problem.field)) form.setFieldError(problem.field, problem.message);
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
        Used by scans, the credential inventory and reports.
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
