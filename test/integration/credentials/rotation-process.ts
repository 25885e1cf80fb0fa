/**
 * One run of the console in its own process, for the rotation crash test: it lets the start resume
 * a rotation a stop interrupted (or plans one of Payroll Sync's secret), then takes the admin's
 * steps until the rotation is done — shows the new secret (printed, so the test can look for it in
 * the profile's files), confirms
 * the hand-over with no overlap, discards a successor whose secret a stop lost, retries a failed
 * step. Prints one JSON line per step on stdout; the test kills it with SIGKILL whenever it likes.
 */
import { nextAction } from '../../unit/main/credentials/rotation-fake-provider';
import { openNodeConsole } from '../../support/node-console';

export interface RotationScenario {
  connectionId: string;
  ownerName: string;
  displayName: string;
}

const [dataDirectory, scenarioJson] = process.argv.slice(2);
const scenario = JSON.parse(scenarioJson!) as RotationScenario;
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

const services = await openNodeConsole(dataDirectory!);
// The start resumed what a stop cut short; wait for that before looking.
await services.rotations.settled();
let rotation = services.rotations.list()[0];
say({ event: 'started', resumedFrom: rotation?.state ?? null });
if (!rotation) {
  await services.credentials.read([scenario.connectionId]);
  const old = (await services.credentials.inventory()).credentials.find((credential) => credential.ownerName === scenario.ownerName && credential.displayName === scenario.displayName)!;
  rotation = await services.rotations.startRotation(old.key);
}
for (let steps = 0; steps < 20; steps += 1) {
  await services.rotations.settled();
  rotation = services.rotations.get(rotation.id);
  const step = nextAction(rotation);
  say({ event: 'step', state: rotation.state, step: step === null ? null : step === 'reveal' ? 'reveal' : step.action });
  if (step === null) break;
  if (step === 'reveal') {
    const secret = await services.rotations.revealSecret(rotation.id);
    say({ event: 'revealed', secret: secret.format === 'text' ? secret.value : secret.content });
  }
  else await services.rotations.advance(rotation.id, step);
}
say({ event: 'settled', state: rotation.state, failure: rotation.failure });
await services.close();
process.exit(rotation.state === 'done' ? 0 : 1);
