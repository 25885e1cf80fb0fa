/**
 * The verdict of each row of an offboarding list: ready, warning (it can run, with something the
 * admin should know) or error (it stays out of the plan until fixed or dropped), with one
 * actionable sentence per reason, errors first. Pure: the directories were read before, by the
 * service, and arrive as readings.
 */
import type { ListRow, RowReason, RowReasonCode } from '../../src-shared/contract/offboarding';
import type { ProviderId } from '../../src-shared/domain/ids';
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
}

export interface VerdictContext {
  connections: VerdictConnection[];
  /** lower-case emails of the admins Consentry is signed in as */
  signedInAdmins: ReadonlySet<string>;
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

const listed = (values: readonly string[], most = 3) =>
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
  /** By lower-case address; null when the directory was not read (or there is none). */
  people: Map<string, DirectoryPerson> | null;
}

/** Per row of the list, what was found while looking at the whole list. */
interface RowFacts {
  row: DraftRow;
  scope: RowScope;
  /** Null when the email is an address. */
  emailProblem: { code: RowReasonCode; message: string } | null;
  /** The earlier row with the same address. */
  duplicateOf: DraftRow | null;
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
  for (const { connection, people } of directories) {
    if (people === null || !connection.reading?.superAdminsKnown) continue;
    const active = connection.reading.people.filter((person) => person.superAdmin && !person.suspended);
    if (active.length === 0) continue;
    const activeAddresses = new Set(active.map((person) => person.email.toLowerCase()));
    const removing = facts.filter(
      (fact) => fact.emailProblem === null && fact.duplicateOf === null && activeAddresses.has(fact.row.fields.email) && fact.scope.includes(connection.connectionId),
    );
    if (removing.length < activeAddresses.size) continue;
    const last = removing[removing.length - 1]!;
    last.lastSuperAdmin.push({ connection, others: removing.slice(0, -1).map((fact) => fact.row.fields.email) });
  }
}

function reasonsOf(fact: RowFacts, directories: readonly Directory[], context: VerdictContext, connectionNames: string): RowReason[] {
  const { row, scope } = fact;
  const { email, transferTo } = row.fields;
  const reasons: RowReason[] = [];

  if (fact.emailProblem) reasons.push(error(fact.emailProblem.code, fact.emailProblem.message));
  if (fact.duplicateOf) {
    const first = fact.duplicateOf.line === null ? 'a row added by hand' : `line ${fact.duplicateOf.line}`;
    reasons.push(error('duplicate', `The same person is already on ${first}: drop this row.`));
  }
  for (const [column, value] of context.unknownValues[row.id] ?? []) {
    reasons.push(
      error('unknown_column_value', `"${shown(value)}" is in the column "${column}", which Consentry does not know: clear it, or name the column email, transfer to, providers or note and import again.`),
    );
  }
  const transferInvalid = transferTo === null ? null : transferProblem(transferTo);
  if (transferInvalid) reasons.push(error('transfer_target_invalid', transferInvalid));
  else if (transferTo !== null && transferTo === email) {
    reasons.push(error('transfer_to_self', 'The transfer-to is the person themself: name the person who receives their data (their manager) or clear it.'));
  }
  for (const value of scope.unknown) {
    reasons.push(error('unknown_provider', `"${shown(value)}" in providers matches no connection: use ${connectionNames}, or clear it for every connection.`));
  }

  // The rest is about the person in each directory: once per person, on their first row.
  if (fact.emailProblem === null && fact.duplicateOf === null) {
    if (context.signedInAdmins.has(email)) {
      reasons.push(error('signed_in_admin', 'This is the admin account Consentry is signed in with: offboard it from another admin account, or drop the row.'));
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
    for (const { connection, people } of directories) {
      if (connection.directory === 'none' || !scope.includes(connection.connectionId)) continue;
      const id = connection.connectionId;
      if (people === null) {
        const problem = (connection.problem ?? 'no reason was given').replace(/\.$/, '');
        reasons.push(warning('not_checked', `${connection.label} could not be read: ${problem}.`, id));
        continue;
      }
      const person = people.get(email);
      if (!person) {
        reasons.push(warning('not_found', `Not found at ${connection.label}: nothing to do there.`, id));
        continue;
      }
      if (person.suspended) reasons.push(warning('already_suspended', `Already suspended at ${connection.label}: the rest of their access there is still removed.`, id));
      if (!context.transferData || !providersThatTransferData.has(connection.provider)) continue;
      if (transferTo === null) {
        reasons.push(warning('no_transfer_target', `No transfer target: nobody receives the person's data at ${connection.label}; add their manager as transfer-to to hand it over.`, id));
      } else if (targetUsable) {
        const target = people.get(transferTo);
        if (!target) {
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
  const directories: Directory[] = context.connections.map((connection) => ({
    connection,
    people: connection.directory === 'api' && connection.reading ? new Map(connection.reading.people.map((person) => [person.email.toLowerCase(), person])) : null,
  }));
  const connectionNames = listed([...new Set(context.connections.map((connection) => connection.provider))], 6) || 'the id of a connection';

  const firstRowOf = new Map<string, DraftRow>();
  const facts: RowFacts[] = rows.map((row) => {
    const problem = emailProblem(row.fields.email);
    let duplicateOf: DraftRow | null = null;
    if (problem === null) {
      duplicateOf = firstRowOf.get(row.fields.email) ?? null;
      if (duplicateOf === null) firstRowOf.set(row.fields.email, row);
    }
    return { row, scope: matcher.scopeOf(row.fields.providers), emailProblem: problem, duplicateOf, lastSuperAdmin: [] };
  });
  markLastSuperAdmins(facts, directories);

  return facts.map((fact) => {
    const reasons = reasonsOf(fact, directories, context, connectionNames);
    const verdict = reasons.some((reason) => reason.level === 'error') ? 'error' : reasons.length > 0 ? 'warning' : 'ready';
    return { id: fact.row.id, line: fact.row.line, ...fact.row.fields, verdict, reasons };
  });
}

export function countVerdicts(rows: readonly ListRow[]): { ready: number; warning: number; error: number } {
  const counts = { ready: 0, warning: 0, error: 0 };
  for (const row of rows) counts[row.verdict] += 1;
  return counts;
}
