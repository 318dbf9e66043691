/**
 * The client engine alone: packets in by hand, packets and events out. Every
 * packet the engine sends goes through encode and decode for its protocol
 * version first, so what is checked here is what would cross the wire.
 */
import { describe, expect, it } from 'vitest';
import { ClientState, type ClientAuthenticator, type ClientEvent, type ClientOptions, type Step } from '../../../../worker/client';
import { decode, encode, type ConnackPacket, type Packet, type ProtocolVersion, type PublishPacket } from '../../../../worker/protocol';
import { text } from '../../../helpers/broker-harness';

const BASE: ClientOptions = { clientId: 'c', version: 5, cleanStart: true, keepalive: 0 };

function engine(o: Partial<ClientOptions> = {}): ClientState {
  return new ClientState({ ...BASE, ...o });
}

/** The packets of a step as they would arrive at the server. */
function wire(step: Step, version: ProtocolVersion): Packet[] {
  return step.send.map((p) => decode(encode(p, version), version));
}

const kinds = (step: Step) => step.events.map((e) => e.kind);
const find = <K extends ClientEvent['kind']>(step: Step, kind: K) => step.events.find((e) => e.kind === kind) as Extract<ClientEvent, { kind: K }> | undefined;

function connack(o: Partial<ConnackPacket> = {}): ConnackPacket {
  return { type: 'connack', sessionPresent: false, reasonCode: 0, ...o };
}

/** An engine that has sent CONNECT and received CONNACK (at time `now`). */
function online(o: Partial<ClientOptions> = {}, ack: Partial<ConnackPacket> = {}, now = 0) {
  const s = engine(o);
  s.connect(now);
  const step = s.handle(connack(ack), now);
  expect(s.status).toBe('connected');
  return { s, step, v: s.options.version };
}

function pub(topic: string, qos: 0 | 1 | 2, o: Partial<PublishPacket> = {}): PublishPacket {
  const p: PublishPacket = { type: 'publish', topic, payload: text('x'), qos, retain: false, dup: false, ...o };
  if (qos > 0 && p.packetId === undefined) p.packetId = 1;
  return p;
}

const will = { topic: 'status/c', payload: text('gone'), qos: 1 as const, retain: true, properties: { willDelayInterval: 5, contentType: 'text/plain' } };

describe('CONNECT from the options', () => {
  it('MQTT 3.1: "MQIsdp" level 3, every 3.1 field, no 5.0 properties', () => {
    const s = engine({ version: 3, clientId: 'old-one', cleanStart: false, keepalive: 30, username: 'u', password: text('p'), will, sessionExpiryInterval: 60, receiveMaximum: 5, userProperties: [['a', 'b']] });
    const [p] = wire(s.connect(0), 3);
    expect(p).toEqual({
      type: 'connect', protocolName: 'MQIsdp', protocolVersion: 3, cleanStart: false, keepalive: 30, clientId: 'old-one',
      will: { topic: 'status/c', payload: text('gone'), qos: 1, retain: true }, username: 'u', password: text('p'),
    });
    expect(s.status).toBe('connecting');
  });

  it('MQTT 3.1.1: "MQTT" level 4, Clean Session, will, user name and password', () => {
    const s = engine({ version: 4, clientId: 'c311', cleanStart: true, keepalive: 60, username: 'alice', password: text('wonderland'), will: { ...will, properties: undefined } });
    const [p] = wire(s.connect(0), 4);
    expect(p).toEqual({
      type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: 60, clientId: 'c311',
      will: { topic: 'status/c', payload: text('gone'), qos: 1, retain: true }, username: 'alice', password: text('wonderland'),
    });
  });

  it('MQTT 5.0: every CONNECT property, the will properties and the authentication method', () => {
    const auth: ClientAuthenticator = { method: 'TEST', first: () => text('hello'), next: () => undefined, verify: () => true };
    const s = engine({
      clientId: 'c5', cleanStart: false, keepalive: 45, username: 'u', password: text('p'), will,
      sessionExpiryInterval: 3600, receiveMaximum: 10, maximumPacketSize: 4096, topicAliasMaximum: 8,
      requestResponseInformation: true, requestProblemInformation: false, userProperties: [['app', 'playground'], ['app', 'twice']], authenticator: auth,
    });
    const [p] = wire(s.connect(0), 5);
    expect(p).toEqual({
      type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: false, keepalive: 45, clientId: 'c5', will, username: 'u', password: text('p'),
      properties: {
        sessionExpiryInterval: 3600, receiveMaximum: 10, maximumPacketSize: 4096, topicAliasMaximum: 8, requestResponseInformation: true,
        requestProblemInformation: false, userProperties: [['app', 'playground'], ['app', 'twice']], authenticationMethod: 'TEST', authenticationData: text('hello'),
      },
    });
    expect(s.persistent).toBe(true);
  });

  it('MQTT 5.0 with defaults only: no properties at all, and the session ends with the connection', () => {
    const s = engine();
    const [p] = wire(s.connect(0), 5);
    expect(p).toEqual({ type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 0, clientId: 'c' });
    expect(s.persistent).toBe(false);
  });
});

