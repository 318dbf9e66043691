/**
 * CONNECT and CONNACK (MQTT 3.1 §3.1–3.2, 3.1.1 §3.1–3.2, 5.0 §3.1–3.2, §4.12),
 * as conversations with the broker: protocol levels, the first and a second
 * CONNECT, client identifiers, user names and passwords, CONNACK's 5.0
 * capabilities, the will's fit, take-over, the CONNECT deadline, and
 * SCRAM-SHA-256 enhanced authentication and re-authentication.
 */
import { describe, expect, it } from 'vitest';
import type { BrokerConfig } from '../../../../../worker/broker';
import { hashPassword } from '../../../../../worker/broker/auth/passwords';
import { createScramClient } from '../../../../../worker/broker/auth/scram';
import type { ConnackPacket, ConnectPacket, ProtocolVersion, QoS } from '../../../../../worker/protocol';
import { brokerHarness, connectPacket, settle, text, type TestClient } from '../../../../helpers/broker-harness';

const SCRAM = 'SCRAM-SHA-256';
// hashed once: PBKDF2 with 4096 rounds is the slow part of these tests
const ALICE = { username: 'alice', password: hashPassword('secret') };
const BOB = { username: 'bob', password: hashPassword('hunter2') };

async function subscribe(c: TestClient, topicFilter: string, qos: QoS = 0, packetId = 1): Promise<void> {
  c.send({ type: 'subscribe', packetId, subscriptions: [{ topicFilter, qos }] });
  await c.expect({ type: 'suback', packetId, reasonCodes: [qos] });
}

function publish0(c: TestClient, topic: string, payload: string): void {
  c.send({ type: 'publish', topic, payload: text(payload), qos: 0, retain: false, dup: false });
}

const utf8 = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

/** Sends CONNECT and returns the CONNACK, whatever its code. */
async function connack(c: TestClient, opts: Partial<ConnectPacket> = {}): Promise<ConnackPacket> {
  c.send(connectPacket(c.version, opts));
  return c.expect({ type: 'connack' });
}

/** CONNECT bytes with any protocol name and level (the codec refuses to encode unknown levels). */
function rawConnect(name: string, level: number, clientId = 'x'): number[] {
  const bytes = (s: string) => [...new TextEncoder().encode(s)];
  const str = (s: string) => [0, bytes(s).length, ...bytes(s)];
  const body = [...str(name), level, 0x02, 0x00, 0x3c, ...(level === 5 ? [0] : []), ...str(clientId)];
  return [0x10, body.length, ...body];
}

