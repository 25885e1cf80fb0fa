/**
 * Faithful subsets of three SaaS admin APIs, enough for auditing and offboarding beyond Google and
 * Microsoft, each meant for a simulated host of its own (paths start at the provider's root):
 *
 * - Salesforce REST: SOQL `query` over `OauthToken`, `User`, `UserLogin` and `UserPermissionAccess`
 *   (a small parser: SELECT fields / COUNT() FROM one object, WHERE comparisons joined by AND,
 *   ORDER BY, LIMIT), query-locator paging at 2,000 records, `/services/oauth2/revoke` with an
 *   OauthToken's DeleteToken, and freezing a user (PATCH `sobjects/UserLogin/{id}` with
 *   `IsFrozen`, Manage Users only). Errors are JSON arrays `[{message, errorCode}]`.
 * - Zendesk Support: OAuth tokens (list with `all`, show, revoke), OAuth clients (list), users
 *   (list, show, show_many, search by `email:`, update `suspended`) and API tokens (list only: the
 *   reference documents no call to create or delete one), with offset (`page`/`per_page`,
 *   `next_page`) and cursor (`page[size]`, `meta.has_more`, `links.next`) pagination. Errors
 *   `{error, description}`.
 * - Okta Management: users (`limit`/`after` with `Link: <…>; rel="next"`, `filter`, `q`; suspend,
 *   ACTIVE users only), a user's consent grants (list, get, revoke one / all / per client), clearing
 *   a user's sessions (`oauthTokens=true`, recorded), admin roles (users with role assignments, a
 *   user's roles), app integrations (list, paged like users) and the Okta API scopes
 *   granted to each (Application Grants: list, get, revoke), and API tokens (list, get, revoke; Okta
 *   has no call to create one). Errors `{errorCode, errorSummary, errorLink, errorId, errorCauses}`.
 *
 * Shapes, field names and error bodies follow the vendors' API references; where a detail could
 * not be confirmed the comment says so. Every call that changes state names its changes in
 * `effects` (and only when it changed something), so a run can be proven to apply each once.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  salesforceCaseSafeSuffix,
  type OktaAdminRole,
  type OktaApiToken,
  type OktaGrant,
  type OktaUser,
  type SampleSaas,
  type SalesforceOauthToken,
  type SalesforceUser,
  type ZendeskApiToken,
  type ZendeskOauthToken,
  type ZendeskUser,
} from '../sample-saas';
import type { ApiErrorShapes, ApiRequest, ApiResponse, ApiRoute } from './api-router';
import type { ApiFaultShapes } from './fault-plan';

function bearerToken(request: ApiRequest): string | undefined {
  return /^Bearer (.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
}

function lastSegment(path: string): string {
  const segment = path.split('/').filter(Boolean).at(-1) ?? path;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Who the caller is, for the rules that depend on it (Salesforce and Zendesk show non-admins only their own tokens). */
export interface SaasCallerOptions {
  /** The email of the user an access token belongs to; unknown → the first admin of that service. */
  callerEmail?(accessToken: string): string | undefined;
  clock?: () => Date;
}

// =============================================================================================
// Salesforce

const salesforceError = (status: number, errorCode: string, message: string): ApiResponse => ({ status, body: [{ message, errorCode }] });

/** How Salesforce's REST API words its errors: a JSON array of `{message, errorCode}`. */
export const salesforceErrors: ApiErrorShapes = {
  unauthenticated: () => salesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
  // A token without the `api` scope is a session the REST API does not accept.
  insufficientScopes: () => salesforceError(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API'),
  notFound: () => salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist'),
  badRequest: (message) => salesforceError(400, 'JSON_PARSER_ERROR', message),
};

/** Salesforce limits API calls per org per 24 hours: over it, 403 REQUEST_LIMIT_EXCEEDED (no Retry-After). */
export const salesforceFaults: ApiFaultShapes = {
  rateLimited: () => salesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  // The wording of Salesforce's 503 is not confirmed by the reference.
  unavailable: () => salesforceError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.'),
};

/** Records per query batch; `Sforce-Query-Options: batchSize=n` asks for 200–2,000. */
export const salesforceMaxBatchSize = 2_000;
const salesforceMinBatchSize = 200;
/** OauthToken exists from API version 32.0; the simulator answers 32.0–66.0. */
const salesforceVersions = { min: 32, max: 66 };

type SoqlType = 'id' | 'reference' | 'string' | 'datetime' | 'int' | 'boolean';

interface SoqlRow {
  /** The id used in `attributes.url`. */
  key: string;
  values: Record<string, unknown>;
  related: Record<string, SoqlRow | null>;
}

interface SObjectType {
  name: 'OauthToken' | 'User' | 'UserLogin' | 'UserPermissionAccess';
  fields: Record<string, SoqlType>;
  /** Relationship name → the related object's name. */
  relationships: Record<string, 'User'>;
}

const oauthTokenType: SObjectType = {
  name: 'OauthToken',
  fields: { AccessToken: 'string', AppMenuItemId: 'reference', AppName: 'string', CreatedDate: 'datetime', DeleteToken: 'string', Id: 'id', LastUsedDate: 'datetime', RequestToken: 'string', UseCount: 'int', UserId: 'reference' },
  relationships: { User: 'User' },
};

const userType: SObjectType = {
  name: 'User',
  fields: { Id: 'id', Username: 'string', Email: 'string', FirstName: 'string', LastName: 'string', Name: 'string', IsActive: 'boolean', UserType: 'string', CreatedDate: 'datetime', LastLoginDate: 'datetime' },
  relationships: {},
};

/** Login settings of a user; only a user with Manage Users reaches it (API version 29.0 and later). */
const userLoginType: SObjectType = {
  name: 'UserLogin',
  fields: { Id: 'id', UserId: 'reference', IsFrozen: 'boolean', IsPasswordLocked: 'boolean' },
  relationships: {},
};

/** The running user's permissions, one row; the simulator knows two of Salesforce's hundreds. */
const userPermissionAccessType: SObjectType = {
  name: 'UserPermissionAccess',
  fields: { Id: 'id', PermissionsCustomizeApplication: 'boolean', PermissionsManageUsers: 'boolean' },
  relationships: {},
};

const sObjectTypes: Record<string, SObjectType> = { OauthToken: oauthTokenType, User: userType, UserLogin: userLoginType, UserPermissionAccess: userPermissionAccessType };

function userRow(user: SalesforceUser): SoqlRow {
  return {
    key: user.Id,
    values: { Id: user.Id, Username: user.Username, Email: user.Email, FirstName: user.FirstName, LastName: user.LastName, Name: `${user.FirstName} ${user.LastName}`, IsActive: user.IsActive, UserType: user.UserType, CreatedDate: user.CreatedDate, LastLoginDate: user.LastLoginDate },
    related: {},
  };
}

function userLoginRow(user: SalesforceUser): SoqlRow {
  return { key: user.userLoginKey, values: { Id: user.userLoginKey, UserId: user.Id, IsFrozen: user.IsFrozen, IsPasswordLocked: false }, related: {} };
}

function userPermissionAccessRow(user: SalesforceUser): SoqlRow {
  return { key: user.Id, values: { Id: user.Id, PermissionsCustomizeApplication: user.customizeApplication, PermissionsManageUsers: user.manageUsers }, related: {} };
}

function oauthTokenRow(token: SalesforceOauthToken, users: Map<string, SoqlRow>): SoqlRow {
  return {
    key: token.key,
    // Id is "reserved for future use; currently always null"; AccessToken and RequestToken are not handed out.
    values: { AccessToken: null, AppMenuItemId: token.AppMenuItemId, AppName: token.AppName, CreatedDate: token.CreatedDate, DeleteToken: token.DeleteToken, Id: null, LastUsedDate: token.LastUsedDate, RequestToken: null, UseCount: token.UseCount, UserId: token.UserId },
    related: { User: users.get(token.UserId) ?? null },
  };
}

/** `2026-11-21T09:00:00.000+0000`, the way Salesforce writes a dateTime. */
function salesforceDateTime(iso: string): string {
  return new Date(iso).toISOString().replace(/Z$/, '+0000');
}

class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

type SoqlLiteral = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' } | { kind: 'datetime'; value: number } | { kind: 'date'; value: string };

interface SoqlFieldRef {
  /** As written, for messages. */
  text: string;
  relationship?: string;
  field: string;
  type: SoqlType;
  column: number;
}

type SoqlOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

interface SoqlCondition {
  field: SoqlFieldRef;
  operator: SoqlOperator;
  literal: SoqlLiteral;
}

interface SoqlQuery {
  object: SObjectType;
  /** Null for `SELECT COUNT()`. */
  fields: SoqlFieldRef[] | null;
  where: SoqlCondition[];
  orderBy: { field: SoqlFieldRef; descending: boolean; nullsLast: boolean }[];
  limit: number | null;
}

interface SoqlToken {
  kind: 'word' | 'string' | 'number' | 'datetime' | 'date' | 'operator' | 'punctuation' | 'eof';
  text: string;
  column: number;
}

const soqlTokenPattern =
  /(?<string>'(?:[^'\\]|\\.)*')|(?<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2}))|(?<date>\d{4}-\d{2}-\d{2})(?![\w:])|(?<number>-?\d+(?:\.\d+)?)|(?<operator><=|>=|!=|<>|=|<|>)|(?<punctuation>[(),])|(?<word>[A-Za-z_][A-Za-z0-9_.:]*)/y;