describe('CONNACK', () => {
  it.each([
    [4, 5, undefined, 'reason code 0x5'],
    [5, 0x86, 'bad user name or password', 'bad user name or password'],
  ] as const)('a refusal (v%s, code %s) reports refused and close, and leaves the engine disconnected', (version, code, reasonString, reason) => {
    const s = engine({ version });
    s.connect(0);
    const step = s.handle(connack({ reasonCode: code, ...(reasonString ? { properties: { reasonString } } : {}) }), 0);
    expect(step.events).toEqual([{ kind: 'refused', reasonCode: code, reason }, { kind: 'close', reason: `connection refused: ${reason}` }]);
    expect(step.send).toEqual([]);
    expect(s.status).toBe('disconnected');
  });

  it('an Assigned Client Identifier becomes our identifier, also for the next CONNECT', () => {
    const { s, step } = online({ clientId: '' }, { properties: { assignedClientIdentifier: 'auto-7' } });
    expect(find(step, 'connected')).toMatchObject({ assignedClientId: 'auto-7', sessionPresent: false });
    expect(s.clientId).toBe('auto-7');
    s.connectionLost();
    expect(s.connect(10).send[0]).toMatchObject({ type: 'connect', clientId: 'auto-7' });
  });

  it("Server Keep Alive replaces ours [MQTT-3.2.2-21], and the next CONNECT asks for ours again", () => {
    const { s } = online({ keepalive: 60 }, { properties: { serverKeepAlive: 5 } });
    expect(s.keepalive).toBe(5);
    expect(s.nextTick()).toBe(5000);
    s.connectionLost();
    expect(s.connect(0).send[0]).toMatchObject({ keepalive: 60 });
    expect(s.keepalive).toBe(60);
  });

  it('Receive Maximum is our send quota: the third QoS 1 message waits for a PUBACK [MQTT-4.9.0-2]', () => {
    const { s } = online({}, { properties: { receiveMaximum: 2 } });
    const a = s.publish({ topic: 't', payload: text('1'), qos: 1, retain: false }, 1);
    const b = s.publish({ topic: 't', payload: text('2'), qos: 2, retain: false }, 2);
    const c = s.publish({ topic: 't', payload: text('3'), qos: 1, retain: false }, 3);
    const q0 = s.publish({ topic: 't', payload: text('4'), qos: 0, retain: false }, 4);
    expect(a.send).toHaveLength(1);
    expect(b.send).toHaveLength(1);
    expect(c.send).toEqual([]); // over quota: waits
    expect(q0.send).toEqual([]); // and QoS 0 keeps its place in the order
    expect(s.outbound.inflight.size).toBe(2);
    const done = s.handle({ type: 'puback', packetId: a.packetId!, reasonCode: 0 }, 5);
    expect(wire(done, 5).map((p) => p.type === 'publish' && [p.packetId, new TextDecoder().decode(p.payload)])).toEqual([[c.packetId, '3'], [undefined, '4']]);
    expect(kinds(done)).toEqual(['published']);
  });

  it('Maximum QoS: a publication above it is refused before anything is sent [MQTT-3.2.2-11]', () => {
    const { s } = online({}, { properties: { maximumQoS: 1 } });
    expect(() => s.publish({ topic: 't', payload: text('x'), qos: 2, retain: false }, 0)).toThrow(/Maximum QoS is 1/);
    expect(s.publish({ topic: 't', payload: text('x'), qos: 1, retain: false }, 0).send).toHaveLength(1);
  });

  it('Retain Available 0: a retained publication is refused [MQTT-3.2.2-14]', () => {
    const { s } = online({}, { properties: { retainAvailable: false } });
    expect(() => s.publish({ topic: 't', payload: text('x'), qos: 0, retain: true }, 0)).toThrow(/retained/);
    expect(s.publish({ topic: 't', payload: text('x'), qos: 0, retain: false }, 0).send).toHaveLength(1);
  });

  it('messages queued while offline that the server turns out not to accept fail, and are not sent [MQTT-3.2.2-11] [MQTT-3.2.2-14] [MQTT-3.2.2-15]', () => {
    const s = engine({ version: 5 });
    const q2 = s.publish({ topic: 'q2', payload: text('x'), qos: 2, retain: false }, 0).packetId;
    s.publish({ topic: 'kept', payload: text('x'), qos: 0, retain: true }, 0);
    s.publish({ topic: 'big', payload: new Uint8Array(200), qos: 0, retain: false }, 0);
    s.publish({ topic: 'fine', payload: text('x'), qos: 1, retain: false }, 0);
    s.connect(0);
    const step = s.handle(connack({ properties: { maximumQoS: 1, retainAvailable: false, maximumPacketSize: 100 } }), 0);
    expect(wire(step, 5).map((p) => p.type === 'publish' && p.topic)).toEqual(['fine']);
    expect(step.events.filter((e) => e.kind === 'published')).toEqual([
      { kind: 'published', packetId: q2, topic: 'q2', qos: 2, reasonCode: 0x9b },
      { kind: 'published', packetId: undefined, topic: 'kept', qos: 0, reasonCode: 0x9a },
      { kind: 'published', packetId: undefined, topic: 'big', qos: 0, reasonCode: 0x95 },
    ]);
    expect(s.outbound.waiting).toEqual([]);
    // once connected, the same requests are refused at once
    expect(() => s.publish({ topic: 'big', payload: new Uint8Array(200), qos: 0, retain: false }, 0)).toThrow(/Maximum Packet Size of 100/);
  });

  it('keeps the server limits it announced', () => {
    const { s } = online({}, { properties: { maximumPacketSize: 1000, topicAliasMaximum: 3, wildcardSubscriptionAvailable: false, subscriptionIdentifiersAvailable: false, sharedSubscriptionAvailable: false, sessionExpiryInterval: 30 } });
    expect(s.server).toMatchObject({ maximumPacketSize: 1000, topicAliasMaximum: 3, wildcardSubscriptionAvailable: false, subscriptionIdentifiersAvailable: false, sharedSubscriptionAvailable: false });
    expect(s.persistent).toBe(true); // the server's Session Expiry Interval is the one in force
  });
});

