import { describe, expect, test } from 'vitest';
import { rateApp } from '../../../../src-main/audit/app-risk';
import { rateScope, worstLevel, type RiskLevel } from '../../../../src-main/audit/scope-catalog';
import { sampleApps } from '../../../../src-main/sample/sample-apps';
import { buildSampleSaas } from '../../../../src-main/sample/sample-saas';
import { buildSampleTenant } from '../../../../src-main/sample/sample-tenant';

const g = (name: string) => `https://www.googleapis.com/auth/${name}`;
const order: RiskLevel[] = ['low', 'medium', 'high', 'critical'];
const atLeast = (level: RiskLevel, minimum: RiskLevel) => order.indexOf(level) >= order.indexOf(minimum);

describe('scope catalog', () => {
  test('rates every Google restricted Gmail and Drive scope at least High, full mailbox and Drive write Critical', () => {
    for (const scope of ['https://mail.google.com/', g('gmail.readonly'), g('gmail.metadata'), g('gmail.modify'), g('gmail.insert'), g('gmail.compose'), g('gmail.settings.basic'), g('gmail.settings.sharing'), g('drive'), g('drive.readonly'), g('drive.activity'), g('drive.activity.readonly'), g('drive.metadata'), g('drive.metadata.readonly'), g('drive.scripts')]) {
      expect(atLeast(rateScope(scope, 'google').level, 'high'), scope).toBe(true);
    }
    expect(rateScope('https://mail.google.com/', 'google').level).toBe('critical');
    expect(rateScope(g('drive'), 'google').level).toBe('critical');
  });

  test('rates the Graph application permissions that reach every mailbox, file or the directory Critical', () => {
    for (const permission of ['Mail.ReadWrite', 'Files.ReadWrite.All', 'Directory.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All', 'Policy.ReadWrite.ConditionalAccess']) {
      expect(rateScope(permission, 'graph-application').level, permission).toBe('critical');
    }
  });

  test('rates read-only profile scopes Low, with a reason', () => {
    for (const [scope, family] of [['openid', 'google'], [g('userinfo.email'), 'google'], ['User.Read', 'graph-delegated'], ['profile', 'graph-delegated']] as const) {
      const rating = rateScope(scope, family);
      expect(rating).toMatchObject({ level: 'low', unrated: false });
      expect(rating.reason.length).toBeGreaterThan(10);
    }
  });

  test('rates a delegated permission below the same application permission', () => {
    expect(rateScope('Mail.ReadWrite', 'graph-delegated').level).toBe('high');
    expect(rateScope('Mail.ReadWrite', 'graph-application').level).toBe('critical');
  });

  test('reads fully qualified Graph scopes', () => {
    expect(rateScope('https://graph.microsoft.com/Mail.Read', 'graph-delegated').level).toBe('high');
  });

  test('rates unknown scopes by their shape, write above read, and marks them unrated', () => {
    const write = rateScope(g('tasks'), 'google');
    const read = rateScope(g('tasks.readonly'), 'google');
    expect(read).toMatchObject({ level: 'medium', unrated: true });
    expect(rateScope('Widgets.ReadWrite.All', 'graph-delegated')).toMatchObject({ level: 'high', unrated: true });
    expect(rateScope('Widgets.ReadWrite.All', 'graph-application')).toMatchObject({ level: 'critical', unrated: true });
    expect(write.unrated).toBe(true);
  });

  test('knows every scope the sample workspace uses', () => {
    for (const app of sampleApps) {
      for (const scope of app.googleScopes) expect(rateScope(scope, 'google').unrated, scope).toBe(false);
      for (const scope of app.graphDelegated) expect(rateScope(scope, 'graph-delegated').unrated, scope).toBe(false);
      for (const scope of app.graphApplication) expect(rateScope(scope, 'graph-application').unrated, scope).toBe(false);
    }
  });

  test('rates Salesforce full and api Critical, identity and refresh scopes Low', () => {
    expect(rateScope('full', 'salesforce')).toMatchObject({ level: 'critical', unrated: false });
    expect(rateScope('api', 'salesforce')).toMatchObject({ level: 'critical', unrated: false });
    expect(rateScope('web', 'salesforce').level).toBe('high');
    for (const scope of ['refresh_token', 'offline_access', 'id', 'openid', 'email']) expect(rateScope(scope, 'salesforce'), scope).toMatchObject({ level: 'low', unrated: false });
  });

  test('rates Zendesk write and impersonate Critical, resource scopes by what they reach', () => {
    expect(rateScope('write', 'zendesk').level).toBe('critical');
    expect(rateScope('impersonate', 'zendesk').level).toBe('critical');
    expect(rateScope('read', 'zendesk').level).toBe('high');
    expect(rateScope('tickets:read', 'zendesk')).toMatchObject({ level: 'high', unrated: false });
    expect(rateScope('users:read', 'zendesk').level).toBe('medium');
    expect(rateScope('macros:read', 'zendesk').level).toBe('low');
  });

  test('reads a Zendesk resource scope without an access level as read and write', () => {
    expect(rateScope('webhooks', 'zendesk')).toEqual(rateScope('webhooks:write', 'zendesk'));
  });

  test('rates unknown Zendesk resource scopes by their access level', () => {
    expect(rateScope('widgets:read', 'zendesk')).toMatchObject({ level: 'medium', unrated: true });
    expect(rateScope('widgets:write', 'zendesk')).toMatchObject({ level: 'high', unrated: true });
  });

  test('rates Okta admin *.manage scopes Critical and their *.read twins Medium', () => {
    for (const scope of ['okta.users.manage', 'okta.groups.manage', 'okta.apps.manage', 'okta.roles.manage', 'okta.policies.manage', 'okta.factors.manage', 'okta.idps.manage']) {
      expect(rateScope(scope, 'okta'), scope).toMatchObject({ level: 'critical', unrated: false });
    }
    expect(rateScope('okta.users.read', 'okta').level).toBe('medium');
    expect(rateScope('openid', 'okta').level).toBe('low');
  });

  test('rates custom Okta authorization-server scopes by their shape', () => {
    expect(rateScope('files.readwrite', 'okta')).toMatchObject({ level: 'high', unrated: true });
    expect(rateScope('calendar.read', 'okta')).toMatchObject({ level: 'medium', unrated: true });
  });

  test('gives every catalog entry of the new families a one-line reason', () => {
    const scopes: [string, 'salesforce' | 'zendesk' | 'okta'][] = [
      ['api', 'salesforce'],
      ['chatter_api', 'salesforce'],
      ['hc:write', 'zendesk'],
      ['auditlogs:read', 'zendesk'],
      ['okta.logs.read', 'okta'],
      ['device_sso', 'okta'],
    ];
    for (const [scope, family] of scopes) {
      const rating = rateScope(scope, family);
      expect(rating.unrated, scope).toBe(false);
      expect(rating.reason, scope).toMatch(/^[A-Z].{10,}\.$/);
      expect(rating.reason, scope).not.toContain('\n');
    }
  });

  test('knows every scope the sample company’s Zendesk tokens hold', () => {
    const saas = buildSampleSaas(buildSampleTenant({ seed: 3, users: 200, referenceTime: new Date('2026-11-21T09:00:00Z') }), 3);
    for (const scope of new Set(saas.zendesk.oauthTokens.flatMap((token) => token.scopes))) expect(rateScope(scope, 'zendesk').unrated, scope).toBe(false);
  });

  test('takes the worst level of a list', () => {
    expect(worstLevel(['low', 'high', 'medium'])).toBe('high');
    expect(worstLevel([])).toBe('low');
  });
});