describe('CONNECT: protocol levels', () => {
  it('serves MQTT 3.1, 3.1.1 and 5.0 clients on one broker, routing between them', async () => {
    const { client } = brokerHarness();
    const v3 = await client(3).connect({ clientId: 'old-timer' });
    const v4 = await client(4).connect({ clientId: 'classic' });
    const v5 = client(5);
    const ack = await connack(v5, { clientId: 'modern' });
    expect(ack).toMatchObject({ reasonCode: 0, sessionPresent: false });
    expect(ack.properties).toBeDefined();
    for (const c of [v3, v4, v5]) await subscribe(c, 'levels/#', 0);
    publish0(v3, 'levels/3', 'from 3.1');
    publish0(v5, 'levels/5', 'from 5.0');
    for (const c of [v3, v4, v5]) {
      expect(utf8((await c.expect({ type: 'publish', topic: 'levels/3', qos: 0 })).payload)).toBe('from 3.1');
      expect(utf8((await c.expect({ type: 'publish', topic: 'levels/5', qos: 0 })).payload)).toBe('from 5.0');
    }
  });

  it('answers a 3.1 and a 3.1.1 CONNECT with a CONNACK without properties', async () => {
    const { client } = brokerHarness();
    for (const v of [3, 4] as ProtocolVersion[]) {
      const ack = await connack(client(v), { clientId: `v${v}` });
      expect(ack).toEqual({ type: 'connack', sessionPresent: false, reasonCode: 0 });
    }
  });

  it.each([
    ['level 6', rawConnect('MQTT', 6)],
    ['level 2', rawConnect('MQTT', 2)],
    ['"MQIsdp" with level 4', rawConnect('MQIsdp', 4)],
    ['"MQTT" with level 3', rawConnect('MQTT', 3)],
  ])('answers an unsupported protocol (%s) with a 3.1.1 CONNACK return code 1 and closes [MQTT-3.1.2-2]', async (_name, bytes) => {
    const { client, events } = brokerHarness();
    const c = client(4).sendRaw(bytes);
    // 20 02 00 01: the 3.1.1 form, which a client of any level can read
    await c.expect({ type: 'connack', sessionPresent: false, reasonCode: 1 });
    await c.expectClosed();
    expect(c.received).toEqual([]);
    expect(events.some((e) => e.kind === 'client-refused' && e.reasonCode === 0x84)).toBe(true);
  });

  it('closes a connection whose first packet is not CONNECT, without answering [MQTT-3.1.0-1]', async () => {
    const { client } = brokerHarness();
    const c = client(4).send({ type: 'pingreq' });
    await c.expectClosed();
    expect(c.received).toEqual([]);
  });

  it('does not route a PUBLISH sent before CONNECT [MQTT-3.1.0-1]', async () => {
    const { client } = brokerHarness();
    const watcher = await client(4).connect({ clientId: 'watcher' });
    await subscribe(watcher, '#');
    const rogue = client(4).send({ type: 'publish', topic: 'sneaky', payload: text('x'), qos: 0, retain: false, dup: false });
    await rogue.expectClosed();
    expect(rogue.received).toEqual([]);
    await watcher.expectNothing();
  });

  it('treats a second CONNECT as a protocol error: 5.0 gets DISCONNECT 0x82 and the close [MQTT-3.1.0-2]', async () => {
    const { client } = brokerHarness();
    const c = await client(5).connect({ clientId: 'twice' });
    c.send(connectPacket(5, { clientId: 'twice' }));
    await c.expect({ type: 'disconnect', reasonCode: 0x82 });
    await c.expectClosed();
    expect(c.received).toEqual([]);
  });

  it('treats a second CONNECT as a protocol error: 3.1.1 is closed without a packet [MQTT-3.1.0-2]', async () => {
    const { client } = brokerHarness();
    const c = await client(4).connect({ clientId: 'twice' });
    c.send(connectPacket(4, { clientId: 'twice' }));
    await c.expectClosed();
    expect(c.received).toEqual([]);
  });
});

describe('CONNECT: client identifiers', () => {
  it('accepts a 3.1 client identifier of 1 to 23 characters', async () => {
    const { client } = brokerHarness();
    await client(3).connect({ clientId: 'a' });
    await client(3).connect({ clientId: 'x'.repeat(23) });
  });

  it.each([
    ['24 characters', 'x'.repeat(24)],
    ['none', ''],
  ])('refuses a 3.1 client identifier of %s with CONNACK return code 2 and closes', async (_name, clientId) => {
    const { client, broker } = brokerHarness();
    const c = client(3);
    expect(await connack(c, { clientId })).toEqual({ type: 'connack', sessionPresent: false, reasonCode: 2 });
    await c.expectClosed();
    expect(broker.registry.sessions.size).toBe(0);
  });

  it('allows 1 to 23 letters and digits in 3.1.1 and 5.0, and longer ones too [MQTT-3.1.3-5]', async () => {
    const { client } = brokerHarness();
    await client(4).connect({ clientId: 'abcdefghijklmnopqrstuvw' });
    await client(5).connect({ clientId: '0123456789ABCDEFGHIJKLM' });
    await client(4).connect({ clientId: 'a-rather-long-client-identifier/with:punctuation' });
  });

  it('assigns a unique identifier to a 3.1.1 client with an empty one and Clean Session [MQTT-3.1.3-6]', async () => {
    const { client, broker, events } = brokerHarness();
    const a = await client(4).connect({ clientId: '', cleanStart: true });
    const b = await client(4).connect({ clientId: '', cleanStart: true });
    const ids = events.filter((e) => e.kind === 'client-connected').map((e) => (e as { clientId: string }).clientId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^auto-/);
    expect(ids[1]).not.toBe(ids[0]);
    expect([...broker.registry.sessions.keys()].sort()).toEqual([...ids].sort());
    // both stay connected: neither took the other over
    await subscribe(a, 't');
    await subscribe(b, 't');
    publish0(a, 't', 'hi');
    await a.expect({ type: 'publish', topic: 't' });
    await b.expect({ type: 'publish', topic: 't' });
  });

  it('refuses a 3.1.1 empty client identifier without Clean Session with return code 2 [MQTT-3.1.3-8]', async () => {
    const { client, broker } = brokerHarness();
    const c = client(4);
    expect(await connack(c, { clientId: '', cleanStart: false })).toEqual({ type: 'connack', sessionPresent: false, reasonCode: 2 });
    await c.expectClosed();
    expect(broker.registry.sessions.size).toBe(0);
  });

  it('gives a 5.0 client with an empty identifier an Assigned Client Identifier in CONNACK [MQTT-3.2.2-16]', async () => {
    const { client, broker } = brokerHarness();
    const a = await connack(client(5), { clientId: '' });
    const b = await connack(client(5), { clientId: '' });
    const idA = a.properties?.assignedClientIdentifier;
    const idB = b.properties?.assignedClientIdentifier;
    expect(idA).toMatch(/^auto-/);
    expect(idB).toMatch(/^auto-/);
    expect(idA).not.toBe(idB);
    expect(broker.registry.get(idA!)?.online).toBe(true);
    expect(broker.registry.get(idB!)?.online).toBe(true);
  });

  it('lets a 5.0 client resume a session under its assigned identifier [MQTT-3.1.3-7]', async () => {
    const { client } = brokerHarness();
    const first = client(5);
    const ack = await connack(first, { clientId: '', cleanStart: false, properties: { sessionExpiryInterval: 60 } });
    const id = ack.properties!.assignedClientIdentifier!;
    await subscribe(first, 'news', 1);
    first.send({ type: 'disconnect', reasonCode: 0 });
    await first.expectClosed();
    const again = client(5);
    const ack2 = await connack(again, { clientId: id, cleanStart: false, properties: { sessionExpiryInterval: 60 } });
    expect(ack2).toMatchObject({ reasonCode: 0, sessionPresent: true });
    expect(ack2.properties?.assignedClientIdentifier).toBeUndefined();
  });

  it('sends no Assigned Client Identifier when the client chose one', async () => {
    const { client } = brokerHarness();
    const ack = await connack(client(5), { clientId: 'chosen' });
    expect(ack.properties?.assignedClientIdentifier).toBeUndefined();
  });
});

