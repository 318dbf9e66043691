/**
 * Our client engine (VirtualClient) against real brokers, in real time:
 * Debian's mosquitto, started here on free ports with a TCP and a WebSocket
 * listener, and our own Node host (startHost), each over TCP (a net.Socket)
 * and over WebSocket, as MQTT 3.1.1 and 5.0. The walkthrough of the
 * tutorial: wildcards, QoS 0/1/2 both ways, retained, a persistent session,
 * the will; then 5.0 message properties, expiry and topic aliases. Every
 * wait is bounded. The mosquitto half is skipped only when
 * /usr/sbin/mosquitto is missing.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScramClient } from '../../worker/broker/auth/scram';
import { hashPassword } from '../../worker/broker/auth/passwords';
import { VirtualClient, type ClientOptions, type PublishOptions, type SubscribeOptions, type VirtualClientEvent } from '../../worker/client';
import { startHost, type Host } from '../../worker/node/host';
import { NodeClock } from '../../worker/node/node-clock';
import { SocketLink } from '../../worker/node/socket-link';
import type { Properties } from '../../worker/protocol';
import type { Link } from '../../worker/transport/link';
import { MOSQUITTO_MISSING, startMosquitto, type Mosquitto } from '../helpers/mosquitto';
import { until } from '../helpers/timeouts';
import { wsClientLink } from '../helpers/ws-client-link';

const clock = new NodeClock();
const all: VirtualClient[] = [];
let host: Host | undefined;
let mosquitto: Mosquitto | undefined;

beforeAll(async () => {
  host = await startHost({
    port: 0, wsPort: 0, host: '127.0.0.1', clock,
    config: { sysInterval: 0, users: [{ username: 'alice', password: hashPassword('wonderland') }] },
  });
  if (!MOSQUITTO_MISSING) mosquitto = await startMosquitto();
  else console.warn(`client engine interop with mosquitto skipped: ${MOSQUITTO_MISSING}`);
});

afterAll(async () => {
  for (const c of all) c.kill('test over');
  await host?.close();
  await mosquitto?.stop();
});

type Server = 'mosquitto' | 'host';
type Transport = 'tcp' | 'ws';

function portOf(server: Server, transport: Transport): number {
  const p = server === 'host' ? (transport === 'tcp' ? host!.tcpPort : host!.wsPort!) : transport === 'tcp' ? mosquitto!.tcpPort : mosquitto!.wsPort;
  return p;
}

function opener(server: Server, transport: Transport): () => Link {
  return () => {
    const port = portOf(server, transport);
    return transport === 'tcp'
      ? new SocketLink(connect(port, '127.0.0.1'), { label: `tcp 127.0.0.1:${port}` })
      : wsClientLink(`ws://127.0.0.1:${port}/mqtt`);
  };
}

const decoder = new TextDecoder();
const text = (s: string) => new TextEncoder().encode(s);

/** A VirtualClient and what it reported, with bounded waits. */
class Peer {
  readonly events: VirtualClientEvent[] = [];
  readonly c: VirtualClient;
  #taken = 0;

  constructor(c: VirtualClient) {
    this.c = c;
    c.on((e) => this.events.push(e));
  }

  of<K extends VirtualClientEvent['kind']>(kind: K): Extract<VirtualClientEvent, { kind: K }>[] {
    return this.events.filter((e) => e.kind === kind) as Extract<VirtualClientEvent, { kind: K }>[];
  }

  async event<K extends VirtualClientEvent['kind']>(kind: K, match: (e: Extract<VirtualClientEvent, { kind: K }>) => boolean, what: string, ms = 5000) {
    const found = () => this.of(kind).find(match);
    await until(() => found() !== undefined, ms, what);
    return found()!;
  }

  /** Connects and waits for CONNACK; throws on a refusal or a close. */
  async connect(ms = 5000): Promise<Extract<VirtualClientEvent, { kind: 'connected' }>> {
    const before = this.events.length;
    this.c.connect();
    const news = () => this.events.slice(before);
    await until(() => news().some((e) => e.kind === 'connected' || e.kind === 'refused' || e.kind === 'link-closed'), ms, `CONNACK for ${this.c.state.options.clientId || 'a client'}`);
    const ok = news().find((e) => e.kind === 'connected');
    if (!ok) throw new Error(`${this.c.state.options.clientId} did not connect: ${JSON.stringify(news())}`);
    return ok as Extract<VirtualClientEvent, { kind: 'connected' }>;
  }

