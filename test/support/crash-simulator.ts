/**
 * The sample workspace's tenants for a crash test, started in the test process so they outlive
 * every kill of the console's process, with latency so each kill lands in the middle of a call.
 * The test process trusts their certificate; a console process is told to through a file.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll } from 'vitest';
import { sampleWorkspaceSeed, sampleWorkspaceUsers } from '../../src-main/sample/sample-workspace';
import { startTenantSimulator, type TenantSimulator } from '../../src-main/sample/simulator/tenant-simulator';

export interface CrashSimulator {
  /** The running simulator (after the suite's beforeAll). */
  readonly sim: TenantSimulator;
  /** Writes the simulator's certificate beside `dataDirectory`, for a child's NODE_EXTRA_CA_CERTS. */
  certificateFile(dataDirectory: string): Promise<string>;
}

/** Starts the simulator before the suite and stops it after; call at the top of a describe. */
export function useCrashSimulator(): CrashSimulator {
  let sim: TenantSimulator | undefined;
  const defaultCertificates = getCACertificates('default');
  beforeAll(async () => {
    sim = await startTenantSimulator({ seed: sampleWorkspaceSeed, users: sampleWorkspaceUsers, faults: { latencyMs: [40, 120] } });
    setDefaultCACertificates([...defaultCertificates, sim.microsoft.certificate]);
  });
  afterAll(async () => {
    setDefaultCACertificates(defaultCertificates);
    await sim?.close();
  });
  return {
    get sim() {
      if (!sim) throw new Error('The crash simulator starts in beforeAll.');
      return sim;
    },
    async certificateFile(dataDirectory) {
      const file = join(dataDirectory, '..', `${randomUUID()}.pem`);
      await writeFile(file, this.sim.microsoft.certificate);
      return file;
    },
  };
}