describe('CONNECT: user name and password', () => {
  const locked: Partial<BrokerConfig> = { allowAnonymous: false, users: [ALICE, BOB] };

  it.each([3, 4, 5] as ProtocolVersion[])('accepts the right password (level %i)', async (v) => {
    const { client } = brokerHarness(locked);
    await client(v).connect({ clientId: 'a', username: 'alice', password: text('secret') });
    await client(v).connect({ clientId: 'b', username: 'bob', password: text('hunter2') });
  });

  it.each([
    ['a wrong password', { username: 'alice', password: text('hunter2') }],
    ['an unknown user', { username: 'mallory', password: text('secret') }],
    ['no password', { username: 'alice' }],
    ['an empty password', { username: 'alice', password: new Uint8Array() }],
  ])('refuses %s with 3.1.1 return code 4, Session Present 0, then closes [MQTT-3.2.2-4] [MQTT-3.2.2-5]', async (_name, creds) => {
    const { client, broker } = brokerHarness(locked);
    const c = client(4);
    expect(await connack(c, { clientId: 'c', ...creds })).toEqual({ type: 'connack', sessionPresent: false, reasonCode: 4 });
    await c.expectClosed();
    expect(broker.registry.sessions.size).toBe(0);
  });

  it('refuses a wrong 3.1 password with return code 4', async () => {
    const { client } = brokerHarness(locked);
    const c = client(3);
    expect(await connack(c, { clientId: 'c', username: 'alice', password: text('nope') })).toMatchObject({ reasonCode: 4 });
    await c.expectClosed();
  });

  it('refuses an anonymous 3.1.1 client with return code 5 when anonymous access is off', async () => {
    const { client } = brokerHarness(locked);
    const c = client(4);
    expect(await connack(c, { clientId: 'anon' })).toEqual({ type: 'connack', sessionPresent: false, reasonCode: 5 });
    await c.expectClosed();
  });

  it('refuses a wrong 5.0 password with 0x86 and a Reason String, then closes [MQTT-3.2.2-6] [MQTT-3.2.2-7]', async () => {
    const { client } = brokerHarness(locked);
    const c = client(5);
    const ack = await connack(c, { clientId: 'c', username: 'alice', password: text('wrong') });
    expect(ack).toMatchObject({ sessionPresent: false, reasonCode: 0x86 });
    expect(ack.properties?.reasonString).toEqual(expect.any(String));
    await c.expectClosed();
  });

  it('refuses an anonymous 5.0 client with 0x87 Not authorized when anonymous access is off', async () => {
    const { client } = brokerHarness(locked);
    const c = client(5);
    expect(await connack(c, { clientId: 'anon' })).toMatchObject({ sessionPresent: false, reasonCode: 0x87 });
    await c.expectClosed();
  });

  it('lets anonymous clients in beside checked users when anonymous access is on', async () => {
    const { client } = brokerHarness({ allowAnonymous: true, users: [ALICE] });
    await client(4).connect({ clientId: 'anon' });
    await client(5).connect({ clientId: 'anon5' });
    await client(4).connect({ clientId: 'alice', username: 'alice', password: text('secret') });
    const c = client(4);
    expect(await connack(c, { clientId: 'liar', username: 'alice', password: text('guess') })).toMatchObject({ reasonCode: 4 });
    await c.expectClosed();
  });

  it('does not check names when no users are configured and anonymous access is on', async () => {
    const { client } = brokerHarness({ allowAnonymous: true, users: [] });
    await client(4).connect({ clientId: 'any', username: 'whoever', password: text('whatever') });
  });

  it('answers Session Present 0 when refusing a client whose session exists, and keeps that session [MQTT-3.2.2-4]', async () => {
    const { client } = brokerHarness(locked);
    const good = { clientId: 'keeper', cleanStart: false, username: 'alice', password: text('secret') };
    const first = await client(4).connect(good);
    first.send({ type: 'disconnect' });
    await first.expectClosed();
    const bad = client(4);
    expect(await connack(bad, { ...good, password: text('wrong') })).toEqual({ type: 'connack', sessionPresent: false, reasonCode: 4 });
    await bad.expectClosed();
    expect(await connack(client(4), good)).toMatchObject({ reasonCode: 0, sessionPresent: true });
  });

  it('processes nothing a refused client sends after its CONNECT [MQTT-3.1.4-6]', async () => {
    const { client } = brokerHarness({ ...locked, allowAnonymous: true });
    const watcher = await client(4).connect({ clientId: 'watcher' });
    await subscribe(watcher, '#');
    const c = client(5);
    c.send(connectPacket(5, { clientId: 'pushy', username: 'alice', password: text('wrong') }));
    publish0(c, 'sneaky', 'should not pass');
    await c.expect({ type: 'connack', reasonCode: 0x86 });
    await c.expectClosed();
    await watcher.expectNothing();
  });
});

