/**
 * Debian's mosquitto, started by a test on free ports of 127.0.0.1 with a
 * configuration of its own (a TCP listener and a `protocol websockets`
 * listener, anonymous access, no persistence), and stopped in afterAll.
 *
 *   const m = await startMosquitto();   // undefined when not installed: see MOSQUITTO_MISSING
 *   ... m.tcpPort, m.wsPort ...
 *   await m.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { within } from './timeouts';
import { freePort } from './free-port';

export const MOSQUITTO = '/usr/sbin/mosquitto';

/** Why the mosquitto tests are skipped, or '' when they can run. */
export const MOSQUITTO_MISSING = existsSync(MOSQUITTO) ? '' : `${MOSQUITTO} is not installed (apt-get install mosquitto)`;

export interface Mosquitto {
  tcpPort: number;
  wsPort: number;
  /** What mosquitto logged so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export { freePort };

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startMosquitto(extraConfig: string[] = []): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  const tcpPort = await freePort();
  const wsPort = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [
    'per_listener_settings false',
    'allow_anonymous true',
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    ...extraConfig,
    `listener ${tcpPort} 127.0.0.1`,
    `listener ${wsPort} 127.0.0.1`,
    'protocol websockets',
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async () => {
    if (!gone) {
      child.kill('SIGTERM');
      await within(exited, 3000, 'mosquitto to stop').catch(() => child.kill('SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const end = Date.now() + 5000;
    while (!((await accepts(tcpPort)) && (await accepts(wsPort)))) {
      if (gone) throw new Error(`mosquitto exited at start:\n${log}`);
      if (Date.now() > end) throw new Error(`mosquitto did not listen on ${tcpPort} and ${wsPort} within 5 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { tcpPort, wsPort, log: () => log, stop };
}
