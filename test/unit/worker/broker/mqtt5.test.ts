import { describe, expect, it } from 'vitest';
import { encode, type Properties, type QoS } from '../../../../worker/protocol';
import { brokerHarness, connectPacket } from '../../../helpers/broker-harness';
import {
  ack, connectAck, drain, expectDisconnect, expectDropped, payloadText, publish, publishPacket, publishes, received, subscribe,
} from '../../../helpers/broker-steps';

describe('topic aliases from the client', () => {
  async function setup(topicAliasMaximum = 3) {
    const h = brokerHarness({ topicAliasMaximum });
    const sub = await h.client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: '#', qos: 0 }]);
    const pub = h.client(5);
    expect((await connectAck(pub, { clientId: 'pub' })).properties?.topicAliasMaximum).toBe(topicAliasMaximum);
    return { ...h, sub, pub };
  }

  it('an alias set with a topic stands for it on later PUBLISHes with an empty topic [MQTT-3.3.2-12]', async () => {
    const { sub, pub } = await setup();
    await publish(pub, 'sensor/1/temperature', '20.1', { qos: 1, properties: { topicAlias: 1 } });
    await publish(pub, '', '20.2', { qos: 1, properties: { topicAlias: 1 } });
    await publish(pub, '', '20.3', { properties: { topicAlias: 1 } });
    await publish(pub, 'sensor/2/temperature', '18.0', { qos: 2, properties: { topicAlias: 3 } });
    await publish(pub, '', '18.1', { qos: 2, properties: { topicAlias: 3 } });
    const got = publishes(await drain(sub));
    expect(got.map((p) => [p.topic, payloadText(p)])).toEqual([
      ['sensor/1/temperature', '20.1'], ['sensor/1/temperature', '20.2'], ['sensor/1/temperature', '20.3'],
      ['sensor/2/temperature', '18.0'], ['sensor/2/temperature', '18.1'],
    ]);
    // the alias is the publisher's business: subscribers never see it
    for (const p of got) expect(p.properties?.topicAlias).toBeUndefined();
  });

  it('an alias can be set again to another topic', async () => {
    const { sub, pub } = await setup();
    await publish(pub, 'a', '1', { properties: { topicAlias: 2 } });
    await publish(pub, 'b', '2', { properties: { topicAlias: 2 } });
    await publish(pub, '', '3', { properties: { topicAlias: 2 } });
    expect(publishes(await drain(sub)).map((p) => p.topic)).toEqual(['a', 'b', 'b']);
  });

  it('a retained message sent through an alias is kept under its topic', async () => {
    const { client, pub } = await setup();
    await publish(pub, 'status', 'set', { properties: { topicAlias: 1 } });
    await publish(pub, '', 'online', { retain: true, properties: { topicAlias: 1 } });
    const late = await client(5).connect({ clientId: 'late' });
    await subscribe(late, [{ topicFilter: 'status', qos: 0 }]);
    expect(payloadText(await received(late, { topic: 'status', retain: true }))).toBe('online');
  });

  it('an alias above the Topic Alias Maximum gets DISCONNECT 0x94 [MQTT-3.3.2-9]', async () => {
    const { sub, pub } = await setup(3);
    pub.send(publishPacket('t', 'x', { properties: { topicAlias: 4 } }));
    const d = await expectDisconnect(pub, 0x94);
    expect(d.properties?.reasonString).toMatch(/Topic Alias/);
    await sub.expectNothing();
  });

  it('a broker with Topic Alias Maximum 0 accepts no alias: DISCONNECT 0x94', async () => {
    const { pub } = await setup(0);
    pub.send(publishPacket('t', 'x', { properties: { topicAlias: 1 } }));
    await expectDisconnect(pub, 0x94);
  });

  it('alias 0 gets DISCONNECT 0x94 [MQTT-3.3.2-8]', async () => {
    const { pub } = await setup();
    // encode refuses alias 0, so the bytes are written out: PUBLISH QoS 0, topic "t", properties [0x23 0x0000], payload "x"
    pub.sendRaw([0x30, 0x08, 0x00, 0x01, 0x74, 0x03, 0x23, 0x00, 0x00, 0x78]);
    await expectDisconnect(pub, 0x94);
  });

  it('an alias never set, with an empty topic, is a Protocol Error: DISCONNECT 0x82', async () => {
    const { sub, pub } = await setup();
    await publish(pub, 'a', 'set', { properties: { topicAlias: 1 } });
    await drain(sub);
    pub.send(publishPacket('', 'lost', { qos: 1, properties: { topicAlias: 2 } }));
    const d = await expectDisconnect(pub, 0x82);
    expect(d.properties?.reasonString).toMatch(/2/);
    await sub.expectNothing();
  });

  it('aliases do not carry over to a new network connection [MQTT-3.3.2-7]', async () => {
    const { client, pub } = await setup();
    await publish(pub, 'a', 'set', { properties: { topicAlias: 1 } });
    pub.send({ type: 'disconnect', reasonCode: 0 });
    await pub.expectClosed();
    const again = await client(5).connect({ clientId: 'pub' });
    again.send(publishPacket('', 'x', { properties: { topicAlias: 1 } }));
    await expectDisconnect(again, 0x82);
  });
});