describe('CONNACK: 5.0 capabilities', () => {
  it('announces the default capabilities, and nothing that equals its default meaning', async () => {
    const { client } = brokerHarness();
    const ack = await connack(client(5), { clientId: 'caps', properties: { sessionExpiryInterval: 30 } });
    expect(ack.properties).toEqual({
      receiveMaximum: 32,
      retainAvailable: true,
      maximumPacketSize: 1024 * 1024,
      topicAliasMaximum: 65535,
      wildcardSubscriptionAvailable: true,
      subscriptionIdentifiersAvailable: true,
      sharedSubscriptionAvailable: true,
    });
  });

  it('announces configured limits and switched-off features', async () => {
    const { client } = brokerHarness({
      receiveMaximum: 5, maximumQoS: 1, retainAvailable: false, maximumPacketSize: 2048, topicAliasMaximum: 0,
      wildcardSubscriptionAvailable: false, subscriptionIdentifiersAvailable: false, sharedSubscriptionAvailable: false, serverKeepAlive: 30,
    });
    const ack = await connack(client(5), { clientId: 'caps', keepalive: 60 });
    expect(ack.properties).toEqual({
      receiveMaximum: 5,
      maximumQoS: 1,
      retainAvailable: false,
      maximumPacketSize: 2048,
      topicAliasMaximum: 0,
      wildcardSubscriptionAvailable: false,
      subscriptionIdentifiersAvailable: false,
      sharedSubscriptionAvailable: false,
      serverKeepAlive: 30,
    });
  });

  it.each([0, 1] as QoS[])('sends Maximum QoS %i when the broker supports less than QoS 2 [MQTT-3.2.2-9]', async (maximumQoS) => {
    const { client } = brokerHarness({ maximumQoS });
    const ack = await connack(client(5), { clientId: 'q' });
    expect(ack.properties?.maximumQoS).toBe(maximumQoS);
  });

  it('sends no Server Keep Alive unless one is configured [MQTT-3.2.2-22]', async () => {
    const { client } = brokerHarness();
    const ack = await connack(client(5), { clientId: 'k', keepalive: 60 });
    expect(ack.properties?.serverKeepAlive).toBeUndefined();
  });

  it('tells the client the Session Expiry Interval it granted when it is less than asked', async () => {
    const { client } = brokerHarness({ maxSessionExpiryInterval: 60 });
    const ack = await connack(client(5), { clientId: 's', properties: { sessionExpiryInterval: 3600 } });
    expect(ack.properties?.sessionExpiryInterval).toBe(60);
  });

  it('returns Response Information only when the client asks for it and one is configured [MQTT-3.1.2-28]', async () => {
    const configured = brokerHarness({ responseInformation: 'responses/' });
    const asked = await connack(configured.client(5), { clientId: 'a', properties: { requestResponseInformation: true } });
    expect(asked.properties?.responseInformation).toBe('responses/');
    const notAsked = await connack(configured.client(5), { clientId: 'b', properties: { requestResponseInformation: false } });
    expect(notAsked.properties?.responseInformation).toBeUndefined();
    const silent = await connack(configured.client(5), { clientId: 'c' });
    expect(silent.properties?.responseInformation).toBeUndefined();
    const unconfigured = brokerHarness();
    const none = await connack(unconfigured.client(5), { clientId: 'd', properties: { requestResponseInformation: true } });
    expect(none.properties?.responseInformation).toBeUndefined();
  });
});

