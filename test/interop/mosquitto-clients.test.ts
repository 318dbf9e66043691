/**
 * Debian's mosquitto_pub and mosquitto_sub against the Node host: the
 * walkthrough of the tutorial (wildcards, QoS 0/1/2, retained, a persistent
 * session, the last will), as MQTT 3.1.1 and 5.0. Every client runs with -W
 * or a deadline, so nothing hangs. Skipped only when the binaries are
 * missing (.ci/run installs mosquitto-clients).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerEvent } from '../../worker/broker';
import { parseConfig } from '../../worker/node/config-file';
import { startHost, type Host } from '../../worker/node/host';
import { RealClock } from '../../worker/time/clock';
import { helpText, killAll, run, start } from '../helpers/processes';
import { until, within } from '../helpers/timeouts';

const PUB = 'mosquitto_pub';
const SUB = 'mosquitto_sub';
const pubHelp = helpText(PUB);
const subHelp = helpText(SUB);
const missing = [pubHelp ? '' : PUB, subHelp ? '' : SUB].filter(Boolean);
const skipReason = missing.length ? `${missing.join(' and ')} not installed (apt-get install mosquitto-clients)` : '';
if (skipReason) console.warn(`mosquitto-clients interop tests skipped: ${skipReason}`);
const clientVersion = /mosquitto_pub version (\S+)/.exec(pubHelp ?? '')?.[1] ?? 'unknown';
// mosquitto 2.0 clients speak TCP only; a later one may take ws:// URLs
const wsSupported = /ws:\/\//.test(pubHelp ?? '') && /ws:\/\//.test(subHelp ?? '');

let host: Host;
const events = new Map<Host, (BrokerEvent & { at: number })[]>();

/** A host on free ports of 127.0.0.1 whose broker events are kept for subscribed(). */
async function startWatchedHost(): Promise<Host> {
  const config = parseConfig({ allowAnonymous: true, users: [{ username: 'alice', password: 'wonderland' }], sysInterval: 0 });
  const h = await startHost({ port: 0, wsPort: 0, host: '127.0.0.1', config, clock: new RealClock() });
  const seen: (BrokerEvent & { at: number })[] = [];
  h.broker.on((e) => seen.push(e));
  events.set(h, seen);
  return h;
}

beforeAll(async () => {
  if (!skipReason) host = await startWatchedHost();
});

afterAll(async () => {
  killAll();
  await host?.close();
});

/** When the broker of `h` acknowledged a subscription of `clientId` (Date.now() time), waiting at most 5 s. */
async function subscribed(h: Host, clientId: string, topicFilter: string): Promise<number> {
  const seen = () => events.get(h)!.find((e) => e.kind === 'subscribed' && e.clientId === clientId && e.topicFilter === topicFilter);
  await until(() => seen() !== undefined, 5000, `${clientId} to subscribe to ${topicFilter}`);
  return seen()!.at;
}

const title = skipReason ? `mosquitto clients, -V %s (skipped: ${skipReason})` : `mosquitto clients ${clientVersion}, -V %s, over TCP`;

describe.skipIf(!!skipReason).each(['mqttv311', 'mqttv5'] as const)(title, (V) => {
  const base = () => ['-h', '127.0.0.1', '-p', String(host.tcpPort), '-V', V];
  const id = (name: string) => `mosq-${V}-${name}`;

  it('a wildcard subscription receives both sensors, at QoS 1 and 2', async () => {
    const sub = start(SUB, [...base(), '-i', id('demo'), '-t', 'sensor/+/temperature', '-q', '2', '-C', '2', '-W', '10', '-F', '%q %t %p'], 15_000);
    await subscribed(host, id('demo'), 'sensor/+/temperature');
    const one = await run(PUB, [...base(), '-i', id('sensor1'), '-t', 'sensor/1/temperature', '-m', '{"msg": "17.2"}', '-q', '1'], 10_000);
    expect(one.code, one.err).toBe(0);
    const two = await run(PUB, [...base(), '-i', id('sensor2'), '-t', 'sensor/2/temperature', '-m', '{"msg": "18.2"}', '-q', '2'], 10_000);
    expect(two.code, two.err).toBe(0);
    expect(await sub.exited, sub.err()).toBe(0);
    expect(sub.out().trim().split('\n')).toEqual(['1 sensor/1/temperature {"msg": "17.2"}', '2 sensor/2/temperature {"msg": "18.2"}']);
  }, 20_000);

  it('a later subscriber gets only the last retained message', async () => {
    for (const [text, qos] of [['first', '0'], ['last', '1']] as const) {
      const r = await run(PUB, [...base(), '-t', 'retained_message', '-m', `${text} (${V})`, '-q', qos, '-r'], 10_000);
      expect(r.code, r.err).toBe(0);
    }
    // -W 1 ends the wait: a second message would have come by then
    const sub = await run(SUB, [...base(), '-t', 'retained_message', '-q', '0', '-C', '2', '-W', '1', '-F', '%r %q %p'], 10_000);
    expect(sub.out.trim().split('\n')).toEqual([`1 0 last (${V})`]);
  }, 20_000);

  it('a persistent session (-c -i id -q 1) gets the three messages published while it was away', async () => {
    const session = ['-i', id('clean_session_false'), '-c', '-q', '1', '-t', 'clean_session_false'];
    const first = await run(SUB, [...base(), ...session, '-E', '-W', '5'], 10_000);
    expect(first.code, first.err).toBe(0);
    // -l publishes each line of stdin as a message
    const pub = await run(PUB, [...base(), '-t', 'clean_session_false', '-q', '1', '-l'], 10_000, 'one\ntwo\nthree\n');
    expect(pub.code, pub.err).toBe(0);
    const back = await run(SUB, [...base(), ...session, '-C', '3', '-W', '10', '-F', '%q %t %p'], 15_000);
    expect(back.code, back.err).toBe(0);
    expect(back.out.trim().split('\n')).toEqual(['1 clean_session_false one', '1 clean_session_false two', '1 clean_session_false three']);
    // a clean connection with the same id ends the session
    const clean = await run(SUB, [...base(), '-i', id('clean_session_false'), '-t', 'clean_session_false', '-E', '-W', '5'], 10_000);
    expect(clean.code, clean.err).toBe(0);
    expect(host.broker.registry.get(id('clean_session_false'))).toBeUndefined();
  }, 30_000);

  it('a user from the configuration signs in with -u/-P; a wrong password is refused', async () => {
    const ok = await run(PUB, [...base(), '-u', 'alice', '-P', 'wonderland', '-t', 'users/alice', '-m', 'hi'], 10_000);
    expect(ok.code, ok.err).toBe(0);
    const bad = await run(PUB, [...base(), '-u', 'alice', '-P', 'guess', '-t', 'users/alice', '-m', 'hi'], 10_000);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/not authori[sz]ed|bad user ?name or password/i);
  }, 20_000);

  if (V === 'mqttv5') it('forwards 5.0 user properties and the response topic', async () => {
    const sub = start(SUB, [...base(), '-i', id('responder'), '-t', 'requests/+', '-q', '1', '-C', '1', '-W', '10', '-F', '%P|%R|%p'], 15_000);
    await subscribed(host, id('responder'), 'requests/+');
    const pub = await run(PUB, [...base(), '-t', 'requests/time', '-m', 'now?', '-q', '1', '-D', 'publish', 'user-property', 'unit', 'celsius', '-D', 'publish', 'response-topic', 'responses/me'], 10_000);
    expect(pub.code, pub.err).toBe(0);
    expect(await sub.exited, sub.err()).toBe(0);
    expect(sub.out().trim()).toBe('unit:celsius|responses/me|now?');
  }, 20_000);
});

