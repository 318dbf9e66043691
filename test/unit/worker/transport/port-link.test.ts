import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { Link } from '../../../../worker/transport/link';
import { createPortLinkPair, portLink, type PortLinkMessage } from '../../../../worker/transport/port-link';
import { brokerHarness } from '../../../helpers/broker-harness';
import { linkDuplex } from '../../../helpers/link-duplex';
import { Inbox } from '../../../helpers/mqttjs';
import { Recorder } from '../../../helpers/recording-handler';
import { until, within } from '../../../helpers/timeouts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

// open ports keep vitest's worker alive: every link and port is closed after each test
const links: Link[] = [];
const ports: MessagePort[] = [];
const clients: MqttClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => within(c.endAsync(true), 3000, 'an MQTT.js client to end').catch(() => {})));
  for (const l of links.splice(0)) l.close();
  for (const p of ports.splice(0)) p.close();
});

function pair(label?: string): [Link, Link] {
  const p = createPortLinkPair(label);
  links.push(...p);
  return p;
}

/** A link on port1 and the raw port2, to see the messages themselves. */
function rawPair(): { link: Link; port: MessagePort; messages: PortLinkMessage[] } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const link = portLink(port1, 'raw');
  links.push(link);
  const messages: PortLinkMessage[] = [];
  port2.addEventListener('message', (e) => messages.push(e.data as PortLinkMessage));
  port2.start();
  return { link, port: port2, messages };
}

const turn = () => new Promise<void>((r) => setTimeout(r, 5));

describe('portLink', () => {
  it('delivers bytes in the order written, both ways', async () => {
    const [a, b] = pair();
    const atA = Recorder.on(a);
    const atB = Recorder.on(b);
    let expected = '';
    for (let i = 0; i < 50; i++) {
      a.write(bytes(`<${i}>`));
      expected += `<${i}>`;
      if (i % 7 === 0) await Promise.resolve();
      if (i % 13 === 0) await turn();
    }
    b.write(bytes('pong'));
    await atB.waitForText(expected);
    await atA.waitForText('pong');
    expect(a.label).toBe('port (client)');
    expect(b.label).toBe('port (broker)');
  });

  it('sends the writes of one microtask as one message, in one fresh buffer that it transfers', async () => {
    const { link, messages } = rawPair();
    const shared = bytes('..hello, world..');
    const hello = shared.subarray(2, 7);
    link.write(hello);
    link.write(bytes(', '));
    link.write(shared.subarray(9, 14));
    await until(() => messages.length === 1, 3000, 'one message');
    const m = messages[0]!;
    expect(m.type).toBe('data');
    const data = (m as { bytes: Uint8Array }).bytes;
    expect(Buffer.from(data).toString()).toBe('hello, world');
    // a buffer of exactly the batch, not the caller's
    expect(data.byteOffset).toBe(0);
    expect(data.buffer.byteLength).toBe(12);
    // the caller's arrays were neither detached nor changed
    expect(shared.byteLength).toBe(16);
    expect(hello.byteLength).toBe(5);
    expect(Buffer.from(shared).toString()).toBe('..hello, world..');

    // a later turn is a later message
    link.write(bytes('again'));
    await until(() => messages.length === 2, 3000, 'a second message');
    expect(Buffer.from((messages[1] as { bytes: Uint8Array }).bytes).toString()).toBe('again');
  });

  it('can write one array to many links (a message encoded once for all subscribers)', async () => {
    const payload = bytes('for everyone');
    const ends = [pair(), pair(), pair()];
    const got = ends.map(([, b]) => Recorder.on(b));
    for (const [a] of ends) a.write(payload);
    for (const r of got) await r.waitForText('for everyone');
    expect(payload.byteLength).toBe(12);
  });

  it('keeps what arrives before the handler is set', async () => {
    const [a, b] = pair();
    a.write(bytes('early'));
    a.close('early close');
    await turn();
    const got = Recorder.on(b);
    expect(await got.waitForClose()).toBe('early close');
    expect(got.text).toBe('early');
  });

  it('closes both ways: the other end hears the reason after the bytes, the closing end hears no reason', async () => {
    const [a, b] = pair();
    const atA = Recorder.on(a);
    const atB = Recorder.on(b);
    a.write(bytes('last words'));
    a.close('keep alive timeout');
    expect(a.closed).toBe(true);
    a.write(bytes('ignored'));
    expect(await atB.waitForClose()).toBe('keep alive timeout');
    expect(atB.text).toBe('last words');
    expect(b.closed).toBe(true);
    expect(atA.closes).toEqual([undefined]);
    // and from the other side, with the default reason
    const [c, d] = pair();
    const atC = Recorder.on(c);
    Recorder.on(d);
    d.close();
    expect(await atC.waitForClose()).toBe('closed by the other end');
    await turn();
    expect(atC.closes).toHaveLength(1);
  });

  it('closes the link when its port closes', async () => {
    const { link, port } = rawPair();
    const got = Recorder.on(link);
    port.close();
    expect(await got.waitForClose()).toBe('the MessagePort was closed');
    expect(link.closed).toBe(true);
  });

  it('closes the link, telling the other end, on a messageerror or a message that is not ours', async () => {
    const a = rawPair();
    const gotA = Recorder.on(a.link);
    // the receiving port of `a.link` is port1; a messageerror there ends the link
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const link = portLink(port1, 'erring');
    links.push(link);
    const told: PortLinkMessage[] = [];
    port2.addEventListener('message', (e) => told.push(e.data as PortLinkMessage));
    port2.start();
    const got = Recorder.on(link);
    port1.dispatchEvent(new MessageEvent('messageerror', { data: null }));
    expect(await got.waitForClose()).toMatch(/could not be read \(messageerror\)/);
    await until(() => told.length > 0, 3000, 'the close message');
    expect(told[0]).toEqual({ type: 'close', reason: expect.stringMatching(/messageerror/) });

    a.port.postMessage('CONNECT as a string');
    expect(await gotA.waitForClose()).toMatch(/unexpected message/);
    await until(() => a.messages.length > 0, 3000, 'the close message');
    expect(a.messages[0]).toMatchObject({ type: 'close' });
  });

  it('carries large payloads whole and in order', async () => {
    const [a, b] = pair();
    const got = Recorder.on(b);
    const big = new Uint8Array(8 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 11)) & 0xff;
    // one big write, then many pieces of a second copy in the same turn
    a.write(big);
    for (let at = 0; at < big.length; at += 64 * 1024) a.write(big.subarray(at, at + 64 * 1024));
    a.write(bytes('end'));
    await until(() => got.chunks.reduce((n, c) => n + c.length, 0) === 2 * big.length + 3, 10_000, 'all the bytes');
    const all = Buffer.concat(got.chunks);
    expect(all.subarray(0, big.length).equals(big)).toBe(true);
    expect(all.subarray(big.length, 2 * big.length).equals(big)).toBe(true);
    expect(all.subarray(2 * big.length).toString()).toBe('end');
    expect(got.chunks).toHaveLength(1); // all in one message
    expect(big.byteLength).toBe(8 * 1024 * 1024);
  });
});

