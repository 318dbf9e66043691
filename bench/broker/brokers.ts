/**
 * The brokers under test, each in a process of its own on 127.0.0.1 and a
 * free port, with the same limits where a broker has the setting:
 *
 *   ours       `node --import tsx worker/node/cli.ts --port 0 --ws-port 0 --config <tmp>/ours.json`
 *              (the Node host's command line, as `npm run broker` runs it)
 *   aedes      `node --import tsx bench/broker/aedes-server.ts 0`
 *   mosquitto  `/usr/sbin/mosquitto -c <tmp>/mosquitto.conf`
 *
 * Limits: 1000 queued messages per session, 20 QoS 1/2 messages in flight
 * towards each client (mosquitto's default), Nagle off. aedes has neither a
 * queue nor an in-flight limit to set. The Node brokers are started with
 * --expose-gc and settle-hook.ts, so `settle()` can force a collection
 * before the RSS is read; mosquitto has nothing to collect.
 *
 * Diagnostics: BENCH_MOSQ_QUEUE=N overrides mosquitto's max_queued_messages
 * (0: no limit); BENCH_MOSQ_LOG=1 passes its notices and warnings to stderr.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from './loadgen';
import { freePort } from '../../test/helpers/free-port';

export type BrokerName = 'ours' | 'aedes' | 'mosquitto';
export const BROKERS: BrokerName[] = ['ours', 'aedes', 'mosquitto'];

export const LIMITS = { maxQueuedMessages: 1000, maxInflight: 20 };
const MOSQUITTO = '/usr/sbin/mosquitto';
/** The repository root: the Node brokers run from there, as `npm run broker` does. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface StartOptions {
  /** Write a V8 CPU profile of the broker process into this directory (Node brokers). */
  cpuProfileDir?: string | undefined;
  /** More node flags for the Node brokers (diagnostics only). */
  nodeFlags?: string[] | undefined;
}

/** process.memoryUsage() of a Node broker after a forced GC, in bytes. */
export interface HeapFigures {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface RunningBroker {
  name: BrokerName;
  endpoint: Endpoint;
  pid: number;
  /** Resident set size of the broker process, in KiB (/proc/PID/status VmRSS). */
  rssKiB(): number;
  /** CPU time (user + system) the broker process has used, in ms (/proc/PID/stat). */
  cpuMs(): number;
  /** Forces a full GC (Node brokers) and lets the process go idle; Node brokers report their heap. */
  settle(): Promise<HeapFigures | undefined>;
  stop(): Promise<void>;
}

export async function startBroker(name: BrokerName, opts: StartOptions = {}): Promise<RunningBroker> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  try {
    const node = (script: string, args: string[]) => [
      '--expose-gc', ...(opts.nodeFlags ?? []), '--import', 'tsx', '--import', './bench/broker/settle-hook.ts',
      ...(opts.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir] : []),
      script, ...args,
    ];
    if (name === 'ours') {
      const config = join(dir, 'ours.json');
      writeFileSync(config, JSON.stringify({ allowAnonymous: true, ...LIMITS }));
      const child = spawn(process.execPath, node('worker/node/cli.ts', ['--host', '127.0.0.1', '--port', '0', '--ws-port', '0', '--config', config]), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const port = await portFromOutput(child, /mqtt:\/\/[^\s]*:(\d+) \(TCP\)/);
      return handle(name, child, port, dir, true);
    }
    if (name === 'aedes') {
      const child = spawn(process.execPath, node('bench/broker/aedes-server.ts', ['0']), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const port = await portFromOutput(child, /aedes listening: mqtt:\/\/[^\s]*:(\d+)/);
      return handle(name, child, port, dir, true);
    }
    const port = await freePort();
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      `max_queued_messages ${process.env.BENCH_MOSQ_QUEUE ?? LIMITS.maxQueuedMessages}`,
      `max_inflight_messages ${LIMITS.maxInflight}`,
      'set_tcp_nodelay true',
      'persistence false',
      process.env.BENCH_MOSQ_LOG ? 'log_dest stderr\nlog_type warning\nlog_type notice\nlog_type information' : 'log_dest none',
      '',
    ].join('\n'));
    const child = spawn(MOSQUITTO, ['-c', conf], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    await untilListening({ host: '127.0.0.1', port }, child);
    return handle(name, child, port, dir, false);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function handle(name: BrokerName, child: ChildProcess, port: number, dir: string, node: boolean): RunningBroker {
  const pid = child.pid!;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let settled: ((heap: HeapFigures) => void) | undefined;
  child.stdout!.on('data', (d: Buffer) => {
    const m = /bench: settled (\{.*\})/.exec(d.toString());
    if (m) settled?.(JSON.parse(m[1]!) as HeapFigures);
  });
  if (process.env.BENCH_MOSQ_LOG) child.stderr!.pipe(process.stderr); else child.stderr!.resume();
  return {
    name,
    endpoint: { host: '127.0.0.1', port },
    pid,
    rssKiB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN),
    cpuMs: () => {
      // fields after the command name: utime and stime are the 12th and 13th
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
    },
    async settle() {
      let heap: HeapFigures | undefined;
      if (node) {
        const done = new Promise<HeapFigures>((resolve) => (settled = resolve));
        child.kill('SIGUSR2');
        heap = await Promise.race([done, sleep(5000).then(() => undefined)]);
        settled = undefined;
      }
      await sleep(300);
      return heap;
    },
    async stop() {
      child.kill('SIGTERM');
      const killed = sleep(8000).then(() => child.kill('SIGKILL'));
      await Promise.race([exited, killed]);
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The port a broker prints once it listens; rejects if it exits first or takes over 20 s. */
function portFromOutput(child: ChildProcess, re: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail('did not report a port within 20 s'), 20_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\n${out}${err}`));
    };
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.stdout!.on('data', function onData(d: Buffer) {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(Number(m[1]));
      }
    });
    const onExit = (code: number | null) => fail(`exited with ${code} before listening`);
    child.once('exit', onExit);
  });
}


async function untilListening(ep: Endpoint, child: ChildProcess): Promise<void> {
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));
  for (let i = 0; i < 200; i++) {
    if (exitCode !== undefined) throw new Error(`mosquitto exited with ${exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = netConnect(ep);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(25);
  }
  child.kill('SIGKILL');
  throw new Error('mosquitto did not listen within 5 s');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Versions of the brokers under test, for the report. */
export function versions(): Record<BrokerName, string> {
  const mosquitto = spawnSync(MOSQUITTO, ['-h'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? '?';
  const aedes = (JSON.parse(readFileSync(join(ROOT, 'node_modules/aedes/package.json'), 'utf8')) as { version: string }).version;
  const ours = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return { ours: `mqtt-playground ${ours} (worker/node/cli.ts under tsx, Node ${process.version})`, aedes: `aedes ${aedes}`, mosquitto };
}
