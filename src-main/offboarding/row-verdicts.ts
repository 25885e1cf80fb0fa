/**
 * The verdict of each row of an offboarding list: ready, warning (it can run, with something the
 * admin should know) or error (it stays out of the plan until fixed or dropped), with one
 * actionable sentence per reason, errors first. Pure: the directories were read before, by the
 * service, and arrive as readings.
 */
import type { ListRow, RowReason, RowReasonCode } from '../../src-shared/contract/offboarding';
import type { ProviderId } from '../../src-shared/domain/ids';
import { DirectoryIndex, SignedInAccount } from './directory-index';
import { normalAddress } from './email-address';
import type { DraftRow, ImportedList } from './list-import';
import type { DirectoryPerson, DirectoryReading } from './offboarding-port';
import { RowScopeMatcher, type RowScope } from './row-scope';

export interface VerdictConnection {
  connectionId: string;
  label: string;
  provider: ProviderId;
  directory: 'api' | 'none';
  reading: DirectoryReading | null;
  /** why it was not read, when reading is null */
  problem: string | null;
  /** The provider's product name ("Google Workspace"), so a providers cell may name it. */
  providerLabel?: string;
  /** The admin account Consentry is signed in with there; a row naming it is refused. */
  account?: string | null;
}

export interface VerdictContext {
  connections: VerdictConnection[];
  transferData: boolean;
  unknownValues: ImportedList['unknownValues'];
}

/**
 * Providers whose offboarding hands the person's data to the transfer-to person (Google's Drive and
 * Calendar transfer, provider-apis.md). Elsewhere a transfer-to has nothing to receive.
 */
const providersThatTransferData: ReadonlySet<ProviderId> = new Set<ProviderId>(['google']);

