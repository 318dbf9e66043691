/**
 * Sessions (MQTT 3.1.1 §3.1.2.4, §4.1, §4.4; 5.0 §3.1.2.4, §3.1.2.11.2, §4.1,
 * §4.4): Clean Session and Clean Start with the Session Expiry Interval, the
 * Session Present flag, what a persistent session keeps (subscriptions,
 * unacknowledged QoS 1 and 2 flows, an offline queue) and its limits, message
 * expiry, and sessions and retained messages surviving a broker restart.
 * Time is the harness's VirtualClock throughout.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type BrokerConfig } from '../../../../worker/broker';
import type { ConnectPacket, ProtocolVersion, PublishPacket, QoS } from '../../../../worker/protocol';
import { brokerHarness, connectPacket, settle, text, type Harness, type TestClient } from '../../../helpers/broker-harness';

const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);

async function subscribe(c: TestClient, topicFilter: string, qos: QoS, packetId = 1): Promise<void> {
  c.send({ type: 'subscribe', packetId, subscriptions: [{ topicFilter, qos }] });
  await c.expect({ type: 'suback', packetId, reasonCodes: [qos] });
}

/** Publishes and completes the publisher's side of the flow. */
async function publish(c: TestClient, topic: string, payload: string, qos: QoS, packetId = 1, extra: Partial<PublishPacket> = {}): Promise<void> {
  c.send({ type: 'publish', topic, payload: text(payload), qos, retain: false, dup: false, ...(qos ? { packetId } : {}), ...extra });
  if (qos === 1) await c.expect({ type: 'puback', packetId });
  if (qos === 2) {
    await c.expect({ type: 'pubrec', packetId });
    c.send({ type: 'pubrel', packetId });
    await c.expect({ type: 'pubcomp', packetId });
  }
}

/** Sends CONNECT, expects a successful CONNACK, and returns its Session Present flag. */
async function connect(c: TestClient, opts: Partial<ConnectPacket>): Promise<boolean> {
  c.send(connectPacket(c.version, opts));
  return (await c.expect({ type: 'connack', reasonCode: 0 })).sessionPresent;
}

/** A normal DISCONNECT (5.0 may change the Session Expiry Interval), then the close. */
async function disconnect(c: TestClient, sessionExpiryInterval?: number): Promise<void> {
  c.send({ type: 'disconnect', ...(c.version === 5 ? { reasonCode: 0 } : {}), ...(sessionExpiryInterval === undefined ? {} : { properties: { sessionExpiryInterval } }) });
  await c.expectClosed();
}

/** The payloads of the next n PUBLISH packets, which must arrive. */
async function payloads(c: TestClient, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(utf8((await c.expect({ type: 'publish' })).payload));
  return out;
}

describe('Clean Session (3.1.1)', () => {
  it('Clean Session 0 creates a session (Session Present 0) and resumes it (Session Present 1) [MQTT-3.1.2-4] [MQTT-3.2.2-2] [MQTT-3.2.2-3]', async () => {
    const { client } = brokerHarness();
    const first = client(4);
    expect(await connect(first, { clientId: 'durable', cleanStart: false })).toBe(false);
    await disconnect(first);
    expect(await connect(client(4), { clientId: 'durable', cleanStart: false })).toBe(true);
  });

  it('Clean Session 1 gets Session Present 0 and its session ends with the connection [MQTT-3.1.2-6] [MQTT-3.2.2-1]', async () => {
    const { client, broker } = brokerHarness();
    const first = client(4);
    expect(await connect(first, { clientId: 'fleeting', cleanStart: true })).toBe(false);
    await subscribe(first, 'news', 1);
    await disconnect(first);
    expect(broker.registry.get('fleeting')).toBeUndefined();
    const again = client(4);
    expect(await connect(again, { clientId: 'fleeting', cleanStart: false })).toBe(false);
    const pub = await client(4).connect({ clientId: 'pub' });
    await publish(pub, 'news', 'nobody subscribed', 1);
    await again.expectNothing();
  });

  it('Clean Session 1 discards an existing persistent session with its subscriptions and queue [MQTT-3.1.2-6]', async () => {
    const { client } = brokerHarness();
    const pub = await client(4).connect({ clientId: 'pub' });
    const first = client(4);
    await connect(first, { clientId: 'reset', cleanStart: false });
    await subscribe(first, 'news', 1);
    await disconnect(first);
    await publish(pub, 'news', 'queued', 1);
    const clean = client(4);
    expect(await connect(clean, { clientId: 'reset', cleanStart: true })).toBe(false);
    await publish(pub, 'news', 'after the reset', 1, 2);
    await clean.expectNothing();
    await disconnect(clean);
    // the clean session was not kept either
    expect(await connect(client(4), { clientId: 'reset', cleanStart: false })).toBe(false);
  });

  it('keeps a Clean Session 0 session however long the client is away', async () => {
    const { client, clock } = brokerHarness();
    const first = client(4);
    await connect(first, { clientId: 'patient', cleanStart: false });
    await disconnect(first);
    clock.advance(365 * 24 * 3600 * 1000);
    expect(await connect(client(4), { clientId: 'patient', cleanStart: false })).toBe(true);
  });
});

