/**
 * The last will (MQTT 3.1.1 §3.1.2.5, §3.1.3.2–3; 5.0 §3.1.2.5, §3.1.3.2,
 * §3.14.2.1) and keep alive (3.1.1 §3.1.2.10, 5.0 §3.1.2.10, §3.2.2.3.14,
 * §3.12): when the broker publishes a will and when it must not, the Will
 * Delay Interval against reconnects and session expiry, what a will carries,
 * and when a silent client counts as gone. Time is the harness's VirtualClock.
 */
import { describe, expect, it } from 'vitest';
import type { BrokerConfig } from '../../../../worker/broker';
import type { ConnectPacket, Properties, ProtocolVersion, QoS, Will } from '../../../../worker/protocol';
import { brokerHarness, connectPacket, settle, text, type TestClient } from '../../../helpers/broker-harness';

const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);

async function subscribe(c: TestClient, topicFilter: string, qos: QoS = 1, packetId = 1): Promise<void> {
  c.send({ type: 'subscribe', packetId, subscriptions: [{ topicFilter, qos }] });
  await c.expect({ type: 'suback', packetId, reasonCodes: [qos] });
}

function will(opts: Partial<Will> = {}): Will {
  return { topic: 'last_will', payload: text('offline'), qos: 1, retain: false, ...opts };
}

/** A harness with a 3.1.1 watcher subscribed to the will topic. */
async function watched(config: Partial<BrokerConfig> = {}, qos: QoS = 1, version: ProtocolVersion = 4) {
  const h = brokerHarness(config);
  const watcher = await h.client(version).connect({ clientId: 'watcher' });
  await subscribe(watcher, 'last_will', qos);
  return { ...h, watcher };
}

/** The watcher receives the will. */
async function expectWill(watcher: TestClient, payload = 'offline') {
  const w = await watcher.expect({ type: 'publish', topic: 'last_will' });
  expect(utf8(w.payload)).toBe(payload);
  return w;
}

/** Cuts the client's link, and lets the broker notice before time moves on. */
async function cut(c: TestClient): Promise<void> {
  c.close();
  await settle();
}

/** A 5.0 client with a will and a session that outlives it. */
function v5(opts: { sessionExpiryInterval?: number; willDelayInterval?: number; cleanStart?: boolean } = {}): Partial<ConnectPacket> {
  const willProps: Properties = opts.willDelayInterval === undefined ? {} : { willDelayInterval: opts.willDelayInterval };
  return {
    clientId: 'mortal',
    cleanStart: opts.cleanStart ?? false,
    properties: opts.sessionExpiryInterval === undefined ? {} : { sessionExpiryInterval: opts.sessionExpiryInterval },
    will: will({ properties: willProps }),
  };
}

