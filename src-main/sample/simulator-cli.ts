/**
 * `npm run simulator -- --users 10000 --seed 7 --latency 80-150 --error-rate 0.02`
 * `--quota 30 --quota-window 5`: Google rate-limits beyond 30 calls per rolling 5 seconds (default: 2,400 per 60).
 * Starts the tenant simulator, prints its endpoints and client ids as JSON on one line, and serves
 * until stopped (Ctrl+C).
 */
import { parseArgs } from 'node:util';
import { startTenantSimulator, type TenantSimulatorOptions } from './simulator/tenant-simulator';

function fail(message: string): never {
  process.stderr.write(`simulator: ${message}\n`);
  process.exit(2);
}

function wholeNumber(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) fail(`--${name} must be a whole number from ${min} to ${max}; got ${value}.`);
  return number;
}

const { values } = parseArgs({
  options: {
    users: { type: 'string' },
    seed: { type: 'string' },
    latency: { type: 'string' },
    'error-rate': { type: 'string' },
    outage: { type: 'string' },
    quota: { type: 'string' },
    'quota-window': { type: 'string' },
  },
  strict: true,
});

const faults: NonNullable<TenantSimulatorOptions['faults']> = {};
if (values.latency !== undefined) {
  const match = /^(\d+)(?:-(\d+))?$/.exec(values.latency);
  if (!match) fail(`--latency takes milliseconds, e.g. 80-150 or 100; got ${values.latency}.`);
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  if (high < low) fail('--latency: the upper bound must not be below the lower one.');
  faults.latencyMs = [low, high];
}
if (values['error-rate'] !== undefined) {
  const rate = Number(values['error-rate']);
  if (!(rate >= 0 && rate <= 1)) fail(`--error-rate is a share from 0 to 1, e.g. 0.02; got ${values['error-rate']}.`);
  faults.errorRate = rate;
}
if (values.outage !== undefined) {
  const match = /^(\d+)s\+(\d+)s$/.exec(values.outage);
  if (!match) fail(`--outage takes "<start>s+<length>s", e.g. 60s+30s; got ${values.outage}.`);
  faults.outage = { startsAfterMs: Number(match[1]) * 1_000, lastsMs: Number(match[2]) * 1_000 };
}

const simulator = await startTenantSimulator({
  users: wholeNumber(values.users, 'users', 300, 1, 200_000),
  seed: wholeNumber(values.seed, 'seed', 1, 0, 2 ** 32 - 1),
  faults,
  ...(values.quota !== undefined ? { googleQuotaPerMinute: wholeNumber(values.quota, 'quota', 2_400, 1, 1_000_000) } : {}),
  ...(values['quota-window'] !== undefined ? { googleQuotaWindowMs: wholeNumber(values['quota-window'], 'quota-window', 60, 1, 3_600) * 1_000 } : {}),
});

process.stdout.write(
  `${JSON.stringify({
    seed: simulator.tenant.seed,
    users: simulator.tenant.users.length,
    domain: simulator.tenant.domain,
    google: simulator.google,
    // Entra and Graph are https with a certificate made at start: trust `certificate` to use them.
    microsoft: simulator.microsoft,
    inspection: simulator.inspectionUrl,
  })}\n`,
);

const shutdown = () => {
  void simulator.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
