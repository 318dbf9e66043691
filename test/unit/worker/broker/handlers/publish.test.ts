import { describe, expect, it } from 'vitest';
import type { QoS } from '../../../../../worker/protocol';
import { brokerHarness } from '../../../../helpers/broker-harness';
import {
  ack, drain, expectDisconnect, payloadText, publish, publishPacket, publishes, received, subscribe,
} from '../../../../helpers/broker-steps';

const versions = [[4, '3.1.1'], [5, '5.0']] as const;
const id = (v: 4 | 5, v4: string, v5: string) => `[MQTT-${v === 5 ? v5 : v4}]`;
const denyPublishSecret = { acl: [{ permission: 'deny' as const, action: 'publish' as const, topic: 'secret/#' }] };

describe.each(versions)('PUBLISH from a client over MQTT %s (v%s)', (v) => {
  /** The reason code field as this version's acknowledgements carry it. */
  const rc = (code: number) => (v === 5 ? { reasonCode: code } : {});

  it('QoS 0 is delivered and not acknowledged', async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 2 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    pub.send(publishPacket('t', 'fire and forget'));
    const m = await received(sub, { topic: 't', qos: 0, retain: false, dup: false });
    expect(m.packetId).toBeUndefined();
    expect(payloadText(m)).toBe('fire and forget');
    await pub.expectNothing();
  });

  it(`QoS 1 is answered with PUBACK carrying its packet identifier ${id(v, '4.3.2-2', '4.3.2-4')}`, async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 1 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    pub.send(publishPacket('t', 'at least once', { qos: 1, packetId: 513 }));
    const puback = await pub.expect({ type: 'puback', packetId: 513 });
    expect(puback.reasonCode).toEqual(v === 5 ? 0 : undefined);
    const m = await received(sub, { topic: 't', qos: 1 });
    expect(payloadText(m)).toBe('at least once');
    await ack(sub, m);
    await pub.expectNothing();
    await sub.expectNothing();
  });

  it(`QoS 2 is answered PUBREC, and PUBREL with PUBCOMP ${id(v, '4.3.3-2', '4.3.3-8')} ${id(v, '4.3.3-2', '4.3.3-11')}`, async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 2 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    pub.send(publishPacket('t', 'exactly once', { qos: 2, packetId: 65535 }));
    const rec = await pub.expect({ type: 'pubrec', packetId: 65535 });
    expect(rec.reasonCode).toEqual(v === 5 ? 0 : undefined);
    pub.send({ type: 'pubrel', packetId: 65535, ...rc(0) });
    const comp = await pub.expect({ type: 'pubcomp', packetId: 65535 });
    expect(comp.reasonCode).toEqual(v === 5 ? 0 : undefined);
    const m = await received(sub, { topic: 't', qos: 2 });
    expect(payloadText(m)).toBe('exactly once');
    await ack(sub, m);
    await sub.expectNothing();
  });

  it.each([0, 1, 2] as QoS[])(`messages on one topic arrive in the order they were published, QoS %i ${id(v, '4.6.0-6', '4.6.0-5')}`, async (qos) => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'ordered', qos }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    const n = 30; // within both the 3.1.1 in-flight window and the broker's Receive Maximum of 32
    for (let i = 0; i < n; i++) pub.send(publishPacket('ordered', `${i}`, { qos }));
    const got = publishes(await drain(sub));
    expect(got.map(payloadText)).toEqual(Array.from({ length: n }, (_, i) => `${i}`));
    const acks = await drain(pub);
    expect(acks.map((p) => p.type)).toEqual(Array(qos === 0 ? 0 : n).fill(qos === 1 ? 'puback' : 'pubrec'));
  });

  it('messages of two publishers on one topic keep each publisher\'s order', async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'ordered', qos: 1 }]);
    const a = await client(v).connect({ clientId: 'a' });
    const b = await client(v).connect({ clientId: 'b' });
    for (let i = 0; i < 10; i++) {
      a.send(publishPacket('ordered', `a${i}`, { qos: 1 }));
      b.send(publishPacket('ordered', `b${i}`, { qos: 1 }));
    }
    const got = publishes(await drain(sub)).map(payloadText);
    expect(got.filter((s) => s.startsWith('a'))).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    expect(got.filter((s) => s.startsWith('b'))).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
  });

  it(`a publish the ACL denies is dropped, ${v === 5 ? 'with PUBACK/PUBREC 0x87' : 'yet acknowledged as usual (3.1.1 cannot refuse one)'}`, async () => {
    const { broker, client } = brokerHarness(denyPublishSecret);
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: '#', qos: 2 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    pub.send(publishPacket('secret/a', 'q0'));
    expect(await publish(pub, 'secret/b', 'q1', { qos: 1 })).toBe(v === 5 ? 0x87 : undefined);
    expect(await publish(pub, 'secret/c', 'q2', { qos: 2, retain: true })).toBe(v === 5 ? 0x87 : undefined);
    await sub.expectNothing();
    expect(broker.retained.size).toBe(0);
    // the connection goes on
    pub.send({ type: 'pingreq' });
    await pub.expect({ type: 'pingresp' });
    expect(await publish(pub, 'public/a', 'ok', { qos: 1 })).toBe(v === 5 ? 0 : undefined);
    await received(sub, { topic: 'public/a' });
  });

  it('the same client may publish what the ACL allows it', async () => {
    const { client } = brokerHarness({
      acl: [{ permission: 'allow', action: 'publish', topic: 'clients/%c/#' }, { permission: 'allow', action: 'subscribe', topic: '#' }],
      aclDefault: 'deny',
    });
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'clients/#', qos: 0 }]);
    const pub = await client(v).connect({ clientId: 'dev1' });
    await publish(pub, 'clients/dev1/status', 'mine');
    await publish(pub, 'clients/dev2/status', 'not mine');
    expect(publishes(await drain(sub)).map((p) => p.topic)).toEqual(['clients/dev1/status']);
  });

  it(`with no subscriber the publish is ${v === 5 ? 'answered 0x10 No matching subscribers' : 'acknowledged as usual'}`, async () => {
    const { client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'pub' });
    expect(await publish(pub, 'nobody/listens', 'x', { qos: 1 })).toBe(v === 5 ? 0x10 : undefined);
    // 0x10 is a success: the QoS 2 flow goes on to PUBREL and PUBCOMP
    expect(await publish(pub, 'nobody/listens', 'x', { qos: 2 })).toBe(v === 5 ? 0x10 : undefined);
  });

  if (v === 5) {
    it('a match whose copy is dropped still counts: no 0x10 when a subscriber matched', async () => {
      const { client } = brokerHarness();
      const sub = await client(v).connect({ clientId: 'sub', cleanStart: false, properties: { sessionExpiryInterval: 60 } });
      await subscribe(sub, [{ topicFilter: 't', qos: 0 }]);
      sub.send({ type: 'disconnect', reasonCode: 0 });
      await sub.expectClosed();
      const pub = await client(v).connect({ clientId: 'pub' });
      // the offline session's QoS 0 copy is not queued, but the session matched
      expect(await publish(pub, 't', 'x', { qos: 1 })).toBe(0);
    });
  }

  it('a subscriber of another version gets the message in its own version', async () => {
    const other = v === 5 ? 4 : 5;
    const { client } = brokerHarness();
    const sub = await client(other).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't/#', qos: 1 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    for (const qos of [0, 1, 2] as QoS[]) await publish(pub, `t/${qos}`, `q${qos}`, { qos });
    const got = publishes(await drain(sub));
    expect(got.map((p) => [p.topic, p.qos, payloadText(p)])).toEqual([['t/0', 0, 'q0'], ['t/1', 1, 'q1'], ['t/2', 1, 'q2']]);
  });
});

