import { describe, expect, test } from 'vitest';
import type { AppConsentState, ConsentRequestReading, ResourcePermissions } from '../../../../src-main/consent/consent-port';
import { designGrant, reviewPermissions, type GrantChoice } from '../../../../src-main/consent/scope-review';

const graph: ResourcePermissions = {
  servicePrincipalId: 'graph-sp',
  delegated: new Set(['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All', 'Mail.ReadWrite']),
  appRoles: new Map([
    ['User.Read.All', 'role-1'],
    ['Mail.ReadWrite', 'role-2'],
  ]),
};

const boardNotes: AppConsentState = {
  appId: 'b0a4d5e6-0000-4000-8000-000000000001',
  displayName: null,
  publisher: null,
  verifiedPublisher: null,
  servicePrincipalId: null,
  accountEnabled: null,
  appRoleAssignmentRequired: null,
  tenantWideGrant: null,
  appRoles: [],
};

const request: ConsentRequestReading = {
  id: 'req-1',
  appId: boardNotes.appId,
  appDisplayName: 'Board Notes',
  pendingScopes: ['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All'],
  userRequests: [],
};

const held: AppConsentState = {
  ...boardNotes,
  displayName: 'Board Notes',
  servicePrincipalId: 'sp-1',
  accountEnabled: true,
  tenantWideGrant: { id: 'grant-1', scopes: ['User.Read', 'Calendars.Read', 'Mail.Read'] },
  appRoles: [{ assignmentId: 'assign-1', permission: 'User.Read.All' }],
};

const graphChoice = (keepDelegated: string[], keepApplication: string[] = []): GrantChoice => ({ keepDelegated, keepApplication, method: 'graph' });

describe('reviewing what an app asks for and holds', () => {
  test('lists the request’s scopes rated, marks each known to Graph, and names the app from the request when it has no service principal', () => {
    const review = reviewPermissions({ app: boardNotes, request, adminDelegated: [], adminApplication: [], resource: graph });
    expect(review.appName).toBe('Board Notes');
    expect(review.delegated.map((permission) => [permission.scope, permission.source, permission.known, permission.granted])).toEqual([
      ['User.Read', 'request', true, false],
      ['Calendars.Read', 'request', true, false],
      ['Mail.Read', 'request', true, false],
      ['Files.Read.All', 'request', true, false],
    ]);
    expect(review.delegated.every((permission) => ['low', 'medium', 'high', 'critical'].includes(permission.level))).toBe(true);
    expect(review.warnings.join(' ')).toContain('no service principal');
  });

  test('adds what the app holds now and what the admin names, each once, in Graph’s spelling', () => {
    const review = reviewPermissions({ app: held, request: null, adminDelegated: ['user.read', 'Files.Read.All'], adminApplication: ['mail.readwrite'], resource: graph });
    expect(review.delegated.map((permission) => [permission.scope, permission.source, permission.granted])).toEqual([
      ['User.Read', 'granted', true],
      ['Calendars.Read', 'granted', true],
      ['Mail.Read', 'granted', true],
      ['Files.Read.All', 'admin', false],
    ]);
    expect(review.application.map((permission) => [permission.scope, permission.source])).toEqual([
      ['User.Read.All', 'granted'],
      ['Mail.ReadWrite', 'admin'],
    ]);
  });

  test('a scope the tenant does not know is shown, marked unknown, with a warning', () => {
    const review = reviewPermissions({ app: boardNotes, request, adminDelegated: ['Notes.Everything'], adminApplication: [], resource: graph });
    expect(review.delegated.find((permission) => permission.scope === 'Notes.Everything')).toMatchObject({ known: false, unrated: true });
    expect(review.warnings.join(' ')).toContain('does not publish Notes.Everything');
  });

  test('an app that asks for nothing and holds nothing is a clear error', () => {
    expect(() => reviewPermissions({ app: boardNotes, request: { ...request, pendingScopes: [] }, adminDelegated: [], adminApplication: [], resource: graph })).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('asks for no Microsoft Graph permission') }),
    );
  });
});

