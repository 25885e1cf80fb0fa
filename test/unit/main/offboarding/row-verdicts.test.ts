import { describe, expect, test } from 'vitest';
import type { ListRow } from '../../../../src-shared/contract/offboarding';
import { importList, type DraftRow } from '../../../../src-main/offboarding/list-import';
import type { DirectoryPerson } from '../../../../src-main/offboarding/offboarding-port';
import { directoryPerson } from './directory-person';
import { countVerdicts, judgeRows, type VerdictConnection, type VerdictContext } from '../../../../src-main/offboarding/row-verdicts';

const person = directoryPerson;

const google = (people: DirectoryPerson[], superAdminsKnown = true, account: string | null = 'admin@example.com'): VerdictConnection => ({
  connectionId: 'conn-google',
  label: 'Acme Google',
  provider: 'google',
  providerLabel: 'Google Workspace',
  directory: 'api',
  reading: { people, superAdminsKnown },
  problem: null,
  account,
});

const microsoft = (people: DirectoryPerson[], account: string | null = 'admin@example.com'): VerdictConnection => ({
  connectionId: 'conn-ms',
  label: 'Acme Entra',
  provider: 'microsoft',
  providerLabel: 'Microsoft Entra ID / Microsoft 365',
  directory: 'api',
  reading: { people, superAdminsKnown: true },
  problem: null,
  account,
});

const slack: VerdictConnection = { connectionId: 'conn-slack', label: 'Acme Slack', provider: 'slack', directory: 'none', reading: null, problem: null };

const unreadOkta: VerdictConnection = {
  connectionId: 'conn-okta',
  label: 'Acme Okta',
  provider: 'okta',
  directory: 'api',
  reading: null,
  problem: 'the okta.users.read permission is missing.',
};

const staff = ['ann@example.com', 'bob@example.com', 'boss@example.com', 'admin@example.com'].map((email) => person(email));

const context = (overrides: Partial<VerdictContext> = {}): VerdictContext => ({
  connections: [google(staff), microsoft(staff)],
  transferData: true,
  unknownValues: {},
  ...overrides,
});

let nextLine = 1;
const row = (email: string, fields: Partial<DraftRow['fields']> = {}, line: number | null = (nextLine += 1)): DraftRow => ({
  id: `row-${line ?? 'hand'}-${email}`,
  line,
  fields: { email, transferTo: 'boss@example.com', providers: null, note: null, ...fields },
});

const judgeOne = (draft: DraftRow, under: VerdictContext = context()): ListRow => judgeRows([draft], under)[0]!;

const codes = (judged: ListRow) => judged.reasons.map((reason) => `${reason.level}:${reason.code}${reason.connectionId ? `@${reason.connectionId}` : ''}`);

describe('a person found everywhere with a transfer target is ready', () => {
  test('no reasons, the fields as given', () => {
    const draft = row('ann@example.com', { note: 'left' }, 7);
    expect(judgeOne(draft)).toEqual({ id: draft.id, line: 7, email: 'ann@example.com', transferTo: 'boss@example.com', providers: null, note: 'left', verdict: 'ready', reasons: [] });
  });

  test('an address pasted with a trailing space and capitals is ready once imported', () => {
    const list = importList({ source: 'paste', text: 'email,transfer to\n  Ann@Example.COM ,BOSS@example.com \n' }, () => 'only');
    expect(judgeRows(list.rows, context())[0]).toMatchObject({ email: 'ann@example.com', transferTo: 'boss@example.com', verdict: 'ready' });
  });

  test('a formula in the note is kept and is no reason (the CSV export neutralises it)', () => {
    expect(judgeOne(row('ann@example.com', { note: '=HYPERLINK("http://evil.example","click")' }))).toMatchObject({ verdict: 'ready', note: '=HYPERLINK("http://evil.example","click")' });
  });
});