// Spreadsheet programs run a cell starting with these as a formula (the CSV export neutralises them).
const formulaStart = /^[=+\-@]/;
const addressPattern = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\]+\.[^\s@"(),:;<>[\]\\.]+$/;
const addressInside = /[^\s@"'(),:;<>[\]\\]+@[^\s@"'(),:;<>[\]\\]+\.[^\s@"'(),:;<>[\]\\.]+/;
const maxAddressLength = 254;

export const isAddress = (value: string): boolean =>
  value.length <= maxAddressLength && addressPattern.test(value) && !value.includes('..') && !value.startsWith('.') && !value.includes('.@');

const isFormula = (value: string) => value.startsWith('=') || (formulaStart.test(value) && value.includes('('));

const shown = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

/** `a, b, c and 2 more` */
export const listed = (values: readonly string[], most = 3) =>
  values.length > most ? `${values.slice(0, most).join(', ')} and ${values.length - most} more` : values.join(', ');

/** Why the email cell is not an address, or null when it is one. */
function emailProblem(email: string): { code: RowReasonCode; message: string } | null {
  if (isAddress(email)) return null;
  const inside = addressInside.exec(email)?.[0];
  if (email === '') return { code: 'not_an_email', message: "The email is empty: type the person's address or drop the row." };
  if (isFormula(email)) {
    return {
      code: 'formula',
      message: `This looks like a spreadsheet formula, not an address: replace it with the address itself${inside ? ` (${inside})` : ''}.`,
    };
  }
  return {
    code: 'not_an_email',
    message: inside ? `"${shown(email)}" is not an email address: keep only ${inside}.` : `"${shown(email)}" is not an email address: correct it (name@domain) or drop the row.`,
  };
}

function transferProblem(transferTo: string): string | null {
  if (isAddress(transferTo)) return null;
  if (isFormula(transferTo)) return "The transfer-to looks like a spreadsheet formula, not an address: replace it with the receiving person's address or clear it.";
  return `The transfer-to "${shown(transferTo)}" is not an email address: correct it or clear it.`;
}

interface Directory {
  connection: VerdictConnection;
  /** Null when the directory was not read (or there is none). */
  people: DirectoryIndex | null;
  account: SignedInAccount | null;
}

/** Per row of the list, what was found while looking at the whole list. */
interface RowFacts {
  row: DraftRow;
  /** The row's email, normalised: what every comparison uses. */
  address: string;
  transferTo: string | null;
  scope: RowScope;
  /** Null when the email is an address. */
  emailProblem: { code: RowReasonCode; message: string } | null;
  /** The person in each directory (in the order of `directories`), found by any of their addresses. */
  found: (DirectoryPerson | undefined)[];
  /** The earlier row naming the same person: the same address, or another of their addresses in a directory. */
  duplicateOf: { row: DraftRow; alias: { connection: VerdictConnection; person: DirectoryPerson } | null } | null;
  /** Connections this row would leave without an active super admin, with the other rows' super admins. */
  lastSuperAdmin: { connection: VerdictConnection; others: string[] }[];
}

const error = (code: RowReasonCode, message: string, connectionId: string | null = null): RowReason => ({ level: 'error', code, message, connectionId });
const warning = (code: RowReasonCode, message: string, connectionId: string | null = null): RowReason => ({ level: 'warning', code, message, connectionId });

/**
 * Marks, per connection whose super admins are known, the row that would remove its last active
 * super admin: the last such row in list order, so dropping it is enough to clear the error.
 */
function markLastSuperAdmins(facts: readonly RowFacts[], directories: readonly Directory[]): void {
  for (const [index, { connection, people }] of directories.entries()) {
    if (people === null || !connection.reading?.superAdminsKnown) continue;
    const active = new Set(connection.reading.people.filter((person) => person.superAdmin && !person.suspended).map((person) => person.id));
    if (active.size === 0) continue;
    // Duplicates are left out, so each row here is another person.
    const removing = facts.filter((fact) => fact.emailProblem === null && fact.duplicateOf === null && active.has(fact.found[index]?.id ?? '') && fact.scope.includes(connection.connectionId));
    if (removing.length < active.size) continue;
    const last = removing[removing.length - 1]!;
    last.lastSuperAdmin.push({ connection, others: removing.slice(0, -1).map((fact) => fact.address) });
  }
}

const rowName = (row: DraftRow) => (row.line === null ? 'a row added by hand' : `line ${row.line}`);

/** The first row of each person on the list: by address, and per directory by the person's directory id. */
type FirstRows = { byAddress: Map<string, DraftRow>; byPerson: Map<string, DraftRow>[] };

/** The row on the list that names the transfer target, by address or as the same person in a directory the data goes through. */
function listedTarget(fact: RowFacts, directories: readonly Directory[], firstRows: FirstRows): DraftRow | null {
  const byAddress = firstRows.byAddress.get(fact.transferTo!);
  if (byAddress) return byAddress;
  for (const [index, { people }] of directories.entries()) {
    const target = people?.find(fact.transferTo);
    const row = target ? firstRows.byPerson[index]!.get(target.id) : undefined;
    if (row && row !== fact.row) return row;
  }
  return null;
}

function reasonsOf(fact: RowFacts, directories: readonly Directory[], context: VerdictContext, connectionNames: string, firstRows: FirstRows): RowReason[] {
  const { row, scope, address: email, transferTo } = fact;
  const reasons: RowReason[] = [];

  if (fact.emailProblem) reasons.push(error(fact.emailProblem.code, fact.emailProblem.message));
  if (fact.duplicateOf) {
    const { alias } = fact.duplicateOf;
    const known = alias ? ` (${alias.connection.label} knows both addresses as ${alias.person.email})` : '';
    reasons.push(error('duplicate', `The same person is already on ${rowName(fact.duplicateOf.row)}${known}: drop this row.`));
  }
  for (const [column, value] of context.unknownValues[row.id] ?? []) {
    reasons.push(
      error('unknown_column_value', `"${shown(value)}" is in the column "${column}", which Consentry does not know: clear it, or name the column email, transfer to, providers or note and import again.`),
    );
  }
  const transferInvalid = transferTo === null ? null : transferProblem(transferTo);
  const toSelf = 'The transfer-to is the person themself: name the person who receives their data (their manager) or clear it.';
  if (transferInvalid) reasons.push(error('transfer_target_invalid', transferInvalid));
  else if (transferTo !== null && transferTo === email) reasons.push(error('transfer_to_self', toSelf));
  for (const value of scope.unknown) {
    reasons.push(error('unknown_provider', `"${shown(value)}" in providers matches no connection: use ${connectionNames}, or clear it for every connection.`));
  }

  // The rest is about the person in each directory: once per person, on their first row.
  if (fact.emailProblem === null && fact.duplicateOf === null) {
    const signedInAt = new Set(directories.filter(({ account }, index) => account?.is(email, fact.found[index])).map(({ connection }) => connection.connectionId));
    const signedIn = directories.find(({ connection }) => signedInAt.has(connection.connectionId));
    if (signedIn) {
      reasons.push(
        error('signed_in_admin', `This is the admin account Consentry is signed in with at ${signedIn.connection.label}: offboard it from another admin account, or drop the row.`, signedIn.connection.connectionId),
      );
    }
    for (const { connection, others } of fact.lastSuperAdmin) {
      const also = others.length > 0 ? ` (the list also holds ${listed(others)})` : '';
      reasons.push(
        error(
          'last_super_admin',
          `This would leave ${connection.label} without an active super admin${also}: keep this person out, or make another admin a super admin first.`,
          connection.connectionId,
        ),
      );
    }
    const targetUsable = context.transferData && transferTo !== null && transferInvalid === null && transferTo !== email;
    const transfersHere = directories.some(({ connection }) => connection.directory === 'api' && providersThatTransferData.has(connection.provider) && scope.includes(connection.connectionId));
    const onList = targetUsable && transfersHere ? listedTarget(fact, directories, firstRows) : null;
    if (onList) {
      reasons.push(
        error(
          'transfer_target_invalid',
          `The transfer target ${transferTo} is on this list too (${rowName(onList)}), so their account is being offboarded and cannot receive the data: name someone who stays, or clear it.`,
        ),
      );
    }
    for (const [index, { connection, people }] of directories.entries()) {
      // Refused there as the signed-in admin: what else the directory says of them (often "not found",
      // the account being outside it) is beside the point.
      if (connection.directory === 'none' || !scope.includes(connection.connectionId) || signedInAt.has(connection.connectionId)) continue;
      const id = connection.connectionId;
      if (people === null) {
        const problem = (connection.problem ?? 'no reason was given').replace(/\.$/, '');
        reasons.push(warning('not_checked', `${connection.label} could not be read: ${problem}.`, id));
        continue;
      }
      const person = fact.found[index];
      if (!person) {
        reasons.push(warning('not_found', `Not found at ${connection.label}: nothing to do there.`, id));
        continue;
      }
      if (person.suspended) reasons.push(warning('already_suspended', `Already suspended at ${connection.label}: the rest of their access there is still removed.`, id));
      if (!context.transferData || !providersThatTransferData.has(connection.provider)) continue;
      if (transferTo === null) {
        reasons.push(warning('no_transfer_target', `No transfer target: nobody receives the person's data at ${connection.label}; add their manager as transfer-to to hand it over.`, id));
      } else if (targetUsable && !onList) {
        const target = people.find(transferTo);
        if (target?.id === person.id) {
          reasons.push(error('transfer_to_self', toSelf, id));
        } else if (!target) {
          reasons.push(error('transfer_target_not_found', `The transfer target ${transferTo} is not in ${connection.label}, where the person's data would go to them: correct the address or clear it.`, id));
        } else if (target.suspended) {
          reasons.push(warning('transfer_target_suspended', `The transfer target ${transferTo} is suspended at ${connection.label}: the data would go to an account that cannot sign in.`, id));
        }
      }
    }
  }
  // Errors first, each group in the order found.
  return [...reasons.filter((reason) => reason.level === 'error'), ...reasons.filter((reason) => reason.level === 'warning')];
}

/** Every row's verdict and reasons, in the list's order. */
export function judgeRows(rows: readonly DraftRow[], context: VerdictContext): ListRow[] {
  const matcher = new RowScopeMatcher(context.connections);
  const directories: Directory[] = context.connections.map((connection) => {
    const people = connection.directory === 'api' && connection.reading ? new DirectoryIndex(connection.reading) : null;
    return { connection, people, account: connection.account ? new SignedInAccount(connection.account, people) : null };
  });
  const connectionNames = listed([...new Set(context.connections.map((connection) => connection.provider))], 6) || 'the id of a connection';

  // The first row of each person, by address and by directory entry: a later row naming them again is a duplicate.
  const first: FirstRows = { byAddress: new Map(), byPerson: directories.map(() => new Map()) };
  const facts: RowFacts[] = rows.map((row) => {
    const address = normalAddress(row.fields.email);
    const problem = emailProblem(address);
    const found = directories.map(({ people }) => (problem === null ? people?.find(address) : undefined));
    let duplicateOf: RowFacts['duplicateOf'] = null;
    if (problem === null) {
      const sameAddress = first.byAddress.get(address);
      if (sameAddress) duplicateOf = { row: sameAddress, alias: null };
      for (const [index, person] of found.entries()) {
        const earlier = person ? first.byPerson[index]!.get(person.id) : undefined;
        if (!duplicateOf && earlier) duplicateOf = { row: earlier, alias: { connection: directories[index]!.connection, person: person! } };
      }
      if (!duplicateOf) {
        first.byAddress.set(address, row);
        for (const [index, person] of found.entries()) if (person) first.byPerson[index]!.set(person.id, row);
      }
    }
    const transferTo = row.fields.transferTo === null ? null : normalAddress(row.fields.transferTo) || null;
    return { row, address, transferTo, scope: matcher.scopeOf(row.fields.providers), emailProblem: problem, found, duplicateOf, lastSuperAdmin: [] };
  });
  markLastSuperAdmins(facts, directories);

  return facts.map((fact) => {
    const reasons = reasonsOf(fact, directories, context, connectionNames, first);
    const verdict = reasons.some((reason) => reason.level === 'error') ? 'error' : reasons.length > 0 ? 'warning' : 'ready';
    return { id: fact.row.id, line: fact.row.line, ...fact.row.fields, verdict, reasons };
  });
}

export function countVerdicts(rows: readonly ListRow[]): { ready: number; warning: number; error: number } {
  const counts = { ready: 0, warning: 0, error: 0 };
  for (const row of rows) counts[row.verdict] += 1;
  return counts;
}
