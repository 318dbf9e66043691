/**
 * The client engine at work: VirtualClient against the real Broker over
 * in-memory links, on a VirtualClock. `settle()` lets every link delivery
 * run; `clock.advance()` is the only way time passes.
 */
import { describe, expect, it } from 'vitest';
import { Broker, type BrokerConfig, type BrokerEvent } from '../../../../worker/broker';
import { createScramClient } from '../../../../worker/broker/auth/scram';
import { hashPassword } from '../../../../worker/broker/auth/passwords';
import { VirtualClient, type ClientAuthenticator, type ClientOptions, type VirtualClientEvent } from '../../../../worker/client';
import { decode, encode, type ProtocolVersion, type PublishPacket } from '../../../../worker/protocol';
import { VirtualClock } from '../../../../worker/time/clock';
import { createLinkPair, type Link, type LinkHandler } from '../../../../worker/transport/link';
import { settle, TestClient, text } from '../../../helpers/broker-harness';

type Events = VirtualClientEvent[];
type Of<K extends VirtualClientEvent['kind']> = Extract<VirtualClientEvent, { kind: K }>;

const decoder = new TextDecoder();

/**
 * A link end for the client that the test can tamper with: `mute` drops what
 * the broker sends (a half-open connection seen from the client), `deaf`
 * drops what the client sends.
 */
class Faulty implements Link {
  mute = false;
  deaf = false;
  /** Every packet the client wrote, one encoded packet each. */
  readonly written: Uint8Array[] = [];
  readonly inner: Link;
  constructor(inner: Link) {
    this.inner = inner;
  }
  get closed() {
    return this.inner.closed;
  }
  get label() {
    return this.inner.label;
  }
  write(bytes: Uint8Array) {
    this.written.push(bytes);
    if (!this.deaf) this.inner.write(bytes);
  }
  close(reason?: string) {
    this.inner.close(reason);
  }
  setHandler(h: LinkHandler) {
    this.inner.setHandler({ data: (b) => !this.mute && h.data(b), close: (r) => h.close(r) });
  }
}

function setup(config: Partial<BrokerConfig> = {}) {
  const clock = new VirtualClock(1_000_000);
  const broker = new Broker({ sysInterval: 0, ...config }, clock);
  const brokerEvents: BrokerEvent[] = [];
  broker.on((e) => brokerEvents.push(e));
  /** While true the broker is unreachable: every new link closes at once. */
  const net = { down: false };
  const make = (o: Partial<ClientOptions> = {}) => {
    const links: { client: Faulty; broker: Link }[] = [];
    const c = new VirtualClient({ clientId: 'c', version: 5, cleanStart: true, keepalive: 0, ...o }, clock, () => {
      const [a, b] = createLinkPair();
      if (net.down) b.close('connection refused');
      else broker.accept(b);
      const client = new Faulty(a);
      links.push({ client, broker: b });
      return client;
    });
    const events: Events = [];
    c.on((e) => events.push(e));
    const of = <K extends VirtualClientEvent['kind']>(kind: K) => events.filter((e) => e.kind === kind) as Of<K>[];
    const messages = () => of('message').map((m) => [m.topic, decoder.decode(m.packet.payload)]);
    /** The link in use now. */
    const link = () => links[links.length - 1]!;
    return { c, events, of, messages, link };
  };
  /** A client, connected. */
  const online = async (o: Partial<ClientOptions> = {}) => {
    const x = make(o);
    x.c.connect();
    await settle();
    expect(x.c.status).toBe('connected');
    return x;
  };
  return { clock, broker, brokerEvents, net, make, online };
}

const msg = (topic: string, payload: string, qos: 0 | 1 | 2 = 0, retain = false) => ({ topic, payload: text(payload), qos, retain });