describe('errors', () => {
  test('a formula in the email cell is named as one, with the address found inside it', () => {
    const judged = judgeOne(row('=hyperlink("mailto:ann@example.com","ann")'));
    expect(judged.verdict).toBe('error');
    expect(judged.reasons).toEqual([
      { level: 'error', code: 'formula', message: 'This looks like a spreadsheet formula, not an address: replace it with the address itself (ann@example.com).', connectionId: null },
    ]);
  });

  test('text that is no address says what to do: keep the address inside, type one, or fill the empty cell', () => {
    expect(judgeOne(row('ann smith <ann@example.com>')).reasons[0]!.message).toBe('"ann smith <ann@example.com>" is not an email address: keep only ann@example.com.');
    expect(judgeOne(row('ann.smith')).reasons[0]!.message).toBe('"ann.smith" is not an email address: correct it (name@domain) or drop the row.');
    expect(judgeOne(row('')).reasons[0]!.message).toBe("The email is empty: type the person's address or drop the row.");
    for (const bad of ['ann@example', 'ann@@example.com', 'ann@example..com', '.ann@example.com', 'ann @example.com']) {
      expect(codes(judgeOne(row(bad))), bad).toEqual(['error:not_an_email']);
    }
  });

  test('the same person twice: the second and later rows name the first line, the first row stays as it is', () => {
    const rows = [row('ann@example.com', {}, 2), row('bob@example.com', {}, 3), row('ann@example.com', {}, 4), row('ann@example.com', {}, 9)];
    const judged = judgeRows(rows, context());
    expect(judged.map((each) => each.verdict)).toEqual(['ready', 'ready', 'error', 'error']);
    expect(judged[2]!.reasons).toEqual([{ level: 'error', code: 'duplicate', message: 'The same person is already on line 2: drop this row.', connectionId: null }]);
    expect(judged[3]!.reasons[0]!.message).toBe('The same person is already on line 2: drop this row.');
  });

  test('a duplicate of a row added by hand says so', () => {
    const judged = judgeRows([row('ann@example.com', {}, null), row('ann@example.com', {}, 5)], context());
    expect(judged[1]!.reasons[0]!.message).toBe('The same person is already on a row added by hand: drop this row.');
  });

  test("the admin's own account is refused, whatever the case it is written in", () => {
    const refused = { level: 'error', code: 'signed_in_admin', message: 'This is the admin account Consentry is signed in with at Acme Google: offboard it from another admin account, or drop the row.', connectionId: 'conn-google' };
    expect(judgeOne(row('admin@example.com')).reasons).toEqual([refused]);
    expect(judgeOne(row('Admin@Example.com ')).reasons).toEqual([refused]);
  });

  test('the admin signed in where the directory does not list them is refused there, without a "not found" for the same connection', () => {
    const judged = judgeOne(row('admin@example.com'), context({ connections: [google(staff.slice(0, 3)), microsoft(staff.slice(0, 3), 'other@example.com')] }));
    expect(codes(judged)).toEqual(['error:signed_in_admin@conn-google', 'warning:not_found@conn-ms']);
  });

  test('the admin is found by directory id where the account is in the directory: a UPN account refuses the row naming the mail', () => {
    const admin = person('admin@example.com', { addresses: ['admin@example.com', 'admin@acme.onmicrosoft.com'] });
    const judged = judgeOne(row('admin@example.com'), context({ connections: [google(staff, true, null), microsoft([admin, ...staff.slice(0, 3)], 'Admin@acme.onmicrosoft.com')] }));
    expect(codes(judged)).toEqual(['error:signed_in_admin@conn-ms']);
    // Where the account is not in the directory, the address alone decides.
    expect(judgeOne(row('admin@example.com'), context({ connections: [microsoft(staff, 'someone@acme.onmicrosoft.com')] })).verdict).toBe('ready');
  });

  test('the same person under two cases is one person: the second row is a duplicate', () => {
    const judged = judgeRows([row('Ann@Example.com', {}, 2), row('ann@example.com', {}, 3)], context());
    expect(judged.map((each) => codes(each))).toEqual([[], ['error:duplicate']]);
  });

  test('the same person under an alias is a duplicate, naming the directory that knows both addresses', () => {
    const ann = person('ann@example.com', { addresses: ['ann@example.com', 'ann.smith@example.com'] });
    const judged = judgeRows([row('ann.smith@example.com', {}, 2), row('ann@example.com', {}, 3)], context({ connections: [google([ann, ...staff.slice(1)])] }));
    expect(judged[0]!.verdict).toBe('ready');
    expect(judged[1]!.reasons).toEqual([
      { level: 'error', code: 'duplicate', message: 'The same person is already on line 2 (Acme Google knows both addresses as ann@example.com): drop this row.', connectionId: null },
    ]);
  });

  test('a person and a transfer target are found by any of their addresses', () => {
    const ann = person('ann@example.com', { addresses: ['ann@example.com', 'a.smith@example.com'] });
    const boss = person('boss@example.com', { addresses: ['boss@example.com', 'the.boss@example.com'] });
    expect(judgeOne(row('A.Smith@example.com', { transferTo: 'The.Boss@example.com' }), context({ connections: [google([ann, boss])] })).verdict).toBe('ready');
    // Their own alias as transfer target is the person themself.
    expect(codes(judgeOne(row('ann@example.com', { transferTo: 'a.smith@example.com' }), context({ connections: [google([ann, boss])] })))).toEqual(['error:transfer_to_self@conn-google']);
  });

  test('a value in an unknown column is an error naming the column', () => {
    const draft = row('ann@example.com');
    const judged = judgeOne(draft, context({ unknownValues: { [draft.id]: [['Department', 'Sales']] } }));
    expect(judged.reasons).toEqual([
      {
        level: 'error',
        code: 'unknown_column_value',
        message: '"Sales" is in the column "Department", which Consentry does not know: clear it, or name the column email, transfer to, providers or note and import again.',
        connectionId: null,
      },
    ]);
  });

  test('a transfer-to that is no address, or the person themself, is an error', () => {
    expect(judgeOne(row('ann@example.com', { transferTo: 'the boss' })).reasons[0]).toMatchObject({ code: 'transfer_target_invalid', message: 'The transfer-to "the boss" is not an email address: correct it or clear it.' });
    expect(codes(judgeOne(row('ann@example.com', { transferTo: '=A2' })))).toEqual(['error:transfer_target_invalid']);
    expect(codes(judgeOne(row('ann@example.com', { transferTo: 'ann@example.com' })))).toEqual(['error:transfer_to_self']);
  });

  test('a transfer target missing from the directory that would receive the data is an error, there only', () => {
    const judged = judgeOne(row('ann@example.com', { transferTo: 'nobody@example.com' }));
    expect(judged.reasons).toEqual([
      {
        level: 'error',
        code: 'transfer_target_not_found',
        message: "The transfer target nobody@example.com is not in Acme Google, where the person's data would go to them: correct the address or clear it.",
        connectionId: 'conn-google',
      },
    ]);
  });

  test('a transfer target who is on the list too is an error: their account is being offboarded', () => {
    const judged = judgeRows([row('ann@example.com', { transferTo: 'Bob@example.com' }, 2), row('bob@example.com', { transferTo: null }, 3)], context());
    expect(judged[0]!.reasons).toEqual([
      {
        level: 'error',
        code: 'transfer_target_invalid',
        message: 'The transfer target bob@example.com is on this list too (line 3), so their account is being offboarded and cannot receive the data: name someone who stays, or clear it.',
        connectionId: null,
      },
    ]);
    // Named by an alias the directory knows.
    const bob = person('bob@example.com', { addresses: ['bob@example.com', 'robert@example.com'] });
    const byAlias = judgeRows([row('ann@example.com', { transferTo: 'robert@example.com' }), row('bob@example.com', { transferTo: null })], context({ connections: [google([bob, ...staff.filter((each) => each.email !== 'bob@example.com')])] }));
    expect(codes(byAlias[0]!)).toEqual(['error:transfer_target_invalid']);
    // Without data transfer nobody receives anything.
    expect(judgeRows([row('ann@example.com', { transferTo: 'bob@example.com' }), row('bob@example.com')], context({ transferData: false }))[0]!.verdict).toBe('ready');
  });

  test('a run without data transfer does not look at the transfer target or miss one', () => {
    expect(judgeOne(row('ann@example.com', { transferTo: 'nobody@example.com' }), context({ transferData: false })).verdict).toBe('ready');
    expect(judgeOne(row('ann@example.com', { transferTo: null }), context({ transferData: false })).verdict).toBe('ready');
  });

  test('a providers value that matches no connection is an error listing what matches', () => {
    const judged = judgeOne(row('ann@example.com', { providers: ['google', 'zoho'] }));
    expect(judged.reasons).toEqual([
      { level: 'error', code: 'unknown_provider', message: '"zoho" in providers matches no connection: use google, microsoft, or clear it for every connection.', connectionId: null },
    ]);
  });

  test('providers match by provider id, product name, connection label or id, and word by word', () => {
    for (const providers of [['google'], ['Google Workspace'], ['Acme Google'], ['conn-google'], ['GOOGLE'], ['Microsoft 365', 'google'], ['google microsoft']]) {
      expect(judgeOne(row('ann@example.com', { providers })).verdict, providers.join('|')).toBe('ready');
    }
    expect(codes(judgeOne(row('ann@example.com', { providers: ['google workspaces'] })))).toEqual(['error:unknown_provider']);
  });
});

