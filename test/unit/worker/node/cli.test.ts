/**
 * `npm run broker` as a process: the listening line, events with --verbose,
 * a clean shutdown on SIGTERM, and exit codes for mistakes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SocketLink } from '../../../../worker/node/socket-link';
import { connectPacket, TestClient } from '../../../helpers/broker-harness';
import { nextEvent, until, within } from '../../../helpers/timeouts';

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];

function cli(...args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/node/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  // 'close', not 'exit': by then the output has been read to the end
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

describe('npm run broker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-cli-'));
  afterAll(() => {
    for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the ports, logs events with --verbose, and says goodbye to 5.0 clients on SIGTERM', async () => {
    const run = cli('--port', '0', '--ws-port', '0', '--host', '127.0.0.1', '--verbose');
    await until(() => /listening/.test(run.out()), 15_000, `the listening line (stderr: ${run.err()})`);
    const m = /^MQTT broker listening: mqtt:\/\/127\.0\.0\.1:(\d+) \(TCP\), ws:\/\/127\.0\.0\.1:(\d+)\/mqtt \(WebSocket\)$/m.exec(run.out());
    expect(m).not.toBeNull();
    const socket = createConnection(Number(m![1]), '127.0.0.1');
    await nextEvent(socket, 'connect');
    const client = new TestClient(new SocketLink(socket), 5);
    client.send(connectPacket(5, { clientId: 'cli-test' }));
    await until(() => client.received.length > 0, 3000, 'CONNACK');
    await until(() => run.out().includes('cli-test connected (MQTT 5.0)'), 3000, 'the verbose event');
    run.child.kill('SIGTERM');
    expect(await within(run.exited, 5000, 'the process to exit')).toBe(0);
    await until(() => client.received.length > 1, 3000, 'DISCONNECT');
    expect(client.received[1]).toMatchObject({ type: 'disconnect', reasonCode: 0x8b });
    expect(run.out()).toContain('SIGTERM: shutting down');
    expect(run.out()).toContain('broker stopped');
  }, 20_000);

  it('exits 2 with the usage line for a bad option', async () => {
    const run = cli('--port', 'many');
    expect(await within(run.exited, 15_000, 'the process to exit')).toBe(2);
    expect(run.err()).toContain('--port must be a port number');
    expect(run.err()).toContain('usage: npm run broker --');
  }, 20_000);

  it('exits 1 naming the bad key of a configuration file', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ allowAnonymous: 'no' }));
    const run = cli('--port', '0', '--ws-port', '0', '--config', path);
    expect(await within(run.exited, 15_000, 'the process to exit')).toBe(1);
    expect(run.err()).toContain('"allowAnonymous" must be true or false, got string "no"');
  }, 20_000);
});