describe('PUBLISH from a client over MQTT 5.0 only', () => {
  it.each([
    [1, 2], [0, 1], [0, 2],
  ] as [QoS, QoS][])('maximumQoS %i: a PUBLISH at QoS %i gets DISCONNECT 0x9B [MQTT-3.2.2-11]', async (maximumQoS, qos) => {
    const { client } = brokerHarness({ maximumQoS });
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 2 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    pub.send(publishPacket('t', 'too high', { qos }));
    const d = await expectDisconnect(pub, 0x9b);
    expect(d.properties?.reasonString).toMatch(/QoS/);
    await sub.expectNothing();
  });

  it('maximumQoS 1: a PUBLISH at QoS 1 is fine', async () => {
    const { client } = brokerHarness({ maximumQoS: 1 });
    const pub = await client(5).connect({ clientId: 'pub' });
    expect(await publish(pub, 't', 'x', { qos: 1 })).toBe(0x10);
  });

  it('a Subscription Identifier in a PUBLISH from a client is a Protocol Error: DISCONNECT 0x82 [MQTT-3.3.4-6]', async () => {
    const { client } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 0 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    pub.send(publishPacket('t', 'x', { properties: { subscriptionIdentifier: 3 } }));
    await expectDisconnect(pub, 0x82);
    await sub.expectNothing();
  });

  it('after a QoS 2 PUBLISH refused with PUBREC 0x87, a PUBREL finds no such identifier: PUBCOMP 0x92', async () => {
    const { client } = brokerHarness(denyPublishSecret);
    const pub = await client(5).connect({ clientId: 'pub' });
    pub.send(publishPacket('secret/x', 'x', { qos: 2, packetId: 9 }));
    await pub.expect({ type: 'pubrec', packetId: 9, reasonCode: 0x87 });
    pub.send({ type: 'pubrel', packetId: 9, reasonCode: 0 });
    await pub.expect({ type: 'pubcomp', packetId: 9, reasonCode: 0x92 });
  });
});