/** What this parser understands, added to MALFORMED_QUERY messages so a failing query explains itself. */
const soqlSubset = 'The simulator supports SELECT field, … | COUNT() FROM OauthToken | User | UserLogin | UserPermissionAccess [WHERE field op value AND …] [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], …] [LIMIT n].';

function tokenizeSoql(query: string): SoqlToken[] {
  const tokens: SoqlToken[] = [];
  let index = 0;
  for (;;) {
    while (index < query.length && /\s/.test(query[index]!)) index += 1;
    if (index >= query.length) break;
    soqlTokenPattern.lastIndex = index;
    const match = soqlTokenPattern.exec(query);
    if (!match?.groups) throw new SoqlError('MALFORMED_QUERY', soqlMessage(query, index + 1, `unexpected token: '${query.slice(index, index + 10).split(/\s/)[0]}'`));
    const kind = (Object.keys(match.groups) as SoqlToken['kind'][]).find((name) => match.groups![name] !== undefined)!;
    tokens.push({ kind, text: match[0], column: index + 1 });
    index += match[0].length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', column: query.length + 1 });
  return tokens;
}

/** An object that does not exist, or that the caller may not see: Salesforce answers both alike. */
function unsupportedType(query: string, column: number, name: string): SoqlError {
  return new SoqlError(
    'INVALID_TYPE',
    soqlMessage(query, column, `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`),
  );
}

/** Salesforce's own layout: the query, a caret under the column, then the detail. */
function soqlMessage(query: string, column: number, detail: string): string {
  return `\n${query}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:1:Column:${column}\n${detail}`;
}

const soqlTypeNames: Record<SoqlType, string> = { id: 'id', reference: 'id', string: 'string', datetime: 'dateTime', int: 'int', boolean: 'boolean' };

function parseSoql(query: string): SoqlQuery {
  const tokens = tokenizeSoql(query);
  let position = 0;
  const peek = () => tokens[position]!;
  const next = () => tokens[position++]!;
  const isKeyword = (token: SoqlToken, word: string) => token.kind === 'word' && token.text.toUpperCase() === word;
  const unexpected = (token: SoqlToken): never => {
    throw new SoqlError('MALFORMED_QUERY', soqlMessage(query, token.column, `unexpected token: '${token.text}'. ${soqlSubset}`));
  };
  const expectKeyword = (word: string) => {
    const token = next();
    if (!isKeyword(token, word)) unexpected(token);
  };
  const reserved = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'GROUP', 'HAVING', 'LIKE', 'IN', 'ASC', 'DESC', 'NULLS', 'WITH', 'FOR', 'USING', 'TYPEOF']);
  const fieldName = (): SoqlToken => {
    const token = next();
    if (token.kind !== 'word' || reserved.has(token.text.toUpperCase()) || token.text.includes(':')) unexpected(token);
    return token;
  };

  expectKeyword('SELECT');
  let selected: SoqlToken[] | null = [];
  if (isKeyword(peek(), 'COUNT') && tokens[position + 1]?.text === '(') {
    next();
    next();
    const close = next();
    if (close.text !== ')') unexpected(close);
    selected = null;
  } else {
    for (;;) {
      selected.push(fieldName());
      if (peek().text !== ',') break;
      next();
    }
  }
  expectKeyword('FROM');
  const objectToken = next();
  if (objectToken.kind !== 'word') unexpected(objectToken);
  const object = Object.values(sObjectTypes).find((type) => type.name.toLowerCase() === objectToken.text.toLowerCase());
  if (!object) throw unsupportedType(query, objectToken.column, objectToken.text);

  const resolve = (token: SoqlToken): SoqlFieldRef => {
    const parts = token.text.split('.');
    if (parts.length === 1) {
      const field = Object.keys(object.fields).find((name) => name.toLowerCase() === parts[0]!.toLowerCase());
      if (!field) {
        throw new SoqlError(
          'INVALID_FIELD',
          soqlMessage(query, token.column, `No such column '${parts[0]}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`),
        );
      }
      return { text: token.text, field, type: object.fields[field]!, column: token.column };
    }
    const relationship = parts.length === 2 ? Object.keys(object.relationships).find((name) => name.toLowerCase() === parts[0]!.toLowerCase()) : undefined;
    if (!relationship) {
      throw new SoqlError(
        'INVALID_FIELD',
        soqlMessage(query, token.column, `Didn't understand relationship '${parts.slice(0, -1).join('.')}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`),
      );
    }
    const related = sObjectTypes[object.relationships[relationship]!]!;
    const field = Object.keys(related.fields).find((name) => name.toLowerCase() === parts[1]!.toLowerCase());
    if (!field) throw new SoqlError('INVALID_FIELD', soqlMessage(query, token.column, `No such column '${parts[1]}' on entity '${related.name}'.`));
    return { text: token.text, relationship, field, type: related.fields[field]!, column: token.column };
  };

  let fields: SoqlFieldRef[] | null = null;
  if (selected) {
    fields = [];
    const seen = new Set<string>();
    for (const token of selected) {
      const ref = resolve(token);
      const id = `${ref.relationship ?? ''}.${ref.field}`;
      if (seen.has(id)) throw new SoqlError('MALFORMED_QUERY', soqlMessage(query, token.column, `duplicate field selected: ${ref.field}`));
      seen.add(id);
      fields.push(ref);
    }
  }

  const where: SoqlCondition[] = [];
  if (isKeyword(peek(), 'WHERE')) {
    next();
    for (;;) {
      const field = resolve(fieldName());
      const operatorToken = next();
      if (operatorToken.kind !== 'operator') unexpected(operatorToken);
      const operator = (operatorToken.text === '<>' ? '!=' : operatorToken.text) as SoqlOperator;
      const literal = parseLiteral(next(), unexpected);
      checkCondition(query, field, operator, literal, operatorToken.column);
      where.push({ field, operator, literal });
      if (!isKeyword(peek(), 'AND')) break;
      next();
    }
  }

  const orderBy: SoqlQuery['orderBy'] = [];
  if (isKeyword(peek(), 'ORDER')) {
    next();
    expectKeyword('BY');
    for (;;) {
      const field = resolve(fieldName());
      let descending = false;
      if (isKeyword(peek(), 'ASC')) next();
      else if (isKeyword(peek(), 'DESC')) {
        next();
        descending = true;
      }
      // SOQL puts nulls first unless told otherwise.
      let nullsLast = false;
      if (isKeyword(peek(), 'NULLS')) {
        next();
        const which = next();
        if (isKeyword(which, 'LAST')) nullsLast = true;
        else if (!isKeyword(which, 'FIRST')) unexpected(which);
      }
      orderBy.push({ field, descending, nullsLast });
      if (peek().text !== ',') break;
      next();
    }
  }

  let limit: number | null = null;
  if (isKeyword(peek(), 'LIMIT')) {
    next();
    const value = next();
    if (value.kind !== 'number' || !/^\d+$/.test(value.text)) unexpected(value);
    limit = Number(value.text);
  }
  const end = next();
  if (end.kind !== 'eof') unexpected(end);
  return { object, fields, where, orderBy, limit };
}

function parseLiteral(token: SoqlToken, unexpected: (token: SoqlToken) => never): SoqlLiteral {
  switch (token.kind) {
    case 'string':
      return { kind: 'string', value: token.text.slice(1, -1).replace(/\\(.)/g, (_, char: string) => ({ n: '\n', t: '\t', r: '\r' })[char] ?? char) };
    case 'number':
      return { kind: 'number', value: Number(token.text) };
    case 'datetime':
      return { kind: 'datetime', value: Date.parse(token.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) };
    case 'date':
      return { kind: 'date', value: token.text };
    case 'word': {
      const word = token.text.toLowerCase();
      if (word === 'null') return { kind: 'null' };
      if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
      return unexpected(token);
    }
    default:
      return unexpected(token);
  }
}

const salesforceIdPattern = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