describe('topic aliases', () => {
  it('inbound: an alias with a topic is remembered, an alias alone resolves to it', () => {
    const { s } = online({ topicAliasMaximum: 2 });
    const first = s.handle(pub('sensor/1/temperature', 0, { properties: { topicAlias: 2 } }), 0);
    expect(find(first, 'message')).toMatchObject({ topic: 'sensor/1/temperature' });
    const second = s.handle(pub('', 1, { properties: { topicAlias: 2 } }), 0);
    expect(find(second, 'message')).toMatchObject({ topic: 'sensor/1/temperature' });
    expect(wire(second, 5)).toEqual([{ type: 'puback', packetId: 1, reasonCode: 0 }]);
    // a new topic for the same alias replaces it
    s.handle(pub('sensor/2/temperature', 0, { properties: { topicAlias: 2 } }), 0);
    expect(find(s.handle(pub('', 0, { properties: { topicAlias: 2 } }), 0), 'message')).toMatchObject({ topic: 'sensor/2/temperature' });
  });

  it.each([[2, 3], [undefined, 1]])('inbound: an alias beyond our Topic Alias Maximum (%s) is 0x94 Topic Alias invalid, DISCONNECT and close [MQTT-3.3.2-10]', (max, alias) => {
    const { s } = online({ topicAliasMaximum: max });
    const step = s.handle(pub('t', 0, { properties: { topicAlias: alias } }), 0);
    expect(kinds(step)).toEqual(['protocol-error', 'close']);
    expect(find(step, 'protocol-error')).toMatchObject({ reasonCode: 0x94 });
    expect(wire(step, 5)).toMatchObject([{ type: 'disconnect', reasonCode: 0x94 }]);
    expect(s.status).toBe('disconnected');
  });

  it('inbound: an alias that was never set is a Protocol Error', () => {
    const { s } = online({ topicAliasMaximum: 5 });
    const step = s.handle(pub('', 0, { properties: { topicAlias: 4 } }), 0);
    expect(find(step, 'protocol-error')).toMatchObject({ reasonCode: 0x82 });
    expect(wire(step, 5)).toMatchObject([{ type: 'disconnect', reasonCode: 0x82 }]);
  });

  it('inbound: aliases belong to one connection [MQTT-3.3.2-7]', () => {
    const { s } = online({ topicAliasMaximum: 5 });
    s.handle(pub('a/b', 0, { properties: { topicAlias: 1 } }), 0);
    s.connectionLost();
    s.connect(0);
    s.handle(connack(), 0);
    expect(kinds(s.handle(pub('', 0, { properties: { topicAlias: 1 } }), 0))).toEqual(['protocol-error', 'close']);
  });

  it('outbound: the first PUBLISH of a topic sets an alias, later ones send the alias alone, up to the server maximum', () => {
    const { s } = online({ topicAliases: true }, { properties: { topicAliasMaximum: 1 } });
    const send = (topic: string) => wire(s.publish({ topic, payload: text('x'), qos: 0, retain: false }, 0), 5)[0] as PublishPacket;
    expect(send('home/temp')).toMatchObject({ topic: 'home/temp', properties: { topicAlias: 1 } });
    expect(send('home/temp')).toMatchObject({ topic: '', properties: { topicAlias: 1 } });
    const other = send('home/humidity');
    expect(other.topic).toBe('home/humidity');
    expect(other.properties?.topicAlias).toBeUndefined();
  });

  it('outbound: a QoS 0 PUBLISH sent with an alias is reported published', () => {
    const { s } = online({ topicAliases: true }, { properties: { topicAliasMaximum: 4 } });
    for (let i = 0; i < 2; i++) {
      const step = s.publish({ topic: 'a', payload: text('x'), qos: 0, retain: false }, 0);
      expect(step.events).toEqual([{ kind: 'published', packetId: undefined, topic: 'a', qos: 0, reasonCode: 0 }]);
    }
  });

  it('outbound: a QoS 1 message keeps its topic in flight, so a re-send after reconnecting needs no alias', () => {
    const { s } = online({ topicAliases: true, cleanStart: false, sessionExpiryInterval: 60 }, { properties: { topicAliasMaximum: 4 } });
    s.publish({ topic: 'a', payload: text('1'), qos: 0, retain: false }, 0);
    const second = wire(s.publish({ topic: 'a', payload: text('2'), qos: 1, retain: false }, 0), 5);
    expect(second).toMatchObject([{ topic: '', properties: { topicAlias: 1 } }]);
    s.connectionLost();
    s.connect(0);
    const again = wire(s.handle(connack({ sessionPresent: true }), 0), 5);
    expect(again).toMatchObject([{ type: 'publish', topic: 'a', dup: true }]);
    expect((again[0] as PublishPacket).properties?.topicAlias).toBeUndefined();
  });

  it.each([
    ['the option is off', { topicAliases: false }, 5],
    ['the server allows none', { topicAliases: true }, 0],
    ['the protocol is 3.1.1', { topicAliases: true, version: 4 as const }, 5],
  ])('outbound: no alias when %s', (_, o, serverMax) => {
    const { s, v } = online(o, { properties: { topicAliasMaximum: serverMax } });
    const [p] = wire(s.publish({ topic: 'a', payload: text('x'), qos: 0, retain: false }, 0), v) as PublishPacket[];
    expect(p!.topic).toBe('a');
    expect(p!.properties?.topicAlias).toBeUndefined();
  });
});

