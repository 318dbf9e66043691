import { describe, expect, it } from 'vitest';
import { brokerHarness, type TestClient } from '../../../../helpers/broker-harness';
import {
  ack, connectAck, drain, expectDisconnect, payloadText, publish, publishPacket, publishes, received, subscribe,
} from '../../../../helpers/broker-steps';

const versions = [[4, '3.1.1'], [5, '5.0']] as const;
const id = (v: 4 | 5, v4: string, v5: string) => `[MQTT-${v === 5 ? v5 : v4}]`;

describe.each(versions)('QoS flows over MQTT %s (v%s)', (v) => {
  const rc = (code: number) => (v === 5 ? { reasonCode: code } : {});
  /** A subscriber whose in-flight window is `window` (5.0 Receive Maximum, 3.1.1 the broker's maxInflight). */
  async function windowed(window: number) {
    const h = brokerHarness(v === 5 ? {} : { maxInflight: window });
    const sub = await h.client(v).connect({ clientId: 'sub', ...(v === 5 ? { properties: { receiveMaximum: window } } : {}) });
    await subscribe(sub, [{ topicFilter: 'w/#', qos: 2 }]);
    const pub = await h.client(v).connect({ clientId: 'pub' });
    return { ...h, sub, pub };
  }

  it('broker to client, QoS 1: PUBLISH with a packet identifier, done at PUBACK', async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 1 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 't', 'x', { qos: 1 });
    const m = await received(sub, { topic: 't', qos: 1, dup: false });
    expect(m.packetId).toBeGreaterThan(0);
    sub.send({ type: 'puback', packetId: m.packetId!, ...rc(0) });
    await sub.expectNothing();
  });

  it('broker to client, QoS 2: PUBLISH, PUBREC, PUBREL, PUBCOMP', async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 2 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 't', 'x', { qos: 2 });
    const m = await received(sub, { topic: 't', qos: 2, dup: false });
    sub.send({ type: 'pubrec', packetId: m.packetId!, ...rc(0) });
    const rel = await sub.expect({ type: 'pubrel', packetId: m.packetId! });
    expect(rel.reasonCode).toEqual(v === 5 ? 0 : undefined);
    sub.send({ type: 'pubcomp', packetId: m.packetId!, ...rc(0) });
    await sub.expectNothing();
  });

  it('messages in flight towards one client have distinct packet identifiers', async () => {
    const { sub, pub } = await windowed(10);
    for (let i = 0; i < 10; i++) await publish(pub, 'w/x', `${i}`, { qos: 1 });
    const ids = publishes(await drain(sub)).map((p) => p.packetId);
    expect(new Set(ids).size).toBe(10);
    for (const pid of ids) expect(pid).toBeGreaterThan(0);
  });

  it(`client to broker, QoS 2 exactly once: a re-sent PUBLISH (DUP) before PUBREL is answered PUBREC again and not routed again ${id(v, '4.3.3-2', '4.3.3-10')}`, async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'pay', qos: 2 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    pub.send(publishPacket('pay', '100 EUR', { qos: 2, packetId: 7 }));
    await pub.expect({ type: 'pubrec', packetId: 7, ...rc(0) });
    pub.send(publishPacket('pay', '100 EUR', { qos: 2, packetId: 7, dup: true }));
    await pub.expect({ type: 'pubrec', packetId: 7, ...rc(0) });
    pub.send(publishPacket('pay', '100 EUR', { qos: 2, packetId: 7, dup: true }));
    await pub.expect({ type: 'pubrec', packetId: 7, ...rc(0) });
    pub.send({ type: 'pubrel', packetId: 7, ...rc(0) });
    await pub.expect({ type: 'pubcomp', packetId: 7, ...rc(0) });
    const got = publishes(await drain(sub));
    expect(got.map(payloadText)).toEqual(['100 EUR']);
  });

  it(`after PUBCOMP the packet identifier is free: the same identifier is a new message ${id(v, '4.3.3-2', '4.3.3-12')}`, async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'pay', qos: 0 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'pay', 'first', { qos: 2, packetId: 7 });
    await publish(pub, 'pay', 'second', { qos: 2, packetId: 7 });
    expect(publishes(await drain(sub)).map(payloadText)).toEqual(['first', 'second']);
  });

  it(`PUBREL for an unknown packet identifier is answered PUBCOMP${v === 5 ? ' 0x92 Packet Identifier not found' : ''}`, async () => {
    const { client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'pub' });
    pub.send({ type: 'pubrel', packetId: 4242, ...rc(0) });
    const comp = await pub.expect({ type: 'pubcomp', packetId: 4242 });
    expect(comp.reasonCode).toEqual(v === 5 ? 0x92 : undefined);
    await pub.expectNothing();
    expect(pub.closed).toBe(false);
  });

  it(`PUBREC for an unknown packet identifier is answered PUBREL${v === 5 ? ' 0x92' : ''}`, async () => {
    const { client } = brokerHarness();
    const c = await client(v).connect({ clientId: 'c' });
    c.send({ type: 'pubrec', packetId: 99, ...rc(0) });
    const rel = await c.expect({ type: 'pubrel', packetId: 99 });
    expect(rel.reasonCode).toEqual(v === 5 ? 0x92 : undefined);
  });

  it('a PUBACK for an unknown packet identifier is ignored', async () => {
    const { client } = brokerHarness();
    const c = await client(v).connect({ clientId: 'c' });
    c.send({ type: 'puback', packetId: 99, ...rc(0) });
    c.send({ type: 'pubcomp', packetId: 98, ...rc(0) });
    await c.expectNothing();
    expect(c.closed).toBe(false);
  });

  it(`the in-flight window towards a client is bounded ${v === 5 ? 'by its Receive Maximum [MQTT-3.3.4-9]' : 'by maxInflight'}; the rest waits and flows in order as acks arrive`, async () => {
    const { sub, pub } = await windowed(2);
    for (let i = 1; i <= 5; i++) await publish(pub, 'w/x', `m${i}`, { qos: 1 });
    let got = publishes(await drain(sub));
    expect(got.map(payloadText)).toEqual(['m1', 'm2']);
    const inFlight = new Map(got.map((p) => [payloadText(p), p]));
    // acknowledging the second first still frees one place
    await ack(sub, inFlight.get('m2')!);
    got = publishes(await drain(sub));
    expect(got.map(payloadText)).toEqual(['m3']);
    inFlight.set('m3', got[0]!);
    await ack(sub, inFlight.get('m1')!);
    await ack(sub, inFlight.get('m3')!);
    got = publishes(await drain(sub));
    expect(got.map(payloadText)).toEqual(['m4', 'm5']);
    for (const p of got) await ack(sub, p);
    await sub.expectNothing();
  });

  it('a QoS 2 message holds its place in the window until PUBCOMP, not PUBREC', async () => {
    const { sub, pub } = await windowed(1);
    await publish(pub, 'w/x', 'a', { qos: 2 });
    await publish(pub, 'w/x', 'b', { qos: 2 });
    const a = await received(sub, { qos: 2 });
    expect(payloadText(a)).toBe('a');
    sub.send({ type: 'pubrec', packetId: a.packetId!, ...rc(0) });
    await sub.expect({ type: 'pubrel', packetId: a.packetId! });
    await sub.expectNothing();
    sub.send({ type: 'pubcomp', packetId: a.packetId!, ...rc(0) });
    const b = await received(sub, { qos: 2 });
    expect(payloadText(b)).toBe('b');
  });

  it('QoS 0 messages are not held back by a full window', async () => {
    const { sub, pub } = await windowed(1);
    await publish(pub, 'w/x', 'q1 a', { qos: 1 });
    await publish(pub, 'w/x', 'q1 b', { qos: 1 });
    await publish(pub, 'w/x', 'q0');
    expect(publishes(await drain(sub)).map(payloadText)).toEqual(['q1 a', 'q0']);
  });
});