describe('topic aliases to the client', () => {
  async function subscriber(config: { outboundTopicAliases: boolean }, props: Properties) {
    const h = brokerHarness(config);
    const sub = await h.client(5).connect({ clientId: 'sub', properties: props });
    await subscribe(sub, [{ topicFilter: '#', qos: 1 }]);
    const pub = await h.client(5).connect({ clientId: 'pub' });
    return { ...h, sub, pub };
  }

  it("are used when configured, up to the client's Topic Alias Maximum [MQTT-3.3.2-11]", async () => {
    const { sub, pub } = await subscriber({ outboundTopicAliases: true }, { topicAliasMaximum: 2 });
    for (const [t, q] of [['a', 0], ['a', 1], ['b', 0], ['c', 0], ['b', 2], ['c', 0], ['a', 0]] as [string, QoS][]) await publish(pub, t, t, { qos: q });
    const got = publishes(await drain(sub)).map((p) => [p.topic, p.properties?.topicAlias, payloadText(p)]);
    expect(got).toEqual([
      ['a', 1, 'a'], // new alias, with its topic
      ['', 1, 'a'], // then the alias alone
      ['b', 2, 'b'],
      ['c', undefined, 'c'], // no alias left
      ['', 2, 'b'],
      ['c', undefined, 'c'],
      ['', 1, 'a'],
    ]);
  });

  it('are not used when the client sets no Topic Alias Maximum [MQTT-3.1.2-27]', async () => {
    const { sub, pub } = await subscriber({ outboundTopicAliases: true }, {});
    await publish(pub, 'a', '1');
    await publish(pub, 'a', '2');
    for (const p of publishes(await drain(sub))) {
      expect(p.topic).toBe('a');
      expect(p.properties?.topicAlias).toBeUndefined();
    }
  });

  it('are not used when the broker is not configured to, whatever the client allows', async () => {
    const { sub, pub } = await subscriber({ outboundTopicAliases: false }, { topicAliasMaximum: 10 });
    await publish(pub, 'a', '1');
    await publish(pub, 'a', '2', { qos: 1 });
    for (const p of publishes(await drain(sub))) {
      expect(p.topic).toBe('a');
      expect(p.properties?.topicAlias).toBeUndefined();
    }
  });

  it('start again on a new connection [MQTT-3.3.2-7]', async () => {
    const { client, sub, pub } = await subscriber({ outboundTopicAliases: true }, { topicAliasMaximum: 5, sessionExpiryInterval: 60 });
    await publish(pub, 'a', '1');
    expect(publishes(await drain(sub)).map((p) => [p.topic, p.properties?.topicAlias])).toEqual([['a', 1]]);
    sub.close();
    await sub.expectClosed();
    const back = await client(5).connect({ clientId: 'sub', cleanStart: false, properties: { topicAliasMaximum: 5, sessionExpiryInterval: 60 } });
    await publish(pub, 'a', '2');
    expect(publishes(await drain(back)).map((p) => [p.topic, p.properties?.topicAlias])).toEqual([['a', 1]]);
  });
});