describe('VirtualClient against the broker', () => {
  it('connects, subscribes, publishes at QoS 2 and receives exactly once', async () => {
    const { make } = setup();
    const sub = make({ clientId: 'sub' });
    const pub = make({ clientId: 'pub', version: 4 });
    sub.c.connect();
    pub.c.connect();
    await settle();
    expect(sub.c.status).toBe('connected');
    sub.c.subscribe([{ topicFilter: 'sensor/+/temperature', qos: 2 }]);
    await settle();
    expect(sub.events.find((e) => e.kind === 'subscribed')).toMatchObject({ reasonCodes: [2] });
    pub.c.publish({ topic: 'sensor/1/temperature', payload: text('17.2'), qos: 2, retain: false });
    await settle();
    const msgs = sub.events.filter((e) => e.kind === 'message');
    expect(msgs).toHaveLength(1);
    expect(pub.events.find((e) => e.kind === 'published')).toMatchObject({ qos: 2, reasonCode: 0 });
  });

  it('sends PINGREQ on keep alive, and the will fires when the client is killed', async () => {
    const { make, clock } = setup();
    const w = make({ clientId: 'w' });
    w.c.connect();
    await settle();
    w.c.subscribe([{ topicFilter: 'last_will', qos: 1 }]);
    const lw = make({ clientId: 'lw', keepalive: 5, will: { topic: 'last_will', payload: text('offline'), qos: 1, retain: true } });
    lw.c.connect();
    await settle();
    clock.advance(5000);
    await settle();
    expect(lw.events.some((e) => e.kind === 'pong')).toBe(true);
    lw.c.kill();
    await settle();
    expect(w.events.filter((e) => e.kind === 'message')).toHaveLength(1);
  });
});

describe.each([[3, '3.1'], [4, '3.1.1'], [5, '5.0']] as const)('every protocol version: MQTT %s', (v: ProtocolVersion, name) => {
  it(`${name}: user name, password, keep alive and will; QoS 0, 1 and 2 both ways with a wildcard`, async () => {
    const { online, brokerEvents, clock } = setup({ allowAnonymous: false, users: [{ username: 'alice', password: hashPassword('wonderland', { iterations: 1 }) }] });
    const creds = { username: 'alice', password: text('wonderland') };
    const watcher = await online({ clientId: `watch${v}`, version: v, ...creds });
    watcher.c.subscribe([{ topicFilter: 'status/#', qos: 1 }]);
    const a = await online({ clientId: `a${v}`, version: v, keepalive: 10, ...creds, will: { topic: `status/a${v}`, payload: text('gone'), qos: 1, retain: false } });
    expect(brokerEvents).toContainEqual(expect.objectContaining({ kind: 'client-connected', clientId: `a${v}`, version: v }));
    a.c.subscribe([{ topicFilter: 'sensor/+/temperature', qos: 2 }]);
    await settle();
    expect(a.of('subscribed')[0]!.reasonCodes).toEqual([2]);
    const b = await online({ clientId: `b${v}`, version: v, ...creds });
    b.c.subscribe([{ topicFilter: 'back/#', qos: 2 }]);
    await settle();
    for (const q of [0, 1, 2] as const) {
      b.c.publish(msg(`sensor/${q}/temperature`, `t${q}`, q));
      a.c.publish(msg(`back/${q}`, `b${q}`, q));
    }
    await settle();
    expect(a.messages()).toEqual([['sensor/0/temperature', 't0'], ['sensor/1/temperature', 't1'], ['sensor/2/temperature', 't2']]);
    expect(a.of('message').map((m) => m.packet.qos)).toEqual([0, 1, 2]);
    expect(b.messages()).toEqual([['back/0', 'b0'], ['back/1', 'b1'], ['back/2', 'b2']]);
    expect(b.of('published').map((e) => [e.qos, e.reasonCode])).toEqual([[0, 0], [1, 0], [2, 0]]);
    // keep alive holds the connection through a minute of quiet
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      await settle();
    }
    expect(a.c.status).toBe('connected');
    expect(a.of('pong').length).toBeGreaterThanOrEqual(5);
    a.c.kill();
    await settle();
    expect(watcher.messages()).toEqual([[`status/a${v}`, 'gone']]);
  });

  it(`${name}: a wrong password is refused, and no reconnect follows`, async () => {
    const { make, clock } = setup({ allowAnonymous: false, users: [{ username: 'alice', password: hashPassword('wonderland', { iterations: 1 }) }] });
    const x = make({ clientId: 'mallory', version: v, username: 'alice', password: text('guess'), autoReconnect: true });
    x.c.connect();
    await settle();
    expect(x.of('refused')).toEqual([{ kind: 'refused', reasonCode: v === 5 ? 0x86 : 4, reason: expect.any(String) }]);
    expect(x.c.status).toBe('disconnected');
    clock.advance(60_000);
    await settle();
    expect(x.of('reconnecting')).toEqual([]);
    expect(x.of('status').map((e) => e.status)).not.toContain('connected');
  });
});