describe('will: published when the connection ends abnormally', () => {
  it('publishes a retained QoS 1 will 1.5 x Keep Alive after the client went silent, and keeps it for later subscribers [MQTT-3.1.2-24] [MQTT-3.1.2-8] [MQTT-3.1.2-17]', async () => {
    const { client, clock, watcher } = await watched();
    const silent = await client(4).connect({ clientId: 'Last Will', keepalive: 5, will: will({ retain: true }) });
    clock.advance(7_400);
    await watcher.expectNothing();
    expect(silent.closed).toBe(false);
    clock.advance(100);
    // to a subscription that existed already it goes without RETAIN [MQTT-3.3.1-9]
    const w = await expectWill(watcher);
    expect(w).toMatchObject({ qos: 1, retain: false });
    await silent.expectClosed();
    expect(silent.received).toEqual([]);
    const later = await client(4).connect({ clientId: 'later' });
    await subscribe(later, 'last_will', 1);
    const r = await later.expect({ type: 'publish', topic: 'last_will', qos: 1, retain: true });
    expect(utf8(r.payload)).toBe('offline');
  });

  it('publishes the will when the link closes without DISCONNECT [MQTT-3.1.2-8]', async () => {
    const { client, watcher } = await watched();
    const c = await client(4).connect({ clientId: 'cut', will: will() });
    await cut(c);
    await expectWill(watcher);
  });

  it.each([3, 4, 5] as ProtocolVersion[])('publishes the will of a level %i client whose link is cut', async (v) => {
    const { client, watcher } = await watched();
    const c = await client(v).connect({ clientId: 'cut', will: will({ payload: text(`level ${v}`) }) });
    await cut(c);
    await expectWill(watcher, `level ${v}`);
  });

  it('publishes the will when the client breaks the protocol (a PUBLISH with QoS 3) [MQTT-3.3.1-4]', async () => {
    const { client, watcher } = await watched();
    const c = await client(4).connect({ clientId: 'broken', will: will() });
    c.sendRaw([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01]);
    await c.expectClosed();
    await expectWill(watcher);
  });

  it('publishes the will of a 5.0 client disconnected for a protocol error (second CONNECT)', async () => {
    const { client, watcher } = await watched();
    const c = await client(5).connect({ clientId: 'broken', will: will() });
    c.send(connectPacket(5, { clientId: 'broken' }));
    await c.expect({ type: 'disconnect', reasonCode: 0x82 });
    await expectWill(watcher);
  });

  it('publishes the will after a DISCONNECT that raised the Session Expiry Interval from 0, which is no valid DISCONNECT (§3.14.2.2.2)', async () => {
    const { client, watcher } = await watched();
    const c = await client(5).connect({ clientId: 'sly', will: will() });
    c.send({ type: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 60 } });
    await c.expect({ type: 'disconnect', reasonCode: 0x82 });
    await expectWill(watcher);
  });

  it('publishes the will of a connection taken over by another with the same client identifier (§3.1.4)', async () => {
    const { client, watcher } = await watched();
    const old = await client(4).connect({ clientId: 'twin', will: will({ payload: text('old one') }) });
    await client(4).connect({ clientId: 'twin', cleanStart: false });
    await old.expectClosed();
    await expectWill(watcher, 'old one');
  });

  it('publishes the will of a taken-over 5.0 connection at once when its Will Delay Interval is 0', async () => {
    const { client, watcher } = await watched();
    const old = await client(5).connect(v5({ sessionExpiryInterval: 60 }));
    await client(5).connect({ clientId: 'mortal', cleanStart: false, properties: { sessionExpiryInterval: 60 } });
    await old.expect({ type: 'disconnect', reasonCode: 0x8e });
    await expectWill(watcher);
  });
});

describe('will: not published after a normal DISCONNECT', () => {
  it.each([3, 4] as ProtocolVersion[])('discards the will of a level %i client that sends DISCONNECT [MQTT-3.1.2-10] [MQTT-3.14.4-3]', async (v) => {
    const { client, clock, watcher, events } = await watched();
    const c = await client(v).connect({ clientId: 'polite', keepalive: 5, will: will() });
    c.send({ type: 'disconnect' });
    await c.expectClosed();
    clock.advance(60_000);
    await watcher.expectNothing();
    expect(events.some((e) => e.kind === 'will-published')).toBe(false);
  });

  it('discards the will on DISCONNECT 0x00, even one waiting for its Will Delay Interval [MQTT-3.14.4-3]', async () => {
    const { client, clock, watcher } = await watched();
    const c = await client(5).connect(v5({ sessionExpiryInterval: 60, willDelayInterval: 10 }));
    c.send({ type: 'disconnect', reasonCode: 0 });
    await c.expectClosed();
    clock.advance(120_000);
    await watcher.expectNothing();
  });

  it('publishes the will on DISCONNECT 0x04 Disconnect with Will Message (§3.14.2.1)', async () => {
    const { client, watcher, events } = await watched();
    const c = await client(5).connect({ clientId: 'dramatic', will: will({ payload: text('goodbye, cruel world') }) });
    c.send({ type: 'disconnect', reasonCode: 0x04 });
    await c.expectClosed();
    await expectWill(watcher, 'goodbye, cruel world');
    expect(events).toContainEqual(expect.objectContaining({ kind: 'client-disconnected', clientId: 'dramatic', graceful: false }));
  });

  it('publishes nothing for a client that had no will [MQTT-3.1.2-12]', async () => {
    const { client, watcher, events } = await watched();
    const c = await client(4).connect({ clientId: 'quiet' });
    await cut(c);
    await watcher.expectNothing();
    expect(events.some((e) => e.kind === 'will-scheduled' || e.kind === 'will-published')).toBe(false);
  });
});