describe('Clean Start and Session Expiry Interval (5.0)', () => {
  it('ends the session at disconnect when the Session Expiry Interval is absent (0)', async () => {
    const { client, broker } = brokerHarness();
    const first = client(5);
    expect(await connect(first, { clientId: 'short', cleanStart: false })).toBe(false);
    await disconnect(first);
    expect(broker.registry.get('short')).toBeUndefined();
    expect(await connect(client(5), { clientId: 'short', cleanStart: false })).toBe(false);
  });

  it('keeps the session when the interval is above 0, and resumes it with Clean Start 0 [MQTT-3.1.2-5] [MQTT-3.2.2-3] [MQTT-3.1.2-23]', async () => {
    const { client } = brokerHarness();
    const first = client(5);
    expect(await connect(first, { clientId: 'kept', cleanStart: false, properties: { sessionExpiryInterval: 60 } })).toBe(false); // [MQTT-3.1.2-6]
    await disconnect(first);
    expect(await connect(client(5), { clientId: 'kept', cleanStart: false, properties: { sessionExpiryInterval: 60 } })).toBe(true);
  });

  it('discards the existing session on Clean Start 1 and answers Session Present 0 [MQTT-3.1.2-4] [MQTT-3.2.2-2]', async () => {
    const { client } = brokerHarness();
    const pub = await client(5).connect({ clientId: 'pub' });
    const first = client(5);
    await connect(first, { clientId: 'restart', cleanStart: false, properties: { sessionExpiryInterval: 60 } });
    await subscribe(first, 'news', 1);
    await disconnect(first);
    const fresh = client(5);
    expect(await connect(fresh, { clientId: 'restart', cleanStart: true, properties: { sessionExpiryInterval: 60 } })).toBe(false);
    await publish(pub, 'news', 'unheard', 1);
    await fresh.expectNothing();
  });

  it('expires the session when the interval runs out offline, and not a moment before', async () => {
    const { client, clock, events } = brokerHarness();
    const props = { sessionExpiryInterval: 60 };
    const first = client(5);
    await connect(first, { clientId: 'timed', cleanStart: false, properties: props });
    await disconnect(first);
    clock.advance(59_999);
    const second = client(5);
    expect(await connect(second, { clientId: 'timed', cleanStart: false, properties: props })).toBe(true);
    // the interval restarts at each disconnect
    await disconnect(second);
    clock.advance(59_999);
    expect(events.filter((e) => e.kind === 'session-ended')).toEqual([]);
    clock.advance(1);
    expect(events.filter((e) => e.kind === 'session-ended')).toMatchObject([{ clientId: 'timed' }]);
    expect(await connect(client(5), { clientId: 'timed', cleanStart: false, properties: props })).toBe(false);
  });

  it('does not expire a session while its client is connected', async () => {
    const { client, clock } = brokerHarness();
    const props = { sessionExpiryInterval: 5 };
    const c = client(5);
    await connect(c, { clientId: 'online', cleanStart: false, properties: props });
    clock.advance(60_000);
    await disconnect(c);
    expect(await connect(client(5), { clientId: 'online', cleanStart: false, properties: props })).toBe(true);
  });

  it('never expires a session with the interval 0xFFFFFFFF', async () => {
    const { client, clock } = brokerHarness();
    const props = { sessionExpiryInterval: 0xffffffff };
    const first = client(5);
    await connect(first, { clientId: 'forever', cleanStart: false, properties: props });
    await disconnect(first);
    clock.advance(10 * 365 * 24 * 3600 * 1000);
    expect(await connect(client(5), { clientId: 'forever', cleanStart: false, properties: props })).toBe(true);
  });

  it('grants no more than maxSessionExpiryInterval', async () => {
    const { client, clock } = brokerHarness({ maxSessionExpiryInterval: 10 });
    const first = client(5);
    first.send(connectPacket(5, { clientId: 'capped', cleanStart: false, properties: { sessionExpiryInterval: 3600 } }));
    await first.expect({ type: 'connack', reasonCode: 0, properties: { sessionExpiryInterval: 10 } });
    await disconnect(first);
    clock.advance(10_000);
    expect(await connect(client(5), { clientId: 'capped', cleanStart: false, properties: { sessionExpiryInterval: 3600 } })).toBe(false);
  });

  it('uses the Session Expiry Interval of DISCONNECT instead of CONNECT\'s', async () => {
    const { client, clock } = brokerHarness();
    const first = client(5);
    await connect(first, { clientId: 'extended', cleanStart: false, properties: { sessionExpiryInterval: 10 } });
    await disconnect(first, 100);
    clock.advance(99_000);
    const second = client(5);
    expect(await connect(second, { clientId: 'extended', cleanStart: false, properties: { sessionExpiryInterval: 10 } })).toBe(true);
    // and lowered to 0 at DISCONNECT, the session ends with the connection
    await disconnect(second, 0);
    expect(await connect(client(5), { clientId: 'extended', cleanStart: false })).toBe(false);
  });

  it('treats raising the interval from 0 at DISCONNECT as a protocol error: DISCONNECT 0x82, and the session ends (§3.14.2.2.2)', async () => {
    const { client, broker } = brokerHarness();
    const c = client(5);
    await connect(c, { clientId: 'sneaky', cleanStart: false });
    c.send({ type: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 3600 } });
    await c.expect({ type: 'disconnect', reasonCode: 0x82 });
    await c.expectClosed();
    expect(broker.registry.get('sneaky')).toBeUndefined();
    expect(await connect(client(5), { clientId: 'sneaky', cleanStart: false })).toBe(false);
  });

  it('lets a 3.1.1 client resume a session a 5.0 client left, and the other way round', async () => {
    const { client } = brokerHarness();
    const v5 = client(5);
    await connect(v5, { clientId: 'switcher', cleanStart: false, properties: { sessionExpiryInterval: 60 } });
    await disconnect(v5);
    const v4 = client(4);
    expect(await connect(v4, { clientId: 'switcher', cleanStart: false })).toBe(true);
    await disconnect(v4);
    expect(await connect(client(5), { clientId: 'switcher', cleanStart: false, properties: { sessionExpiryInterval: 60 } })).toBe(true);
  });
});

