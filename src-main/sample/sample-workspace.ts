/**
 * "Explore the sample workspace": the tenant simulator started inside Consentry and connected
 * through exactly the code path of a real tenant — the connect flow, the system browser, the
 * loopback redirect, the vault. Its connections are marked as samples and removed in one go.
 */
import type { ConnectionSettings, ConnectionView } from '../../src-shared/contract/connections';
import type { SampleProvider, SampleWorkspaceStatus } from '../../src-shared/contract/sample';
import type { ActivityService } from '../activity/activity-service';
import type { ConnectionService } from '../connections/connection-service';
import type { TenantSimulator } from './simulator/tenant-simulator';

/** The seed and size of the sample company every Consentry shows. */
export const sampleWorkspaceSeed = 2026;
export const sampleWorkspaceUsers = 300;

export interface SampleWorkspaceOptions {
  connections: ConnectionService;
  activity: ActivityService;
  /** Starts the simulator (the app passes startTenantSimulator with the sample seed). */
  startSimulator: () => Promise<TenantSimulator>;
}

const labels: Record<SampleProvider, string> = { google: 'Sample workspace — Google Workspace', microsoft: 'Sample workspace — Microsoft 365' };

export class SampleWorkspace {
  readonly #options: SampleWorkspaceOptions;
  #simulator: Promise<TenantSimulator> | undefined;
  /** The running simulator, once started (synchronous access for certificateFor). */
  #started: TenantSimulator | undefined;
  #googleConnected: ((connectionId: string, cloudProjects: string[]) => void) | undefined;

  constructor(options: SampleWorkspaceOptions) {
    this.#options = options;
  }

  async status(): Promise<SampleWorkspaceStatus> {
    const simulator = this.#simulator ? await this.#simulator.catch(() => undefined) : undefined;
    return { running: simulator !== undefined, users: simulator?.tenant.users.length ?? null, connections: this.#options.connections.sampleConnections().length };
  }

  /** Told when the sample Google connection is made, with the sample company's Cloud projects (the credentials inventory names them). */
  onGoogleConnected(listener: (connectionId: string, cloudProjects: string[]) => void): void {
    this.#googleConnected = listener;
  }

  /** Connects (or reconnects) the sample tenant of a provider, through the system browser. */
  async connect(attemptId: string, provider: SampleProvider): Promise<ConnectionView> {
    const simulator = await this.#running();
    const settings = this.#settingsFor(simulator, provider);
    const existing = this.#options.connections.sampleConnections().find((connection) => connection.provider === provider);
    const view = existing
      ? await this.#options.connections.reconnect(existing.id, attemptId, settings)
      : await this.#options.connections.connect(attemptId, { provider, label: labels[provider], clientId: simulator.google.clientId, settings, capabilities: [] }, { sample: true });
    if (provider === 'google') this.#googleConnected?.(view.id, simulator.tenant.cloudProjects.map((project) => project.projectId));
    return view;
  }

  /**
   * The certificate of the sample's Entra and Graph, for the Microsoft clients to trust for those
   * two hosts only (it is generated at start; nothing else in Consentry trusts it).
   */
  certificateFor(url: URL): string | undefined {
    const simulator = this.#started;
    if (!simulator) return undefined;
    const hosts = [new URL(simulator.microsoft.authority).host, new URL(simulator.microsoft.graphBaseUrl).host];
    return hosts.includes(url.host) ? simulator.microsoft.certificate : undefined;
  }

  /** Disconnects and forgets every sample connection, then stops the simulator. */
  async remove(): Promise<number> {
    const samples = this.#options.connections.sampleConnections();
    for (const connection of samples) {
      if (connection.status !== 'revoked') await this.#options.connections.disconnect(connection.id);
      await this.#options.connections.remove(connection.id);
    }
    await this.close();
    await this.#options.activity.record({ action: 'sample.remove', target: 'sample workspace', result: 'succeeded', errorCode: null, detail: `${samples.length} sample connections removed; the simulator stopped.` });
    return samples.length;
  }

  async close(): Promise<void> {
    const running = this.#simulator;
    this.#simulator = undefined;
    this.#started = undefined;
    await (await running?.catch(() => undefined))?.close();
  }

  #running(): Promise<TenantSimulator> {
    this.#simulator ??= this.#options.startSimulator().then((simulator) => (this.#started = simulator));
    this.#simulator.catch(() => {
      this.#simulator = undefined;
    });
    return this.#simulator;
  }

  #settingsFor(simulator: TenantSimulator, provider: SampleProvider): ConnectionSettings {
    switch (provider) {
      case 'google':
        return {
          issuer: simulator.google.issuer,
          authorizationEndpoint: simulator.google.authorizationEndpoint,
          tokenEndpoint: simulator.google.tokenEndpoint,
          revocationEndpoint: simulator.google.revocationEndpoint,
          apiBaseUrl: simulator.google.apiRoot,
        };
      case 'microsoft':
        return { issuer: simulator.microsoft.authority, apiBaseUrl: simulator.microsoft.graphBaseUrl };
    }
  }
}
