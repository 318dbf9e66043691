import { describe, expect, it } from 'vitest';
import type { QoS } from '../../../../worker/protocol';
import { brokerHarness } from '../../../helpers/broker-harness';
import { ack, connectAck, drain, expectDisconnect, payloadText, publish, publishes, received, subscribe } from '../../../helpers/broker-steps';

const versions = [[4, '3.1.1'], [5, '5.0']] as const;
/** The same requirement has different numbers in 3.1.1 and 5.0. */
const id = (v: 4 | 5, v4: string, v5: string) => `[MQTT-${v === 5 ? v5 : v4}]`;

describe.each(versions)('retained messages over MQTT %s (v%s)', (v) => {
  it(`the tutorial: two retained messages to retained_message, a later subscriber gets only the second ${id(v, '3.3.1-5', '3.3.1-5')}`, async () => {
    const { client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'Retained Publisher' });
    await publish(pub, 'retained_message', 'first retained message', { qos: 1, retain: true });
    await publish(pub, 'retained_message', 'second retained message', { qos: 1, retain: true });
    const sub = await client(v).connect({ clientId: 'Late Subscriber' });
    await subscribe(sub, [{ topicFilter: 'retained_message', qos: 1 }]);
    const m = await received(sub, { topic: 'retained_message', retain: true, qos: 1 });
    expect(payloadText(m)).toBe('second retained message');
    await ack(sub, m);
    await sub.expectNothing();
  });

  it(`a retained message is sent after the SUBACK, with RETAIN set ${id(v, '3.3.1-8', '3.3.1-9')}`, async () => {
    const { client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'status', 'online', { retain: true });
    const sub = await client(v).connect({ clientId: 'sub' });
    sub.send({ type: 'subscribe', packetId: 3, subscriptions: [{ topicFilter: 'status', qos: 0 }] });
    expect((await drain(sub)).map((p) => p.type + (p.type === 'publish' ? `:${String(p.retain)}` : ''))).toEqual(['suback', 'publish:true']);
  });

  it('the last retained message is kept per topic', async () => {
    const { broker, client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'a', 'a1', { retain: true });
    await publish(pub, 'b', 'b1', { retain: true });
    await publish(pub, 'a', 'a2', { retain: true });
    expect(broker.retained.size).toBe(2);
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: '#', qos: 0 }]);
    expect(publishes(await drain(sub)).map(payloadText).sort()).toEqual(['a2', 'b1']);
  });

  it(`an empty retained payload deletes the retained message ${id(v, '3.3.1-10', '3.3.1-6')} and is not stored ${id(v, '3.3.1-11', '3.3.1-7')}, yet is routed as usual`, async () => {
    const { broker, client } = brokerHarness();
    const live = await client(v).connect({ clientId: 'live' });
    await subscribe(live, [{ topicFilter: 'lamp', qos: 1 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'lamp', 'on', { qos: 1, retain: true });
    await ack(live, await received(live, { topic: 'lamp', retain: false }));
    expect(broker.retained.size).toBe(1);
    await publish(pub, 'lamp', '', { qos: 1, retain: true });
    const cleared = await received(live, { topic: 'lamp', retain: false, qos: 1 });
    expect(cleared.payload).toHaveLength(0);
    await ack(live, cleared);
    expect(broker.retained.size).toBe(0);
    const late = await client(v).connect({ clientId: 'late' });
    await subscribe(late, [{ topicFilter: 'lamp', qos: 1 }]);
    await late.expectNothing();
  });

  it('an empty retained payload on a topic without one changes nothing', async () => {
    const { broker, client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'other', 'kept', { retain: true });
    await publish(pub, 'lamp', '', { retain: true });
    expect(broker.retained.size).toBe(1);
  });

  it(`a message without RETAIN neither stores nor replaces the retained one ${id(v, '3.3.1-12', '3.3.1-8')}`, async () => {
    const { client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'temp', '20', { retain: true });
    await publish(pub, 'temp', '21');
    await publish(pub, 'never', 'retained');
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: '#', qos: 0 }]);
    expect(publishes(await drain(sub)).map((p) => [p.topic, payloadText(p)])).toEqual([['temp', '20']]);
  });

  it.each([
    [2, 1, 1], [1, 2, 1], [0, 2, 0], [2, 0, 0], [2, 2, 2],
  ] as [QoS, QoS, QoS][])('retained at QoS %i, subscribed at QoS %i: sent at QoS %i', async (stored, granted, sent) => {
    const { client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'r', 'x', { qos: stored, retain: true });
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'r', qos: granted }]);
    const m = await received(sub, { topic: 'r', retain: true, qos: sent });
    await ack(sub, m);
  });

  it('wildcard subscriptions get every matching retained message, and only those', async () => {
    const { client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'pub' });
    for (const t of ['home', 'home/kitchen/temp', 'home/hall/temp', 'home/kitchen/humidity', 'garden/temp']) await publish(pub, t, t, { retain: true });
    const topicsFor = async (filter: string) => {
      const sub = await client(v).connect({ clientId: `sub ${filter}` });
      await subscribe(sub, [{ topicFilter: filter, qos: 0 }]);
      const got = publishes(await drain(sub));
      for (const p of got) expect(p.retain).toBe(true);
      return got.map((p) => p.topic).sort();
    };
    expect(await topicsFor('home/+/temp')).toEqual(['home/hall/temp', 'home/kitchen/temp']);
    expect(await topicsFor('home/#')).toEqual(['home', 'home/hall/temp', 'home/kitchen/humidity', 'home/kitchen/temp']);
    expect(await topicsFor('+/+/temp')).toEqual(['home/hall/temp', 'home/kitchen/temp']);
    expect(await topicsFor('+')).toEqual(['home']);
    expect(await topicsFor('+/temp')).toEqual(['garden/temp']);
    expect(await topicsFor('#')).toHaveLength(5);
    expect(await topicsFor('home/kitchen')).toEqual([]);
  });

  it('each filter of one SUBSCRIBE gets its own retained messages', async () => {
    const { client } = brokerHarness();
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'a', 'A', { retain: true });
    await publish(pub, 'b', 'B', { retain: true });
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'a', qos: 0 }, { topicFilter: 'b', qos: 0 }, { topicFilter: 'c', qos: 0 }]);
    expect(publishes(await drain(sub)).map(payloadText)).toEqual(['A', 'B']);
  });

  if (v === 4) {
    it('3.1.1: subscribing again to the same filter sends the retained messages again [MQTT-3.8.4-3]', async () => {
      const { client } = brokerHarness();
      const pub = await client(4).connect({ clientId: 'pub' });
      await publish(pub, 'r', 'x', { retain: true });
      const sub = await client(4).connect({ clientId: 'sub' });
      await subscribe(sub, [{ topicFilter: 'r', qos: 0 }]);
      await received(sub, { topic: 'r', retain: true });
      await subscribe(sub, [{ topicFilter: 'r', qos: 0 }]);
      await received(sub, { topic: 'r', retain: true });
    });
  }

  it('a retained message expires with its Message Expiry Interval, for every subscriber version [MQTT-3.3.2-5]', async () => {
    const { broker, client, clock } = brokerHarness();
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'news', 'fresh', { retain: true, properties: { messageExpiryInterval: 10 } });
    clock.advance(9_999);
    const early = await client(v).connect({ clientId: 'early' });
    await subscribe(early, [{ topicFilter: 'news', qos: 0 }]);
    const m = await received(early, { topic: 'news', retain: true });
    if (v === 5) expect(m.properties?.messageExpiryInterval).toBe(1);
    else expect(m.properties).toBeUndefined();
    clock.advance(1);
    const late = await client(v).connect({ clientId: 'late' });
    await subscribe(late, [{ topicFilter: 'news', qos: 0 }]);
    await late.expectNothing();
    expect(broker.retained.size).toBe(0);
  });

  it('retainAvailable false: nothing is stored', async () => {
    const { broker, client } = brokerHarness({ retainAvailable: false });
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'r', qos: 0 }]);
    const pub = await client(v).connect({ clientId: 'pub' });
    if (v === 4) {
      // 3.1.1 has no way to refuse it: routed as an ordinary message, acknowledged as usual
      expect(await publish(pub, 'r', 'x', { qos: 1, retain: true })).toBeUndefined();
      await received(sub, { topic: 'r', retain: false });
    } else {
      await publish(pub, 'r', 'plain', { qos: 1 });
      await received(sub, { topic: 'r', retain: false });
    }
    expect(broker.retained.size).toBe(0);
    const late = await client(v).connect({ clientId: 'late' });
    await subscribe(late, [{ topicFilter: 'r', qos: 0 }]);
    await late.expectNothing();
  });
});

