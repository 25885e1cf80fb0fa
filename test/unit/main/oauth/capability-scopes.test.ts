import { describe, expect, test } from 'vitest';
import { capabilityScopes, requestedScopes } from '../../../../src-main/oauth/connection-resolution';
import { everyScopeOf } from '../../../../src-main/oauth/provider-definitions';
import type { CapabilityId, ProviderId } from '../../../../src-shared/domain/ids';
import { providerDefinitions } from '../../../support/provider-definitions';

const g = (name: string) => `https://www.googleapis.com/auth/${name}`;

/** What each capability adds to a preset's audit scopes; a capability left out is not offered. */
const expected: Record<ProviderId, Partial<Record<CapabilityId, string[]>>> = {
  google: {
    revoke_grants: [],
    consent: [g('cloud-identity.policies.readonly')],
    credentials: [g('cloud-platform')],
    offboarding: [g('admin.directory.user'), g('admin.datatransfer')],
  },
  microsoft: {
    revoke_grants: ['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'User.RevokeSessions.All'],
    consent: ['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'ConsentRequest.ReadWrite.All', 'Policy.ReadWrite.Authorization', 'Policy.ReadWrite.ConsentRequest', 'Application.ReadWrite.All'],
    credentials: ['Application.ReadWrite.All'],
    offboarding: ['User.RevokeSessions.All', 'DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'User.EnableDisableAccount.All'],
  },
  zoom: { offboarding: [] },
  salesforce: { revoke_grants: [], offboarding: [] },
  hubspot: { offboarding: [] },
  pipedrive: { offboarding: [] },
  slack: { offboarding: [] },
  okta: { revoke_grants: ['okta.users.manage'], consent: ['okta.appGrants.read'], credentials: ['okta.apiTokens.read', 'okta.apiTokens.manage'], offboarding: ['okta.users.manage', 'okta.roles.read'] },
  zendesk: { revoke_grants: ['write'], credentials: [], offboarding: ['write'] },
  custom: { offboarding: [] },
};

const rows = providerDefinitions.all.flatMap((definition) => capabilityScopes(definition, {}).map((capability) => [definition.id, capability.id, capability.scopes] as const));

describe('least privilege: the scopes each capability adds, per preset', () => {
  test('every preset offers exactly the capabilities listed here', () => {
    for (const definition of providerDefinitions.all) {
      expect(capabilityScopes(definition, {}).map((capability) => capability.id), definition.id).toEqual(Object.keys(expected[definition.id]));
    }
  });

  test.each(rows)('%s %s adds exactly its listed scopes, each with its reason', (provider, capability, scopes) => {
    expect(scopes.map((added) => added.scope)).toEqual(expected[provider][capability]);
    for (const added of scopes) expect(added.reason.length, added.scope).toBeGreaterThan(20);
  });

  test('revoking a Google grant needs no scope beyond the audit scopes', () => {
    const google = providerDefinitions.get('google');
    const audit = requestedScopes(google, {}, []).map((scope) => scope.scope);
    expect(requestedScopes(google, {}, ['revoke_grants']).map((scope) => scope.scope)).toEqual(audit);
    expect(audit).toContain(g('admin.directory.user.security'));
  });

  test.each(providerDefinitions.all.map((definition) => [definition.id] as const))('%s asks for no write scope until a capability is allowed', (provider) => {
    const definition = providerDefinitions.get(provider);
    const base = requestedScopes(definition, {}, []).map((scope) => scope.scope);
    const added = new Set(capabilityScopes(definition, {}).flatMap((capability) => capability.scopes.map((scope) => scope.scope)));
    expect(base.filter((scope) => added.has(scope))).toEqual([]);
    for (const scope of requestedScopes(definition, {}, [])) expect(['sign-in', 'audit']).toContain(scope.purpose);
  });

  test('a scope two allowed capabilities share is asked for once, under the first', () => {
    const scopes = requestedScopes(providerDefinitions.get('microsoft'), {}, ['revoke_grants', 'offboarding']);
    expect(scopes.filter((scope) => scope.scope === 'User.RevokeSessions.All')).toEqual([expect.objectContaining({ purpose: 'revoke_grants' })]);
    expect(scopes.at(-1)).toMatchObject({ scope: 'User.EnableDisableAccount.All', purpose: 'offboarding' });
  });

  test('national clouds name the Graph permissions a capability adds by their Graph host', () => {
    const [revoke] = capabilityScopes(providerDefinitions.get('microsoft'), { cloud: 'usgov' });
    expect(revoke!.scopes[0]!.scope).toBe('https://graph.microsoft.us/DelegatedPermissionGrant.ReadWrite.All');
  });

  test('a test authorization server is told every scope a preset may ask for', () => {
    expect(everyScopeOf(providerDefinitions.get('google'))).toEqual(expect.arrayContaining([g('admin.directory.user.security'), g('cloud-platform'), g('admin.datatransfer')]));
  });
});