// each waits 7.5 s of real time, so both run side by side, each with its own host
describe.skipIf(!!skipReason).concurrent('mosquitto clients: the last will', () => {
  it.for(['mqttv311', 'mqttv5'] as const)('of a client gone silent (-V %s, -k 5, stopped) arrives after 1.5 times its keep alive, retained', { timeout: 30_000 }, async (V, { expect }) => {
    const h = await startWatchedHost();
    const base = ['-h', '127.0.0.1', '-p', String(h.tcpPort), '-V', V];
    const id = (name: string) => `mosq-${V}-${name}`;
    try {
      // -R: stale (retained) messages are not printed, so only a live will counts
      const watcher = start(SUB, [...base, '-i', id('watcher'), '-t', 'last_will', '-q', '1', '-R', '-C', '1', '-W', '20', '-F', '%q %r %t %p'], 25_000);
      await subscribed(h, id('watcher'), 'last_will');
      const will = ['--will-topic', 'last_will', '--will-payload', 'offline', '--will-qos', '1', '--will-retain'];
      const silent = start(SUB, [...base, '-i', id('Last Will'), '-k', '5', ...will, '-t', 'will/unused'], 25_000);
      const t0 = await subscribed(h, id('Last Will'), 'will/unused');
      // stopped, it sends no PINGREQ, and its TCP connection stays open
      silent.child.kill('SIGSTOP');
      try {
        expect(await within(watcher.exited, 15_000, 'the will'), watcher.err()).toBe(0);
        const elapsed = watcher.firstOutputAt()! - t0;
        expect(watcher.out().trim()).toBe('1 0 last_will offline');
        expect(elapsed).toBeGreaterThanOrEqual(7000);
        expect(elapsed).toBeLessThan(10_000);
      } finally {
        silent.child.kill('SIGKILL');
      }
      const kept = await run(SUB, [...base, '-t', 'last_will', '-C', '1', '-W', '5', '-F', '%r %p'], 10_000);
      expect(kept.out.trim(), `exit ${kept.code}: ${kept.err}`).toBe('1 offline');
    } finally {
      await h.close();
    }
  });
});

describe.skipIf(!!skipReason)('mosquitto clients over WebSocket', () => {
  it.skipIf(!wsSupported)(
    wsSupported ? 'publish and subscribe through ws://…/mqtt' : `skipped: mosquitto_pub ${clientVersion} has no WebSocket option (no ws:// in its --help)`,
    async () => {
      const url = (topic: string) => `ws://127.0.0.1:${host.wsPort}/mqtt/${topic}`;
      const sub = start(SUB, ['-L', url('sensor/+/temperature'), '-i', 'mosq-ws-sub', '-C', '1', '-W', '10', '-F', '%t %p'], 15_000);
      await subscribed(host, 'mosq-ws-sub', 'sensor/+/temperature');
      const pub = await run(PUB, ['-L', url('sensor/1/temperature'), '-m', '{"msg": "17.2"}', '-q', '1'], 10_000);
      expect(pub.code, pub.err).toBe(0);
      expect(await sub.exited, sub.err()).toBe(0);
      expect(sub.out().trim()).toBe('sensor/1/temperature {"msg": "17.2"}');
    },
    20_000,
  );
});