describe('CONNECT: the will must fit the broker', () => {
  const will = (qos: QoS, retain: boolean) => ({ topic: 'last/words', payload: text('bye'), qos, retain });

  it('refuses a will QoS above the Maximum QoS with 0x9B and closes [MQTT-3.2.2-12]', async () => {
    const { client } = brokerHarness({ maximumQoS: 1 });
    const c = client(5);
    expect(await connack(c, { clientId: 'w', will: will(2, false) })).toMatchObject({ sessionPresent: false, reasonCode: 0x9b });
    await c.expectClosed();
    await client(5).connect({ clientId: 'ok', will: will(1, false) });
  });

  it('refuses a retained will on a broker without retained messages with 0x9A and closes [MQTT-3.2.2-13]', async () => {
    const { client } = brokerHarness({ retainAvailable: false });
    const c = client(5);
    expect(await connack(c, { clientId: 'w', will: will(0, true) })).toMatchObject({ sessionPresent: false, reasonCode: 0x9a });
    await c.expectClosed();
    await client(5).connect({ clientId: 'ok', will: will(0, false) });
  });

  it('refuses a will topic with a wildcard: 5.0 with CONNACK 0x90, 3.1.1 by closing [MQTT-3.3.2-2] [MQTT-3.1.4-1]', async () => {
    const { client } = brokerHarness();
    const c5 = client(5);
    expect(await connack(c5, { clientId: 'w', will: { topic: 'last/+', payload: text('x'), qos: 0, retain: false } })).toMatchObject({ reasonCode: 0x90, sessionPresent: false });
    await c5.expectClosed();
    const c4 = client(4).send(connectPacket(4, { clientId: 'w', will: { topic: 'last/#', payload: text('x'), qos: 0, retain: false } }));
    await c4.expectClosed();
    expect(c4.received).toEqual([]);
  });

  it('closes a 3.1.1 connection whose will does not fit without a CONNACK, having no return code for it [MQTT-3.2.2-6]', async () => {
    const { client } = brokerHarness({ maximumQoS: 0, retainAvailable: false });
    for (const w of [will(1, false), will(0, true)]) {
      const c = client(4).send(connectPacket(4, { clientId: 'w', will: w }));
      await c.expectClosed();
      expect(c.received).toEqual([]);
    }
  });
});

