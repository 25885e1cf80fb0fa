/**
 * A TypeScript script run in a Node process of its own (through tsx), reporting one JSON object
 * per stdout line, that a crash test can kill with SIGKILL at any moment and start again.
 */
import { spawn } from 'node:child_process';

export interface KillableRun {
  /** The lines the script printed so far, parsed. */
  lines: Record<string, unknown>[];
  /** Resolves once the script printed its first line, or exited without one. */
  started: Promise<void>;
  exited: Promise<number | null>;
  kill(): void;
}

export function runKillableScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): KillableRun {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const lines: Record<string, unknown>[] = [];
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let at: number;
    while ((at = buffered.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffered.slice(0, at)) as Record<string, unknown>);
      buffered = buffered.slice(at + 1);
      markStarted();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => markStarted());
  return { lines, started, exited, kill: () => child.kill('SIGKILL') };
}

/** The run's first line of this event, once printed; undefined if the run ended without it. */
export async function lineOf(run: KillableRun, event: string): Promise<Record<string, unknown> | undefined> {
  const find = () => run.lines.find((line) => line.event === event);
  let ended = false;
  void run.exited.then(() => (ended = true));
  while (!find() && !ended) await new Promise((resolve) => setTimeout(resolve, 10));
  return find();
}