describe('5.0 options against the broker', () => {
  it('an empty client identifier is assigned one, and it is used again to resume the session', async () => {
    const { online } = setup();
    const x = await online({ clientId: '', cleanStart: false, sessionExpiryInterval: 60 });
    const id = x.of('connected')[0]!.assignedClientId!;
    expect(id).toMatch(/^auto-/);
    expect(x.c.state.clientId).toBe(id);
    x.c.disconnect();
    await settle();
    x.c.connect();
    await settle();
    expect(x.of('connected')[1]).toMatchObject({ sessionPresent: true, assignedClientId: undefined });
  });

  it('Session Expiry Interval, Receive Maximum, user properties and Request Response Information reach the broker', async () => {
    const { online, brokerEvents } = setup({ responseInformation: 'reply/' });
    const x = await online({ clientId: 'opts', cleanStart: false, sessionExpiryInterval: 300, receiveMaximum: 1, userProperties: [['site', 'lab']], requestResponseInformation: true, requestProblemInformation: false });
    expect(brokerEvents).toContainEqual(expect.objectContaining({ kind: 'session-created', clientId: 'opts', expiryInterval: 300 }));
    expect(x.of('connected')[0]!.connack.properties?.responseInformation).toBe('reply/');
    // with a Receive Maximum of 1 the broker has one message in flight at a time; all arrive, in order
    x.c.subscribe([{ topicFilter: 'q/#', qos: 1 }]);
    const p = await online({ clientId: 'p' });
    for (let i = 0; i < 5; i++) p.c.publish(msg('q/x', `${i}`, 1));
    await settle();
    expect(x.messages().map(([, m]) => m)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('Maximum Packet Size: the broker does not send us a larger message', async () => {
    const { online, brokerEvents } = setup();
    const x = await online({ clientId: 'small', maximumPacketSize: 100 });
    x.c.subscribe([{ topicFilter: 'm', qos: 1 }]);
    const p = await online({ clientId: 'p' });
    p.c.publish(msg('m', 'y'.repeat(500), 1));
    p.c.publish(msg('m', 'small', 1));
    await settle();
    expect(x.messages()).toEqual([['m', 'small']]);
    expect(brokerEvents).toContainEqual(expect.objectContaining({ kind: 'dropped', clientId: 'small' }));
    expect(x.c.status).toBe('connected');
  });

  it('Topic Alias Maximum: the broker uses aliases towards us, and they are resolved', async () => {
    const { online } = setup({ outboundTopicAliases: true });
    const x = await online({ clientId: 'aliased', topicAliasMaximum: 4 });
    x.c.subscribe([{ topicFilter: 'long/topic/name/#', qos: 1 }]);
    const p = await online({ clientId: 'p' });
    for (const n of [1, 2, 3]) p.c.publish(msg('long/topic/name/here', `${n}`, 1));
    await settle();
    expect(x.messages()).toEqual([1, 2, 3].map((n) => ['long/topic/name/here', `${n}`]));
    const packets = x.of('message').map((m) => m.packet);
    expect(packets[0]!.properties?.topicAlias).toBe(1);
    expect(packets.slice(1).map((q) => q.topic)).toEqual(['', '']);
  });

  it('topicAliases: we use aliases towards the broker, which resolves them for the subscribers', async () => {
    const { online } = setup({ topicAliasMaximum: 2 });
    const s = await online({ clientId: 's', version: 4 });
    s.c.subscribe([{ topicFilter: '#', qos: 1 }]);
    const p = await online({ clientId: 'p', topicAliases: true });
    expect(p.c.state.server.topicAliasMaximum).toBe(2);
    for (const t of ['a/1', 'a/1', 'a/2', 'a/3', 'a/1', 'a/3']) p.c.publish(msg(t, t, 1));
    await settle();
    const sent = p.link().client.written.map((b) => decode(b, 5)).filter((q): q is PublishPacket => q.type === 'publish');
    expect(sent.map((q) => [q.topic, q.properties?.topicAlias])).toEqual([
      ['a/1', 1], ['', 1], ['a/2', 2], ['a/3', undefined], ['', 1], ['a/3', undefined],
    ]);
    expect(s.messages()).toEqual(['a/1', 'a/1', 'a/2', 'a/3', 'a/1', 'a/3'].map((t) => [t, t]));
    expect(p.of('published').map((e) => e.reasonCode)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(p.c.status).toBe('connected');
  });

  it('Server Keep Alive, Receive Maximum, Maximum QoS and Retain Available from the broker are obeyed', async () => {
    const { online, clock } = setup({ serverKeepAlive: 3, receiveMaximum: 2, maximumQoS: 1, retainAvailable: false });
    const x = await online({ clientId: 'limited', keepalive: 60 });
    expect(x.c.state.keepalive).toBe(3);
    clock.advance(3000);
    await settle();
    expect(x.of('pong')).toHaveLength(1);
    expect(() => x.c.publish(msg('t', 'x', 2))).toThrow(/Maximum QoS is 1/);
    expect(() => x.c.publish(msg('t', 'x', 0, true))).toThrow(/retained/);
    for (let i = 0; i < 5; i++) x.c.publish(msg('t', `${i}`, 1));
    expect(x.c.state.outbound.inflight.size).toBe(2);
    expect(x.c.state.outbound.waiting).toHaveLength(3);
    await settle();
    expect(x.of('published')).toHaveLength(5);
    x.c.subscribe([{ topicFilter: 't', qos: 2 }]);
    await settle();
    expect(x.of('subscribed')[0]!.reasonCodes).toEqual([1]);
  });

  it('a message queued offline above the Maximum QoS fails on connect instead of getting us disconnected', async () => {
    const { make, clock } = setup({ maximumQoS: 1 });
    const x = make({ clientId: 'early', autoReconnect: true });
    const id = x.c.publish(msg('t', 'too much', 2));
    x.c.publish(msg('t', 'fine', 1));
    x.c.connect();
    await settle();
    clock.advance(10_000);
    await settle();
    expect(x.c.status).toBe('connected');
    expect(x.of('published').map((e) => [e.packetId === id, e.reasonCode])).toEqual([[true, 0x9b], [false, 0x10]]); // 0x10: no subscribers
    expect(x.of('reconnecting')).toEqual([]);
  });

  it('DISCONNECT with 0x04 has the broker publish the will; a normal DISCONNECT does not', async () => {
    const { online } = setup();
    const w = await online({ clientId: 'w' });
    w.c.subscribe([{ topicFilter: 'will/#', qos: 0 }]);
    const will = (id: string) => ({ topic: `will/${id}`, payload: text(id), qos: 0 as const, retain: false });
    const polite = await online({ clientId: 'polite', will: will('polite') });
    const loud = await online({ clientId: 'loud', will: will('loud') });
    polite.c.disconnect();
    loud.c.disconnect(0x04);
    await settle();
    expect(w.messages()).toEqual([['will/loud', 'loud']]);
  });

  it('a Will Delay Interval holds the will back after kill()', async () => {
    const { online, clock } = setup();
    const w = await online({ clientId: 'w' });
    w.c.subscribe([{ topicFilter: 'will/#', qos: 1 }]);
    const x = await online({ clientId: 'delayed', sessionExpiryInterval: 60, will: { topic: 'will/delayed', payload: text('late'), qos: 1, retain: false, properties: { willDelayInterval: 5 } } });
    x.c.kill();
    await settle();
    expect(w.messages()).toEqual([]);
    clock.advance(5000);
    await settle();
    expect(w.messages()).toEqual([['will/delayed', 'late']]);
  });

  it('a user property, response topic, correlation data, content type and message expiry arrive', async () => {
    const { online } = setup();
    const x = await online({ clientId: 'rx' });
    x.c.subscribe([{ topicFilter: 'req', qos: 1 }]);
    const p = await online({ clientId: 'tx' });
    const properties = { userProperties: [['k', 'v'], ['k', 'w']] as [string, string][], responseTopic: 'res', correlationData: text('42'), contentType: 'text/plain', messageExpiryInterval: 60, payloadFormatIndicator: true };
    p.c.publish({ ...msg('req', 'ping', 1), properties });
    await settle();
    expect(x.of('message')[0]!.packet.properties).toEqual(properties);
  });
});

describe('connecting again while connected', () => {
  it('replaces the connection: the engine forgets the old one, the broker sees a take-over', async () => {
    const { online, brokerEvents } = setup();
    const a = await online({ clientId: 'again' });
    a.c.subscribe([{ topicFilter: 't', qos: 1 }]);
    a.c.connect();
    await settle();
    expect(a.c.status).toBe('connected');
    expect(a.of('connected')).toHaveLength(2);
    expect(brokerEvents.filter((e) => e.kind === 'client-connected')).toHaveLength(2);
  });
});

describe('auto-reconnect', () => {
  it('after a lost connection: exponential back-off up to the maximum, and the first delay again once connected', async () => {
    const { make, clock, net } = setup();
    const x = make({ clientId: 'again', autoReconnect: true, reconnectDelay: 1000, maxReconnectDelay: 8000 });
    x.c.connect();
    await settle();
    expect(x.c.status).toBe('connected');
    net.down = true;
    x.link().broker.close('the broker went away');
    await settle();
    expect(x.of('link-closed')).toEqual([{ kind: 'link-closed', reason: 'the broker went away', unexpected: true, connecting: false }]);
    expect(x.c.status).toBe('disconnected');
    for (const delay of [1000, 2000, 4000, 8000, 8000]) {
      expect(x.of('reconnecting').pop()!.delay).toBe(delay);
      clock.advance(delay - 1);
      await settle();
      expect(x.of('status').pop()!.status).toBe('disconnected');
      clock.advance(1);
      await settle();
    }
    expect(x.of('reconnecting').map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    net.down = false;
    clock.advance(8000);
    await settle();
    expect(x.c.status).toBe('connected');
    x.link().broker.close('again');
    await settle();
    expect(x.of('reconnecting').pop()).toMatchObject({ delay: 1000, attempt: 1 });
    clock.advance(1000);
    await settle();
    expect(x.c.status).toBe('connected');
  });

  it('none after our own DISCONNECT, nor after kill()', async () => {
    const { online, clock } = setup();
    const a = await online({ clientId: 'a', autoReconnect: true });
    const b = await online({ clientId: 'b', autoReconnect: true });
    a.c.disconnect();
    b.c.kill();
    await settle();
    clock.advance(120_000);
    await settle();
    for (const x of [a, b]) {
      expect(x.of('reconnecting')).toEqual([]);
      expect(x.c.status).toBe('disconnected');
    }
    expect(clock.pending).toBe(0);
  });

  it('after keep alive finds the connection half-open: close, reconnect, and the broker publishes the will', async () => {
    const { online, clock } = setup();
    const w = await online({ clientId: 'w' });
    w.c.subscribe([{ topicFilter: 'will/#', qos: 0 }]);
    const x = await online({ clientId: 'half', keepalive: 10, autoReconnect: true, reconnectDelay: 500, will: { topic: 'will/half', payload: text('lost'), qos: 0, retain: false } });
    x.link().client.mute = true;
    x.link().client.deaf = true;
    clock.advance(10_000); // PINGREQ, lost
    await settle();
    expect(x.c.status).toBe('connected');
    clock.advance(10_000); // no PINGRESP: close
    await settle();
    expect(x.of('close').pop()!.reason).toMatch(/no PINGRESP/);
    expect(x.of('reconnecting')).toHaveLength(1);
    clock.advance(500);
    await settle();
    expect(x.c.status).toBe('connected');
    // the broker gave up on the silent connection after 1.5 keep alives, or on the takeover
    expect(w.messages()).toEqual([['will/half', 'lost']]);
  });
});

describe('sessions that outlive the connection', () => {
  it.each([[4, {}], [5, { sessionExpiryInterval: 300 }]] as const)('v%s: reconnecting with a persistent session gets what was queued meanwhile', async (v, extra) => {
    const { online } = setup();
    const x = await online({ clientId: 'keeper', version: v, cleanStart: false, ...extra });
    x.c.subscribe([{ topicFilter: 'news/#', qos: 1 }]);
    await settle();
    x.c.disconnect();
    const p = await online({ clientId: 'p' });
    for (const n of [1, 2, 3]) p.c.publish(msg('news/today', `m${n}`, n === 2 ? 2 : 1));
    p.c.publish(msg('news/today', 'not queued at QoS 0'));
    await settle();
    expect(x.messages()).toEqual([]);
    x.c.connect();
    await settle();
    expect(x.of('connected')[1]!.sessionPresent).toBe(true);
    expect(x.messages()).toEqual([['news/today', 'm1'], ['news/today', 'm2'], ['news/today', 'm3']]);
  });

  it('our unacknowledged QoS 1 and 2 messages are sent again with DUP; the QoS 2 one arrives once', async () => {
    const { online } = setup();
    const s = await online({ clientId: 's' });
    s.c.subscribe([{ topicFilter: 'pay/#', qos: 2 }]);
    const x = await online({ clientId: 'payer', cleanStart: false, sessionExpiryInterval: 300, autoReconnect: true, reconnectDelay: 10 });
    x.link().client.mute = true; // the broker's PUBACK and PUBREC are lost
    x.c.publish(msg('pay/1', 'one', 1));
    x.c.publish(msg('pay/2', 'two', 2));
    await settle();
    expect(x.c.state.outbound.inflight.size).toBe(2);
    x.c.kill();
    await settle();
    x.c.connect();
    await settle();
    expect(x.of('connected')[1]!.sessionPresent).toBe(true);
    expect(x.of('published').map((e) => e.topic)).toEqual(['pay/1', 'pay/2']);
    // QoS 1 may arrive twice, QoS 2 exactly once
    expect(s.messages().filter(([t]) => t === 'pay/2')).toEqual([['pay/2', 'two']]);
    expect(s.messages().filter(([t]) => t === 'pay/1').length).toBeGreaterThanOrEqual(1);
  });
});

describe('enhanced authentication: SCRAM-SHA-256 against the users of the broker', () => {
  const users = [{ username: 'alice', password: hashPassword('wonderland') }];
  function scram(username: string, password: string): ClientAuthenticator {
    const s = createScramClient(username, password);
    return { method: 'SCRAM-SHA-256', first: () => s.first(), next: (c) => s.final(c ?? new Uint8Array()), verify: (d) => d !== undefined && s.verify(d) };
  }

  it('the right password connects, after an AUTH exchange', async () => {
    const { make, brokerEvents } = setup({ users, allowAnonymous: false });
    const x = make({ clientId: 'alice', authenticator: scram('alice', 'wonderland') });
    x.c.connect();
    await settle();
    expect(x.of('auth')).toEqual([{ kind: 'auth', step: 'continue' }]);
    expect(x.c.status).toBe('connected');
    expect(brokerEvents).toContainEqual(expect.objectContaining({ kind: 'auth', method: 'SCRAM-SHA-256', step: 'succeeded' }));
  });

  it('a wrong password is refused with 0x86 Bad User Name or Password', async () => {
    const { make } = setup({ users, allowAnonymous: false });
    const x = make({ clientId: 'mallory', authenticator: scram('alice', 'guess'), autoReconnect: true });
    x.c.connect();
    await settle();
    expect(x.of('refused')).toMatchObject([{ reasonCode: 0x86 }]);
    expect(x.c.status).toBe('disconnected');
    expect(x.of('reconnecting')).toEqual([]);
  });
});

describe('a server that breaks the rules', () => {
  /** A hand-driven server on the other end of the client's link. */
  function fakeServer(o: Partial<ClientOptions>) {
    const clock = new VirtualClock(0);
    let server!: TestClient;
    const c = new VirtualClient({ clientId: 'c', version: 5, cleanStart: true, keepalive: 0, ...o }, clock, () => {
      const [a, b] = createLinkPair();
      server = new TestClient(b, o.version ?? 5);
      return a;
    });
    const events: Events = [];
    c.on((e) => events.push(e));
    return { c, events, server: () => server };
  }

  it('a packet above our Maximum Packet Size: DISCONNECT 0x95 and close, after the packets before it', async () => {
    const { c, events, server } = fakeServer({ maximumPacketSize: 64 });
    c.connect();
    await server().expect({ type: 'connect' });
    server().send({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    await settle();
    const small = encode({ type: 'publish', topic: 't', payload: text('ok'), qos: 0, retain: false, dup: false }, 5);
    const big = encode({ type: 'publish', topic: 't', payload: new Uint8Array(100), qos: 0, retain: false, dup: false }, 5);
    const both = new Uint8Array(small.length + big.length);
    both.set(small);
    both.set(big, small.length);
    server().sendRaw(both);
    await settle();
    expect(events.filter((e) => e.kind === 'message')).toHaveLength(1);
    expect(events.find((e) => e.kind === 'protocol-error')).toMatchObject({ reasonCode: 0x95 });
    await server().expect({ type: 'disconnect', reasonCode: 0x95 });
    await server().expectClosed();
    expect(c.status).toBe('disconnected');
  });

  it('a server that never answers CONNECT is given up on after 30 s', async () => {
    const clock = new VirtualClock(0);
    let server!: TestClient;
    const c = new VirtualClient({ clientId: 'c', version: 5, cleanStart: true, keepalive: 0 }, clock, () => {
      const [a, b] = createLinkPair();
      server = new TestClient(b, 5);
      return a;
    });
    const events: Events = [];
    c.on((e) => events.push(e));
    c.connect();
    await server.expect({ type: 'connect' });
    clock.advance(29_999);
    await settle();
    expect(c.status).toBe('connecting');
    clock.advance(1);
    await settle();
    expect(events.find((e) => e.kind === 'protocol-error')).toMatchObject({ reason: 'no CONNACK within 30 s' });
    expect(c.status).toBe('disconnected');
    await server.expectClosed();
  });

  it('a malformed packet: DISCONNECT 0x81 and close', async () => {
    const { c, events, server } = fakeServer({});
    c.connect();
    await server().expect({ type: 'connect' });
    server().send({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    await settle();
    server().sendRaw([0x30, 0x02, 0x00, 0x05]); // a topic length beyond the packet
    await settle();
    expect(events.find((e) => e.kind === 'protocol-error')).toMatchObject({ reasonCode: 0x81 });
    await server().expect({ type: 'disconnect', reasonCode: 0x81 });
    await server().expectClosed();
  });

  it('3.1.1: a PUBLISH before CONNACK closes the connection without DISCONNECT', async () => {
    const { c, events, server } = fakeServer({ version: 4 });
    c.connect();
    await server().expect({ type: 'connect' });
    server().send({ type: 'publish', topic: 't', payload: text('x'), qos: 0, retain: false, dup: false });
    await settle();
    expect(events.filter((e) => e.kind === 'protocol-error' || e.kind === 'close').map((e) => e.kind)).toEqual(['protocol-error', 'close']);
    await server().expectNothing();
    await server().expectClosed();
  });
});