describe.each([[4, '3.1.1'], [5, '5.0']] as const)('QoS flows over MQTT v%s (%s)', (v, _name) => {
  const rc = (code: number) => (v === 5 ? { reasonCode: code } : {});

  it('outbound QoS 1: PUBLISH with a packet identifier, published at PUBACK', () => {
    const { s } = online({ version: v });
    const step = s.publish({ topic: 't', payload: text('x'), qos: 1, retain: true }, 0);
    expect(wire(step, v)).toEqual([{ type: 'publish', topic: 't', payload: text('x'), qos: 1, retain: true, dup: false, packetId: step.packetId }]);
    expect(step.events).toEqual([]);
    const done = s.handle({ type: 'puback', packetId: step.packetId!, ...rc(0) }, 0);
    expect(done.events).toEqual([{ kind: 'published', packetId: step.packetId, topic: 't', qos: 1, reasonCode: 0 }]);
    expect(s.outbound.inflight.size).toBe(0);
    // a second PUBACK for it is ignored
    expect(s.handle({ type: 'puback', packetId: step.packetId!, ...rc(0) }, 0)).toEqual({ send: [], events: [] });
  });

  it('outbound QoS 2: PUBREC is answered PUBREL, published at PUBCOMP', () => {
    const { s } = online({ version: v });
    const { packetId } = s.publish({ topic: 't', payload: text('x'), qos: 2, retain: false }, 0);
    const rel = s.handle({ type: 'pubrec', packetId: packetId!, ...rc(0) }, 0);
    expect(wire(rel, v)).toEqual([{ type: 'pubrel', packetId, ...rc(0) }]);
    expect(rel.events).toEqual([]);
    expect(s.outbound.inflight.get(packetId!)?.state).toBe('pubrel');
    const done = s.handle({ type: 'pubcomp', packetId: packetId!, ...rc(0) }, 0);
    expect(done.events).toEqual([{ kind: 'published', packetId, topic: 't', qos: 2, reasonCode: 0 }]);
    expect(s.outbound.inflight.size).toBe(0);
  });

  it('inbound QoS 0 and 1: a message each, PUBACK for QoS 1', () => {
    const { s } = online({ version: v });
    const q0 = s.handle(pub('a', 0), 0);
    expect(q0).toMatchObject({ send: [], events: [{ kind: 'message', topic: 'a', duplicate: false }] });
    const q1 = s.handle(pub('a', 1, { packetId: 9 }), 0);
    expect(wire(q1, v)).toEqual([{ type: 'puback', packetId: 9, ...rc(0) }]);
    expect(kinds(q1)).toEqual(['message']);
  });

  it('inbound QoS 2 exactly once: a re-sent PUBLISH before PUBREL gets PUBREC again and no second message [MQTT-4.3.3-10]', () => {
    const { s } = online({ version: v });
    const first = s.handle(pub('pay', 2, { packetId: 7 }), 0);
    expect(wire(first, v)).toEqual([{ type: 'pubrec', packetId: 7, ...rc(0) }]);
    expect(kinds(first)).toEqual(['message']);
    const again = s.handle(pub('pay', 2, { packetId: 7, dup: true }), 0);
    expect(wire(again, v)).toEqual([{ type: 'pubrec', packetId: 7, ...rc(0) }]);
    expect(again.events).toEqual([]);
    expect(wire(s.handle({ type: 'pubrel', packetId: 7, ...rc(0) }, 0), v)).toEqual([{ type: 'pubcomp', packetId: 7, ...rc(0) }]);
    // after PUBCOMP the identifier names a new message [MQTT-4.3.3-12]
    expect(kinds(s.handle(pub('pay', 2, { packetId: 7 }), 0))).toEqual(['message']);
  });

  it('a PUBREL for an unknown packet identifier is answered PUBCOMP (5.0: 0x92 Packet Identifier not found)', () => {
    const { s } = online({ version: v });
    expect(wire(s.handle({ type: 'pubrel', packetId: 42, ...rc(0) }, 0), v)).toEqual([{ type: 'pubcomp', packetId: 42, ...rc(0x92) }]);
  });

  it('subscribe and unsubscribe: packet identifiers, SUBACK and UNSUBACK reported with their topic filters', () => {
    const { s } = online({ version: v });
    const sub = s.subscribe([{ topicFilter: 'a/+', qos: 1, noLocal: true }, { topicFilter: 'b/#', qos: 2 }], { subscriptionIdentifier: 3 }, 0);
    const [p] = wire(sub, v);
    expect(p).toEqual(v === 5
      ? { type: 'subscribe', packetId: sub.packetId, subscriptions: [
        { topicFilter: 'a/+', qos: 1, noLocal: true, retainAsPublished: false, retainHandling: 0 },
        { topicFilter: 'b/#', qos: 2, noLocal: false, retainAsPublished: false, retainHandling: 0 }], properties: { subscriptionIdentifier: 3 } }
      : { type: 'subscribe', packetId: sub.packetId, subscriptions: [{ topicFilter: 'a/+', qos: 1 }, { topicFilter: 'b/#', qos: 2 }] });
    const acked = s.handle({ type: 'suback', packetId: sub.packetId, reasonCodes: [1, 0x80] }, 0);
    expect(acked.events).toEqual([{ kind: 'subscribed', packetId: sub.packetId, topicFilters: ['a/+', 'b/#'], reasonCodes: [1, 0x80], properties: undefined }]);
    const uns = s.unsubscribe(['a/+'], undefined, 0);
    expect(uns.packetId).not.toBe(sub.packetId);
    const done = s.handle(v === 5 ? { type: 'unsuback', packetId: uns.packetId, reasonCodes: [0] } : { type: 'unsuback', packetId: uns.packetId }, 0);
    expect(done.events).toEqual([{ kind: 'unsubscribed', packetId: uns.packetId, topicFilters: ['a/+'], reasonCodes: [0] }]);
  });

  it('our DISCONNECT', () => {
    const { s } = online({ version: v });
    const step = s.disconnect(0, 0x04);
    expect(wire(step, v)).toEqual([v === 5 ? { type: 'disconnect', reasonCode: 0x04 } : { type: 'disconnect' }]);
    expect(step.events).toEqual([{ kind: 'close', reason: 'disconnected by us' }]);
    expect(s.status).toBe('disconnected');
  });
});