describe('CONNECT: take-over of a connected client identifier', () => {
  it('sends the old 5.0 connection DISCONNECT 0x8E and closes it [MQTT-3.1.4-3]', async () => {
    const { client, broker } = brokerHarness();
    const old = await client(5).connect({ clientId: 'dup' });
    const fresh = await client(5).connect({ clientId: 'dup' });
    await old.expect({ type: 'disconnect', reasonCode: 0x8e });
    await old.expectClosed();
    expect(old.received).toEqual([]);
    expect(broker.stats.connected).toBe(1);
    await subscribe(fresh, 'still/here');
    publish0(fresh, 'still/here', 'yes');
    await fresh.expect({ type: 'publish', topic: 'still/here' });
  });

  it('closes the old 3.1.1 connection without a packet [MQTT-3.1.4-2]', async () => {
    const { client } = brokerHarness();
    const old = await client(4).connect({ clientId: 'dup' });
    await client(4).connect({ clientId: 'dup' });
    await old.expectClosed();
    expect(old.received).toEqual([]);
  });

  it('takes over across protocol levels', async () => {
    const { client } = brokerHarness();
    const old = await client(4).connect({ clientId: 'dup' });
    const fresh = await client(5).connect({ clientId: 'dup' });
    await old.expectClosed();
    expect(old.received).toEqual([]);
    await fresh.expectNothing();
    expect(fresh.closed).toBe(false);
  });

  it('hands a persistent session to the new connection, with Session Present 1 and its subscriptions', async () => {
    const { client } = brokerHarness();
    const pub = await client(4).connect({ clientId: 'pub' });
    const old = await client(4).connect({ clientId: 'dup', cleanStart: false });
    await subscribe(old, 'kept', 1);
    const fresh = client(4);
    expect(await connack(fresh, { clientId: 'dup', cleanStart: false })).toMatchObject({ reasonCode: 0, sessionPresent: true });
    await old.expectClosed();
    pub.send({ type: 'publish', topic: 'kept', payload: text('to the new one'), qos: 1, retain: false, dup: false, packetId: 1 });
    await pub.expect({ type: 'puback', packetId: 1 });
    await fresh.expect({ type: 'publish', topic: 'kept', qos: 1 });
    expect(old.received).toEqual([]);
  });

  it('re-sends to the new connection, with DUP, what the old one left unacknowledged [MQTT-4.4.0-1]', async () => {
    const { client } = brokerHarness();
    const pub = await client(4).connect({ clientId: 'pub' });
    const old = await client(5).connect({ clientId: 'dup', cleanStart: false, properties: { sessionExpiryInterval: 60 } });
    await subscribe(old, 'work', 1);
    pub.send({ type: 'publish', topic: 'work', payload: text('job 1'), qos: 1, retain: false, dup: false, packetId: 1 });
    await pub.expect({ type: 'puback', packetId: 1 });
    const first = await old.expect({ type: 'publish', topic: 'work', qos: 1, dup: false });
    const fresh = client(5);
    expect(await connack(fresh, { clientId: 'dup', cleanStart: false, properties: { sessionExpiryInterval: 60 } })).toMatchObject({ sessionPresent: true });
    await old.expect({ type: 'disconnect', reasonCode: 0x8e });
    const again = await fresh.expect({ type: 'publish', topic: 'work', qos: 1, dup: true, packetId: first.packetId! });
    expect(utf8(again.payload)).toBe('job 1');
  });
});

describe('CONNECT: deadline', () => {
  it('closes a link that sends no CONNECT within 30 s', async () => {
    const { client, clock, broker } = brokerHarness();
    const idle = client(4);
    clock.advance(29_999);
    await idle.expectNothing();
    expect(idle.closed).toBe(false);
    clock.advance(1);
    await idle.expectClosed();
    expect(idle.received).toEqual([]);
    expect(broker.connections.size).toBe(0);
  });

  it('counts the 30 s from the link, not from a half-sent CONNECT', async () => {
    const { client, clock } = brokerHarness();
    const slow = client(4);
    clock.advance(20_000);
    slow.sendRaw(rawConnect('MQTT', 4).slice(0, 5));
    await settle();
    clock.advance(10_000);
    await slow.expectClosed();
  });

  it('does not close a connected client at 30 s', async () => {
    const { client, clock } = brokerHarness();
    const c = await client(4).connect({ clientId: 'patient', keepalive: 0 });
    clock.advance(60_000);
    await c.expectNothing();
    expect(c.closed).toBe(false);
  });
});

