/**
 * `npm run browser`: the console in any local browser, without Electron, on a fresh temporary
 * profile that is deleted when the bridge stops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserBridge } from './browser-bridge';

const profile = await mkdtemp(join(tmpdir(), 'consentry-profile-'));
const bridge = await startBrowserBridge({ dataDirectory: profile });

console.log('Consentry is running in browser-bridge mode (no Electron).');
console.log(`Profile (temporary): ${profile}`);
console.log(`Open: ${bridge.url}`);
console.log('Press Ctrl+C to stop; the temporary profile is then deleted.');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await bridge.close();
  await rm(profile, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