describe('outbound QoS flows, 5.0 reason codes', () => {
  it('a PUBREC of 0x80 or more ends the flow without PUBREL [MQTT-4.3.3-4]', () => {
    const { s } = online();
    const { packetId } = s.publish({ topic: 't', payload: text('x'), qos: 2, retain: false }, 0);
    const step = s.handle({ type: 'pubrec', packetId: packetId!, reasonCode: 0x87 }, 0);
    expect(step.send).toEqual([]);
    expect(step.events).toEqual([{ kind: 'published', packetId, topic: 't', qos: 2, reasonCode: 0x87 }]);
    expect(s.outbound.inflight.size).toBe(0);
  });

  it('a PUBACK reason code such as 0x10 No matching subscribers is reported', () => {
    const { s } = online();
    const { packetId } = s.publish({ topic: 't', payload: text('x'), qos: 1, retain: false }, 0);
    expect(find(s.handle({ type: 'puback', packetId: packetId!, reasonCode: 0x10 }, 0), 'published')).toMatchObject({ reasonCode: 0x10 });
  });

  it('a PUBREC for an unknown packet identifier is answered PUBREL 0x92', () => {
    const { s } = online();
    expect(wire(s.handle({ type: 'pubrec', packetId: 5, reasonCode: 0 }, 0), 5)).toEqual([{ type: 'pubrel', packetId: 5, reasonCode: 0x92 }]);
  });

  it.each([['PUBACK', 2], ['PUBREC', 1]] as const)('a %s for a QoS %s message is a protocol error, and does not complete it', (ack, qos) => {
    const { s } = online({ cleanStart: false, sessionExpiryInterval: 60 });
    const { packetId } = s.publish({ topic: 't', payload: text('x'), qos, retain: false }, 0);
    const step = s.handle({ type: ack === 'PUBACK' ? 'puback' : 'pubrec', packetId: packetId!, reasonCode: 0 }, 0);
    expect(kinds(step)).toEqual(['protocol-error', 'close']);
    expect(wire(step, 5)).toMatchObject([{ type: 'disconnect', reasonCode: 0x82 }]);
    expect(s.outbound.inflight.get(packetId!)).toMatchObject({ state: 'publish' });
  });

  it('inbound: more unreleased QoS 2 messages than our Receive Maximum is 0x93 [MQTT-3.3.4-9]', () => {
    const { s } = online({ receiveMaximum: 2 });
    s.handle(pub('t', 2, { packetId: 1 }), 0);
    s.handle(pub('t', 2, { packetId: 2 }), 0);
    const step = s.handle(pub('t', 2, { packetId: 3 }), 0);
    expect(find(step, 'protocol-error')).toMatchObject({ reasonCode: 0x93 });
    expect(wire(step, 5)).toMatchObject([{ type: 'disconnect', reasonCode: 0x93 }]);
  });
});

