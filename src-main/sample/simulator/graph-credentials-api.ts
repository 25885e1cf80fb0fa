/**
 * The simulated Graph's app and service principal credentials, as the Graph v1.0 reference
 * describes them: `passwordCredentials` (addPassword shows `secretText` once; later reads show
 * the hint, its first three characters), `keyCredentials` (certificates; `key` only on a
 * `$select=keyCredentials` read of one object), an application's certificates replaced whole by
 * `PATCH /applications/{id}`, and `removePassword` on applications and service principals.
 *
 * Limits: the "Validation differences by supported account types" page allows an app that takes
 * personal Microsoft accounts two client secrets, and puts a global limit of about 1,000 items
 * across an app object's collections. The page names no error: the status, code and wording used
 * here (Microsoft's support blog quotes "You can only add a maximum of 2 encrypted credentials.")
 * are unconfirmed.
 */
import { createHash, randomInt, randomUUID, X509Certificate } from 'node:crypto';
import type { SampleAppRegistration, SampleCredential, SampleServicePrincipalCredentials } from '../sample-tenant';
import type { ApiRequest, ApiRoute } from './api-router';
import type { GraphRouteKit } from './graph-consent-api';
import type { GraphHandler } from './graph-api';

export const maxSecretsOfPersonalAccountApps = 2;
/** The page's column for apps that take personal Microsoft accounts covers both of these audiences. */
const personalAccountAudiences: ReadonlySet<string> = new Set(['AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']);
/** "About 1000 items across all the collection properties on the app object"; the simulator counts credentials only. */
export const maxAppObjectItems = 1_000;

const scopes = { appsWrite: ['Application.ReadWrite.All', 'Directory.ReadWrite.All'] } as const;

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const secretAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const secretTailAlphabet = `${secretAlphabet}~._-`;

/** A client secret like the ones Entra issues today: 40 characters, `Q~` after a 3-character hint and a digit. */
function newClientSecret(): string {
  const pick = (alphabet: string, count: number) => Array.from({ length: count }, () => alphabet[randomInt(alphabet.length)]!).join('');
  return `${pick(secretAlphabet, 3)}${randomInt(10)}Q~${pick(secretTailAlphabet, 34)}`;
}

/** Graph writes whole seconds without a fraction. */
const graphTimestamp = (iso: string) => iso.replace(/\.000Z$/, 'Z');
const seededBytes = (label: string, keyId: string) => createHash('sha256').update(`${label}:${keyId}`).digest();

function hintOf(credential: SampleCredential): string {
  if (credential.hint) return credential.hint;
  const hash = seededBytes('hint', credential.keyId);
  return Array.from({ length: 3 }, (_, index) => secretAlphabet[hash[index]! % secretAlphabet.length]).join('');
}

/** A seeded certificate's thumbprint, made up from its keyId: seeds carry no real certificate. */
function customKeyIdentifierOf(credential: SampleCredential): string {
  return credential.customKeyIdentifier ?? createHash('sha1').update(`thumbprint:${credential.keyId}`).digest('base64');
}

/** A seeded certificate's `key`: stand-in bytes, which a PATCH must send back unchanged. */
function keyOf(credential: SampleCredential): string {
  return credential.key ?? seededBytes('key', credential.keyId).toString('base64');
}

export function renderPasswordCredential(credential: SampleCredential): Record<string, unknown> {
  return {
    // A SAML signing certificate's PFX password carries the certificate's identifier; a secret has none.
    customKeyIdentifier: credential.customKeyIdentifier ?? null,
    displayName: credential.displayName === '' ? null : credential.displayName,
    endDateTime: graphTimestamp(credential.endDateTime),
    hint: hintOf(credential),
    keyId: credential.keyId,
    secretText: null,
    startDateTime: graphTimestamp(credential.startDateTime),
  };
}

/** `withKey`: a `$select=keyCredentials` read of one object, the only read that returns `key`. */
export function renderKeyCredential(credential: SampleCredential, withKey: boolean): Record<string, unknown> {
  return {
    customKeyIdentifier: customKeyIdentifierOf(credential),
    displayName: credential.displayName === '' ? null : credential.displayName,
    endDateTime: graphTimestamp(credential.endDateTime),
    key: withKey ? keyOf(credential) : null,
    keyId: credential.keyId,
    startDateTime: graphTimestamp(credential.startDateTime),
    type: 'AsymmetricX509Cert',
    usage: credential.usage ?? 'Verify',
  };
}