describe('the last super admin', () => {
  const superAdmins = [
    person('root@example.com', { superAdmin: true }),
    person('second@example.com', { superAdmin: true }),
    person('former@example.com', { superAdmin: true, suspended: true }),
    ...staff,
  ];

  test('the row that would remove the last active super admin is an error naming the others; the earlier row is not', () => {
    const judged = judgeRows([row('second@example.com', {}, 2), row('ann@example.com', {}, 3), row('root@example.com', {}, 4)], context({ connections: [google(superAdmins)] }));
    expect(judged.map((each) => each.verdict)).toEqual(['ready', 'ready', 'error']);
    expect(judged[2]!.reasons).toEqual([
      {
        level: 'error',
        code: 'last_super_admin',
        message: 'This would leave Acme Google without an active super admin (the list also holds second@example.com): keep this person out, or make another admin a super admin first.',
        connectionId: 'conn-google',
      },
    ]);
  });

  test('one super admin of two may go; a suspended super admin does not count as remaining', () => {
    expect(judgeRows([row('root@example.com')], context({ connections: [google(superAdmins)] }))[0]!.verdict).toBe('ready');
    const lone = [person('root@example.com', { superAdmin: true }), person('former@example.com', { superAdmin: true, suspended: true }), ...staff];
    expect(codes(judgeRows([row('root@example.com')], context({ connections: [google(lone)] }))[0]!)).toEqual(['error:last_super_admin@conn-google']);
  });

  test('a row naming a super admin by an alias counts as that super admin', () => {
    const root = person('root@example.com', { superAdmin: true, addresses: ['root@example.com', 'it@example.com'] });
    expect(codes(judgeRows([row('IT@example.com')], context({ connections: [google([root, ...staff])] }))[0]!)).toEqual(['error:last_super_admin@conn-google']);
  });

  test('not judged where the super admins are unknown, or where the row does not take part', () => {
    const lone = [person('root@example.com', { superAdmin: true }), ...staff];
    expect(judgeRows([row('root@example.com')], context({ connections: [google(lone, false)] }))[0]!.verdict).toBe('ready');
    const judged = judgeRows([row('root@example.com', { providers: ['microsoft'] })], context({ connections: [google(lone), microsoft([...staff, person('root@example.com')])] }));
    expect(judged[0]!.verdict).toBe('ready');
  });
});

