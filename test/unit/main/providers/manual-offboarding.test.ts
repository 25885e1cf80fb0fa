/**
 * The providers Consentry has no admin API for (Slack, Zoom, HubSpot, Pipedrive, a custom one):
 * their offboarding is a list of manual steps, each with the place in the provider's console, and
 * anything that would read or change the provider is refused rather than pretended.
 */
import { describe, expect, test } from 'vitest';
import { AppError } from '../../../../src-main/errors/app-error';
import type { ProviderCallContext } from '../../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../../src-main/net/request-scheduler';
import type { DirectoryPerson } from '../../../../src-main/offboarding/offboarding-port';
import { customModule } from '../../../../src-main/providers/custom/custom-module';
import { hubspotModule } from '../../../../src-main/providers/hubspot/hubspot-module';
import { manualOffboarding } from '../../../../src-main/providers/manual-offboarding';
import { pipedriveModule } from '../../../../src-main/providers/pipedrive/pipedrive-module';
import type { ProviderModule } from '../../../../src-main/providers/provider-module';
import { slackModule } from '../../../../src-main/providers/slack/slack-module';
import { zoomModule } from '../../../../src-main/providers/zoom/zoom-module';

const manualModules: ProviderModule[] = [slackModule, zoomModule, hubspotModule, pipedriveModule, customModule];
const suspending = { suspend: true, transferData: true };
const keeping = { suspend: false, transferData: true };

/** Where each provider's steps are done, as the admin reads them. */
const expected: Record<string, { kind: string; place: string; url: string | null; whenKeeping: boolean }[]> = {
  slack: [
    { kind: 'slack.sign_out', place: 'Organization settings › People › Members', url: null, whenKeeping: true },
    { kind: 'slack.deactivate', place: 'Deactivate account', url: null, whenKeeping: false },
  ],
  zoom: [{ kind: 'zoom.deactivate', place: 'User Management › Users', url: 'https://zoom.us/account/user', whenKeeping: false }],
  hubspot: [{ kind: 'hubspot.deactivate', place: 'Settings › Users & Teams', url: null, whenKeeping: false }],
  pipedrive: [{ kind: 'pipedrive.deactivate', place: 'Manage users › Users and access', url: null, whenKeeping: false }],
  custom: [
    { kind: 'custom.sessions_and_tokens', place: 'admin console', url: null, whenKeeping: true },
    { kind: 'custom.disable', place: 'disable or suspend', url: null, whenKeeping: false },
  ],
};

const context: ProviderCallContext = {
  apiBaseUrl: undefined,
  settings: {},
  accessToken: () => Promise.reject(new Error('a manual adapter asked for a token')),
  scheduler: new RequestScheduler({ quotaPerMinute: 60, classify: () => ({ kind: 'final' }) }),
};
const person: DirectoryPerson = { id: 'u1', email: 'ann@example.com', displayName: null, suspended: false, superAdmin: false };

describe('manual offboarding', () => {
  test.each(manualModules.map((module) => [module.id, module] as const))('%s lists its manual steps with the place to do each, in order', (id, module) => {
    const offboarding = module.offboarding!;
    expect(offboarding.directory).toBe('none');
    const steps = offboarding.steps(suspending, {});
    expect(steps.map((step) => step.kind)).toEqual(expected[id]!.map((step) => step.kind));
    steps.forEach((step, index) => {
      expect(step.mode).toBe('manual');
      expect(step.kind.startsWith(`${id}.`)).toBe(true);
      expect(step.title.length).toBeGreaterThan(10);
      expect(step.why.length).toBeGreaterThan(20);
      expect(step.where!.label).toContain(expected[id]![index]!.place);
      expect(step.where!.url).toBe(expected[id]![index]!.url);
    });
    expect(offboarding.steps(keeping, {}).map((step) => step.kind)).toEqual(expected[id]!.filter((step) => step.whenKeeping).map((step) => step.kind));
  });

  test.each(manualModules.map((module) => [module.id, module] as const))('%s refuses to read or change anything, never pretending a step was done', async (_id, module) => {
    const offboarding = module.offboarding!;
    const target = { person, transferTo: null };
    const calls = [offboarding.readDirectory(context), offboarding.findPerson(context, person.email), offboarding.measure(context, 'x.step', target), offboarding.apply(context, 'x.step', { ...target, confirmedAt: new Date(0).toISOString() }, new AbortController().signal)];
    for (const call of calls) {
      const error: unknown = await call.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('not_supported');
    }
    expect(offboarding.skipReason('x.step', target)).toBeNull();
  });

  test('builds a console link from the connection’s settings when the step knows how', () => {
    const offboarding = manualOffboarding('Example', [{ kind: 'example.disable', title: 'Disable the account', why: 'The only way to stop sign-ins there.', where: (settings) => ({ label: 'Admin › Users', url: settings.issuer ? `${settings.issuer}/admin` : null }) }]);
    expect(offboarding.steps(keeping, { issuer: 'https://id.example.com' })[0]!.where).toEqual({ label: 'Admin › Users', url: 'https://id.example.com/admin' });
    expect(offboarding.steps(keeping, {})[0]!.where!.url).toBeNull();
  });
});