describe('CONNECT: SCRAM-SHA-256 enhanced authentication', () => {
  const config: Partial<BrokerConfig> = { allowAnonymous: false, users: [ALICE] };

  /** Runs the exchange up to the broker's answer to the client-final-message. */
  async function scram(c: TestClient, username: string, password: string, opts: Partial<ConnectPacket> = {}) {
    const sc = createScramClient(username, password);
    c.send(connectPacket(5, { clientId: 'scram', ...opts, properties: { authenticationMethod: SCRAM, authenticationData: sc.first(), ...opts.properties } }));
    const challenge = await c.expect({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: SCRAM } }); // [MQTT-4.12.0-2] [MQTT-4.12.0-5]
    expect(utf8(challenge.properties!.authenticationData)).toMatch(/^r=.+,s=.+,i=4096$/);
    c.send({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: SCRAM, authenticationData: sc.final(challenge.properties!.authenticationData!) } });
    return { sc, answer: await c.next() };
  }

  it('connects through CONNECT, AUTH 0x18, AUTH 0x18 and CONNACK carrying the server signature', async () => {
    const { client, broker } = brokerHarness(config);
    const c = client(5);
    const { sc, answer } = await scram(c, 'alice', 'secret');
    expect(answer).toMatchObject({ type: 'connack', reasonCode: 0, sessionPresent: false, properties: { authenticationMethod: SCRAM } }); // [MQTT-4.12.0-5]
    expect(sc.verify((answer as ConnackPacket).properties!.authenticationData!)).toBe(true);
    expect(broker.registry.get('scram')?.online).toBe(true);
    await subscribe(c, 'after/auth');
  });

  it('authenticates the user name SCRAM proved, for the ACL', async () => {
    const { client } = brokerHarness({
      ...config, aclDefault: 'deny', acl: [{ permission: 'allow', action: 'all', topic: 'users/%u/#' }],
    });
    const c = client(5);
    const { answer } = await scram(c, 'alice', 'secret');
    expect(answer).toMatchObject({ type: 'connack', reasonCode: 0 });
    c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'users/alice/#', qos: 0 }, { topicFilter: 'users/bob/#', qos: 0 }] });
    await c.expect({ type: 'suback', reasonCodes: [0, 0x87] });
  });

  it('refuses a wrong password with CONNACK 0x86 and closes [MQTT-4.12.0-4]', async () => {
    const { client, broker } = brokerHarness(config);
    const c = client(5);
    const { answer } = await scram(c, 'alice', 'not-the-secret');
    expect(answer).toMatchObject({ type: 'connack', reasonCode: 0x86, sessionPresent: false });
    await c.expectClosed();
    expect(broker.registry.sessions.size).toBe(0);
  });

  it('refuses an unknown user only at the proof, like a wrong password', async () => {
    const { client } = brokerHarness(config);
    const c = client(5);
    const { answer } = await scram(c, 'mallory', 'secret');
    expect(answer).toMatchObject({ type: 'connack', reasonCode: 0x86 });
    await c.expectClosed();
  });

  it('refuses an unknown Authentication Method with CONNACK 0x8C and closes [MQTT-4.12.0-1]', async () => {
    const { client } = brokerHarness(config);
    const c = client(5);
    const ack = await connack(c, { clientId: 'k', properties: { authenticationMethod: 'KERBEROS', authenticationData: text('ticket') } });
    expect(ack).toMatchObject({ reasonCode: 0x8c, sessionPresent: false });
    await c.expectClosed();
  });

  it('refuses anything but AUTH during the exchange with a CONNACK, never a packet before it [MQTT-3.1.2-30] [MQTT-3.2.0-1]', async () => {
    const { client } = brokerHarness(config);
    const c = client(5);
    const sc = createScramClient('alice', 'secret');
    c.send(connectPacket(5, { clientId: 'eager', properties: { authenticationMethod: SCRAM, authenticationData: sc.first() } }));
    await c.expect({ type: 'auth', reasonCode: 0x18 });
    c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'too/soon', qos: 0 }] });
    await c.expect({ type: 'connack', reasonCode: 0x82, sessionPresent: false });
    await c.expectClosed();
  });

  it('refuses AUTH from a client that connected without an Authentication Method [MQTT-4.12.0-7]', async () => {
    const { client } = brokerHarness();
    const c = await client(5).connect({ clientId: 'plain' });
    c.send({ type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: SCRAM } });
    await c.expect({ type: 'disconnect', reasonCode: 0x82 });
    await c.expectClosed();
  });

  it('closes a link that stays in the exchange for 30 s', async () => {
    const { client, clock } = brokerHarness(config);
    const c = client(5);
    const sc = createScramClient('alice', 'secret');
    c.send(connectPacket(5, { clientId: 'stalled', properties: { authenticationMethod: SCRAM, authenticationData: sc.first() } }));
    await c.expect({ type: 'auth', reasonCode: 0x18 });
    clock.advance(30_000);
    await c.expectClosed();
  });

  describe('re-authentication (AUTH 0x19)', () => {
    async function connected(h: ReturnType<typeof brokerHarness>) {
      const c = h.client(5);
      const { answer } = await scram(c, 'alice', 'secret');
      expect(answer).toMatchObject({ type: 'connack', reasonCode: 0 });
      return c;
    }

    function reauthStart(c: TestClient, password: string) {
      const sc = createScramClient('alice', password);
      c.send({ type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: SCRAM, authenticationData: sc.first() } });
      return sc;
    }

    it('re-authenticates with AUTH 0x19, 0x18, 0x18 and AUTH 0x00, keeping the connection and session', async () => {
      const h = brokerHarness(config);
      const c = await connected(h);
      await subscribe(c, 'kept/#', 1);
      const sc = reauthStart(c, 'secret');
      const challenge = await c.expect({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: SCRAM } });
      c.send({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: SCRAM, authenticationData: sc.final(challenge.properties!.authenticationData!) } });
      const done = await c.expect({ type: 'auth', reasonCode: 0, properties: { authenticationMethod: SCRAM } });
      expect(sc.verify(done.properties!.authenticationData!)).toBe(true);
      // no second CONNACK [MQTT-3.2.0-2], and the session is the same
      expect(h.broker.stats.connected).toBe(1);
      c.send({ type: 'publish', topic: 'kept/1', payload: text('still subscribed'), qos: 1, retain: false, dup: false, packetId: 7 });
      const got = [await c.next(), await c.next()];
      expect(got).toEqual(expect.arrayContaining([
        expect.objectContaining({ type: 'puback', packetId: 7 }),
        expect.objectContaining({ type: 'publish', topic: 'kept/1', qos: 1 }),
      ]));
    });

    it('keeps other packets flowing while the re-authentication is in progress (§4.12.1)', async () => {
      const h = brokerHarness(config);
      const c = await connected(h);
      await subscribe(c, 'mid/#', 0);
      const sc = reauthStart(c, 'secret');
      const challenge = await c.expect({ type: 'auth', reasonCode: 0x18 });
      c.send({ type: 'pingreq' });
      await c.expect({ type: 'pingresp' });
      publish0(c, 'mid/way', 'between steps');
      await c.expect({ type: 'publish', topic: 'mid/way' });
      c.send({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: SCRAM, authenticationData: sc.final(challenge.properties!.authenticationData!) } });
      await c.expect({ type: 'auth', reasonCode: 0 });
      expect(c.closed).toBe(false);
    });

    it('disconnects with 0x87 when re-authentication fails, and publishes the will [MQTT-4.12.1-2]', async () => {
      const h = brokerHarness({ ...config, allowAnonymous: true });
      const watcher = await h.client(4).connect({ clientId: 'watcher' });
      await subscribe(watcher, 'gone');
      const c = h.client(5);
      const { answer } = await scram(c, 'alice', 'secret', { will: { topic: 'gone', payload: text('alice'), qos: 0, retain: false } });
      expect(answer).toMatchObject({ type: 'connack', reasonCode: 0 });
      const sc = reauthStart(c, 'wrong');
      const challenge = await c.expect({ type: 'auth', reasonCode: 0x18 });
      c.send({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: SCRAM, authenticationData: sc.final(challenge.properties!.authenticationData!) } });
      await c.expect({ type: 'disconnect', reasonCode: 0x87 });
      await c.expectClosed();
      await watcher.expect({ type: 'publish', topic: 'gone' });
      expect(h.broker.stats.connected).toBe(1);
    });

    it('treats re-authentication with another method as a protocol error [MQTT-4.12.1-1]', async () => {
      const h = brokerHarness(config);
      const c = await connected(h);
      c.send({ type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: 'OTHER', authenticationData: text('x') } });
      await c.expect({ type: 'disconnect', reasonCode: 0x82 });
      await c.expectClosed();
    });

    it('treats AUTH 0x18 outside an exchange as a protocol error', async () => {
      const h = brokerHarness(config);
      const c = await connected(h);
      c.send({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: SCRAM, authenticationData: text('c=biws') } });
      await c.expect({ type: 'disconnect', reasonCode: 0x82 });
      await c.expectClosed();
    });
  });
});