/** Whether a read of one object names keyCredentials in `$select`. */
export function selectsKeyCredentials(query: URLSearchParams): boolean {
  return (query.get('$select') ?? '').split(',').some((name) => name.trim().toLowerCase() === 'keycredentials');
}

export function servicePrincipalCredentials(all: readonly SampleServicePrincipalCredentials[], servicePrincipalId: string): SampleServicePrincipalCredentials | undefined {
  return all.find((entry) => entry.servicePrincipalId.toLowerCase() === servicePrincipalId.toLowerCase());
}

export interface GraphCredentialKit extends GraphRouteKit {
  /** The `applications/{id}` and `applications(appId='…')` path. */
  applicationPath: string;
  requireApplication(params: Record<string, string>): SampleAppRegistration;
}

export function graphCredentialRoutes(kit: GraphCredentialKit): ApiRoute[] {
  const { tenant, clock, route } = kit;
  const badRequest = (message: string) => kit.fail(400, 'Request_BadRequest', message);
  const invalidProperty = (property: string, resource: string) => badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`);
  const limitReached = (limit: number) => badRequest(`You can only add a maximum of ${limit} encrypted credentials.`);

  const parseDate = (value: unknown, property: string): Date | undefined => {
    if (value === undefined || value === null) return undefined;
    const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time)) throw kit.fail(400, 'BadRequest', `Cannot convert the literal '${String(value)}' to the expected type 'Edm.DateTimeOffset' for property '${property}'.`);
    return new Date(time);
  };
  const optionalBody = (request: ApiRequest) => (request.body === undefined ? {} : kit.requireBody(request));

  /** Refuses a change that would leave the app with more credentials than Entra allows it. */
  const checkLimits = (application: SampleAppRegistration, secrets: number, certificates: number) => {
    if (personalAccountAudiences.has(application.signInAudience) && secrets > maxSecretsOfPersonalAccountApps) throw limitReached(maxSecretsOfPersonalAccountApps);
    if (secrets + certificates > maxAppObjectItems) throw limitReached(maxAppObjectItems);
  };

  const addPassword: GraphHandler = (request, params) => {
    const application = kit.requireApplication(params);
    const body = optionalBody(request);
    const requested = body.passwordCredential === undefined || body.passwordCredential === null ? {} : body.passwordCredential;
    if (typeof requested !== 'object' || Array.isArray(requested)) throw invalidProperty('passwordCredential', 'Application');
    const { displayName, startDateTime, endDateTime } = requested as Record<string, unknown>;
    if (displayName !== undefined && displayName !== null && typeof displayName !== 'string') throw invalidProperty('displayName', 'PasswordCredential');
    const start = parseDate(startDateTime, 'startDateTime') ?? clock();
    // Without an end date Graph gives the secret two years.
    const end = parseDate(endDateTime, 'endDateTime') ?? new Date(new Date(start).setUTCFullYear(start.getUTCFullYear() + 2));
    if (end.getTime() <= start.getTime()) throw badRequest('The end date of a password credential must be later than its start date.');
    checkLimits(application, application.passwordCredentials.length + 1, application.keyCredentials.length);
    const secretText = newClientSecret();
    // The hint is all Graph keeps of the secret that it will show again.
    const credential: SampleCredential = { keyId: randomUUID(), displayName: typeof displayName === 'string' ? displayName : '', startDateTime: start.toISOString(), endDateTime: end.toISOString(), hint: secretText.slice(0, 3) };
    application.passwordCredentials.push(credential);
    return { status: 200, body: { '@odata.context': kit.context('microsoft.graph.passwordCredential'), ...renderPasswordCredential(credential), secretText } };
  };

  const removePasswordFrom = (credentials: SampleCredential[], request: ApiRequest) => {
    const { keyId } = kit.requireBody(request);
    if (typeof keyId !== 'string' || !guidPattern.test(keyId)) throw invalidProperty('keyId', 'PasswordCredential');
    const index = credentials.findIndex((credential) => credential.keyId.toLowerCase() === keyId.toLowerCase());
    if (index < 0) throw kit.fail(404, 'Request_ResourceNotFound', `No password credential found with keyId '${keyId}'.`);
    credentials.splice(index, 1);
    return { status: 204 };
  };

  /**
   * One entry of a PATCHed keyCredentials: an existing certificate sent back as read (its `key`
   * from a `$select=keyCredentials` read), or a new public certificate. Unconfirmed: whether Graph
   * keeps an existing entry sent without its `key`; the simulator refuses it, as the AAD Graph did.
   */
  const keyCredentialFrom = (raw: unknown, existing: readonly SampleCredential[]): SampleCredential => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidProperty('keyCredentials', 'Application');
    const entry = raw as Record<string, unknown>;
    if (entry.usage !== 'Verify' && entry.usage !== 'Sign') throw badRequest('The value for the property "usage" in one of your credentials is invalid. Acceptable values are Sign, Verify.');
    if (entry.type !== 'AsymmetricX509Cert') throw invalidProperty('type', 'KeyCredential');
    if (entry.displayName !== undefined && entry.displayName !== null && typeof entry.displayName !== 'string') throw invalidProperty('displayName', 'KeyCredential');
    const known = typeof entry.keyId === 'string' ? existing.find((credential) => credential.keyId.toLowerCase() === (entry.keyId as string).toLowerCase()) : undefined;
    if (known) {
      if (entry.key !== keyOf(known)) throw badRequest('Update to existing credential with KeyId is not allowed.');
      return known;
    }
    if (entry.keyId !== undefined && entry.keyId !== null && (typeof entry.keyId !== 'string' || !guidPattern.test(entry.keyId))) throw invalidProperty('keyId', 'KeyCredential');
    let certificate: X509Certificate;
    try {
      if (typeof entry.key !== 'string' || entry.key === '') throw new Error('no key');
      certificate = new X509Certificate(Buffer.from(entry.key, 'base64'));
    } catch {
      throw badRequest('Key credential value is not a valid X.509 certificate.');
    }
    const der = certificate.raw;
    // Without one in the payload, customKeyIdentifier is the certificate's thumbprint.
    const customKeyIdentifier = typeof entry.customKeyIdentifier === 'string' && entry.customKeyIdentifier !== '' ? entry.customKeyIdentifier : createHash('sha1').update(der).digest('base64');
    const start = parseDate(entry.startDateTime, 'startDateTime') ?? new Date(certificate.validFrom);
    const end = parseDate(entry.endDateTime, 'endDateTime') ?? new Date(certificate.validTo);
    if (end.getTime() <= start.getTime()) throw badRequest('The end date of a key credential must be later than its start date.');
    return {
      keyId: typeof entry.keyId === 'string' ? entry.keyId.toLowerCase() : randomUUID(),
      displayName: typeof entry.displayName === 'string' ? entry.displayName : '',
      startDateTime: start.toISOString(),
      endDateTime: end.toISOString(),
      customKeyIdentifier,
      key: der.toString('base64'),
      usage: entry.usage,
    };
  };

  /** PATCH /applications/{id}: only keyCredentials, replaced as a whole collection. */
  const updateApplication: GraphHandler = (request, params) => {
    const application = kit.requireApplication(params);
    const body = kit.requireBody(request);
    for (const property of Object.keys(body)) {
      if (property === 'passwordCredentials') throw badRequest('Using POST or PATCH to set passwordCredentials is not supported; use addPassword and removePassword.');
      if (property !== 'keyCredentials') throw badRequest(`Updating '${property}' is not supported by this simulated Graph API; only keyCredentials can be changed.`);
    }
    if (!Array.isArray(body.keyCredentials)) throw invalidProperty('keyCredentials', 'Application');
    const next = body.keyCredentials.map((entry) => keyCredentialFrom(entry, application.keyCredentials));
    const keyIds = new Set(next.map((credential) => credential.keyId.toLowerCase()));
    if (keyIds.size !== next.length) throw badRequest('Each key credential of an application must have its own keyId.');
    checkLimits(application, application.passwordCredentials.length, next.length);
    application.keyCredentials = next;
    return { status: 204 };
  };

  const removeServicePrincipalPassword: GraphHandler = (request, params) => {
    const sp = kit.requireServicePrincipal(params);
    const credentials = servicePrincipalCredentials(tenant.servicePrincipalCredentials, sp.id);
    return removePasswordFrom(credentials?.passwordCredentials ?? [], request);
  };

  return [
    route('PATCH', kit.applicationPath, scopes.appsWrite, 'graph.applications.update', updateApplication),
    route('POST', `${kit.applicationPath}/addPassword`, scopes.appsWrite, 'graph.applications.addPassword', addPassword),
    route('POST', `${kit.applicationPath}/removePassword`, scopes.appsWrite, 'graph.applications.removePassword', (request, params) => removePasswordFrom(kit.requireApplication(params).passwordCredentials, request)),
    route('POST', `${kit.servicePrincipalPath}/removePassword`, scopes.appsWrite, 'graph.servicePrincipals.removePassword', removeServicePrincipalPassword),
  ];
}