describe('Maximum Packet Size', () => {
  /** A PUBLISH of exactly `size` bytes in 5.0 (QoS 0, topic 't', no properties). */
  function publishOfSize(size: number) {
    const p = publishPacket('t', new Uint8Array(size - 6));
    expect(encode(p, 5)).toHaveLength(size);
    return p;
  }

  it("a packet larger than the broker's maximum gets DISCONNECT 0x95 from the framer, and is not routed", async () => {
    const { client } = brokerHarness({ maximumPacketSize: 128 });
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 0 }]);
    const pub = client(5);
    expect((await connectAck(pub, { clientId: 'pub' })).properties?.maximumPacketSize).toBe(128);
    pub.send(publishOfSize(128));
    await received(sub, { topic: 't' });
    pub.send(publishOfSize(129));
    const d = await expectDisconnect(pub, 0x95);
    expect(d.properties?.reasonString).toMatch(/128/);
    await sub.expectNothing();
  });

  it('the broker refuses an oversize packet as soon as its header announces it', async () => {
    const { client } = brokerHarness({ maximumPacketSize: 128 });
    const pub = await client(5).connect({ clientId: 'pub' });
    // fixed header of a PUBLISH announcing 1000 bytes, and no more
    pub.sendRaw([0x30, 0xe8, 0x07]);
    await expectDisconnect(pub, 0x95);
  });

  it('3.1.1 has no DISCONNECT from the broker: the connection is closed', async () => {
    const { client } = brokerHarness({ maximumPacketSize: 128 });
    const pub = await client(4).connect({ clientId: 'pub' });
    pub.send(publishPacket('t', new Uint8Array(200)));
    await expectDropped(pub);
  });

  it("a message larger than the client's maximum is not sent to it, and the flow goes on [MQTT-3.1.2-24] [MQTT-3.1.2-25]", async () => {
    const { broker, client } = brokerHarness();
    const small = await client(5).connect({ clientId: 'small', properties: { maximumPacketSize: 64, receiveMaximum: 1 } });
    await subscribe(small, [{ topicFilter: 'm/#', qos: 1 }]);
    const big = await client(5).connect({ clientId: 'big' });
    await subscribe(big, [{ topicFilter: 'm/#', qos: 1 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    const dropped = broker.stats.messagesDropped;
    await publish(pub, 'm/1', 'first', { qos: 1 });
    await publish(pub, 'm/2', 'x'.repeat(100), { qos: 1 });
    await publish(pub, 'm/3', 'third', { qos: 1 });
    await publish(pub, 'm/4', 'y'.repeat(100));
    await publish(pub, 'm/5', 'fifth');
    // m/1 fills small's window of 1; m/2 and m/3 wait, m/4 (QoS 0) is dropped, m/5 (QoS 0) is sent
    let got = publishes(await drain(small));
    expect(got.map((p) => p.topic)).toEqual(['m/1', 'm/5']);
    await ack(small, got[0]!);
    // m/2 is dropped instead of sent, and m/3 takes its place
    got = publishes(await drain(small));
    expect(got.map((p) => p.topic)).toEqual(['m/3']);
    for (const p of got) expect(encode(p, 5).length).toBeLessThanOrEqual(64);
    expect(broker.stats.messagesDropped - dropped).toBe(2);
    expect(publishes(await drain(big)).map((p) => p.topic)).toEqual(['m/1', 'm/2', 'm/3', 'm/4', 'm/5']);
  });
});

describe('properties of a message are forwarded unchanged', () => {
  const properties: Properties = {
    payloadFormatIndicator: true,
    contentType: 'application/json; charset=utf-8',
    responseTopic: 'reply/alice',
    correlationData: new Uint8Array([0, 1, 2, 0xff]),
    userProperties: [['b', '2'], ['a', '1'], ['b', '3'], ['名字', '值']],
  };

  it.each([0, 1, 2] as QoS[])(
    'payload format, content type, response topic, correlation data and user properties in order, at QoS %i [MQTT-3.3.2-4] [MQTT-3.3.2-15] [MQTT-3.3.2-16] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20]',
    async (qos) => {
      const { client } = brokerHarness();
      const sub = await client(5).connect({ clientId: 'sub' });
      await subscribe(sub, [{ topicFilter: 'req', qos: 2 }]);
      const pub = await client(5).connect({ clientId: 'pub' });
      await publish(pub, 'req', '{"get":"time"}', { qos, properties });
      const m = await received(sub, { topic: 'req', qos });
      expect(m.properties).toEqual(properties);
      await ack(sub, m);
    },
  );

  it('a property the publisher did not set is not added, and a false payload format indicator is kept', async () => {
    const { client } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 0 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 't', 'x', { properties: { payloadFormatIndicator: false } });
    await publish(pub, 't', 'y');
    expect((await received(sub)).properties).toEqual({ payloadFormatIndicator: false });
    expect((await received(sub)).properties).toBeUndefined();
  });

  it('a request and its response find each other through response topic and correlation data', async () => {
    const { client } = brokerHarness();
    const requester = await client(5).connect({ clientId: 'requester' });
    await subscribe(requester, [{ topicFilter: 'reply/requester', qos: 1 }]);
    const responder = await client(5).connect({ clientId: 'responder' });
    await subscribe(responder, [{ topicFilter: 'rpc/time', qos: 1 }]);
    await publish(requester, 'rpc/time', 'now?', { qos: 1, properties: { responseTopic: 'reply/requester', correlationData: new Uint8Array([42]) } });
    const req = await received(responder, { topic: 'rpc/time' });
    await ack(responder, req);
    await publish(responder, req.properties!.responseTopic!, '12:00', { qos: 1, properties: { correlationData: req.properties!.correlationData! } });
    const res = await received(requester, { topic: 'reply/requester' });
    expect(res.properties?.correlationData).toEqual(new Uint8Array([42]));
    expect(payloadText(res)).toBe('12:00');
  });

  it('a 3.1.1 subscriber gets the same payload, without properties', async () => {
    const { client } = brokerHarness();
    const sub = await client(4).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'req', qos: 1 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'req', 'payload', { qos: 1, properties });
    const m = await received(sub, { topic: 'req' });
    expect(m.properties).toBeUndefined();
    expect(payloadText(m)).toBe('payload');
  });
});