  async subscribe(subs: SubscribeOptions[], properties?: Properties): Promise<number[]> {
    const id = this.c.subscribe(subs, properties);
    const e = await this.event('subscribed', (s) => s.packetId === id, `SUBACK for ${subs.map((s) => s.topicFilter).join(', ')}`);
    return e.reasonCodes;
  }

  async unsubscribe(filters: string[]): Promise<void> {
    const id = this.c.unsubscribe(filters);
    await this.event('unsubscribed', (s) => s.packetId === id, `UNSUBACK for ${filters.join(', ')}`);
  }

  /** Publishes; for QoS 1 and 2 waits until the flow completes, and gives its reason code. */
  async publish(o: PublishOptions): Promise<number> {
    const seen = this.of('published').length;
    const id = this.c.publish(o);
    if (o.qos === 0) return 0;
    const e = await this.event('published', (p) => p.packetId === id && this.of('published').indexOf(p) >= seen, `the QoS ${o.qos} flow of a message to ${o.topic}`);
    return e.reasonCode;
  }

  /** The next `n` messages not taken yet, waiting at most `ms`. */
  async take(n: number, what: string, ms = 5000) {
    await until(() => this.of('message').length - this.#taken >= n, ms, `${what} (${this.of('message').length - this.#taken} of ${n} arrived)`);
    const got = this.of('message').slice(this.#taken, this.#taken + n);
    this.#taken += n;
    return got;
  }

  /** Messages that arrived and were not taken. */
  untaken() {
    return this.of('message').slice(this.#taken);
  }

  async disconnect(): Promise<void> {
    this.c.disconnect();
    await until(() => this.c.status === 'disconnected' && (this.c.link?.closed ?? true), 3000, 'the link to close');
  }
}

const COMBOS = (['mosquitto', 'host'] as const).flatMap((server) =>
  (['tcp', 'ws'] as const).flatMap((transport) => ([4, 5] as const).map((version) => ({ server, transport, version }))));

describe.each(COMBOS)('the client engine against $server over $transport, protocol version $version', ({ server, transport, version }) => {
  const skip = server === 'mosquitto' && !!MOSQUITTO_MISSING;
  const tag = `${server}-${transport}-v${version}`;
  const topic = (t: string) => `engine/${tag}/${t}`;
  const peer = (name: string, o: Partial<ClientOptions> = {}) => {
    const c = new VirtualClient({ clientId: `${tag}-${name}`, version, cleanStart: true, keepalive: 30, ...o }, clock, opener(server, transport));
    all.push(c);
    return new Peer(c);
  };
  const online = async (name: string, o: Partial<ClientOptions> = {}) => {
    const p = peer(name, o);
    await p.connect();
    return p;
  };
  const persistent = { cleanStart: false, ...(version === 5 ? { sessionExpiryInterval: 300 } : {}) };

  it.skipIf(skip)('a wildcard subscription; QoS 0, 1 and 2 both ways', async () => {
    const demo = await online('demo');
    expect(await demo.subscribe([{ topicFilter: topic('sensor/+/temperature'), qos: 2 }])).toEqual([2]);
    const sensor = await online('sensor');
    expect(await sensor.subscribe([{ topicFilter: topic('cmd/#'), qos: 2 }])).toEqual([2]);
    for (const qos of [0, 1, 2] as const) {
      expect(await sensor.publish({ topic: topic(`sensor/${qos}/temperature`), payload: text(`1${qos}.5`), qos, retain: false })).toBeLessThan(0x80);
      expect(await demo.publish({ topic: topic(`cmd/${qos}/set`), payload: text(`on ${qos}`), qos, retain: false })).toBeLessThan(0x80);
    }
    const up = (await demo.take(3, 'the three readings')).map((m) => [m.topic, decoder.decode(m.packet.payload), m.packet.qos]).sort();
    expect(up).toEqual([0, 1, 2].map((q) => [topic(`sensor/${q}/temperature`), `1${q}.5`, q]));
    const down = (await sensor.take(3, 'the three commands')).map((m) => [m.topic, decoder.decode(m.packet.payload), m.packet.qos]).sort();
    expect(down).toEqual([0, 1, 2].map((q) => [topic(`cmd/${q}/set`), `on ${q}`, q]));
    // a message matching nothing subscribed does not arrive
    await sensor.publish({ topic: topic('elsewhere'), payload: text('x'), qos: 1, retain: false });
    await new Promise((r) => setTimeout(r, 200));
    expect(demo.untaken()).toEqual([]);
    await Promise.all([demo.disconnect(), sensor.disconnect()]);
  });

  it.skipIf(skip)('a later subscriber gets only the last retained message, with the retain flag', async () => {
    const pub = await online('retainer');
    await pub.publish({ topic: topic('retained'), payload: text('first'), qos: 1, retain: true });
    await pub.publish({ topic: topic('retained'), payload: text('last'), qos: 1, retain: true });
    const late = await online('late');
    await late.subscribe([{ topicFilter: topic('retained'), qos: 1 }]);
    const [m] = await late.take(1, 'the retained message');
    expect(decoder.decode(m!.packet.payload)).toBe('last');
    expect(m!.packet.retain).toBe(true);
    // a live message is not flagged retained
    await pub.publish({ topic: topic('retained'), payload: text('live'), qos: 1, retain: false });
    const [live] = await late.take(1, 'the live message');
    expect(live!.packet.retain).toBe(false);
    await pub.publish({ topic: topic('retained'), payload: new Uint8Array(), qos: 1, retain: true }); // clear it
    await Promise.all([pub.disconnect(), late.disconnect()]);
  });

  it.skipIf(skip)('a persistent session receives what was queued while it was offline', async () => {
    const keeper = peer('keeper', persistent);
    expect((await keeper.connect()).sessionPresent).toBe(false);
    await keeper.subscribe([{ topicFilter: topic('queued/#'), qos: 2 }]);
    await keeper.disconnect();
    const pub = await online('queuer');
    for (const n of [1, 2, 3]) await pub.publish({ topic: topic(`queued/${n}`), payload: text(`m${n}`), qos: n === 3 ? 2 : 1, retain: false });
    const back = await keeper.connect();
    expect(back.sessionPresent).toBe(true);
    const got = await keeper.take(3, 'the three queued messages');
    expect(got.map((m) => [m.topic, decoder.decode(m.packet.payload), m.packet.qos])).toEqual([
      [topic('queued/1'), 'm1', 1], [topic('queued/2'), 'm2', 1], [topic('queued/3'), 'm3', 2],
    ]);
    // leave no session behind
    await keeper.unsubscribe([topic('queued/#')]);
    await keeper.disconnect();
    const clean = peer('keeper', { cleanStart: true });
    await clean.connect();
    await Promise.all([clean.disconnect(), pub.disconnect()]);
  });

  it.skipIf(skip)('the will is published when the link closes without DISCONNECT, and not after a DISCONNECT', async () => {
    const watcher = await online('watcher');
    await watcher.subscribe([{ topicFilter: topic('will/#'), qos: 1 }]);
    const will = (name: string) => ({ topic: topic(`will/${name}`), payload: text(`${name} is gone`), qos: 1 as const, retain: false });
    const polite = await online('polite', { will: will('polite') });
    const lost = await online('lost', { will: will('lost') });
    await polite.disconnect();
    lost.c.kill();
    const [m] = await watcher.take(1, 'the will');
    expect([m!.topic, decoder.decode(m!.packet.payload)]).toEqual([topic('will/lost'), 'lost is gone']);
    await new Promise((r) => setTimeout(r, 200));
    expect(watcher.untaken()).toEqual([]);
    await watcher.disconnect();
  });

  it.skipIf(skip)('keep alive: a PINGREQ after a second of quiet is answered', async () => {
    const p = await online('pinger', { keepalive: 1 });
    await p.event('pong', () => true, 'PINGRESP', 3000);
    expect(p.c.status).toBe('connected');
    await p.disconnect();
  });

  it.skipIf(skip)('a takeover of our client identifier ends the connection (our broker, 5.0: DISCONNECT 0x8E), and auto-reconnect takes it back', async () => {
    const a = await online('twin', { autoReconnect: true, reconnectDelay: 200 });
    const b = peer('twin');
    await b.connect();
    const closed = await a.event('link-closed', () => true, 'the first connection to end');
    // mosquitto 2.0.11 just closes the old connection; our broker tells a 5.0 client why
    if (version === 5 && server === 'host') {
      const d = await a.event('server-disconnect', () => true, 'DISCONNECT from the server');
      expect(d.packet.reasonCode).toBe(0x8e);
    }
    expect(closed.reason).toBeTruthy();
    expect(a.of('reconnecting')[0]).toMatchObject({ delay: 200, attempt: 1 });
    await a.event('connected', () => a.of('connected').length === 2, 'the reconnect', 3000);
    await b.event('link-closed', () => true, 'the second connection to be taken over');
    expect(b.of('reconnecting')).toEqual([]);
    await a.disconnect();
    expect(a.of('reconnecting')).toHaveLength(1);
  });

  if (version === 5) {
    it.skipIf(skip)('5.0: user properties, response topic, correlation data, content type and message expiry are forwarded', async () => {
      const rx = await online('responder');
      await rx.subscribe([{ topicFilter: topic('request'), qos: 1 }]);
      const tx = await online('requester');
      await tx.subscribe([{ topicFilter: topic('response'), qos: 1 }]);
      const properties: Properties = {
        userProperties: [['unit', 'celsius'], ['unit', 'kelvin'], ['中文', '值']], responseTopic: topic('response'), correlationData: text('req-42'),
        contentType: 'application/json', payloadFormatIndicator: true, messageExpiryInterval: 60,
      };
      await tx.publish({ topic: topic('request'), payload: text('{"get":"temp"}'), qos: 1, retain: false, properties });
      const [req] = await rx.take(1, 'the request');
      const got = req!.packet.properties!;
      expect(got.userProperties).toEqual(properties.userProperties);
      expect(got.responseTopic).toBe(topic('response'));
      expect(got.correlationData).toEqual(text('req-42'));
      expect(got.contentType).toBe('application/json');
      expect(got.payloadFormatIndicator).toBe(true);
      expect(got.messageExpiryInterval).toBeGreaterThan(55);
      expect(got.messageExpiryInterval).toBeLessThanOrEqual(60);
      // the responder answers where it was told to, with the same correlation data
      await rx.publish({ topic: got.responseTopic!, payload: text('21.5'), qos: 1, retain: false, properties: { correlationData: got.correlationData! } });
      const [res] = await tx.take(1, 'the response');
      expect(res!.packet.properties?.correlationData).toEqual(text('req-42'));
      await Promise.all([rx.disconnect(), tx.disconnect()]);
    });

    it.skipIf(skip)('5.0: a queued message whose expiry passes while the session is offline is not delivered', async () => {
      const keeper = peer('expiry', persistent);
      await keeper.connect();
      await keeper.subscribe([{ topicFilter: topic('expiring/#'), qos: 1 }]);
      await keeper.disconnect();
      const pub = await online('expirer');
      await pub.publish({ topic: topic('expiring/soon'), payload: text('stale'), qos: 1, retain: false, properties: { messageExpiryInterval: 1 } });
      await pub.publish({ topic: topic('expiring/never'), payload: text('fresh'), qos: 1, retain: false });
      await new Promise((r) => setTimeout(r, 2100));
      expect((await keeper.connect()).sessionPresent).toBe(true);
      const [m] = await keeper.take(1, 'the message without expiry');
      expect(decoder.decode(m!.packet.payload)).toBe('fresh');
      await new Promise((r) => setTimeout(r, 200));
      expect(keeper.untaken()).toEqual([]);
      await keeper.unsubscribe([topic('expiring/#')]);
      await Promise.all([keeper.disconnect(), pub.disconnect()]);
    });

    it.skipIf(skip)('5.0: topic aliases towards the server, resolved for the subscriber', async () => {
      const sub = await online('alias-sub');
      await sub.subscribe([{ topicFilter: topic('aliased/#'), qos: 1 }]);
      const pub = await online('alias-pub', { topicAliases: true });
      expect(pub.c.state.server.topicAliasMaximum).toBeGreaterThan(0);
      const topics = ['a', 'a', 'b', 'a', 'b'].map((t) => topic(`aliased/${t}`));
      for (const t of topics) await pub.publish({ topic: t, payload: text(t), qos: 1, retain: false });
      const got = await sub.take(5, 'the aliased messages');
      expect(got.map((m) => [m.topic, decoder.decode(m.packet.payload)])).toEqual(topics.map((t) => [t, t]));
      expect(pub.c.status).toBe('connected');
      await Promise.all([sub.disconnect(), pub.disconnect()]);
    });

    it.skipIf(skip)('5.0: an empty client identifier is assigned one by the server', async () => {
      const p = peer('', { clientId: '' });
      const ack = await p.connect();
      expect(ack.assignedClientId).toBeTruthy();
      expect(p.c.state.clientId).toBe(ack.assignedClientId);
      await p.disconnect();
    });
  }

  // mosquitto has no SCRAM-SHA-256 without a plugin
  if (server === 'host' && version === 5) {
    it('5.0: SCRAM-SHA-256 with a user of the host', async () => {
      const scram = createScramClient('alice', 'wonderland');
      const p = peer('scram', {
        authenticator: { method: 'SCRAM-SHA-256', first: () => scram.first(), next: (c) => scram.final(c ?? new Uint8Array()), verify: (d) => d !== undefined && scram.verify(d) },
      });
      await p.connect();
      expect(p.of('auth')).toEqual([{ kind: 'auth', step: 'continue' }]);
      await p.disconnect();
    });
  }
});
