/**
 * Command-line clients (mosquitto_pub, mosquitto_sub) for the interop tests:
 * each runs with a deadline after which it is killed, and anything still
 * running is killed in afterAll.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface Proc {
  child: ChildProcess;
  /** stdout so far. */
  out(): string;
  err(): string;
  /** Date.now() of the first stdout bytes, if any. */
  firstOutputAt(): number | undefined;
  /** The exit code (null when killed by a signal), once the output is complete. */
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Starts `cmd`; it is killed after `deadlineMs` if it has not exited. */
export function start(cmd: string, args: string[], deadlineMs: number, input?: string): Proc {
  const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  let first: number | undefined;
  child.stdout!.on('data', (b: Buffer) => {
    first ??= Date.now();
    out += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  if (input !== undefined) child.stdin!.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (e) => {
      err += String(e);
      resolve(-1);
    });
    // 'close', not 'exit': by then stdout has been read to the end
    child.once('close', (code) => resolve(code));
  }).finally(() => {
    clearTimeout(timer);
    running.delete(child);
  });
  return { child, out: () => out, err: () => err, firstOutputAt: () => first, exited };
}

/** Runs `cmd` to the end (at most `deadlineMs`) and gives its exit code and output. */
export async function run(cmd: string, args: string[], deadlineMs: number, input?: string): Promise<{ code: number | null; out: string; err: string }> {
  const p = start(cmd, args, deadlineMs, input);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}

/** Kills whatever is still running. */
export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

/** The `--help` text of a command, or undefined when it is not installed. */
export function helpText(cmd: string): string | undefined {
  const r = spawnSync(cmd, ['--help'], { encoding: 'utf8', timeout: 5000 });
  if (r.error) return undefined;
  return `${r.stdout}${r.stderr}`;
}