describe('will: Will Delay Interval (5.0)', () => {
  it('waits the Will Delay Interval after the connection ends [MQTT-3.1.2-8]', async () => {
    const { client, clock, watcher } = await watched();
    const c = await client(5).connect(v5({ sessionExpiryInterval: 60, willDelayInterval: 10 }));
    await cut(c);
    await watcher.expectNothing();
    clock.advance(9_999);
    await watcher.expectNothing();
    clock.advance(1);
    await expectWill(watcher);
  });

  it('does not publish the will when the client reconnects to its session within the delay [MQTT-3.1.3-9]', async () => {
    const { client, clock, watcher, events } = await watched();
    const c = await client(5).connect(v5({ sessionExpiryInterval: 60, willDelayInterval: 10 }));
    await cut(c);
    clock.advance(5_000);
    const back = client(5);
    back.send(connectPacket(5, { clientId: 'mortal', cleanStart: false, properties: { sessionExpiryInterval: 60 } }));
    await back.expect({ type: 'connack', reasonCode: 0, sessionPresent: true });
    clock.advance(60_000);
    await watcher.expectNothing();
    expect(events).toContainEqual(expect.objectContaining({ kind: 'will-cancelled', clientId: 'mortal' }));
  });

  it('does not publish the will of a connection taken over with Clean Start 0 before its delay ran out [MQTT-3.1.3-9]', async () => {
    const { client, clock, watcher } = await watched();
    const old = await client(5).connect(v5({ sessionExpiryInterval: 60, willDelayInterval: 10 }));
    await client(5).connect({ clientId: 'mortal', cleanStart: false, properties: { sessionExpiryInterval: 60 } });
    await old.expect({ type: 'disconnect', reasonCode: 0x8e });
    clock.advance(60_000);
    await watcher.expectNothing();
  });

  it('publishes the will at once when a reconnect with Clean Start 1 ends the old session first (§3.1.3.2.2)', async () => {
    const { client, clock, watcher } = await watched();
    const c = await client(5).connect(v5({ sessionExpiryInterval: 60, willDelayInterval: 30 }));
    await cut(c);
    clock.advance(5_000);
    await watcher.expectNothing();
    await client(5).connect({ clientId: 'mortal', cleanStart: true });
    await expectWill(watcher);
  });

  it('publishes the will when the session ends before the delay does (§3.1.3.2.2)', async () => {
    const { client, clock, watcher, broker } = await watched();
    const c = await client(5).connect(v5({ sessionExpiryInterval: 5, willDelayInterval: 30 }));
    await cut(c);
    clock.advance(4_999);
    await watcher.expectNothing();
    clock.advance(1);
    await expectWill(watcher);
    expect(broker.registry.get('mortal')).toBeUndefined();
    clock.advance(60_000);
    await watcher.expectNothing();
  });

  it('publishes the will at once when the session ends with the connection (Session Expiry Interval 0)', async () => {
    const { client, watcher } = await watched();
    const c = await client(5).connect(v5({ willDelayInterval: 30 }));
    await cut(c);
    await expectWill(watcher);
  });

  it('publishes a delayed will once only', async () => {
    const { client, clock, watcher } = await watched();
    const c = await client(5).connect(v5({ sessionExpiryInterval: 20, willDelayInterval: 10 }));
    await cut(c);
    clock.advance(10_000);
    await expectWill(watcher);
    clock.advance(20_000); // the session ends too
    await watcher.expectNothing();
  });
});