function checkCondition(query: string, field: SoqlFieldRef, operator: SoqlOperator, literal: SoqlLiteral, column: number): void {
  const typeError = (quoted: boolean) =>
    new SoqlError('INVALID_QUERY_FILTER_OPERATOR', soqlMessage(query, column, `value of filter criterion for field '${field.field}' must be of type ${soqlTypeNames[field.type]} and should ${quoted ? '' : 'not '}be enclosed in quotes`));
  if (literal.kind === 'null') {
    if (operator !== '=' && operator !== '!=') throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', soqlMessage(query, column, 'invalid operator on null'));
    return;
  }
  switch (field.type) {
    case 'id':
    case 'reference':
      if (literal.kind !== 'string') throw typeError(true);
      if (!salesforceIdPattern.test(literal.value)) throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', soqlMessage(query, column, `invalid ID field: ${literal.value}`));
      break;
    case 'string':
      if (literal.kind !== 'string') throw typeError(true);
      break;
    case 'datetime':
      if (literal.kind !== 'datetime' || Number.isNaN(literal.value)) throw typeError(false);
      break;
    case 'int':
      if (literal.kind !== 'number') throw typeError(false);
      break;
    case 'boolean':
      if (literal.kind !== 'boolean') throw typeError(false);
      if (operator !== '=' && operator !== '!=') throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', soqlMessage(query, column, `invalid operator on boolean field: ${field.field}`));
      break;
  }
}

function fieldValue(row: SoqlRow, ref: SoqlFieldRef): unknown {
  if (!ref.relationship) return row.values[ref.field];
  return row.related[ref.relationship]?.values[ref.field] ?? null;
}

/** Orders two non-null values of one field type; strings compare case-insensitively, ids by their 15-character form. */
function compareValues(type: SoqlType, a: unknown, b: unknown): number {
  switch (type) {
    case 'datetime':
      return Date.parse(String(a)) - Date.parse(String(b));
    case 'int':
      return Number(a) - Number(b);
    case 'boolean':
      return Number(a) - Number(b);
    case 'id':
    case 'reference': {
      const left = String(a).slice(0, 15);
      const right = String(b).slice(0, 15);
      return left < right ? -1 : left > right ? 1 : 0;
    }
    case 'string': {
      const left = String(a).toLowerCase();
      const right = String(b).toLowerCase();
      return left < right ? -1 : left > right ? 1 : 0;
    }
  }
}

function literalValue(literal: SoqlLiteral): unknown {
  switch (literal.kind) {
    case 'null':
      return null;
    case 'datetime':
      return new Date(literal.value).toISOString();
    default:
      return literal.value;
  }
}

function matches(row: SoqlRow, condition: SoqlCondition): boolean {
  const value = fieldValue(row, condition.field);
  const wanted = literalValue(condition.literal);
  if (value === null || value === undefined || wanted === null) {
    const equal = (value ?? null) === wanted;
    return condition.operator === '=' ? equal : condition.operator === '!=' ? !equal : false;
  }
  const order = compareValues(condition.field.type, value, wanted);
  switch (condition.operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

function outputValue(type: SoqlType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return type === 'datetime' ? salesforceDateTime(String(value)) : value;
}

interface SalesforceCursor {
  records: Record<string, unknown>[];
  batchSize: number;
}

export interface SalesforceRoutesOptions extends SaasCallerOptions {
  /**
   * The org's My Domain URL. Salesforce answers with relative URLs (attributes.url,
   * nextRecordsUrl), so nothing here depends on it; accepted so every provider is wired alike.
   */
  instanceUrl?: string;
}

export function salesforceRoutes(saas: SampleSaas, options: SalesforceRoutesOptions = {}): ApiRoute[] {
  const clock = options.clock ?? (() => new Date());
  const salesforce = saas.salesforce;
  const cursors = new Map<string, SalesforceCursor>();
  let locatorCount = 0;
  const versionOf = (params: Record<string, string>) => {
    const version = Number(params.version);
    return version >= salesforceVersions.min && version <= salesforceVersions.max ? params.version! : null;
  };

  /** "Customize Application" sees every token; anyone else only their own. */
  const caller = (request: ApiRequest): SalesforceUser | undefined => {
    const token = bearerToken(request);
    const email = token ? options.callerEmail?.(token) : undefined;
    const named = email ? salesforce.users.find((user) => user.Email.toLowerCase() === email.toLowerCase()) : undefined;
    return named ?? salesforce.users.find((user) => user.customizeApplication);
  };

  const page = (records: Record<string, unknown>[], offset: number, batchSize: number, version: string, locator: string): ApiResponse => {
    const batch = records.slice(offset, offset + batchSize);
    const done = offset + batchSize >= records.length;
    return {
      status: 200,
      body: { totalSize: records.length, done, ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${offset + batchSize}` }), records: batch },
    };
  };

  const newLocator = () => {
    locatorCount += 1;
    const id15 = `01g8d0000${locatorCount.toString(36).toUpperCase().padStart(6, '0')}`;
    return id15 + salesforceCaseSafeSuffix(id15);
  };

  return [
    {
      method: 'GET',
      pattern: /^\/services\/data\/v(?<version>\d{2}\.0)\/query\/?$/,
      anyOfScopes: ['api'],
      name: 'salesforce.query',
      handle(request, params) {
        const version = versionOf(params);
        if (!version) return salesforceErrors.notFound(request.path);
        const q = request.query.get('q');
        if (q === null || q.trim() === '') return salesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
        let query: SoqlQuery;
        try {
          query = parseSoql(q);
        } catch (error) {
          if (error instanceof SoqlError) return salesforceError(400, error.errorCode, error.message);
          throw error;
        }
        const users = new Map(salesforce.users.map((user) => [user.Id, userRow(user)]));
        const who = caller(request);
        let rows: SoqlRow[];
        switch (query.object.name) {
          case 'OauthToken': {
            const visible = who?.customizeApplication ? salesforce.oauthTokens : salesforce.oauthTokens.filter((token) => token.UserId === who?.Id);
            rows = visible.map((token) => oauthTokenRow(token, users));
            break;
          }
          case 'UserLogin':
            if (!who?.manageUsers) {
              const from = /\bFROM\s+/i.exec(q);
              const error = unsupportedType(q, from ? from.index + from[0].length + 1 : 1, 'UserLogin');
              return salesforceError(400, error.errorCode, error.message);
            }
            rows = salesforce.users.map(userLoginRow);
            break;
          case 'UserPermissionAccess':
            rows = who ? [userPermissionAccessRow(who)] : [];
            break;
          case 'User':
            rows = [...users.values()];
            break;
        }
        rows = rows.filter((row) => query.where.every((condition) => matches(row, condition)));
        if (query.orderBy.length > 0) {
          rows = rows
            .map((row, index) => ({ row, index }))
            .sort((a, b) => {
              for (const order of query.orderBy) {
                const left = fieldValue(a.row, order.field);
                const right = fieldValue(b.row, order.field);
                const leftNull = left === null || left === undefined;
                const rightNull = right === null || right === undefined;
                if (leftNull || rightNull) {
                  if (leftNull && rightNull) continue;
                  return (leftNull ? -1 : 1) * (order.nullsLast ? -1 : 1);
                }
                const result = compareValues(order.field.type, left, right) * (order.descending ? -1 : 1);
                if (result !== 0) return result;
              }
              return a.index - b.index;
            })
            .map(({ row }) => row);
        }
        if (query.limit !== null) rows = rows.slice(0, query.limit);
        if (query.fields === null) return { status: 200, body: { totalSize: rows.length, done: true, records: [] } };

        const fields = query.fields;
        const records = rows.map((row) => {
          const record: Record<string, unknown> = { attributes: { type: query.object.name, url: `/services/data/v${version}/sobjects/${query.object.name}/${row.key}` } };
          for (const ref of fields) {
            if (!ref.relationship) {
              record[ref.field] = outputValue(ref.type, row.values[ref.field]);
              continue;
            }
            const related = row.related[ref.relationship];
            if (!related) {
              record[ref.relationship] = null;
              continue;
            }
            const nested = (record[ref.relationship] as Record<string, unknown> | undefined) ?? { attributes: { type: 'User', url: `/services/data/v${version}/sobjects/User/${related.key}` } };
            nested[ref.field] = outputValue(ref.type, related.values[ref.field]);
            record[ref.relationship] = nested;
          }
          return record;
        });

        const requested = /batchSize=(\d+)/i.exec(String(request.headers['sforce-query-options'] ?? ''))?.[1];
        const batchSize = requested ? Math.min(salesforceMaxBatchSize, Math.max(salesforceMinBatchSize, Number(requested))) : salesforceMaxBatchSize;
        if (records.length <= batchSize) return page(records, 0, batchSize, version, '');
        const locator = newLocator();
        cursors.set(locator, { records, batchSize });
        // Salesforce keeps a handful of open cursors per user; the oldest go first.
        while (cursors.size > 50) cursors.delete(cursors.keys().next().value!);
        return page(records, 0, batchSize, version, locator);
      },
    },
    {
      method: 'GET',
      pattern: /^\/services\/data\/v(?<version>\d{2}\.0)\/query\/(?<locator>[0-9A-Za-z]{15,18})-(?<offset>\d+)$/,
      anyOfScopes: ['api'],
      name: 'salesforce.queryMore',
      handle(request, params) {
        const version = versionOf(params);
        if (!version) return salesforceErrors.notFound(request.path);
        const cursor = cursors.get(params.locator!);
        const offset = Number(params.offset);
        if (!cursor || offset <= 0 || offset >= cursor.records.length) return salesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        return page(cursor.records, offset, cursor.batchSize, version, params.locator!);
      },
    },
    {
      method: 'POST',
      pattern: /^\/services\/oauth2\/revoke$/,
      anyOfScopes: ['api'],
      name: 'salesforce.oauth2.revoke',
      bodyFormat: 'text',
      handle(request) {
        const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
        const token = form.get('token') ?? request.query.get('token');
        // The reference lists two errors, both 400: unsupported_token_type and invalid_token.
        if (!token) return { status: 400, body: { error: 'unsupported_token_type', error_description: 'this token type is not supported' } };
        const index = salesforce.oauthTokens.findIndex((candidate) => candidate.DeleteToken === token);
        if (index < 0) return { status: 400, body: { error: 'invalid_token', error_description: 'invalid token' } };
        const [removed] = salesforce.oauthTokens.splice(index, 1);
        salesforce.revocations.push({ deleteToken: removed!.DeleteToken, appName: removed!.AppName, userId: removed!.UserId, at: clock().toISOString() });
        return { status: 200, effects: [`salesforce.oauthToken.revoke:${removed!.UserId}:${removed!.key}`] };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/services\/data\/v(?<version>\d{2}\.0)\/sobjects\/UserLogin\/(?<id>[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?)$/,
      anyOfScopes: ['api'],
      name: 'salesforce.userLogin.update',
      handle(request, params) {
        const user = salesforce.users.find((candidate) => candidate.userLoginKey.slice(0, 15) === params.id!.slice(0, 15));
        // Without Manage Users the object is out of reach, answered like a record that does not exist.
        if (!versionOf(params) || !user || !caller(request)?.manageUsers) return salesforceErrors.notFound(request.path);
        const body = request.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return salesforceError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object of UserLogin fields.');
        const fields = body as Record<string, unknown>;
        const refused = Object.keys(fields).filter((name) => name !== 'IsFrozen');
        if (refused.length > 0) {
          return salesforceError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${refused.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`);
        }
        if (fields.IsFrozen === undefined || fields.IsFrozen === user.IsFrozen) return { status: 204 };
        if (typeof fields.IsFrozen !== 'boolean') return salesforceError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of boolean from the value of IsFrozen.');
        user.IsFrozen = fields.IsFrozen;
        return { status: 204, effects: [`salesforce.user.${user.IsFrozen ? 'freeze' : 'unfreeze'}:${user.Id}`] };
      },
    },
  ];
}

