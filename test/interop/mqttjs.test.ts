/**
 * MQTT.js 5 against the Node host, over TCP and WebSocket, as MQTT 3.1.1
 * and 5.0: the walkthrough of the tutorial (wildcards, retained, a
 * persistent session, the last will), then 5.0 specifics. Real time; the
 * will tests wait about 7.5 s, side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorWithReasonCode } from 'mqtt';
import { startHost, type Host } from '../../worker/node/host';
import { parseConfig } from '../../worker/node/config-file';
import { RealClock } from '../../worker/time/clock';
import { Inbox, MqttJsClients, pause } from '../helpers/mqttjs';
import { until } from '../helpers/timeouts';

let host: Host;
const clients = new MqttJsClients();

beforeAll(async () => {
  const config = parseConfig({ allowAnonymous: true, users: [{ username: 'alice', password: 'wonderland' }], sysInterval: 0 }, 'interop config');
  host = await startHost({ port: 0, wsPort: 0, host: '127.0.0.1', config, clock: new RealClock() });
});

afterAll(async () => {
  await clients.closeAll();
  await host?.close();
});

/** A host of its own, for tests that run concurrently with others on the same topics. */
async function ownHost(): Promise<Host> {
  return startHost({ port: 0, wsPort: 0, host: '127.0.0.1', config: { sysInterval: 0 }, clock: new RealClock() });
}

const urlOf = (h: Host, transport: 'tcp' | 'ws') => (transport === 'tcp' ? `mqtt://127.0.0.1:${h.tcpPort}` : `ws://127.0.0.1:${h.wsPort}/mqtt`);

const COMBOS = [
  { transport: 'tcp', version: 4 },
  { transport: 'tcp', version: 5 },
  { transport: 'ws', version: 4 },
  { transport: 'ws', version: 5 },
] as const;

describe.each(COMBOS)('MQTT.js over $transport, protocol version $version', ({ transport, version }) => {
  const url = () => urlOf(host, transport);
  const id = (name: string) => `${transport}-v${version}-${name}`;
  const open = (name: string, extra: Parameters<MqttJsClients['open']>[1] = {}) =>
    clients.open(url(), { clientId: id(name), protocolVersion: version, ...extra });

  it('a wildcard subscription receives both sensors, at QoS 1 and 2', async () => {
    const { client: demo } = await open('Simple Demo');
    const inbox = new Inbox(demo);
    const granted = await demo.subscribeAsync('sensor/+/temperature', { qos: 2 });
    expect(granted.map((g) => g.qos)).toEqual([2]);
    const { client: sensor1 } = await open('Sensor 1');
    const { client: sensor2 } = await open('Sensor 2');
    await sensor1.publishAsync('sensor/1/temperature', '{"msg": "17.2"}', { qos: 1 });
    await sensor2.publishAsync('sensor/2/temperature', '{"msg": "18.2"}', { qos: 2 });
    const got = await inbox.take(2, 'both readings');
    expect(got.map((m) => [m.topic, m.text, m.packet.qos])).toEqual([
      ['sensor/1/temperature', '{"msg": "17.2"}', 1],
      ['sensor/2/temperature', '{"msg": "18.2"}', 2],
    ]);
    await Promise.all([demo, sensor1, sensor2].map((c) => c.endAsync()));
  });

  it('carries a burst of QoS 1 messages in order, and a payload larger than a frame or segment', async () => {
    const { client: sub } = await open('burst sub');
    const inbox = new Inbox(sub);
    await sub.subscribeAsync('burst/#', { qos: 1 });
    const { client: pub } = await open('burst pub');
    const n = 1000;
    await Promise.all(Array.from({ length: n }, (_, i) => pub.publishAsync('burst/n', String(i), { qos: 1 })));
    const big = 'x'.repeat(300_000);
    await pub.publishAsync('burst/big', big, { qos: 1 });
    const got = await inbox.take(n + 1, 'the burst', 15_000);
    expect(got.slice(0, n).map((m) => m.text)).toEqual(Array.from({ length: n }, (_, i) => String(i)));
    expect(got[n]!.text).toBe(big);
    await Promise.all([sub, pub].map((c) => c.endAsync()));
  });

  it('a later subscriber gets only the last retained message', async () => {
    const { client: pub } = await open('retainer');
    await pub.publishAsync('retained_message', `first from ${id('retainer')}`, { qos: 1, retain: true });
    await pub.publishAsync('retained_message', `last from ${id('retainer')}`, { qos: 1, retain: true });
    const { client: late } = await open('late subscriber');
    const inbox = new Inbox(late);
    await late.subscribeAsync('retained_message', { qos: 1 });
    const [m] = await inbox.take(1, 'the retained message');
    expect(m!.text).toBe(`last from ${id('retainer')}`);
    expect(m!.packet.retain).toBe(true);
    await pause(300);
    expect(inbox.messages).toEqual([]);
    await Promise.all([pub, late].map((c) => c.endAsync()));
  });

  it('a session with Clean Session/Start off gets what was published while it was away', async () => {
    // 3.1.1: clean false keeps the session; 5.0 also needs a Session Expiry Interval
    const persistent = { clean: false, ...(version === 5 ? { properties: { sessionExpiryInterval: 300 } } : {}) };
    const first = await open('clean_session_false', persistent);
    expect(first.connack.sessionPresent).toBe(false);
    await first.client.subscribeAsync('clean_session_false', { qos: 1 });
    await first.client.endAsync();
    const { client: pub } = await open('session publisher');
    for (const n of [1, 2, 3]) await pub.publishAsync('clean_session_false', `message ${n} for ${id('')}`, { qos: 1 });
    const back = clients.start(url(), { clientId: id('clean_session_false'), protocolVersion: version, ...persistent });
    const inbox = new Inbox(back);
    const connack = await new Promise<{ sessionPresent: boolean }>((resolve) => back.once('connect', resolve));
    expect(connack.sessionPresent).toBe(true);
    const got = await inbox.take(3, 'the three queued messages');
    expect(got.map((m) => m.text)).toEqual([1, 2, 3].map((n) => `message ${n} for ${id('')}`));
    expect(got.every((m) => m.packet.qos === 1)).toBe(true);
    // leave no subscribed session behind for the next combination
    await back.unsubscribeAsync('clean_session_false');
    await Promise.all([back, pub].map((c) => c.endAsync()));
  });

  it('a user from the configuration signs in, and a wrong password is refused', async () => {
    const ok = await open('alice', { username: 'alice', password: 'wonderland' });
    expect(ok.connack.returnCode ?? ok.connack.reasonCode ?? 0).toBe(0);
    await ok.client.endAsync();
    const refused = await open('mallory', { username: 'alice', password: 'guess' }).then(
      () => undefined,
      (e: ErrorWithReasonCode) => e,
    );
    expect(refused?.code).toBe(version === 5 ? 0x86 : 4);
  });

  if (version === 5) {
    it('forwards user properties, response topic, correlation data and content type', async () => {
      const { client: responder } = await open('responder');
      const inbox = new Inbox(responder);
      await responder.subscribeAsync('requests/+', { qos: 1 });
      const { client: requester } = await open('requester');
      await requester.publishAsync('requests/time', '{"q": "now"}', {
        qos: 1,
        properties: {
          userProperties: { unit: 'celsius', room: ['kitchen', 'hall'] },
          responseTopic: 'responses/requester',
          correlationData: Buffer.from('req-42'),
          contentType: 'application/json',
          payloadFormatIndicator: true,
        },
      });
      const [m] = await inbox.take(1, 'the request');
      const p = m!.packet.properties!;
      expect(p.userProperties).toEqual({ unit: 'celsius', room: ['kitchen', 'hall'] });
      expect(p.responseTopic).toBe('responses/requester');
      expect(Buffer.from(p.correlationData!).toString()).toBe('req-42');
      expect(p.contentType).toBe('application/json');
      expect(p.payloadFormatIndicator).toBe(true);
      await Promise.all([responder, requester].map((c) => c.endAsync()));
    });

    it('assigns a client identifier when the client leaves it empty', async () => {
      const { client, connack } = await clients.open(url(), { clientId: '', protocolVersion: 5, clean: true });
      const assigned = connack.properties?.assignedClientIdentifier;
      expect(assigned).toMatch(/^auto-/);
      // the session goes by that name
      await client.subscribeAsync('assigned/check', { qos: 0 });
      expect(host.broker.registry.get(assigned!)?.subscriptions.has('assigned/check')).toBe(true);
      await client.endAsync();
    });
  }
});