describe('will: what it carries', () => {
  it.each([
    [2, 2, 2],
    [1, 2, 1],
    [0, 2, 0],
    [2, 0, 0],
  ] as [QoS, QoS, QoS][])('delivers a QoS %i will to a QoS %i subscription at QoS %i [MQTT-3.1.2-14]', async (willQos, subQos, got) => {
    const { client, watcher } = await watched({}, subQos);
    const c = await client(4).connect({ clientId: 'q', will: will({ qos: willQos }) });
    await cut(c);
    const w = await watcher.expect({ type: 'publish', topic: 'last_will', qos: got });
    expect(w.packetId !== undefined).toBe(got > 0);
  });

  it('publishes a will without Will Retain as a non-retained message [MQTT-3.1.2-16]', async () => {
    const { client, watcher } = await watched();
    const c = await client(4).connect({ clientId: 'plain', will: will({ retain: false }) });
    await cut(c);
    await expectWill(watcher);
    const later = await client(4).connect({ clientId: 'later' });
    await subscribe(later, 'last_will');
    await later.expectNothing();
  });

  it('publishes a will with Will Retain as a retained message [MQTT-3.1.2-17]', async () => {
    const { client } = brokerHarness();
    const c = await client(4).connect({ clientId: 'kept', will: will({ retain: true, qos: 0 }) });
    await cut(c);
    const later = await client(5).connect({ clientId: 'later' });
    await subscribe(later, 'last_will', 1);
    await later.expect({ type: 'publish', topic: 'last_will', retain: true, qos: 0 });
  });

  it('forwards the will properties, keeping the order of User Properties [MQTT-3.1.3-10]', async () => {
    const { client, watcher } = await watched({}, 1, 5);
    const props: Properties = {
      payloadFormatIndicator: true,
      contentType: 'text/plain',
      responseTopic: 'replies/mortal',
      correlationData: Uint8Array.from([1, 2, 3]),
      userProperties: [['reason', 'crash'], ['host', 'sensor-7'], ['reason', 'again']],
    };
    const c = await client(5).connect({ clientId: 'rich', will: will({ properties: { ...props, willDelayInterval: 0 } }) });
    await cut(c);
    const w = await expectWill(watcher);
    expect(w.properties).toEqual(props);
  });

  it('sends the will\'s Message Expiry Interval as the publication\'s, counting down while it waits (§3.1.3.2.4)', async () => {
    const { client, clock, watcher } = await watched({}, 1, 5);
    const c = await client(5).connect({ clientId: 'ageing', will: will({ retain: true, properties: { messageExpiryInterval: 100 } }) });
    await cut(c);
    const w = await expectWill(watcher);
    expect(w.properties).toEqual({ messageExpiryInterval: 100 });
    clock.advance(40_000);
    const later = await client(5).connect({ clientId: 'later' });
    await subscribe(later, 'last_will');
    await later.expect({ type: 'publish', topic: 'last_will', retain: true, properties: { messageExpiryInterval: 60 } });
    clock.advance(60_000);
    const tooLate = await client(5).connect({ clientId: 'too-late' });
    await subscribe(tooLate, 'last_will');
    await tooLate.expectNothing();
  });

  it('does not forward the Will Delay Interval', async () => {
    const { client, clock, watcher } = await watched({}, 1, 5);
    const c = await client(5).connect(v5({ sessionExpiryInterval: 60, willDelayInterval: 2 }));
    await cut(c);
    clock.advance(2_000);
    const w = await expectWill(watcher);
    expect(w.properties?.willDelayInterval).toBeUndefined();
  });

  it('does not publish a will that the ACL does not allow the client to publish', async () => {
    const acl: BrokerConfig['acl'] = [
      { permission: 'allow', action: 'publish', topic: 'status/%c' },
      { permission: 'deny', action: 'publish', topic: '#' },
    ];
    const h = brokerHarness({ acl, aclDefault: 'allow' });
    const watcher = await h.client(4).connect({ clientId: 'watcher' });
    await subscribe(watcher, 'status/#');
    const liar = await h.client(4).connect({ clientId: 'c2', will: will({ topic: 'status/c1', payload: text('c1 is down') }) });
    await cut(liar);
    await watcher.expectNothing();
    expect(h.events).toContainEqual(expect.objectContaining({ kind: 'dropped', clientId: 'c2', topic: 'status/c1' }));
    const honest = await h.client(4).connect({ clientId: 'c1', will: will({ topic: 'status/c1', payload: text('c1 is down') }) });
    await cut(honest);
    const w = await watcher.expect({ type: 'publish', topic: 'status/c1' });
    expect(utf8(w.payload)).toBe('c1 is down');
  });
});