// =============================================================================================
// Zendesk

const zendeskError = (status: number, error: string, description?: string, headers?: Record<string, string>): ApiResponse => ({
  status,
  body: description === undefined ? { error } : { error, description },
  ...(headers ? { headers } : {}),
});

const zendeskForbidden = () => zendeskError(403, 'Forbidden', 'You do not have access to this page. Please contact the account owner of this help desk for further help.');
const zendeskRecordNotFound = () => zendeskError(404, 'RecordNotFound', 'Not found');

/** How Zendesk Support's API words its errors: `{error, description}`. */
export const zendeskErrors: ApiErrorShapes = {
  unauthenticated: () => zendeskError(401, "Couldn't authenticate you"),
  insufficientScopes: zendeskForbidden,
  notFound: () => zendeskError(404, 'InvalidEndpoint', 'Not found'),
  badRequest: (message) => zendeskError(400, 'InvalidValue', message),
};

/** Zendesk throttles with 429 and Retry-After (seconds). The 429 and 503 bodies are not confirmed by the reference. */
export const zendeskFaults: ApiFaultShapes = {
  rateLimited: (retryAfterSeconds) => zendeskError(429, 'APIRateLimitExceeded', 'Number of allowed API requests per minute exceeded', { 'retry-after': String(retryAfterSeconds) }),
  unavailable: (retryAfterSeconds = 10) => zendeskError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.', { 'retry-after': String(retryAfterSeconds) }),
};

/** Both of Zendesk's paginations allow at most 100 records a page. */
export const zendeskMaxPageSize = 100;

export interface ZendeskRoutesOptions extends SaasCallerOptions {
  /** `https://{subdomain}.zendesk.com`, for `url`, `links.next` and `next_page`; defaults to the seeded subdomain. */
  baseUrl?: string;
}