describe.each([[4, { cleanStart: false }], [5, { cleanStart: false, sessionExpiryInterval: 300 }]] as const)('session resumption, v%s', (v, persistent) => {
  /** Three flows in different stages: 1 awaiting PUBACK, 2 awaiting PUBCOMP, 3 awaiting PUBREC; 4 published offline. */
  function inFlight() {
    const { s } = online({ version: v, ...persistent });
    const p1 = s.publish({ topic: 'a', payload: text('1'), qos: 1, retain: false }, 0).packetId!;
    const p2 = s.publish({ topic: 'b', payload: text('2'), qos: 2, retain: false }, 0).packetId!;
    const p3 = s.publish({ topic: 'c', payload: text('3'), qos: 2, retain: false }, 0).packetId!;
    s.handle({ type: 'pubrec', packetId: p2, ...(v === 5 ? { reasonCode: 0 } : {}) }, 0);
    s.handle(pub('in', 2, { packetId: 77 }), 0); // inbound QoS 2, PUBREC sent, PUBREL not yet received
    s.connectionLost();
    expect(s.status).toBe('disconnected');
    const offline = s.publish({ topic: 'd', payload: text('4'), qos: 1, retain: false }, 10);
    expect(offline.send).toEqual([]);
    return { s, ids: [p1, p2, p3, offline.packetId!] };
  }

  it('Session Present 1: PUBLISH again with DUP and PUBREL for the PUBREL stage, in order, then what waited [MQTT-4.4.0-1]', () => {
    const { s, ids: [p1, p2, p3, p4] } = inFlight();
    const [connect] = wire(s.connect(20), v);
    expect(connect).toMatchObject({ type: 'connect', cleanStart: false });
    const step = s.handle(connack({ sessionPresent: true }), 20);
    const sent = wire(step, v).map((p) => (p.type === 'publish' ? ['publish', p.packetId, p.dup, p.topic] : [p.type, 'packetId' in p ? p.packetId : undefined]));
    expect(sent).toEqual([['publish', p1, true, 'a'], ['pubrel', p2], ['publish', p3, true, 'c'], ['publish', p4, false, 'd']]);
    expect(find(step, 'connected')).toMatchObject({ sessionPresent: true });
    // the inbound QoS 2 message is still remembered: its re-send is not a new message
    expect(s.handle(pub('in', 2, { packetId: 77, dup: true }), 20).events).toEqual([]);
  });

  it('Session Present 0: our in-flight state goes, and the unacknowledged messages are sent as new ones', () => {
    const { s, ids: [, p2] } = inFlight();
    s.connect(20);
    const step = s.handle(connack({ sessionPresent: false }), 20);
    const sent = wire(step, v) as PublishPacket[];
    // b already reached the server (PUBREC): it is not published again [MQTT-4.3.3-6]
    expect(sent.map((p) => [p.type, p.topic, p.dup])).toEqual([['publish', 'a', false], ['publish', 'c', false], ['publish', 'd', false]]);
    expect(new Set(sent.map((p) => p.packetId)).size).toBe(3);
    expect(s.outbound.inflight.has(p2!) && s.outbound.inflight.get(p2!)!.state === 'pubrel').toBe(false);
    // the inbound QoS 2 state went too: a PUBLISH with that identifier is a new message
    expect(kinds(s.handle(pub('in', 2, { packetId: 77 }), 20))).toEqual(['message']);
  });
});

describe('a session that ends with the connection', () => {
  it('loses nothing it has not sent: unacknowledged messages are sent as new ones after reconnecting', () => {
    const { s } = online({ version: 4, cleanStart: true });
    s.publish({ topic: 'a', payload: text('1'), qos: 1, retain: false }, 0);
    s.connectionLost();
    expect(s.outbound.inflight.size).toBe(0);
    s.connect(0);
    expect(wire(s.handle(connack(), 0), 4)).toMatchObject([{ type: 'publish', topic: 'a', dup: false, qos: 1 }]);
  });

  it('a server that claims a session after Clean Start is a protocol error [MQTT-3.2.2-4]', () => {
    const s = engine({ cleanStart: true });
    s.connect(0);
    const step = s.handle(connack({ sessionPresent: true }), 0);
    expect(kinds(step)).toEqual(['protocol-error', 'close']);
    expect(s.status).toBe('disconnected');
  });
});