describe('MQTT.js over a MessagePort link to our broker', () => {
  function open(h: ReturnType<typeof brokerHarness>, options: IClientOptions): Promise<MqttClient> {
    const [clientEnd, brokerEnd] = pair('mqtt.js');
    h.broker.accept(brokerEnd);
    const client = new mqtt.MqttClient(() => linkDuplex(clientEnd), { reconnectPeriod: 0, connectTimeout: 5000, keepalive: 30, ...options });
    client.on('error', () => {});
    clients.push(client);
    return within(
      new Promise<MqttClient>((resolve, reject) => {
        client.once('connect', () => resolve(client));
        client.once('error', reject);
        client.once('close', () => reject(new Error('closed before CONNACK')));
      }),
      5000,
      `CONNACK for ${options.clientId}`,
    );
  }

  for (const protocolVersion of [4, 5] as const) {
    it(`connects, subscribes and publishes at QoS 0, 1 and 2 (${protocolVersion === 5 ? '5.0' : '3.1.1'})`, async () => {
      const h = brokerHarness();
      const sub = await open(h, { clientId: `sub-${protocolVersion}`, protocolVersion });
      const inbox = new Inbox(sub);
      const granted = await sub.subscribeAsync({ 'play/#': { qos: 2 }, 'low/#': { qos: 0 } });
      expect(granted.map((g) => [g.topic, g.qos])).toEqual([['play/#', 2], ['low/#', 0]]);

      const pub = await open(h, { clientId: `pub-${protocolVersion}`, protocolVersion });
      for (const qos of [0, 1, 2] as const) await pub.publishAsync(`play/qos${qos}`, `at QoS ${qos}`, { qos });
      await pub.publishAsync('low/x', 'downgraded', { qos: 2 });
      const got = await inbox.take(4, 'the four messages');
      expect(got.map((m) => [m.topic, m.text, m.packet.qos])).toEqual([
        ['play/qos0', 'at QoS 0', 0],
        ['play/qos1', 'at QoS 1', 1],
        ['play/qos2', 'at QoS 2', 2],
        ['low/x', 'downgraded', 0],
      ]);

      // the broker saw both clients and every QoS 2 exchange completed
      expect(h.broker.stats.connected).toBe(2);
      expect(h.events.filter((e) => e.kind === 'client-connected').map((e) => 'version' in e && e.version)).toEqual([protocolVersion, protocolVersion]);

      await pub.endAsync();
      await until(() => h.events.some((e) => e.kind === 'client-disconnected' && e.clientId === `pub-${protocolVersion}`), 3000, 'the broker to see the DISCONNECT');
      expect(h.events.find((e) => e.kind === 'client-disconnected')).toMatchObject({ graceful: true });
    });
  }
});