describe('retained messages over MQTT 5.0 only', () => {
  it('a retained message waiting in the broker is sent with what is left of its Message Expiry Interval [MQTT-3.3.2-6]', async () => {
    const { client, clock } = brokerHarness();
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'news', 'x', { qos: 1, retain: true, properties: { messageExpiryInterval: 60 } });
    clock.advance(20_000);
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'news', qos: 1 }]);
    const m = await received(sub, { topic: 'news', retain: true });
    expect(m.properties?.messageExpiryInterval).toBe(40);
  });

  it('a retained message without Message Expiry Interval never expires', async () => {
    const { client, clock } = brokerHarness();
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'forever', 'x', { retain: true });
    clock.advance(365 * 24 * 3600 * 1000);
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'forever', qos: 0 }]);
    const m = await received(sub, { topic: 'forever', retain: true });
    expect(m.properties?.messageExpiryInterval).toBeUndefined();
  });

  it('a retained message keeps its properties: content type, user properties, response topic', async () => {
    const { client } = brokerHarness();
    const pub = await client(5).connect({ clientId: 'pub' });
    const properties = { contentType: 'application/json', payloadFormatIndicator: true, responseTopic: 'reply/here', userProperties: [['unit', 'C'], ['unit', 'F']] as [string, string][] };
    await publish(pub, 'cfg', '{"a":1}', { retain: true, properties });
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'cfg', qos: 0 }]);
    const m = await received(sub, { topic: 'cfg', retain: true });
    expect(m.properties).toEqual(properties);
  });

  it('Retain Handling with a wildcard filter: 1 sends all matching only when new, 2 sends none', async () => {
    const { client } = brokerHarness();
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'home/a', 'A', { retain: true });
    await publish(pub, 'home/b', 'B', { retain: true });
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'home/+', qos: 0, retainHandling: 1 }]);
    expect(publishes(await drain(sub)).map(payloadText).sort()).toEqual(['A', 'B']);
    await subscribe(sub, [{ topicFilter: 'home/+', qos: 0, retainHandling: 1 }]);
    expect(await drain(sub)).toEqual([]);
    await subscribe(sub, [{ topicFilter: 'home/#', qos: 0, retainHandling: 2 }]);
    expect(await drain(sub)).toEqual([]);
    await subscribe(sub, [{ topicFilter: 'home/#', qos: 0, retainHandling: 0 }]);
    expect(publishes(await drain(sub)).map(payloadText).sort()).toEqual(['A', 'B']);
  });

  it('Retain As Published does not matter on SUBSCRIBE: retained messages always come with RETAIN set', async () => {
    const { client } = brokerHarness();
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'r', 'x', { retain: true });
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'r', qos: 0, retainAsPublished: false }]);
    await received(sub, { topic: 'r', retain: true });
  });

  it('a retained message carries the Subscription Identifier of the SUBSCRIBE that fetched it', async () => {
    const { client } = brokerHarness();
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'r', 'x', { retain: true });
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'r', qos: 0 }], { subscriptionIdentifier: 42 });
    const m = await received(sub, { topic: 'r', retain: true });
    expect(m.properties?.subscriptionIdentifier).toBe(42);
  });

  it('retainAvailable false: CONNACK says so, and a PUBLISH with RETAIN gets DISCONNECT 0x9A [MQTT-3.2.2-14]', async () => {
    const { broker, client } = brokerHarness({ retainAvailable: false });
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'r', qos: 0 }]);
    const pub = client(5);
    expect((await connectAck(pub, { clientId: 'pub' })).properties?.retainAvailable).toBe(false);
    pub.send({ type: 'publish', topic: 'r', payload: new Uint8Array([1]), qos: 1, packetId: 1, retain: true, dup: false });
    const d = await expectDisconnect(pub, 0x9a);
    expect(d.properties?.reasonString).toMatch(/retain/);
    await sub.expectNothing();
    expect(broker.retained.size).toBe(0);
  });

  it('retainAvailable false: a will with RETAIN is refused with CONNACK 0x9A [MQTT-3.2.2-13]', async () => {
    const { client } = brokerHarness({ retainAvailable: false });
    const c = client(5);
    c.send({ type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 0, clientId: 'w', will: { topic: 'w', payload: new Uint8Array([1]), qos: 0, retain: true } });
    await c.expect({ type: 'connack', reasonCode: 0x9a });
    await c.expectClosed();
  });
});