describe('keep alive', () => {
  it('PINGREQ after Keep Alive seconds of silence, PINGRESP measured as latency', () => {
    const { s } = online({ keepalive: 10 }, {}, 1000);
    expect(s.nextTick()).toBe(11_000);
    expect(s.tick(10_999)).toEqual({ send: [], events: [] });
    expect(wire(s.tick(11_000), 5)).toEqual([{ type: 'pingreq' }]);
    expect(s.tick(11_500)).toEqual({ send: [], events: [] }); // one PINGREQ at a time
    expect(s.handle({ type: 'pingresp' }, 11_040).events).toEqual([{ kind: 'pong', latency: 40 }]);
    expect(s.nextTick()).toBe(21_000);
  });

  it('anything we send postpones the PINGREQ', () => {
    const { s } = online({ keepalive: 10 }, {}, 0);
    s.publish({ topic: 't', payload: text('x'), qos: 0, retain: false }, 6000);
    expect(s.tick(10_000).send).toEqual([]);
    expect(s.nextTick()).toBe(16_000);
    expect(s.tick(16_000).send).toEqual([{ type: 'pingreq' }]);
  });

  it('no PINGRESP within another Keep Alive: close', () => {
    const { s } = online({ keepalive: 10 }, {}, 0);
    s.tick(10_000);
    expect(s.nextTick()).toBe(20_000);
    expect(s.tick(19_999).events).toEqual([]);
    const step = s.tick(20_000);
    expect(step).toEqual({ send: [], events: [{ kind: 'close', reason: 'no PINGRESP within the Keep Alive of 10 s' }] });
    expect(s.status).toBe('disconnected');
    expect(s.nextTick()).toBeUndefined();
  });

  it('Keep Alive 0 switches it off', () => {
    const { s } = online({ keepalive: 0 });
    expect(s.nextTick()).toBeUndefined();
    expect(s.tick(1e9)).toEqual({ send: [], events: [] });
  });

  it('a Server Keep Alive of 0 switches it off too', () => {
    const { s } = online({ keepalive: 30 }, { properties: { serverKeepAlive: 0 } });
    expect(s.nextTick()).toBeUndefined();
  });
});

describe('DISCONNECT from the server', () => {
  it('reports the reason code and reason string, and closes', () => {
    const { s } = online();
    const packet = { type: 'disconnect' as const, reasonCode: 0x8e, properties: { reasonString: 'another connection took over the session' } };
    const step = s.handle(packet, 0);
    expect(step.send).toEqual([]);
    expect(step.events).toEqual([
      { kind: 'server-disconnect', packet, reason: 'another connection took over the session' },
      { kind: 'close', reason: 'the server disconnected: another connection took over the session' },
    ]);
    expect(s.status).toBe('disconnected');
  });

  it('without a reason string, names the reason code', () => {
    const { s } = online();
    expect(find(s.handle({ type: 'disconnect', reasonCode: 0x8b }, 0), 'server-disconnect')).toMatchObject({ reason: 'reason code 0x8b' });
  });

  it('packets after the close are ignored', () => {
    const { s } = online();
    s.handle({ type: 'disconnect', reasonCode: 0x8b }, 0);
    expect(s.handle(pub('t', 1), 0)).toEqual({ send: [], events: [] });
  });
});