describe('Message Expiry Interval', () => {
  it('is forwarded as is when the message is sent at once', async () => {
    const { client } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 't', qos: 0 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 't', 'x', { properties: { messageExpiryInterval: 60 } });
    expect((await received(sub)).properties).toEqual({ messageExpiryInterval: 60 });
  });

  it('is lowered by the time the message waited behind a full window [MQTT-3.3.2-6]', async () => {
    const { client, clock } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'sub', properties: { receiveMaximum: 1 } });
    await subscribe(sub, [{ topicFilter: 't', qos: 1 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 't', 'first', { qos: 1 });
    await publish(pub, 't', 'second', { qos: 1, properties: { messageExpiryInterval: 10 } });
    const first = await received(sub);
    clock.advance(4_000);
    await ack(sub, first);
    const second = await received(sub);
    expect(payloadText(second)).toBe('second');
    expect(second.properties?.messageExpiryInterval).toBe(6);
  });

  it('is lowered by the time the message waited for an offline session, and an expired message is not sent [MQTT-3.3.2-5]', async () => {
    const { broker, client, clock } = brokerHarness();
    const session = { clientId: 'sub', properties: { sessionExpiryInterval: 3600 } };
    const sub = await client(5).connect(session);
    await subscribe(sub, [{ topicFilter: 't/#', qos: 1 }]);
    sub.send({ type: 'disconnect', reasonCode: 0 });
    await sub.expectClosed();
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 't/short', 'gone', { qos: 1, properties: { messageExpiryInterval: 5 } });
    await publish(pub, 't/long', 'kept', { qos: 1, properties: { messageExpiryInterval: 30 } });
    await publish(pub, 't/none', 'forever', { qos: 1 });
    clock.advance(10_000);
    const dropped = broker.stats.messagesDropped;
    const back = await client(5).connect({ ...session, cleanStart: false });
    const got = publishes(await drain(back));
    expect(got.map((p) => [p.topic, p.properties?.messageExpiryInterval])).toEqual([['t/long', 20], ['t/none', undefined]]);
    expect(broker.stats.messagesDropped - dropped).toBe(1);
  });

  it('an expired message is not sent to a 3.1.1 subscriber either', async () => {
    const { client, clock } = brokerHarness();
    const sub = await client(4).connect({ clientId: 'sub', cleanStart: false });
    await subscribe(sub, [{ topicFilter: 't/#', qos: 1 }]);
    sub.send({ type: 'disconnect' });
    await sub.expectClosed();
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 't/short', 'gone', { qos: 1, properties: { messageExpiryInterval: 5 } });
    await publish(pub, 't/long', 'kept', { qos: 1, properties: { messageExpiryInterval: 30 } });
    clock.advance(10_000);
    const back = await client(4).connect({ clientId: 'sub', cleanStart: false });
    const got = publishes(await drain(back));
    expect(got.map((p) => [p.topic, p.properties])).toEqual([['t/long', undefined]]);
  });
});

