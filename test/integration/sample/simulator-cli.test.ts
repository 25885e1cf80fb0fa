import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = `${projectRoot}node_modules/.bin/tsx`;

function runCli(args: string[]) {
  const child = spawn(tsx, ['src-main/sample/simulator-cli.ts', ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string | null>((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', () => resolve(null));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, firstLine, exited, stderr: () => stderr };
}

describe('npm run simulator', () => {
  test('prints its endpoints and client id as JSON on one line, serves, and stops on SIGTERM', async () => {
    const run = runCli(['--users', '25', '--seed', '3', '--latency', '0-5', '--error-rate', '0']);
    const line = await run.firstLine;
    const endpoints = JSON.parse(line!) as { users: number; google: { apiRoot: string; clientId: string }; microsoft: unknown; inspection: string };
    expect(endpoints.users).toBe(25);
    expect(endpoints.google.clientId).toBe('consentry-sample-workspace');
    expect(endpoints.microsoft).toMatchObject({ authority: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/), graphBaseUrl: expect.stringMatching(/\/v1\.0$/), certificate: expect.stringContaining('BEGIN CERTIFICATE') });
    const inspection = (await (await fetch(endpoints.inspection)).json()) as { state: { users: number } };
    expect(inspection.state.users).toBe(25);
    // The API answers without a token as Google does.
    expect((await fetch(`${endpoints.google.apiRoot}admin/directory/v1/users?customer=my_customer`)).status).toBe(401);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 30_000);

  test('refuses a bad option with a message that says what is expected', async () => {
    const run = runCli(['--latency', 'fast']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('--latency takes milliseconds, e.g. 80-150');
  }, 30_000);

  test('refuses a quota window that is not a whole number of seconds', async () => {
    const run = runCli(['--quota', '30', '--quota-window', '0.5']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('--quota-window must be a whole number from 1 to 3600');
  }, 30_000);
});