const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(cursor: string): number | null {
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

export function zendeskRoutes(saas: SampleSaas, options: ZendeskRoutesOptions = {}): ApiRoute[] {
  const zendesk = saas.zendesk;
  const clock = options.clock ?? (() => new Date());
  const baseUrl = (options.baseUrl ?? `https://${zendesk.subdomain}.zendesk.com`).replace(/\/$/, '');
  const read = ['read'];
  const write = ['write'];

  const caller = (request: ApiRequest): ZendeskUser | undefined => {
    const token = bearerToken(request);
    const email = token ? options.callerEmail?.(token) : undefined;
    const named = email ? zendesk.users.find((user) => user.email.toLowerCase() === email.toLowerCase()) : undefined;
    return named ?? zendesk.users.find((user) => user.role === 'admin');
  };

  /** Offset pagination (`page`, `per_page` → `next_page`, `previous_page`, `count`) or cursor pagination (`page[size]` → `meta`, `links`). */
  const paginate = <T>(request: ApiRequest, path: string, key: string, items: T[], render: (item: T) => unknown): ApiResponse => {
    const link = (changes: Record<string, string>, drop: string[]) => {
      const query = new URLSearchParams(request.query);
      for (const name of drop) query.delete(name);
      for (const [name, value] of Object.entries(changes)) query.set(name, value);
      return `${baseUrl}${path}.json?${query.toString()}`;
    };
    const cursorMode = ['page[size]', 'page[after]', 'page[before]'].some((name) => request.query.has(name));
    if (cursorMode) {
      const size = Math.min(zendeskMaxPageSize, Math.max(1, Number(request.query.get('page[size]') ?? zendeskMaxPageSize) || zendeskMaxPageSize));
      const after = request.query.get('page[after]');
      const before = request.query.get('page[before]');
      const afterOffset = after ? decodeCursor(after) : null;
      const beforeOffset = before ? decodeCursor(before) : null;
      if ((after && afterOffset === null) || (before && beforeOffset === null)) return zendeskError(400, 'InvalidPaginationParameter', 'Invalid cursor');
      const start = afterOffset ?? (beforeOffset !== null ? Math.max(0, beforeOffset - size) : 0);
      const end = beforeOffset !== null && afterOffset === null ? beforeOffset : start + size;
      const slice = items.slice(start, end);
      const hasMore = end < items.length;
      const afterCursor = slice.length > 0 ? encodeCursor(Math.min(end, items.length)) : null;
      const beforeCursor = slice.length > 0 && start > 0 ? encodeCursor(start) : null;
      return {
        status: 200,
        body: {
          [key]: slice.map(render),
          meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
          links: {
            prev: beforeCursor ? link({ 'page[before]': beforeCursor, 'page[size]': String(size) }, ['page[after]']) : null,
            next: hasMore && afterCursor ? link({ 'page[after]': afterCursor, 'page[size]': String(size) }, ['page[before]']) : null,
          },
        },
      };
    }
    const perPage = Math.min(zendeskMaxPageSize, Math.max(1, Number(request.query.get('per_page') ?? zendeskMaxPageSize) || zendeskMaxPageSize));
    const pageNumber = Math.max(1, Math.floor(Number(request.query.get('page') ?? 1)) || 1);
    const start = (pageNumber - 1) * perPage;
    return {
      status: 200,
      body: {
        [key]: items.slice(start, start + perPage).map(render),
        next_page: start + perPage < items.length ? link({ page: String(pageNumber + 1), per_page: String(perPage) }, []) : null,
        previous_page: pageNumber > 1 ? link({ page: String(pageNumber - 1), per_page: String(perPage) }, []) : null,
        count: items.length,
      },
    };
  };

  const tokenResource = (token: ZendeskOauthToken) => ({
    url: `${baseUrl}/api/v2/oauth/tokens/${token.id}.json`,
    id: token.id,
    user_id: token.user_id,
    client_id: token.client_id,
    token: token.token,
    refresh_token: null,
    scopes: token.scopes,
    created_at: token.created_at,
    used_at: token.used_at,
    expires_at: token.expires_at,
    refresh_token_expires_at: null,
  });

  const userResource = (user: ZendeskUser) => ({
    id: user.id,
    url: `${baseUrl}/api/v2/users/${user.id}.json`,
    name: user.name,
    email: user.email,
    created_at: user.created_at,
    updated_at: user.updated_at,
    time_zone: 'UTC',
    iana_time_zone: 'Etc/UTC',
    phone: null,
    shared_phone_number: null,
    photo: null,
    locale_id: 1,
    locale: 'en-US',
    organization_id: null,
    role: user.role,
    verified: true,
    external_id: null,
    tags: [],
    alias: null,
    active: user.active,
    shared: false,
    shared_agent: false,
    last_login_at: user.last_login_at,
    two_factor_auth_enabled: null,
    signature: null,
    details: '',
    notes: '',
    role_type: null,
    custom_role_id: null,
    moderator: user.role !== 'end-user',
    ticket_restriction: user.role === 'end-user' ? 'requested' : null,
    only_private_comments: false,
    restricted_agent: false,
    suspended: user.suspended,
    default_group_id: null,
    report_csv: user.role === 'admin',
    user_fields: {},
  });

  const apiTokenResource = (token: ZendeskApiToken) => ({
    id: token.id,
    user_id: token.user_id,
    description: token.description,
    active: token.active,
    created_at: token.created_at,
    updated_at: token.updated_at,
    last_used: token.last_used,
    // The truncated token Admin Center shows; its exact form is not confirmed by the reference.
    visible_token: token.visible_token,
  });

  /** Admins reach every token; anyone else only their own (others are "not found"). */
  const visibleToken = (request: ApiRequest, id: string): ZendeskOauthToken | undefined => {
    const who = caller(request);
    const token = zendesk.oauthTokens.find((candidate) => candidate.id === Number(id));
    return token && (who?.role === 'admin' || token.user_id === who?.id) ? token : undefined;
  };

  return [
    {
      method: 'GET',
      pattern: /^\/api\/v2\/oauth\/tokens(?:\.json)?$/,
      anyOfScopes: read,
      name: 'zendesk.oauthTokens.list',
      handle(request) {
        const who = caller(request);
        if (!who) return zendeskErrors.unauthenticated();
        const all = request.query.get('all') === 'true';
        // Only admins may list every user's tokens.
        if (all && who.role !== 'admin') return zendeskForbidden();
        let tokens = all ? zendesk.oauthTokens : zendesk.oauthTokens.filter((token) => token.user_id === who.id);
        const clientId = request.query.get('client_id');
        if (clientId !== null) tokens = tokens.filter((token) => token.client_id === Number(clientId));
        return paginate(request, '/api/v2/oauth/tokens', 'tokens', tokens, tokenResource);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/oauth\/tokens\/(?<id>\d+)(?:\.json)?$/,
      anyOfScopes: read,
      name: 'zendesk.oauthTokens.show',
      handle(request, params) {
        const token = visibleToken(request, params.id!);
        return token ? { status: 200, body: { token: tokenResource(token) } } : zendeskRecordNotFound();
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v2\/oauth\/tokens\/(?<id>\d+)(?:\.json)?$/,
      anyOfScopes: write,
      name: 'zendesk.oauthTokens.revoke',
      handle(request, params) {
        const token = visibleToken(request, params.id!);
        if (!token) return zendeskRecordNotFound();
        zendesk.oauthTokens = zendesk.oauthTokens.filter((candidate) => candidate !== token);
        zendesk.deletedTokenIds.push(token.id);
        return { status: 204, effects: [`zendesk.oauthToken.delete:${token.user_id}:${token.id}`] };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users(?:\.json)?$/,
      anyOfScopes: ['read', 'users:read'],
      name: 'zendesk.users.list',
      handle(request) {
        const who = caller(request);
        if (who?.role === 'end-user') return zendeskForbidden();
        const roles = [...request.query.getAll('role'), ...request.query.getAll('role[]')];
        const known = ['admin', 'agent', 'end-user'];
        if (roles.some((role) => !known.includes(role))) return zendeskError(400, 'InvalidValue', `Invalid role: ${roles.find((role) => !known.includes(role))}`);
        const users = roles.length === 0 ? zendesk.users : zendesk.users.filter((user) => roles.includes(user.role));
        return paginate(request, '/api/v2/users', 'users', users, userResource);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/show_many(?:\.json)?$/,
      anyOfScopes: ['read', 'users:read'],
      name: 'zendesk.users.showMany',
      handle(request) {
        const who = caller(request);
        if (who?.role === 'end-user') return zendeskForbidden();
        const ids = (request.query.get('ids') ?? '').split(',').filter((id) => id.trim() !== '');
        // The reference allows up to 100 ids a call; what it answers beyond that is not confirmed.
        if (ids.length === 0 || ids.length > zendeskMaxPageSize || ids.some((id) => !/^\d+$/.test(id.trim()))) return zendeskError(400, 'InvalidValue', 'ids: 1 to 100 comma-separated user ids');
        const wanted = new Set(ids.map((id) => Number(id)));
        // Unknown ids are left out, not an error.
        return { status: 200, body: { users: zendesk.users.filter((user) => wanted.has(user.id)).map(userResource) } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/search(?:\.json)?$/,
      anyOfScopes: ['read', 'users:read'],
      name: 'zendesk.users.search',
      handle(request) {
        const who = caller(request);
        if (who?.role === 'end-user') return zendeskForbidden();
        // Zendesk's search syntax is wide; the simulator answers the one term offboarding sends.
        const query = request.query.get('query');
        const email = query === null ? undefined : /^email:\s*"?([^"\s]+)"?$/i.exec(query.trim())?.[1];
        if (!email) return zendeskError(400, 'InvalidValue', 'query: the simulator searches users by email:<address> only.');
        const users = zendesk.users.filter((user) => user.email.toLowerCase() === email.toLowerCase());
        return paginate(request, '/api/v2/users/search', 'users', users, userResource);
      },
    },
    {
      method: 'PUT',
      pattern: /^\/api\/v2\/users\/(?<id>\d+)(?:\.json)?$/,
      anyOfScopes: ['write', 'users:write'],
      name: 'zendesk.users.update',
      handle(request, params) {
        // Agents may update some end users; the simulator lets admins update anyone and no one else.
        if (caller(request)?.role !== 'admin') return zendeskForbidden();
        const user = zendesk.users.find((candidate) => candidate.id === Number(params.id));
        if (!user) return zendeskRecordNotFound();
        const fields = (request.body as { user?: unknown } | undefined)?.user;
        if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return zendeskError(400, 'InvalidValue', 'user: an object of the fields to change is required.');
        const changes = fields as Record<string, unknown>;
        const unsupported = Object.keys(changes).filter((name) => name !== 'suspended');
        if (unsupported.length > 0) return zendeskError(400, 'InvalidValue', `The simulator updates suspended only, not ${unsupported.join(', ')}.`);
        if (changes.suspended !== undefined && typeof changes.suspended !== 'boolean') return zendeskError(422, 'RecordInvalid', 'Record validation errors');
        const effects: string[] = [];
        if (typeof changes.suspended === 'boolean' && changes.suspended !== user.suspended) {
          user.suspended = changes.suspended;
          user.updated_at = clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
          effects.push(`zendesk.user.${user.suspended ? 'suspend' : 'unsuspend'}:${user.id}`);
        }
        return { status: 200, body: { user: userResource(user) }, effects };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/oauth\/clients(?:\.json)?$/,
      anyOfScopes: read,
      name: 'zendesk.oauthClients.list',
      handle(request) {
        // Allowed for admins only.
        if (caller(request)?.role !== 'admin') return zendeskForbidden();
        return paginate(request, '/api/v2/oauth/clients', 'clients', zendesk.oauthClients, (client) => ({
          url: `${baseUrl}/api/v2/oauth/clients/${client.id}.json`,
          id: client.id,
          name: client.name,
          identifier: client.identifier,
          company: client.company,
          description: null,
          redirect_uri: [],
          kind: client.kind,
          global: false,
          logo_url: null,
          // The secret is shown only when a client is created; whether a list leaves it out or masks it is not confirmed.
        }));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/api_tokens(?:\.json)?$/,
      anyOfScopes: read,
      name: 'zendesk.apiTokens.list',
      handle(request) {
        // Admins only; one unpaginated `api_tokens` array (ListApiTokens). Creating and deleting
        // are Admin Center steps: the reference documents no call for either, so none is routed.
        if (caller(request)?.role !== 'admin') return zendeskForbidden();
        return { status: 200, body: { api_tokens: zendesk.apiTokens.map(apiTokenResource) } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/(?<id>\d+)(?:\.json)?$/,
      anyOfScopes: ['read', 'users:read'],
      name: 'zendesk.users.show',
      handle(_request, params) {
        const user = zendesk.users.find((candidate) => candidate.id === Number(params.id));
        return user ? { status: 200, body: { user: userResource(user) } } : zendeskRecordNotFound();
      },
    },
  ];
}

// =============================================================================================
// Okta

function oktaError(status: number, errorCode: string, errorSummary: string, causes: string[] = [], headers?: Record<string, string>): ApiResponse {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { errorCode, errorSummary, errorLink: errorCode, errorId: `oae${randomBytes(16).toString('base64url')}`, errorCauses: causes.map((summary) => ({ errorSummary: summary })) },
  };
}

const oktaNotFound = (id: string, type: string) => oktaError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`);

/** How Okta's Management API words its errors. The WWW-Authenticate wording is not confirmed by the reference. */
export const oktaErrors: ApiErrorShapes = {
  unauthenticated: () => oktaError(401, 'E0000011', 'Invalid token provided', [], { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid."' }),
  insufficientScopes: () =>
    oktaError(403, 'E0000006', 'You do not have permission to perform the requested action', [], { 'www-authenticate': 'Bearer error="insufficient_scope", error_description="The access token provided does not contain the required scopes."' }),
  notFound: (path) => oktaNotFound(lastSegment(path), 'Resource'),
  badRequest: () => oktaError(400, 'E0000003', 'The request body was not well-formed.'),
};

export interface OktaFaultOptions {
  /** What `X-Rate-Limit-Limit` reports (Okta's per-minute limit for the endpoint). */
  limitPerMinute?: number;
  clock?: () => number;
}

/** Okta throttles with 429 E0000047 and `X-Rate-Limit-Limit/-Remaining/-Reset` (reset in UTC epoch seconds). */
export function createOktaFaults(options: OktaFaultOptions = {}): ApiFaultShapes {
  const clock = options.clock ?? Date.now;
  return {
    rateLimited: (retryAfterSeconds) =>
      oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', [], {
        'x-rate-limit-limit': String(options.limitPerMinute ?? 600),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(Math.ceil(clock() / 1_000) + retryAfterSeconds),
      }),
    // The body Okta sends with a 503 is not confirmed by the reference.
    unavailable: () => oktaError(503, 'E0000009', 'Internal Server Error'),
  };
}

export const oktaFaults: ApiFaultShapes = createOktaFaults();

/** Users a page: 200 by default and at most; 10 by default with `q`. Grants: 20 by default (unconfirmed), at most 200. */
export const oktaMaxUsersPage = 200;
const oktaDefaultGrantsPage = 20;

export interface OktaRoutesOptions {
  /** `https://{org}.okta.com`, for `_links`, `issuer` and the `Link` headers. */
  orgUrl: string;
  clock?: () => Date;
  /** The app integrations and their Okta API scope grants; seeded from `saas` when absent. */
  appGrants?: OktaAppGrantState;
}

/** An app integration as `/api/v1/apps` lists it. */
export interface OktaAppIntegration {
  id: string;
  label: string;
  name: string;
  signOnMode: 'OPENID_CONNECT';
  created: string;
}

/** An Okta API scope granted to an app integration by an admin (Application Grants API). */
export interface OktaAppScopeGrant {
  id: string;
  appId: string;
  scopeId: string;
  status: 'ACTIVE';
  source: 'ADMIN';
  created: string;
  createdBy: { id: string; type: 'User' };
}

export interface OktaAppGrantState {
  apps: OktaAppIntegration[];
  grants: OktaAppScopeGrant[];
}

/** The Okta API scopes the seeded service app holds: two that let it administer the org, one read. */
export const seededServiceAppScopes = ['okta.users.manage', 'okta.apps.manage', 'okta.groups.read'] as const;

/**
 * The sample org's app integrations, made afresh for each simulator: the OIDC apps users consent to
 * (which hold no Okta API scopes) and one service app an admin granted Okta API scopes to.
 */
export function seedOktaAppGrants(saas: SampleSaas): OktaAppGrantState {
  const id = (prefix: string, label: string) => `${prefix}${createHash('sha256').update(`${saas.seed}:${label}`).digest('hex').slice(0, 17)}`;
  const daysBefore = (days: number) => new Date(Date.parse(saas.referenceTime) - days * 86_400_000).toISOString();
  const serviceApp: OktaAppIntegration = { id: id('0oa', 'service-app'), label: 'Directory Sync Service', name: 'oidc_client', signOnMode: 'OPENID_CONNECT', created: daysBefore(240) };
  const admin = saas.okta.users.find((user) => user.status === 'ACTIVE') ?? saas.okta.users[0];
  return {
    apps: [...saas.okta.apps.map((app, index) => ({ id: app.id, label: app.label, name: 'oidc_client', signOnMode: 'OPENID_CONNECT' as const, created: daysBefore(400 - index * 30) })), serviceApp],
    grants: seededServiceAppScopes.map((scopeId, index) => ({
      id: id('oag', `app-grant:${scopeId}`),
      appId: serviceApp.id,
      scopeId,
      status: 'ACTIVE',
      source: 'ADMIN',
      created: daysBefore(240 - index * 45),
      createdBy: { id: admin?.id ?? '00u000000000000000', type: 'User' },
    })),
  };
}

const oktaUserFilterAttributes: Record<string, (user: OktaUser) => string> = {
  status: (user) => user.status,
  id: (user) => user.id,
  'profile.login': (user) => user.profile.login,
  'profile.email': (user) => user.profile.email,
  'profile.firstName': (user) => user.profile.firstName,
  'profile.lastName': (user) => user.profile.lastName,
};

/** `attr eq "value"` terms joined all by `and` or all by `or`; null when the expression is outside that subset. */
function parseOktaFilter(filter: string): ((user: OktaUser) => boolean) | null {
  const term = /^\s*(?<attribute>[A-Za-z.]+)\s+eq\s+"(?<value>[^"]*)"\s*$/;
  const joiner = / and /i.test(filter) ? 'and' : / or /i.test(filter) ? 'or' : null;
  if (joiner && / and /i.test(filter) && / or /i.test(filter)) return null;
  const parts = joiner ? filter.split(new RegExp(` ${joiner} `, 'i')) : [filter];
  const tests: ((user: OktaUser) => boolean)[] = [];
  for (const part of parts) {
    const groups = term.exec(part)?.groups;
    const read = groups ? oktaUserFilterAttributes[groups.attribute!] : undefined;
    if (!groups || !read) return null;
    const value = groups.value!;
    tests.push(groups.attribute === 'status' || groups.attribute === 'id' ? (user) => read(user) === value : (user) => read(user).toLowerCase() === value.toLowerCase());
  }
  return joiner === 'or' ? (user) => tests.some((test) => test(user)) : (user) => tests.every((test) => test(user));
}

export function oktaRoutes(saas: SampleSaas, options: OktaRoutesOptions): ApiRoute[] {
  const okta = saas.okta;
  const orgUrl = options.orgUrl.replace(/\/$/, '');
  const clock = options.clock ?? (() => new Date());
  const read = ['okta.users.read', 'okta.users.manage'];
  const manage = ['okta.users.manage'];
  const appsRead = ['okta.apps.read', 'okta.apps.manage'];
  const appGrantsRead = ['okta.appGrants.read', 'okta.appGrants.manage'];
  const appGrantsManage = ['okta.appGrants.manage'];
  const apiTokensRead = ['okta.apiTokens.read', 'okta.apiTokens.manage'];
  const apiTokensManage = ['okta.apiTokens.manage'];
  const rolesRead = ['okta.roles.read', 'okta.roles.manage'];
  const orgId = `00o${createHash('sha256').update(`${saas.seed}:org`).digest('hex').slice(0, 14)}0h7`;
  const appGrants = options.appGrants ?? seedOktaAppGrants(saas);
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  const findUser = (key: string): OktaUser | undefined => {
    const wanted = lastSegment(key).toLowerCase();
    return okta.users.find((user) => user.id.toLowerCase() === wanted || user.profile.login.toLowerCase() === wanted);
  };
  const withUser =
    (handle: (user: OktaUser, request: ApiRequest, params: Record<string, string>) => ApiResponse): ApiRoute['handle'] =>
    (request, params) => {
      const user = findUser(params.userId!);
      return user ? handle(user, request, params) : oktaNotFound(lastSegment(params.userId!), 'User');
    };

  /** Okta's `Link` headers: self, and next while more remain (one header, comma-joined as RFC 8288 allows). */
  const linkHeader = (path: string, query: URLSearchParams, nextAfter: string | null) => {
    const self = `<${orgUrl}${path}${query.size > 0 ? `?${query.toString()}` : ''}>; rel="self"`;
    if (nextAfter === null) return self;
    const next = new URLSearchParams(query);
    next.set('after', nextAfter);
    return `${self}, <${orgUrl}${path}?${next.toString()}>; rel="next"`;
  };

  /** Items after the `after` cursor (an id), sorted by id, `limit` of them; `nextAfter` is null on the last page. */
  const pageById = <T extends { id: string }>(items: T[], request: ApiRequest, defaultLimit: number, path: string): { page: T[]; link: string; nextAfter: string | null } | ApiResponse => {
    const limitText = request.query.get('limit');
    const limit = limitText === null ? defaultLimit : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) return oktaError(400, 'E0000001', 'Api validation failed: limit', ['limit: The value must be a positive integer.']);
    const size = Math.min(limit, oktaMaxUsersPage);
    const after = request.query.get('after');
    const sorted = [...items].sort(byId);
    const start = after ? sorted.findIndex((item) => item.id > after) : 0;
    const page = start < 0 ? [] : sorted.slice(start, start + size);
    const nextAfter = start >= 0 && start + size < sorted.length ? page.at(-1)!.id : null;
    return { page, link: linkHeader(path, request.query, nextAfter), nextAfter };
  };

  /** One page of a list of apps or API tokens: 20 unless `limit` says (that default is not confirmed by the reference), at most 200. */
  const listPage = <T extends { id: string }>(items: T[], request: ApiRequest, path: string, render: (item: T) => unknown): ApiResponse => {
    const paged = pageById(items, request, 20, path);
    return 'status' in paged ? paged : { status: 200, headers: { link: paged.link }, body: paged.page.map(render) };
  };

  const userResource = (user: OktaUser) => ({
    id: user.id,
    status: user.status,
    created: user.created,
    activated: user.activated,
    statusChanged: user.statusChanged,
    lastLogin: user.lastLogin,
    lastUpdated: user.lastUpdated,
    passwordChanged: user.passwordChanged,
    profile: { firstName: user.profile.firstName, lastName: user.profile.lastName, mobilePhone: null, secondEmail: null, login: user.profile.login, email: user.profile.email },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${orgUrl}/api/v1/users/${user.id}` } },
  });

  const grantResource = (grant: OktaGrant, expandScope: boolean) => {
    const app = okta.apps.find((candidate) => candidate.id === grant.clientId);
    const scope = okta.scopes.find((candidate) => candidate.id === grant.scopeId);
    const user = okta.users.find((candidate) => candidate.id === grant.userId);
    const server = okta.authorizationServer;
    return {
      id: grant.id,
      status: grant.status,
      created: grant.created,
      createdBy: grant.createdBy,
      lastUpdated: grant.lastUpdated,
      issuer: `${orgUrl}/oauth2/${grant.authorizationServerId}`,
      clientId: grant.clientId,
      userId: grant.userId,
      scopeId: grant.scopeId,
      source: grant.source,
      ...(expandScope && scope ? { _embedded: { scope: { id: scope.id, name: scope.name, displayName: scope.name, description: null } } } : {}),
      _links: {
        app: { href: `${orgUrl}/api/v1/apps/${grant.clientId}`, title: app?.label ?? grant.clientId },
        authorizationServer: { href: `${orgUrl}/api/v1/authorizationServers/${server.id}`, title: server.name },
        scope: { href: `${orgUrl}/api/v1/authorizationServers/${server.id}/scopes/${grant.scopeId}`, title: scope?.name ?? grant.scopeId },
        self: { href: `${orgUrl}/api/v1/users/${grant.userId}/grants/${grant.id}`, hints: { allow: ['GET', 'DELETE'] } },
        client: { href: `${orgUrl}/oauth2/v1/clients/${grant.clientId}`, title: app?.label ?? grant.clientId },
        user: { href: `${orgUrl}/api/v1/users/${grant.userId}`, title: user ? `${user.profile.firstName} ${user.profile.lastName}` : grant.userId },
      },
    };
  };

  /** Revokes the grants `remove` picks; the effects name each one. */
  const revoke = (remove: (grant: OktaGrant) => boolean): ApiResponse => {
    const removed = okta.grants.filter(remove);
    okta.grants = okta.grants.filter((grant) => !removed.includes(grant));
    return { status: 204, effects: removed.map((grant) => `okta.grant.revoke:${grant.userId}:${grant.id}`) };
  };

  const roleLabels: Record<OktaAdminRole['type'], string> = { SUPER_ADMIN: 'Super Administrator', ORG_ADMIN: 'Organization Administrator' };
  const roleResource = (role: OktaAdminRole) => ({
    id: role.id,
    label: roleLabels[role.type],
    type: role.type,
    status: 'ACTIVE',
    created: role.created,
    lastUpdated: role.created,
    assignmentType: 'USER',
    _links: { assignee: { href: `${orgUrl}/api/v1/users/${role.userId}` } },
  });

  const appResource = (app: OktaAppIntegration) => ({
    id: app.id,
    name: app.name,
    label: app.label,
    status: 'ACTIVE',
    created: app.created,
    lastUpdated: app.created,
    signOnMode: app.signOnMode,
    credentials: { oauthClient: { client_id: app.id, token_endpoint_auth_method: 'client_secret_basic' } },
    _links: { self: { href: `${orgUrl}/api/v1/apps/${app.id}` }, users: { href: `${orgUrl}/api/v1/apps/${app.id}/users` } },
  });
  const appGrantResource = (grant: OktaAppScopeGrant, expandScope: boolean) => {
    const app = appGrants.apps.find((candidate) => candidate.id === grant.appId);
    return {
      id: grant.id,
      status: grant.status,
      created: grant.created,
      createdBy: grant.createdBy,
      lastUpdated: grant.created,
      // Okta API scopes come from the org authorization server: the issuer is the org URL.
      issuer: orgUrl,
      clientId: grant.appId,
      scopeId: grant.scopeId,
      source: grant.source,
      ...(expandScope ? { _embedded: { scope: { id: grant.scopeId } } } : {}),
      _links: {
        app: { href: `${orgUrl}/api/v1/apps/${grant.appId}`, title: app?.label ?? grant.appId },
        self: { href: `${orgUrl}/api/v1/apps/${grant.appId}/grants/${grant.id}`, hints: { allow: ['GET', 'DELETE'] } },
        client: { href: `${orgUrl}/oauth2/v1/clients/${grant.appId}`, title: app?.label ?? grant.appId },
      },
    };
  };
  // Okta names this one link `_link`, not `_links`.
  const apiTokenResource = (token: OktaApiToken) => ({
    id: token.id,
    name: token.name,
    userId: token.userId,
    clientName: token.clientName,
    created: token.created,
    lastUpdated: token.lastUpdated,
    expiresAt: token.expiresAt,
    tokenWindow: token.tokenWindow,
    network: token.network,
    _link: { self: { href: `${orgUrl}/api/v1/api-tokens/${token.id}`, hints: { allow: ['GET', 'DELETE', 'PUT'] } } },
  });
  const withApp =
    (handle: (app: OktaAppIntegration, request: ApiRequest, params: Record<string, string>) => ApiResponse): ApiRoute['handle'] =>
    (request, params) => {
      const app = appGrants.apps.find((candidate) => candidate.id === params.appId);
      return app ? handle(app, request, params) : oktaNotFound(params.appId!, 'AppInstance');
    };

  const routes: ApiRoute[] = [
    {
      method: 'GET',
      pattern: /^\/api\/v1\/users$/,
      anyOfScopes: read,
      name: 'okta.users.list',
      handle(request) {
        if (request.query.has('search')) return oktaError(400, 'E0000001', 'Api validation failed: search', ['search: not supported by the simulator; use filter or q.']);
        const q = request.query.get('q');
        if (q !== null) {
          // Find users: startsWith on firstName, lastName or email; no pagination; 10 by default.
          const limit = Math.min(oktaMaxUsersPage, Number(request.query.get('limit') ?? 10) || 10);
          const needle = q.toLowerCase();
          const found = okta.users
            .filter((user) => user.status !== 'DEPROVISIONED')
            .filter((user) => [user.profile.firstName, user.profile.lastName, user.profile.email].some((value) => value.toLowerCase().startsWith(needle)))
            .slice(0, limit);
          return { status: 200, body: found.map(userResource) };
        }
        const filterText = request.query.get('filter');
        let users: OktaUser[];
        if (filterText !== null) {
          const test = parseOktaFilter(filterText);
          if (!test) return oktaError(400, 'E0000031', 'Invalid search criteria.');
          users = okta.users.filter(test);
        } else {
          // Without a filter, Okta lists every user that is not DEPROVISIONED.
          users = okta.users.filter((user) => user.status !== 'DEPROVISIONED');
        }
        const paged = pageById(users, request, oktaMaxUsersPage, '/api/v1/users');
        if ('status' in paged) return paged;
        return { status: 200, headers: { link: paged.link }, body: paged.page.map(userResource) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)$/,
      anyOfScopes: read,
      name: 'okta.users.get',
      handle: withUser((user) => ({ status: 200, body: userResource(user) })),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/grants$/,
      anyOfScopes: read,
      name: 'okta.userGrants.list',
      handle: withUser((user, request) => {
        const scopeId = request.query.get('scopeId');
        const grants = okta.grants.filter((grant) => grant.userId === user.id && grant.status === 'ACTIVE' && (scopeId === null || grant.scopeId === scopeId));
        const paged = pageById(grants, request, oktaDefaultGrantsPage, `/api/v1/users/${user.id}/grants`);
        if ('status' in paged) return paged;
        const expandScope = request.query.get('expand') === 'scope';
        return { status: 200, headers: { link: paged.link }, body: paged.page.map((grant) => grantResource(grant, expandScope)) };
      }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/grants\/(?<grantId>[^/]+)$/,
      anyOfScopes: read,
      name: 'okta.userGrants.get',
      handle: withUser((user, request, params) => {
        const grant = okta.grants.find((candidate) => candidate.userId === user.id && candidate.id === params.grantId);
        return grant ? { status: 200, body: grantResource(grant, request.query.get('expand') === 'scope') } : oktaNotFound(params.grantId!, 'OAuth2ScopeConsentGrant');
      }),
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/grants$/,
      anyOfScopes: manage,
      name: 'okta.userGrants.revokeAll',
      handle: withUser((user) => revoke((grant) => grant.userId === user.id)),
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/grants\/(?<grantId>[^/]+)$/,
      anyOfScopes: manage,
      name: 'okta.userGrants.revoke',
      handle: withUser((user, _request, params) => {
        if (!okta.grants.some((grant) => grant.userId === user.id && grant.id === params.grantId)) return oktaNotFound(params.grantId!, 'OAuth2ScopeConsentGrant');
        return revoke((grant) => grant.userId === user.id && grant.id === params.grantId);
      }),
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/clients\/(?<clientId>[^/]+)\/grants$/,
      anyOfScopes: manage,
      name: 'okta.userGrants.revokeForClient',
      handle: withUser((user, _request, params) => revoke((grant) => grant.userId === user.id && grant.clientId === params.clientId)),
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/sessions$/,
      anyOfScopes: manage,
      name: 'okta.userSessions.revoke',
      handle: withUser((user, request) => {
        // oauthTokens defaults to false here (unlike the MyAccount API); forgetDevices defaults to true.
        const oauthTokens = request.query.get('oauthTokens') === 'true';
        okta.sessionClears.push({ userId: user.id, oauthTokens, forgetDevices: request.query.get('forgetDevices') !== 'false', at: clock().toISOString() });
        // Okta answers 204 alike whether anything was there; the effects say what was.
        const effects: string[] = [];
        if (okta.activeSessionUserIds.includes(user.id)) effects.push(`okta.session.clear:${user.id}`);
        if (oauthTokens && okta.usersWithOauthTokens.includes(user.id)) effects.push(`okta.oauthTokens.revoke:${user.id}`);
        okta.activeSessionUserIds = okta.activeSessionUserIds.filter((id) => id !== user.id);
        if (oauthTokens) okta.usersWithOauthTokens = okta.usersWithOauthTokens.filter((id) => id !== user.id);
        return { status: 204, effects };
      }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/lifecycle\/suspend$/,
      anyOfScopes: manage,
      name: 'okta.users.suspend',
      handle: withUser((user) => {
        // The reference: only an ACTIVE user can be suspended, anyone else is 400 E0000001. The
        // summary's wording is the one integrations match on; the reference does not give it.
        if (user.status !== 'ACTIVE') return oktaError(400, 'E0000001', 'Api validation failed: Cannot suspend a user that is not active', ['Cannot suspend a user that is not active']);
        const at = clock().toISOString();
        user.status = 'SUSPENDED';
        user.statusChanged = at;
        user.lastUpdated = at;
        return { status: 200, body: {}, effects: [`okta.user.suspend:${user.id}`] };
      }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/iam\/assignees\/users$/,
      anyOfScopes: rolesRead,
      name: 'okta.roleAssignees.list',
      handle(request) {
        const assignees = [...new Set(okta.adminRoles.map((role) => role.userId))].map((id) => ({ id }));
        // Paged in the body (`_links.next.href`), not a Link header; 100 by default.
        const paged = pageById(assignees, request, 100, '/api/v1/iam/assignees/users');
        if ('status' in paged) return paged;
        const next = new URLSearchParams(request.query);
        if (paged.nextAfter !== null) next.set('after', paged.nextAfter);
        return {
          status: 200,
          body: {
            value: paged.page.map((assignee) => ({ id: assignee.id, orn: `orn:okta:directory:${orgId}:users:${assignee.id}`, _links: { self: { href: `${orgUrl}/api/v1/users/${assignee.id}/roles` } } })),
            _links: paged.nextAfter === null ? {} : { next: { href: `${orgUrl}/api/v1/iam/assignees/users?${next.toString()}` } },
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/users\/(?<userId>[^/]+)\/roles$/,
      anyOfScopes: rolesRead,
      name: 'okta.userRoles.list',
      handle: withUser((user) => ({ status: 200, body: okta.adminRoles.filter((role) => role.userId === user.id).map(roleResource) })),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/api-tokens$/,
      anyOfScopes: apiTokensRead,
      name: 'okta.apiTokens.list',
      handle(request) {
        // Only active tokens are listed; a token 30 days unused is revoked and leaves the state.
        return listPage(okta.apiTokens, request, '/api/v1/api-tokens', apiTokenResource);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v1\/api-tokens\/current$/,
      anyOfScopes: apiTokensManage,
      name: 'okta.apiTokens.revokeCurrent',
      handle() {
        // Documented for API-token (SSWS) authentication only: an OAuth 2.0 access token is not an
        // API token. Which error Okta answers an OAuth caller with is not confirmed by the reference.
        return oktaError(403, 'E0000006', 'You do not have permission to perform the requested action', ['Only an API token can revoke itself.']);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/api-tokens\/(?<tokenId>[^/]+)$/,
      anyOfScopes: apiTokensRead,
      name: 'okta.apiTokens.get',
      handle(_request, params) {
        const token = okta.apiTokens.find((candidate) => candidate.id === params.tokenId);
        return token ? { status: 200, body: apiTokenResource(token) } : oktaNotFound(params.tokenId!, 'ApiToken');
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v1\/api-tokens\/(?<tokenId>[^/]+)$/,
      anyOfScopes: apiTokensManage,
      name: 'okta.apiTokens.revoke',
      handle(_request, params) {
        const before = okta.apiTokens.length;
        okta.apiTokens = okta.apiTokens.filter((token) => token.id !== params.tokenId);
        return okta.apiTokens.length < before ? { status: 204 } : oktaNotFound(params.tokenId!, 'ApiToken');
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/apps$/,
      anyOfScopes: appsRead,
      name: 'okta.apps.list',
      handle(request) {
        return listPage(appGrants.apps, request, '/api/v1/apps', appResource);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/apps\/(?<appId>[^/]+)\/grants$/,
      anyOfScopes: appGrantsRead,
      name: 'okta.appGrants.list',
      handle: withApp((app, request) => {
        const expandScope = request.query.get('expand') === 'scope';
        return { status: 200, body: appGrants.grants.filter((grant) => grant.appId === app.id).map((grant) => appGrantResource(grant, expandScope)) };
      }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/apps\/(?<appId>[^/]+)\/grants\/(?<grantId>[^/]+)$/,
      anyOfScopes: appGrantsRead,
      name: 'okta.appGrants.get',
      handle: withApp((app, request, params) => {
        const grant = appGrants.grants.find((candidate) => candidate.appId === app.id && candidate.id === params.grantId);
        return grant ? { status: 200, body: appGrantResource(grant, request.query.get('expand') === 'scope') } : oktaNotFound(params.grantId!, 'OAuth2ScopeConsentGrant');
      }),
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v1\/apps\/(?<appId>[^/]+)\/grants\/(?<grantId>[^/]+)$/,
      anyOfScopes: appGrantsManage,
      name: 'okta.appGrants.revoke',
      handle: withApp((app, _request, params) => {
        const before = appGrants.grants.length;
        appGrants.grants = appGrants.grants.filter((grant) => !(grant.appId === app.id && grant.id === params.grantId));
        return appGrants.grants.length < before ? { status: 204 } : oktaNotFound(params.grantId!, 'OAuth2ScopeConsentGrant');
      }),
    },
  ];
  // Okta tags every answer with X-Okta-Request-Id, the id its support looks a call up by.
  return routes.map((route) => ({
    ...route,
    handle: async (request, params) => {
      const answer = await route.handle(request, params);
      return { ...answer, headers: { ...answer.headers, 'x-okta-request-id': randomBytes(15).toString('base64url') } };
    },
  }));
}