describe('what a persistent session keeps', () => {
  /** A harness with a publisher, and a persistent subscriber that subscribed and went offline. */
  async function offlineSubscriber(version: ProtocolVersion, qos: QoS, config: Partial<BrokerConfig> = {}, filter = 'news/#') {
    const h = brokerHarness(config);
    const pub = await h.client(5).connect({ clientId: 'pub' });
    const opts: Partial<ConnectPacket> = { clientId: 'sub', cleanStart: false, ...(version === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {}) };
    const sub = h.client(version);
    await connect(sub, opts);
    await subscribe(sub, filter, qos);
    await disconnect(sub);
    const reconnect = async () => {
      const c = h.client(version);
      expect(await connect(c, opts)).toBe(true);
      return c;
    };
    return { ...h, pub, reconnect };
  }

  it('the tutorial: a Clean Session 0 subscriber at QoS 1 misses nothing of three messages sent while it was away', async () => {
    const { pub, reconnect } = await offlineSubscriber(4, 1, {}, 'clean-session/demo');
    for (let i = 1; i <= 3; i++) await publish(pub, 'clean-session/demo', `message ${i}`, 1, i);
    const back = await reconnect();
    const got: PublishPacket[] = [];
    for (let i = 0; i < 3; i++) got.push(await back.expect({ type: 'publish', topic: 'clean-session/demo', qos: 1, dup: false }));
    expect(got.map((p) => utf8(p.payload))).toEqual(['message 1', 'message 2', 'message 3']);
    for (const p of got) back.send({ type: 'puback', packetId: p.packetId! });
    await back.expectNothing();
  });

  it('keeps an MQTT 3.1 Clean Session 0 session too (3.1 has no Session Present flag)', async () => {
    const { client } = brokerHarness();
    const pub = await client(4).connect({ clientId: 'pub' });
    const sub = client(3);
    await connect(sub, { clientId: 'legacy', cleanStart: false });
    await subscribe(sub, 'legacy/#', 1);
    await disconnect(sub);
    await publish(pub, 'legacy/1', 'kept for 3.1', 1);
    const back = client(3);
    expect(await connect(back, { clientId: 'legacy', cleanStart: false })).toBe(false); // the flag's byte is unused in 3.1
    expect(await payloads(back, 1)).toEqual(['kept for 3.1']);
  });

  it('keeps subscriptions: messages arrive after a reconnect without subscribing again', async () => {
    const { pub, reconnect } = await offlineSubscriber(5, 1);
    const back = await reconnect();
    await publish(pub, 'news/today', 'fresh', 1);
    const m = await back.expect({ type: 'publish', topic: 'news/today', qos: 1 });
    expect(utf8(m.payload)).toBe('fresh');
  });

  it('queues QoS 1 and 2 messages while offline and sends them in order on reconnect, at the granted QoS [MQTT-3.1.2-5]', async () => {
    const { pub, reconnect } = await offlineSubscriber(4, 2);
    await publish(pub, 'news/1', 'one', 1, 1);
    await publish(pub, 'news/2', 'two', 2, 2);
    await publish(pub, 'news/3', 'three', 1, 3);
    const back = await reconnect();
    const a = await back.expect({ type: 'publish', topic: 'news/1', qos: 1, dup: false });
    const b = await back.expect({ type: 'publish', topic: 'news/2', qos: 2, dup: false });
    const c = await back.expect({ type: 'publish', topic: 'news/3', qos: 1, dup: false });
    expect(new Set([a.packetId, b.packetId, c.packetId]).size).toBe(3);
  });

  it('downgrades queued messages to the subscription\'s QoS', async () => {
    const { pub, reconnect } = await offlineSubscriber(4, 1);
    await publish(pub, 'news/1', 'one', 2, 1);
    const back = await reconnect();
    await back.expect({ type: 'publish', topic: 'news/1', qos: 1 });
  });

  it('re-sends unacknowledged QoS 1 messages with DUP and their packet identifiers, in order [MQTT-4.4.0-1] [MQTT-3.3.1-1] [MQTT-4.6.0-1]', async () => {
    const h = brokerHarness();
    const pub = await h.client(4).connect({ clientId: 'pub' });
    const sub = h.client(4);
    await connect(sub, { clientId: 'sub', cleanStart: false });
    await subscribe(sub, 'news/#', 1);
    for (let i = 1; i <= 3; i++) await publish(pub, `news/${i}`, `m${i}`, 1, i);
    const first: PublishPacket[] = [];
    for (let i = 0; i < 3; i++) first.push(await sub.expect({ type: 'publish', qos: 1, dup: false }));
    // only the second is acknowledged before the link drops
    sub.send({ type: 'puback', packetId: first[1]!.packetId! });
    await settle();
    sub.close();
    await settle();
    const back = h.client(4);
    expect(await connect(back, { clientId: 'sub', cleanStart: false })).toBe(true);
    const again = [await back.expect({ type: 'publish', dup: true }), await back.expect({ type: 'publish', dup: true })];
    expect(again.map((p) => [p.packetId, p.topic, utf8(p.payload)])).toEqual([
      [first[0]!.packetId, 'news/1', 'm1'],
      [first[2]!.packetId, 'news/3', 'm3'],
    ]);
    for (const p of again) back.send({ type: 'puback', packetId: p.packetId! });
    await back.expectNothing();
  });

  it('re-sends a QoS 2 PUBLISH not yet received with DUP, and PUBREL for one in the PUBREL stage [MQTT-4.4.0-1]', async () => {
    const h = brokerHarness();
    const pub = await h.client(5).connect({ clientId: 'pub' });
    const opts = { clientId: 'sub', cleanStart: false, properties: { sessionExpiryInterval: 60 } };
    const sub = h.client(5);
    await connect(sub, opts);
    await subscribe(sub, 'q2/#', 2);
    await publish(pub, 'q2/a', 'a', 2, 1);
    await publish(pub, 'q2/b', 'b', 2, 2);
    const a = await sub.expect({ type: 'publish', topic: 'q2/a', qos: 2 });
    const b = await sub.expect({ type: 'publish', topic: 'q2/b', qos: 2 });
    sub.send({ type: 'pubrec', packetId: a.packetId!, reasonCode: 0 });
    await sub.expect({ type: 'pubrel', packetId: a.packetId! });
    await disconnect(sub);

    const back = h.client(5);
    expect(await connect(back, opts)).toBe(true);
    // a is past PUBREC: only its PUBREL is sent again, never the message
    await back.expect({ type: 'pubrel', packetId: a.packetId! });
    const b2 = await back.expect({ type: 'publish', topic: 'q2/b', qos: 2, dup: true, packetId: b.packetId! });
    expect(utf8(b2.payload)).toBe('b');
    back.send({ type: 'pubcomp', packetId: a.packetId!, reasonCode: 0 });
    back.send({ type: 'pubrec', packetId: b.packetId!, reasonCode: 0 });
    await back.expect({ type: 'pubrel', packetId: b.packetId! });
    back.send({ type: 'pubcomp', packetId: b.packetId!, reasonCode: 0 });
    await back.expectNothing();
    expect(h.broker.registry.get('sub')!.inflight.size).toBe(0);
  });

  it('sends the unacknowledged again before what queued while offline', async () => {
    const h = brokerHarness();
    const pub = await h.client(4).connect({ clientId: 'pub' });
    const sub = h.client(4);
    await connect(sub, { clientId: 'sub', cleanStart: false });
    await subscribe(sub, 'news/#', 1);
    await publish(pub, 'news/1', 'in flight', 1, 1);
    const inflight = await sub.expect({ type: 'publish', topic: 'news/1' });
    await disconnect(sub);
    await publish(pub, 'news/2', 'queued', 1, 2);
    const back = h.client(4);
    await connect(back, { clientId: 'sub', cleanStart: false });
    await back.expect({ type: 'publish', topic: 'news/1', dup: true, packetId: inflight.packetId! });
    const queued = await back.expect({ type: 'publish', topic: 'news/2', dup: false });
    expect(queued.packetId).not.toBe(inflight.packetId);
  });

  it('drops QoS 0 messages for an offline session', async () => {
    const { pub, reconnect, events } = await offlineSubscriber(4, 1);
    await publish(pub, 'news/fleeting', 'qos 0', 0);
    const back = await reconnect();
    await back.expectNothing();
    expect(events).toContainEqual(expect.objectContaining({ kind: 'dropped', clientId: 'sub', topic: 'news/fleeting' }));
  });

  it('queues QoS 0 messages too when queueQos0 is set, and sends them at QoS 0', async () => {
    const { pub, reconnect } = await offlineSubscriber(4, 1, { queueQos0: true });
    await publish(pub, 'news/fleeting', 'qos 0', 0);
    await publish(pub, 'news/sure', 'qos 1', 1);
    const back = await reconnect();
    const m0 = await back.expect({ type: 'publish', topic: 'news/fleeting', qos: 0 });
    expect(m0.packetId).toBeUndefined();
    await back.expect({ type: 'publish', topic: 'news/sure', qos: 1 });
  });

  it('keeps the oldest maxQueuedMessages and drops the newest', async () => {
    const { pub, reconnect, events, broker } = await offlineSubscriber(5, 1, { maxQueuedMessages: 3 });
    for (let i = 1; i <= 5; i++) await publish(pub, 'news/n', `m${i}`, 1, i);
    const drops = events.filter((e) => e.kind === 'dropped');
    expect(drops).toHaveLength(2);
    expect(drops[0]).toMatchObject({ clientId: 'sub', reason: 'queue full' });
    expect(broker.stats.messagesDropped).toBe(2);
    const back = await reconnect();
    expect(await payloads(back, 3)).toEqual(['m1', 'm2', 'm3']);
    await back.expectNothing();
  });

  it('queues at most 1000 messages by default', async () => {
    const { pub, reconnect, broker } = await offlineSubscriber(5, 1);
    for (let i = 0; i < 1001; i++) pub.send({ type: 'publish', topic: 'news/bulk', payload: text(`m${i}`), qos: 1, retain: false, dup: false, packetId: (i % 65535) + 1 });
    await settle();
    expect(pub.received.filter((p) => p.type === 'puback')).toHaveLength(1001);
    expect(broker.registry.get('sub')!.queued).toBe(1000);
    // a 5.0 client without Receive Maximum takes up to 65535 at once
    const back = await reconnect();
    const got = await payloads(back, 1000);
    expect(got[0]).toBe('m0');
    expect(got[999]).toBe('m999');
    await back.expectNothing();
  });

  it('drops a queued message after queuedMessageExpiry, 300 s by default', async () => {
    const h = brokerHarness();
    const pub = await h.client(4).connect({ clientId: 'pub' });
    for (const id of ['early', 'late']) {
      const s = h.client(4);
      await connect(s, { clientId: id, cleanStart: false });
      await subscribe(s, 'news', 1);
      await disconnect(s);
    }
    await publish(pub, 'news', 'waiting', 1);
    h.clock.advance(299_999);
    const early = h.client(4);
    await connect(early, { clientId: 'early', cleanStart: false });
    await early.expect({ type: 'publish', topic: 'news' });
    h.clock.advance(1);
    const late = h.client(4);
    await connect(late, { clientId: 'late', cleanStart: false });
    await late.expectNothing();
    expect(h.events).toContainEqual(expect.objectContaining({ kind: 'dropped', clientId: 'late', reason: 'expired' }));
  });

  it('follows a configured queuedMessageExpiry, and 0 keeps queued messages without limit', async () => {
    const short = await offlineSubscriber(4, 1, { queuedMessageExpiry: 10 });
    await publish(short.pub, 'news', 'short-lived', 1);
    short.clock.advance(10_000);
    await (await short.reconnect()).expectNothing();

    const forever = await offlineSubscriber(4, 1, { queuedMessageExpiry: 0 });
    await publish(forever.pub, 'news', 'long-lived', 1);
    forever.clock.advance(30 * 24 * 3600 * 1000);
    expect(await payloads(await forever.reconnect(), 1)).toEqual(['long-lived']);
  });

  it('sends a late message with what is left of its Message Expiry Interval [MQTT-3.3.2-6]', async () => {
    const { pub, reconnect, clock } = await offlineSubscriber(5, 1);
    await publish(pub, 'news/expiring', 'soon stale', 1, 1, { properties: { messageExpiryInterval: 10 } });
    clock.advance(4_000);
    const back = await reconnect();
    await back.expect({ type: 'publish', topic: 'news/expiring', properties: { messageExpiryInterval: 6 } });
  });

  it('drops a queued message whose Message Expiry Interval ran out [MQTT-3.3.2-5]', async () => {
    const { pub, reconnect, clock, events } = await offlineSubscriber(5, 1);
    await publish(pub, 'news/expiring', 'stale', 1, 1, { properties: { messageExpiryInterval: 10 } });
    await publish(pub, 'news/lasting', 'fresh', 1, 2);
    clock.advance(10_000);
    const back = await reconnect();
    expect(await payloads(back, 1)).toEqual(['fresh']);
    await back.expectNothing();
    expect(events).toContainEqual(expect.objectContaining({ kind: 'dropped', clientId: 'sub', topic: 'news/expiring' }));
  });

  it('applies the Message Expiry Interval to 3.1.1 subscribers too, which are not told it', async () => {
    const { pub, reconnect, clock } = await offlineSubscriber(4, 1);
    await publish(pub, 'news/expiring', 'stale', 1, 1, { properties: { messageExpiryInterval: 10 } });
    await publish(pub, 'news/expiring', 'alive', 1, 2, { properties: { messageExpiryInterval: 20 } });
    clock.advance(10_000);
    expect(await payloads(await reconnect(), 1)).toEqual(['alive']);
  });

  it('ends the session with its queue when the Session Expiry Interval runs out', async () => {
    const h = brokerHarness();
    const pub = await h.client(5).connect({ clientId: 'pub' });
    const opts = { clientId: 'sub', cleanStart: false, properties: { sessionExpiryInterval: 30 } };
    const sub = h.client(5);
    await connect(sub, opts);
    await subscribe(sub, 'news', 1);
    await disconnect(sub);
    await publish(pub, 'news', 'lost with the session', 1);
    h.clock.advance(30_000);
    expect(h.broker.registry.get('sub')).toBeUndefined();
    const back = h.client(5);
    expect(await connect(back, opts)).toBe(false);
    await back.expectNothing();
  });
});