describe('enhanced authentication', () => {
  /** A made-up method: the server says "challenge-N", we answer "answer-N"; the final data must be "ok". */
  function counting(): ClientAuthenticator & { seen: (string | undefined)[] } {
    const seen: (string | undefined)[] = [];
    return {
      method: 'COUNT', seen,
      first: () => text('hello'),
      next: (c) => {
        const s = c && new TextDecoder().decode(c);
        seen.push(s);
        if (!s?.startsWith('challenge-')) throw new Error(`unexpected challenge ${s}`);
        return text(`answer-${s.slice(10)}`);
      },
      verify: (d) => d !== undefined && new TextDecoder().decode(d) === 'ok',
    };
  }
  const challenge = (n: number) => ({ type: 'auth' as const, reasonCode: 0x18, properties: { authenticationMethod: 'COUNT', authenticationData: text(`challenge-${n}`) } });

  it('answers each AUTH 0x18 with AUTH 0x18, then checks the final data of CONNACK', () => {
    const auth = counting();
    const s = engine({ authenticator: auth });
    expect(s.connect(0).send[0]).toMatchObject({ properties: { authenticationMethod: 'COUNT', authenticationData: text('hello') } });
    for (const n of [1, 2]) {
      const step = s.handle(challenge(n), 0);
      expect(wire(step, 5)).toEqual([{ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'COUNT', authenticationData: text(`answer-${n}`) } }]);
      expect(step.events).toEqual([{ kind: 'auth', step: 'continue' }]);
      expect(s.status).toBe('authenticating');
    }
    const done = s.handle(connack({ properties: { authenticationMethod: 'COUNT', authenticationData: text('ok') } }), 0);
    expect(kinds(done)).toEqual(['connected']);
    expect(s.status).toBe('connected');
    expect(auth.seen).toEqual(['challenge-1', 'challenge-2']);
  });

  it('final data that does not verify ends the connection (0x87)', () => {
    const s = engine({ authenticator: counting() });
    s.connect(0);
    s.handle(challenge(1), 0);
    const step = s.handle(connack({ properties: { authenticationMethod: 'COUNT', authenticationData: text('forged') } }), 0);
    expect(kinds(step)).toEqual(['protocol-error', 'close']);
    expect(find(step, 'protocol-error')).toMatchObject({ reasonCode: 0x87 });
    expect(s.status).toBe('disconnected');
  });

  it('a challenge the authenticator rejects ends the connection', () => {
    const s = engine({ authenticator: counting() });
    s.connect(0);
    const step = s.handle({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'COUNT', authenticationData: text('nonsense') } }, 0);
    expect(kinds(step)).toEqual(['protocol-error', 'close']);
    expect(step.send).toEqual([]);
  });

  it('AUTH with another method, or when we asked for none, is a protocol error', () => {
    const s = engine({ authenticator: counting() });
    s.connect(0);
    expect(find(s.handle({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'OTHER' } }, 0), 'protocol-error')).toMatchObject({ reasonCode: 0x82 });
    const plain = engine();
    plain.connect(0);
    expect(kinds(plain.handle(challenge(1), 0))).toEqual(['protocol-error', 'close']);
  });

  it('a refusal after authentication is a refusal, whatever its data', () => {
    const s = engine({ authenticator: counting() });
    s.connect(0);
    s.handle(challenge(1), 0);
    expect(kinds(s.handle(connack({ reasonCode: 0x87, properties: { authenticationMethod: 'COUNT' } }), 0))).toEqual(['refused', 'close']);
  });
});

describe('protocol violations by the server end in protocol-error and close', () => {
  it.each<[string, Packet]>([
    ['PUBLISH', pub('t', 0)],
    ['SUBACK', { type: 'suback', packetId: 1, reasonCodes: [0] }],
    ['PINGRESP', { type: 'pingresp' }],
  ])('%s before CONNACK [MQTT-3.2.0-1]: no DISCONNECT, the connection just closes', (_, p) => {
    const s = engine();
    s.connect(0);
    const step = s.handle(p, 0);
    expect(step.send).toEqual([]);
    expect(kinds(step)).toEqual(['protocol-error', 'close']);
    expect(find(step, 'protocol-error')).toMatchObject({ reasonCode: 0x82 });
    expect(s.status).toBe('disconnected');
  });

  it.each<[string, Packet]>([
    ['CONNECT', { type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 0, clientId: 'x' }],
    ['a second CONNACK', connack()],
    ['SUBSCRIBE', { type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a', qos: 0 }] }],
    ['UNSUBSCRIBE', { type: 'unsubscribe', packetId: 1, topicFilters: ['a'] }],
    ['PINGREQ', { type: 'pingreq' }],
  ])('%s once connected: 5.0 sends DISCONNECT 0x82 first', (_, p) => {
    for (const version of [4, 5] as const) {
      const { s } = online({ version });
      const step = s.handle(p, 0);
      expect(kinds(step)).toEqual(['protocol-error', 'close']);
      expect(wire(step, version)).toMatchObject(version === 5 ? [{ type: 'disconnect', reasonCode: 0x82 }] : []);
      expect(s.status).toBe('disconnected');
    }
  });
});

describe('requests the engine refuses', () => {
  it('an invalid topic name, and subscribing while offline', () => {
    const { s } = online();
    expect(() => s.publish({ topic: 'a/+', payload: text('x'), qos: 0, retain: false }, 0)).toThrow();
    expect(() => s.publish({ topic: '', payload: text('x'), qos: 0, retain: false }, 0)).toThrow();
    s.connectionLost();
    expect(() => s.subscribe([{ topicFilter: 'a', qos: 0 }], undefined, 0)).toThrow(/not connected/);
    expect(() => s.unsubscribe(['a'], undefined, 0)).toThrow(/not connected/);
  });

  it('a SUBSCRIBE lost with the connection frees its packet identifier', () => {
    const { s } = online();
    const { packetId } = s.subscribe([{ topicFilter: 'a', qos: 0 }], undefined, 0);
    s.connectionLost();
    s.connect(0);
    s.handle(connack(), 0);
    // the late SUBACK of the old connection means nothing now
    expect(s.handle({ type: 'suback', packetId, reasonCodes: [0] }, 0).events).toEqual([]);
  });
});