describe('MQTT.js as an MQTT 3.1 client (MQIsdp)', () => {
  it.for(['tcp', 'ws'] as const)('connects over %s (WebSocket subprotocol mqttv3.1) and exchanges a message', async (transport) => {
    const options = { protocolId: 'MQIsdp', protocolVersion: 3, clientId: `v3-${transport}` } as const;
    const { client } = await clients.open(urlOf(host, transport), options);
    const inbox = new Inbox(client);
    await client.subscribeAsync('old/+', { qos: 1 });
    await client.publishAsync('old/client', 'still here', { qos: 1 });
    const [m] = await inbox.take(1, 'its own message');
    expect(m!.text).toBe('still here');
    await client.endAsync();
  });
});

// each waits 7.5 s of real time, so the four run side by side, each with its own host
describe.concurrent('MQTT.js: the last will', () => {
  it.for(COMBOS)('of a client gone silent over $transport, version $version, arrives after 1.5 times its keep alive', { timeout: 20_000 }, async ({ transport, version }, { expect }) => {
    const h = await ownHost();
    try {
      const open = (clientId: string, extra: Parameters<MqttJsClients['open']>[1] = {}) =>
        clients.open(urlOf(h, transport), { clientId, protocolVersion: version, ...extra });
      const { client: watcher } = await open('will watcher');
      const inbox = new Inbox(watcher);
      await watcher.subscribeAsync('last_will', { qos: 1 });
      const silent = await open('Last Will', {
        keepalive: 5,
        will: { topic: 'last_will', payload: Buffer.from('offline'), qos: 1, retain: true },
      });
      const t0 = Date.now();
      // go silent: no PINGREQ, nothing read, but the TCP/WebSocket connection stays up
      silent.client.keepaliveManager.destroy();
      silent.client.stream.pause();
      await until(() => inbox.messages.length > 0, 13_000, 'the will');
      const will = inbox.messages[0]!;
      const elapsed = will.at - t0;
      expect(will.topic).toBe('last_will');
      expect(will.text).toBe('offline');
      expect(will.packet.qos).toBe(1);
      expect(will.packet.retain).toBe(false);
      expect(elapsed).toBeGreaterThanOrEqual(7000);
      expect(elapsed).toBeLessThan(10_000);
      // it was retained too
      const { client: later } = await open('will reader');
      const laterInbox = new Inbox(later);
      await later.subscribeAsync('last_will', { qos: 1 });
      const [kept] = await laterInbox.take(1, 'the retained will');
      expect(kept!.text).toBe('offline');
      expect(kept!.packet.retain).toBe(true);
      silent.client.stream.destroy();
    } finally {
      await h.close();
    }
  });
});