describe('QoS flows over MQTT 3.1.1 only', () => {
  it("a 3.1.1 client, never told a Receive Maximum, may pipeline more QoS 2 PUBLISHes than the broker's receiveMaximum", async () => {
    const { client } = brokerHarness({ receiveMaximum: 4 });
    const sub = await client(4).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 0 }]);
    const pub = await client(4).connect({ clientId: 'pub' });
    for (let i = 1; i <= 40; i++) pub.send(publishPacket('t', `${i}`, { qos: 2, packetId: i }));
    expect((await drain(pub)).map((p) => p.type)).toEqual(Array(40).fill('pubrec'));
    for (let i = 1; i <= 40; i++) pub.send({ type: 'pubrel', packetId: i });
    expect((await drain(pub)).map((p) => p.type)).toEqual(Array(40).fill('pubcomp'));
    expect(pub.closed).toBe(false);
    expect(publishes(await drain(sub)).map(payloadText)).toEqual(Array.from({ length: 40 }, (_, i) => `${i + 1}`));
  });
});

describe('QoS flows over MQTT 5.0 only', () => {
  it('a PUBREC with an error code ends the flow: no PUBREL, and the window moves on', async () => {
    const { client } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'sub', properties: { receiveMaximum: 1 } });
    await subscribe(sub, [{ topicFilter: 't', qos: 2 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 't', 'refused', { qos: 2 });
    await publish(pub, 't', 'next', { qos: 2 });
    const m = await received(sub, { qos: 2 });
    expect(payloadText(m)).toBe('refused');
    sub.send({ type: 'pubrec', packetId: m.packetId!, reasonCode: 0x80 });
    const next = await received(sub, { qos: 2 });
    expect(payloadText(next)).toBe('next');
    await sub.expectNothing();
  });

  it('a client without Receive Maximum may have 65535 messages in flight (no early stop)', async () => {
    const { client } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 1 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    for (let i = 0; i < 100; i++) pub.send(publishPacket('t', `${i}`, { qos: 1 }));
    expect(publishes(await drain(sub))).toHaveLength(100);
  });

  describe("the broker's own Receive Maximum", () => {
    async function withLimit(receiveMaximum: number): Promise<TestClient> {
      const { client } = brokerHarness({ receiveMaximum });
      const pub = client(5);
      expect((await connectAck(pub, { clientId: 'pub' })).properties?.receiveMaximum).toBe(receiveMaximum);
      return pub;
    }

    it('one QoS 2 PUBLISH more than it allows unreleased gets DISCONNECT 0x93', async () => {
      const pub = await withLimit(2);
      pub.send(publishPacket('t', '1', { qos: 2, packetId: 1 }));
      pub.send(publishPacket('t', '2', { qos: 2, packetId: 2 }));
      await pub.expect({ type: 'pubrec', packetId: 1 });
      await pub.expect({ type: 'pubrec', packetId: 2 });
      pub.send(publishPacket('t', '3', { qos: 2, packetId: 3 }));
      const d = await expectDisconnect(pub, 0x93);
      expect(d.properties?.reasonString).toMatch(/2/);
    });

    it('released ones make room again', async () => {
      const pub = await withLimit(2);
      for (let i = 1; i <= 6; i++) await publish(pub, 't', `${i}`, { qos: 2 });
      pub.send(publishPacket('t', 'a', { qos: 2, packetId: 100 }));
      pub.send(publishPacket('t', 'b', { qos: 2, packetId: 101 }));
      await pub.expect({ type: 'pubrec', packetId: 100 });
      await pub.expect({ type: 'pubrec', packetId: 101 });
      pub.send({ type: 'pubrel', packetId: 100, reasonCode: 0 });
      await pub.expect({ type: 'pubcomp', packetId: 100 });
      pub.send(publishPacket('t', 'c', { qos: 2, packetId: 102 }));
      await pub.expect({ type: 'pubrec', packetId: 102 });
      expect(pub.closed).toBe(false);
    });

    it('a re-sent PUBLISH of one already counted does not count again', async () => {
      const pub = await withLimit(1);
      pub.send(publishPacket('t', 'a', { qos: 2, packetId: 5 }));
      await pub.expect({ type: 'pubrec', packetId: 5 });
      pub.send(publishPacket('t', 'a', { qos: 2, packetId: 5, dup: true }));
      await pub.expect({ type: 'pubrec', packetId: 5 });
      expect(pub.closed).toBe(false);
    });

    it('QoS 1 is acknowledged at once and never fills it', async () => {
      const pub = await withLimit(1);
      for (let i = 1; i <= 5; i++) pub.send(publishPacket('t', `${i}`, { qos: 1, packetId: i }));
      expect((await drain(pub)).map((p) => p.type)).toEqual(Array(5).fill('puback'));
      expect(pub.closed).toBe(false);
    });
  });
});