describe('restart with a MemoryStore', () => {
  /** Shuts the first broker down (or lets it crash) and starts another on the same store and clock. */
  async function restart(h: Harness, store: MemoryStore, { crash = false } = {}): Promise<Harness> {
    await settle(); // persistence writes once per microtask
    if (!crash) h.broker.close();
    await settle();
    const next = brokerHarness({}, store, h.clock);
    await next.broker.restore();
    return next;
  }

  it('keeps an offline session\'s subscriptions and queued message, and the retained messages', async () => {
    const store = new MemoryStore();
    const h1 = brokerHarness({}, store);
    const sub = h1.client(4);
    await connect(sub, { clientId: 'keeper', cleanStart: false });
    await subscribe(sub, 'news/#', 1);
    await disconnect(sub);
    const pub = await h1.client(4).connect({ clientId: 'pub' });
    await publish(pub, 'news/1', 'queued before the restart', 1);
    pub.send({ type: 'publish', topic: 'status', payload: text('up'), qos: 1, retain: true, dup: false, packetId: 2 });
    await pub.expect({ type: 'puback', packetId: 2 });

    const h2 = await restart(h1, store);
    const back = h2.client(4);
    expect(await connect(back, { clientId: 'keeper', cleanStart: false })).toBe(true);
    const m = await back.expect({ type: 'publish', topic: 'news/1', qos: 1 });
    expect(utf8(m.payload)).toBe('queued before the restart');
    back.send({ type: 'puback', packetId: m.packetId! });
    // the subscription came back too
    const pub2 = await h2.client(4).connect({ clientId: 'pub' });
    await publish(pub2, 'news/2', 'after the restart', 1);
    await back.expect({ type: 'publish', topic: 'news/2' });

    const late = await h2.client(4).connect({ clientId: 'late' });
    await subscribe(late, 'status', 1);
    const r = await late.expect({ type: 'publish', topic: 'status', retain: true, qos: 1 });
    expect(utf8(r.payload)).toBe('up');
  });

  it('keeps a message in flight to a connected client through a crash, and re-sends it with DUP', async () => {
    const store = new MemoryStore();
    const h1 = brokerHarness({}, store);
    const sink = h1.client(4);
    await connect(sink, { clientId: 'sink', cleanStart: false });
    await subscribe(sink, 'news', 1);
    const pub = await h1.client(4).connect({ clientId: 'pub' });
    await publish(pub, 'news', 'unacknowledged', 1);
    const m = await sink.expect({ type: 'publish', qos: 1, dup: false });

    const h2 = await restart(h1, store, { crash: true });
    const back = h2.client(4);
    expect(await connect(back, { clientId: 'sink', cleanStart: false })).toBe(true);
    const again = await back.expect({ type: 'publish', topic: 'news', qos: 1, dup: true, packetId: m.packetId! });
    expect(utf8(again.payload)).toBe('unacknowledged');
  });

  it('keeps no session with Clean Session 1 or a Session Expiry Interval of 0', async () => {
    const store = new MemoryStore();
    const h1 = brokerHarness({}, store);
    await h1.client(4).connect({ clientId: 'clean4', cleanStart: true });
    await h1.client(5).connect({ clientId: 'clean5', cleanStart: false });
    const h2 = await restart(h1, store);
    expect(await connect(h2.client(4), { clientId: 'clean4', cleanStart: false })).toBe(false);
    expect(await connect(h2.client(5), { clientId: 'clean5', cleanStart: false })).toBe(false);
  });

  it('lets a restored session\'s expiry run on from its disconnect', async () => {
    const store = new MemoryStore();
    const h1 = brokerHarness({}, store);
    const opts = { clientId: 'timed', cleanStart: false, properties: { sessionExpiryInterval: 60 } };
    const c = h1.client(5);
    await connect(c, opts);
    await disconnect(c);
    h1.clock.advance(40_000);
    const h2 = await restart(h1, store);
    h2.clock.advance(20_000);
    expect(await connect(h2.client(5), opts)).toBe(false);
  });

  it('does not deliver a QoS 2 message twice when its publisher re-sends it after the restart [MQTT-4.3.3-10]', async () => {
    const store = new MemoryStore();
    const h1 = brokerHarness({}, store);
    const sink = h1.client(4);
    await connect(sink, { clientId: 'sink', cleanStart: false });
    await subscribe(sink, 'exactly/once', 0);
    const pub = h1.client(4);
    await connect(pub, { clientId: 'pub', cleanStart: false });
    const once: PublishPacket = { type: 'publish', topic: 'exactly/once', payload: text('only one'), qos: 2, retain: false, dup: false, packetId: 5 };
    pub.send(once);
    await pub.expect({ type: 'pubrec', packetId: 5 });
    await sink.expect({ type: 'publish', topic: 'exactly/once' });

    // the PUBREC was lost with the broker: the publisher starts over with DUP
    const h2 = await restart(h1, store);
    const sink2 = h2.client(4);
    expect(await connect(sink2, { clientId: 'sink', cleanStart: false })).toBe(true);
    const pub2 = h2.client(4);
    expect(await connect(pub2, { clientId: 'pub', cleanStart: false })).toBe(true);
    pub2.send({ ...once, dup: true });
    await pub2.expect({ type: 'pubrec', packetId: 5 });
    pub2.send({ type: 'pubrel', packetId: 5 });
    await pub2.expect({ type: 'pubcomp', packetId: 5 });
    await sink2.expectNothing();
  });

  it('re-sends PUBREL, not the message, for an outbound QoS 2 flow in its PUBREL stage after the restart', async () => {
    const store = new MemoryStore();
    const h1 = brokerHarness({}, store);
    const sink = h1.client(4);
    await connect(sink, { clientId: 'sink', cleanStart: false });
    await subscribe(sink, 'exactly/once', 2);
    const pub = await h1.client(4).connect({ clientId: 'pub' });
    await publish(pub, 'exactly/once', 'only one', 2, 1);
    const m = await sink.expect({ type: 'publish', qos: 2 });
    sink.send({ type: 'pubrec', packetId: m.packetId! });
    await sink.expect({ type: 'pubrel', packetId: m.packetId! });

    const h2 = await restart(h1, store);
    const back = h2.client(4);
    expect(await connect(back, { clientId: 'sink', cleanStart: false })).toBe(true);
    await back.expect({ type: 'pubrel', packetId: m.packetId! });
    back.send({ type: 'pubcomp', packetId: m.packetId! });
    await back.expectNothing();
    expect(h2.broker.registry.get('sink')!.inflight.size).toBe(0);
  });
});
