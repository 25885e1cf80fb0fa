import { describe, expect, test } from 'vitest';
import { reduceApiControls } from '../../../../src-main/providers/google/google-consent-policy';

const policy = (type: string, sortOrder: number, value: Record<string, unknown>, group = '') => ({ setting: { type: `settings/${type}`, value }, policyQuery: { orgUnit: 'orgUnits/x', group, sortOrder } });

describe('reducing Google’s API-control policies to the customer-level settings', () => {
  test('takes the lowest sort order among policies without a group, whatever the list order', () => {
    const controls = reduceApiControls([
      policy('api_controls.unconfigured_third_party_apps', 3, { accessLevel: 'BLOCK_ALL_SCOPES' }),
      policy('api_controls.unconfigured_third_party_apps', 0.5, { accessLevel: 'ALLOW_SIGN_IN_SCOPES_ONLY' }, 'groups/admins'),
      policy('api_controls.unconfigured_third_party_apps', 1, { accessLevel: 'UNSPECIFIED_UBER_BLOCK' }),
    ]);
    expect(controls.unconfiguredThirdPartyApps).toBe('UNSPECIFIED_UBER_BLOCK');
  });

  test('reads isEnabled false as restricted and leaves out entries without a scopes group', () => {
    const controls = reduceApiControls([policy('api_controls.google_services', 1, { services: [{ scopesGroup: 'DRIVE_ALL', isEnabled: false }, { scopesGroup: 'GMAIL_ALL', isEnabled: true }, { isEnabled: false }] })]);
    expect(controls.services).toEqual([
      { service: 'DRIVE_ALL', restricted: true },
      { service: 'GMAIL_ALL', restricted: false },
    ]);
  });

  test('reports a setting no policy sets as null, not as a default', () => {
    expect(reduceApiControls([])).toEqual({ unconfiguredThirdPartyApps: null, trustInternalApps: null, services: [] });
  });
});
