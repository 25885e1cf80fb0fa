/**
 * `npm run bench:credentials [-- --credentials 10000 --seed 7]`
 *
 * What the Credentials page costs at the size the issue names (10,000 credentials across tenants):
 * applying the policy to every credential (at each read and each settings change), the inventory's
 * answer crossing the bridge (its JSON size, and main's parse of it through the contract), and the
 * page's work on each keystroke or click — filtering by text, by status chip, sorting by expiry, and
 * the chip counts. The table draws only the rows in view (a component test holds it to under 60
 * rows in the DOM at 10,000), so these are what decide whether the page stays smooth. It prints the
 * figures; no pass/fail, but it says when one step of the page takes more than 50 ms.
 */
import { parseArgs } from 'node:util';
import { CredentialInventorySchema, credentialKinds, type Credential, type CredentialKind } from '../src-shared/contract/credentials';
import { defaultSettings } from '../src-shared/contract/settings';
import type { ProviderId } from '../src-shared/domain/ids';
import { credentialPolicyFrom, evaluateCredential } from '../src-main/credentials/credential-policy';
import { SeededRandom } from '../src-main/sample/seeded-random';
import { countByStatus, defaultCredentialSort, noCredentialFilter, viewCredentials } from '../src-renderer/src/credentials/credential-view';
import { count, ms, timed, type Row } from './bench-figures';

const { values: flags } = parseArgs({ options: { credentials: { type: 'string', default: '10000' }, seed: { type: 'string', default: '7' } } });
const total = Number(flags.credentials);
const random = new SeededRandom(Number(flags.seed));
const now = new Date('2026-12-04T12:00:00Z');
const day = 86_400_000;
const at = (days: number) => new Date(now.getTime() + days * day).toISOString();
const providerOf: Record<CredentialKind, ProviderId> = {
  app_secret: 'microsoft',
  app_certificate: 'microsoft',
  sp_secret: 'microsoft',
  sp_certificate: 'microsoft',
  service_account_key: 'google',
  api_key: 'google',
  okta_api_token: 'okta',
  zendesk_api_token: 'zendesk',
  connection_client_secret: 'custom',
};

const policy = credentialPolicyFrom(defaultSettings);
const rows: Row[] = [];

const { result: credentials } = await timed(
  rows,
  `policy applied to ${count(total)} credentials`,
  () =>
    Array.from({ length: total }, (_, n): Credential => {
      const kind = credentialKinds[n % credentialKinds.length]!;
      const read = {
        kind,
        ownerKind: 'application' as const,
        ownerId: `owner-${n % 900}`,
        ownerName: `Integration ${n % 900}`,
        credentialId: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-${random.hex(12)}`,
        displayName: `Integration ${n % 900} secret ${n}`,
        hint: random.hex(3),
        createdAt: at(-random.int(1, 900)),
        expiresAt: kind === 'service_account_key' || kind === 'api_key' ? null : at(random.int(-60, 700)),
        lastUsedAt: kind === 'service_account_key' && random.int(0, 3) > 0 ? at(-random.int(0, 200)) : null,
        lastUseKnown: kind === 'service_account_key',
        lastUsedNote: null,
        restrictions: kind === 'api_key' ? (random.int(0, 4) === 0 ? [] : ['Websites: https://www.example.com/*']) : null,
        disabled: random.int(0, 50) === 0,
        managedBy: 'admin' as const,
        rotation: { mode: 'api' as const, note: null },
        revocable: true,
      };
      const connectionId = `connection-${providerOf[kind]}`;
      return {
        ...read,
        ...evaluateCredential(read, policy, now),
        key: `${connectionId}|${kind}|${read.ownerId}|${read.credentialId}`,
        connectionId,
        tenantLabel: `Tenant ${providerOf[kind]}`,
        provider: providerOf[kind],
        readAt: now.toISOString(),
        rotationId: null,
      };
    }),
);

const inventory = { credentials, sources: [], policy, readAt: now.toISOString(), reading: false };
const { result: json } = await timed(rows, 'inventory answer serialised', () => JSON.stringify(inventory), (text) => `${(text.length / 1_048_576).toFixed(1)} MB`);
await timed(rows, 'inventory answer parsed through the contract', () => CredentialInventorySchema.parse(JSON.parse(json)));

const slow: string[] = [];
const pageStep = async (label: string, work: () => unknown) => {
  const { elapsed } = await timed(rows, `page: ${label}`, work, (result) => (Array.isArray(result) ? `${count(result.length)} rows` : ''));
  if (elapsed > 50) slow.push(label);
};
await pageStep('all rows, worst first', () => viewCredentials(credentials, noCredentialFilter, defaultCredentialSort));
await pageStep('text "integration 42"', () => viewCredentials(credentials, { ...noCredentialFilter, text: 'integration 42' }, defaultCredentialSort));
await pageStep('status chip "expiring"', () => viewCredentials(credentials, { ...noCredentialFilter, statuses: ['expiring'] }, defaultCredentialSort));
await pageStep('sorted by expiry', () => viewCredentials(credentials, noCredentialFilter, { column: 'expires', direction: 'asc' }));
await pageStep('chip counts', () => countByStatus(credentials, noCredentialFilter));

const width = Math.max(...rows.map(([label]) => label.length));
console.log(`Credentials at ${count(total)} (seed ${flags.seed})`);
for (const [label, figure] of rows) console.log(`  ${label.padEnd(width)}  ${figure}`);
console.log(slow.length ? `  over 50 ms: ${slow.join(', ')}` : `  every page step under ${ms(50)}`);