describe('reason strings and the end of the broker', () => {
  it('a refused CONNECT carries a reason string', async () => {
    const { client } = brokerHarness({ allowAnonymous: false });
    const c = client(5);
    c.send(connectPacket(5, { clientId: 'anon' }));
    const ack = await c.expect({ type: 'connack', reasonCode: 0x87 });
    expect(ack.properties?.reasonString).toMatch(/anonymous/);
    await c.expectClosed();
  });

  it('every DISCONNECT the broker sends says why in a reason string', async () => {
    const { client } = brokerHarness({ maximumQoS: 1 });
    const c = await client(5).connect({ clientId: 'c' });
    c.send(publishPacket('t', 'x', { qos: 2 }));
    const d = await expectDisconnect(c, 0x9b);
    expect(typeof d.properties?.reasonString).toBe('string');
    expect(d.properties!.reasonString!.length).toBeGreaterThan(0);
  });

  it("a reason string that would break the client's Maximum Packet Size is left out [MQTT-3.1.2-24]", async () => {
    const { client } = brokerHarness({ maximumQoS: 1 });
    const c = await client(5).connect({ clientId: 'c', properties: { maximumPacketSize: 40 } });
    c.send(publishPacket('t', 'x', { qos: 2 }));
    const d = await expectDisconnect(c, 0x9b);
    expect(d.properties?.reasonString).toBeUndefined();
  });

  it('broker.close() tells 5.0 clients DISCONNECT 0x8B Server shutting down, and closes every connection', async () => {
    const { broker, client } = brokerHarness();
    const v5 = await client(5).connect({ clientId: 'v5' });
    const v4 = await client(4).connect({ clientId: 'v4' });
    const pending = client(5); // no CONNECT yet
    broker.close();
    const d = await expectDisconnect(v5, 0x8b);
    expect(d.properties?.reasonString).toMatch(/shutting down/);
    await expectDropped(v4);
    await expectDropped(pending);
    expect(broker.connections.size).toBe(0);
    expect(broker.stats.connected).toBe(0);
  });
});