describe('acknowledgements of the wrong kind', () => {
  it('a PUBACK does not complete a QoS 2 delivery, a PUBREC does not advance a QoS 1 one', async () => {
    const { client } = brokerHarness({ maxInflight: 1 });
    const sub = await client(4).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 2 }]);
    const pub = await client(4).connect({ clientId: 'pub' });
    await publish(pub, 't', 'two', { qos: 2 });
    await publish(pub, 't', 'one', { qos: 1 });
    const two = await sub.expect({ type: 'publish', qos: 2 });
    sub.send({ type: 'puback', packetId: two.packetId! });
    // still in flight: the window of 1 holds the QoS 1 message back
    await sub.expectNothing();
    sub.send({ type: 'pubrec', packetId: two.packetId! });
    await sub.expect({ type: 'pubrel', packetId: two.packetId! });
    sub.send({ type: 'pubcomp', packetId: two.packetId! });
    const one = await sub.expect({ type: 'publish', qos: 1 });
    // every PUBREC is answered (3.1.1 has no way to say "unknown"), but the QoS 1 flow stays open
    sub.send({ type: 'pubrec', packetId: one.packetId! });
    await sub.expect({ type: 'pubrel', packetId: one.packetId! });
    sub.send({ type: 'pubcomp', packetId: one.packetId! });
    await sub.expectNothing();
    sub.send({ type: 'puback', packetId: one.packetId! });
    await sub.expectNothing();
  });
});