describe('keep alive', () => {
  it.each([3, 4, 5] as ProtocolVersion[])('answers PINGREQ with PINGRESP (level %i) [MQTT-3.12.4-1]', async (v) => {
    const { client } = brokerHarness();
    const c = await client(v).connect({ clientId: 'pinger', keepalive: 5 });
    c.send({ type: 'pingreq' });
    await c.expect({ type: 'pingresp' });
    await c.expectNothing();
  });

  it('keeps a client alive as long as any packet arrives within 1.5 x Keep Alive', async () => {
    const { client, clock } = brokerHarness();
    const c = await client(4).connect({ clientId: 'busy', keepalive: 5 });
    clock.advance(5_000);
    c.send({ type: 'pingreq' });
    await c.expect({ type: 'pingresp' });
    clock.advance(7_000);
    c.send({ type: 'publish', topic: 'heartbeat', payload: text('1'), qos: 0, retain: false, dup: false });
    await settle();
    clock.advance(7_000);
    c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'x', qos: 0 }] });
    await c.expect({ type: 'suback' });
    clock.advance(7_499);
    await c.expectNothing();
    expect(c.closed).toBe(false);
    clock.advance(1);
    await c.expectClosed();
  });

  it('does not count packets the broker sends to the client', async () => {
    const { client, clock } = brokerHarness();
    const listener = await client(4).connect({ clientId: 'listener', keepalive: 5 });
    await subscribe(listener, 'feed', 0);
    const talker = await client(4).connect({ clientId: 'talker' });
    for (let i = 0; i < 7; i++) {
      clock.advance(1_000);
      talker.send({ type: 'publish', topic: 'feed', payload: text(`${i}`), qos: 0, retain: false, dup: false });
      await listener.expect({ type: 'publish', topic: 'feed' });
    }
    clock.advance(500);
    await listener.expectClosed();
  });

  it('disconnects a silent 5.0 client with DISCONNECT 0x8D Keep Alive timeout [MQTT-3.1.2-22]', async () => {
    const { client, clock } = brokerHarness();
    const c = await client(5).connect({ clientId: 'silent', keepalive: 10 });
    clock.advance(14_999);
    await c.expectNothing();
    clock.advance(1);
    await c.expect({ type: 'disconnect', reasonCode: 0x8d });
    await c.expectClosed();
  });

  it('never times out a client with Keep Alive 0', async () => {
    const { client, clock } = brokerHarness();
    const c = await client(4).connect({ clientId: 'sleepy', keepalive: 0, will: will() });
    clock.advance(24 * 3600 * 1000);
    await c.expectNothing();
    expect(c.closed).toBe(false);
    c.send({ type: 'pingreq' });
    await c.expect({ type: 'pingresp' });
  });

  it('uses the Server Keep Alive instead of the client\'s, and says so in CONNACK [MQTT-3.2.2-21]', async () => {
    const { client, clock } = brokerHarness({ serverKeepAlive: 2 });
    const c = client(5);
    c.send(connectPacket(5, { clientId: 'overruled', keepalive: 60 }));
    await c.expect({ type: 'connack', reasonCode: 0, properties: { serverKeepAlive: 2 } });
    clock.advance(2_999);
    await c.expectNothing();
    clock.advance(1);
    await c.expect({ type: 'disconnect', reasonCode: 0x8d });
    await c.expectClosed();
  });

  it('applies the Server Keep Alive to 3.1.1 clients too, which a server may disconnect when it deems them inactive (3.1.1 §3.1.2.10)', async () => {
    const { client, clock } = brokerHarness({ serverKeepAlive: 2 });
    const c = client(4);
    c.send(connectPacket(4, { clientId: 'classic', keepalive: 60 }));
    await c.expect({ type: 'connack', reasonCode: 0 });
    clock.advance(2_999);
    await c.expectNothing();
    expect(c.closed).toBe(false);
    clock.advance(1);
    await c.expectClosed();
    expect(c.received).toEqual([]);
  });

  it('imposes the Server Keep Alive on a client that asked for none', async () => {
    const { client, clock } = brokerHarness({ serverKeepAlive: 10 });
    const c = client(5);
    c.send(connectPacket(5, { clientId: 'careless', keepalive: 0 }));
    await c.expect({ type: 'connack', properties: { serverKeepAlive: 10 } });
    clock.advance(15_000);
    await c.expect({ type: 'disconnect', reasonCode: 0x8d });
  });

  it('switches keep alive off with a Server Keep Alive of 0', async () => {
    const { client, clock } = brokerHarness({ serverKeepAlive: 0 });
    const c = client(5);
    c.send(connectPacket(5, { clientId: 'free', keepalive: 5 }));
    await c.expect({ type: 'connack', properties: { serverKeepAlive: 0 } });
    clock.advance(3600_000);
    await c.expectNothing();
    expect(c.closed).toBe(false);
  });
});