describe('designing the grant from the kept permissions', () => {
  const review = () => reviewPermissions({ app: boardNotes, request, adminDelegated: [], adminApplication: [], resource: graph });

  test('a new app: create its service principal, grant the kept scopes, approve the request; the rest is dropped', () => {
    const design = designGrant(boardNotes, review(), graphChoice(['User.Read', 'Calendars.Read']), true);
    expect(design.steps).toEqual(['Create the service principal of Board Notes in the tenant', 'Grant tenant-wide consent to the delegated scopes User.Read Calendars.Read', 'Record the approval on the consent request']);
    expect(design.setDelegated).toEqual(['User.Read', 'Calendars.Read']);
    expect(design.droppedDelegated).toEqual(['Mail.Read', 'Files.Read.All']);
    expect(design.confirmationText).toBeNull();
  });

  test('keeping fewer than the tenant-wide consent holds replaces it, and says so; dropped app roles are removed', () => {
    const heldReview = reviewPermissions({ app: held, request: null, adminDelegated: [], adminApplication: [], resource: graph });
    const design = designGrant(held, heldReview, graphChoice(['User.Read', 'Calendars.Read']), false);
    expect(design.steps).toEqual(['Replace the tenant-wide consent User.Read Calendars.Read Mail.Read with User.Read Calendars.Read', 'Remove the application permission User.Read.All']);
    expect(design.warnings).toContain('Granting replaces the tenant-wide consent it has now: User.Read Calendars.Read Mail.Read → User.Read Calendars.Read');
    expect(design.removeRoles).toEqual([{ permission: 'User.Read.All', assignmentId: 'assign-1' }]);
  });

  test('keeping exactly what it holds changes nothing and says so', () => {
    const heldReview = reviewPermissions({ app: held, request: null, adminDelegated: [], adminApplication: [], resource: graph });
    const design = designGrant(held, heldReview, graphChoice(['User.Read', 'Calendars.Read', 'Mail.Read'], ['User.Read.All']), false);
    expect(design.steps).toEqual([]);
    expect(design.warnings.join(' ')).toContain('already holds exactly');
  });

  test('a Critical kept permission asks for the app’s name to be typed', () => {
    const withAdmin = reviewPermissions({ app: boardNotes, request, adminDelegated: [], adminApplication: ['Mail.ReadWrite'], resource: graph });
    const design = designGrant(boardNotes, withAdmin, graphChoice(['User.Read'], ['Mail.ReadWrite']), true);
    expect(design.confirmationText).toBe('Board Notes');
    expect(design.steps).toContain('Assign the application permission Mail.ReadWrite');
  });

  test('an unknown scope cannot be kept, naming it', () => {
    const withUnknown = reviewPermissions({ app: boardNotes, request, adminDelegated: ['Notes.Everything'], adminApplication: [], resource: graph });
    expect(() => designGrant(boardNotes, withUnknown, graphChoice(['User.Read', 'Notes.Everything']), true)).toThrow(expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('Notes.Everything') }));
  });

  test('a scope that was not reviewed cannot be slipped in, and keeping nothing is refused', () => {
    expect(() => designGrant(boardNotes, review(), graphChoice(['Mail.ReadWrite']), true)).toThrow(expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('not among') }));
    expect(() => designGrant(boardNotes, review(), graphChoice([]), true)).toThrow(expect.objectContaining({ code: 'invalid_request', message: 'Keep at least one permission to grant.' }));
  });

  test('through the browser prompt: its steps, and the warning that application permissions come as /.default', () => {
    const withAdmin = reviewPermissions({ app: boardNotes, request, adminDelegated: [], adminApplication: ['User.Read.All'], resource: graph });
    const design = designGrant(boardNotes, withAdmin, { keepDelegated: ['User.Read'], keepApplication: ['User.Read.All'], method: 'browser' }, true);
    expect(design.steps[0]).toContain('admin-consent prompt');
    expect(design.warnings.join(' ')).toContain('/.default');
  });
});