describe('warnings, per connection', () => {
  test('not found at one connection: a warning naming it, and the row can still run', () => {
    const judged = judgeOne(row('ann@example.com'), context({ connections: [google(staff), microsoft([person('boss@example.com')])] }));
    expect(judged.verdict).toBe('warning');
    expect(judged.reasons).toEqual([{ level: 'warning', code: 'not_found', message: 'Not found at Acme Entra: nothing to do there.', connectionId: 'conn-ms' }]);
  });

  test('found nowhere is a warning per connection, not an error', () => {
    expect(codes(judgeOne(row('ghost@example.com')))).toEqual(['warning:not_found@conn-google', 'warning:not_found@conn-ms']);
    expect(judgeOne(row('ghost@example.com')).verdict).toBe('warning');
  });

  test('already suspended at a connection', () => {
    const judged = judgeOne(row('ann@example.com'), context({ connections: [google([person('ann@example.com', { suspended: true }), person('boss@example.com')])] }));
    expect(judged.reasons).toEqual([
      { level: 'warning', code: 'already_suspended', message: 'Already suspended at Acme Google: the rest of their access there is still removed.', connectionId: 'conn-google' },
    ]);
  });

  test('no transfer target where data would be transferred, and a suspended target', () => {
    expect(judgeOne(row('ann@example.com', { transferTo: null })).reasons).toEqual([
      {
        level: 'warning',
        code: 'no_transfer_target',
        message: "No transfer target: nobody receives the person's data at Acme Google; add their manager as transfer-to to hand it over.",
        connectionId: 'conn-google',
      },
    ]);
    const suspendedBoss = [person('ann@example.com'), person('boss@example.com', { suspended: true })];
    expect(codes(judgeOne(row('ann@example.com'), context({ connections: [google(suspendedBoss)] })))).toEqual(['warning:transfer_target_suspended@conn-google']);
  });

  test('a directory that could not be read is not checked, with why; a connection without a directory adds nothing', () => {
    const judged = judgeOne(row('ann@example.com'), context({ connections: [google(staff), unreadOkta, slack] }));
    expect(judged.reasons).toEqual([
      { level: 'warning', code: 'not_checked', message: 'Acme Okta could not be read: the okta.users.read permission is missing.', connectionId: 'conn-okta' },
    ]);
  });

  test('a row limited to some providers is judged only there', () => {
    expect(judgeOne(row('ann@example.com', { providers: ['google'] }), context({ connections: [google(staff), microsoft([]), unreadOkta] })).verdict).toBe('ready');
  });

  test('errors come before warnings', () => {
    const draft = row('ann@example.com', { providers: ['zoho', 'microsoft'] });
    expect(codes(judgeOne(draft, context({ connections: [google(staff), microsoft([])], unknownValues: { [draft.id]: [['Team', 'x']] } })))).toEqual([
      'error:unknown_column_value',
      'error:unknown_provider',
      'warning:not_found@conn-ms',
    ]);
  });
});

describe('counting and size', () => {
  test('counts each verdict', () => {
    const judged = judgeRows([row('ann@example.com'), row('ghost@example.com'), row('nope'), row('admin@example.com')], context());
    expect(countVerdicts(judged)).toEqual({ ready: 1, warning: 1, error: 2 });
  });

  test('50,000 imported rows are judged against 50,000 people, duplicates and all', { timeout: 30_000 }, () => {
    const lines = Array.from({ length: 50_000 }, (_, index) => `user${index % 49_000}@example.com,boss@example.com,google`);
    const list = importList({ source: 'paste', text: `email,transfer to,providers\n${lines.join('\n')}` }, (() => {
      let next = 0;
      return () => `r${(next += 1)}`;
    })());
    const people = [...Array.from({ length: 50_000 }, (_, index) => person(`user${index}@example.com`)), person('boss@example.com')];
    const judged = judgeRows(list.rows, context({ connections: [google(people), microsoft(people)] }));
    expect(countVerdicts(judged)).toEqual({ ready: 49_000, warning: 0, error: 1_000 });
    expect(judged[49_000]!.reasons[0]!.message).toBe('The same person is already on line 2: drop this row.');
  });
});