describe('app risk', () => {
  const now = new Date('2026-11-21T00:00:00Z');
  const base = { verifiedPublisher: true, anonymous: false, application: false, tenantWideConsent: false, users: 3, lastUsed: now, now };

  test('is the worst scope for a verified, little-used app', () => {
    expect(rateApp({ ...base, scopes: [rateScope('openid', 'google'), rateScope(g('calendar'), 'google')] })).toMatchObject({ level: 'medium', factors: [] });
  });

  test('goes one level up for an unverified publisher, and says why', () => {
    const risk = rateApp({ ...base, verifiedPublisher: false, scopes: [rateScope(g('gmail.readonly'), 'google')] });
    expect(risk).toMatchObject({ level: 'critical', scopeLevel: 'high' });
    expect(risk.factors.map((factor) => factor.code)).toEqual(['unverified_publisher']);
  });

  test('goes up at most one level, however many factors there are', () => {
    const risk = rateApp({ ...base, anonymous: true, tenantWideConsent: true, verifiedPublisher: false, scopes: [rateScope(g('calendar'), 'google')] });
    expect(risk.level).toBe('high');
    expect(risk.factors.map((factor) => factor.code)).toEqual(['anonymous_client', 'tenant_wide_consent']);
  });

  test('leaves a sign-in-only app Low even when its publisher is unverified', () => {
    expect(rateApp({ ...base, verifiedPublisher: false, tenantWideConsent: true, scopes: [rateScope('openid', 'google')] }).level).toBe('low');
  });

  test('lists application access, many users and no use in 90 days as factors', () => {
    const risk = rateApp({ ...base, application: true, users: 120, lastUsed: new Date('2026-07-01T00:00:00Z'), scopes: [rateScope('Mail.ReadWrite', 'graph-application')] });
    expect(risk.level).toBe('critical');
    expect(risk.factors.map((factor) => factor.code)).toEqual(['application_permission', 'many_users', 'unused_90_days']);
  });
});
