import { describe, expect, it } from 'vitest';
import type { QoS } from '../../../../../worker/protocol';
import { brokerHarness } from '../../../../helpers/broker-harness';
import {
  ack, connectAck, drain, expectDisconnect, payloadText, publish, publishes, received, subscribe, unsubscribe,
} from '../../../../helpers/broker-steps';

const versions = [[4, '3.1.1'], [5, '5.0']] as const;
/** SUBACK failure: 3.1.1 knows only 0x80 [MQTT-3.9.3-2]; 5.0 says why. */
const failure = (v: 4 | 5, code5: number) => (v === 5 ? code5 : 0x80);

describe.each(versions)('SUBSCRIBE over MQTT %s (v%s)', (v, label) => {
  it('sensor/+/temperature receives the JSON readings of two sensors, and nothing else', async () => {
    const { client } = brokerHarness();
    const app = await client(v).connect({ clientId: 'Simple Demo' });
    expect(await subscribe(app, [{ topicFilter: 'sensor/+/temperature', qos: 1 }])).toEqual([1]);
    const s1 = await client(v).connect({ clientId: 'Sensor 1' });
    const s2 = await client(v).connect({ clientId: 'Sensor 2' });
    await publish(s1, 'sensor/1/temperature', '{"msg": "17.2"}', { qos: 1 });
    await publish(s2, 'sensor/2/temperature', '{"msg": "18.9"}', { qos: 1 });
    await publish(s1, 'sensor/1/humidity', '{"msg": "40"}', { qos: 1 });
    await publish(s1, 'sensor/1/temperature/raw', '172', { qos: 1 });
    await publish(s1, 'sensor/temperature', '0', { qos: 1 });
    const got = publishes(await drain(app));
    expect(got.map((p) => [p.topic, p.qos, JSON.parse(payloadText(p))])).toEqual([
      ['sensor/1/temperature', 1, { msg: '17.2' }],
      ['sensor/2/temperature', 1, { msg: '18.9' }],
    ]);
  });

  it.each([
    [0, 0, 0], [0, 1, 0], [0, 2, 0],
    [1, 0, 0], [1, 1, 1], [1, 2, 1],
    [2, 0, 0], [2, 1, 1], [2, 2, 2],
  ] as [QoS, QoS, QoS][])(
    `granted QoS %i, published QoS %i: delivered at QoS %i, the lower of the two ${v === 5 ? '[MQTT-3.8.4-8]' : '[MQTT-3.8.4-6]'}`,
    async (granted, published, delivered) => {
      const { client } = brokerHarness();
      const sub = await client(v).connect({ clientId: 'sub' });
      expect(await subscribe(sub, [{ topicFilter: 'q', qos: granted }])).toEqual([granted]);
      const pub = await client(v).connect({ clientId: 'pub' });
      await publish(pub, 'q', 'x', { qos: published });
      const m = await received(sub, { topic: 'q', qos: delivered });
      expect(m.packetId === undefined).toBe(delivered === 0);
      await ack(sub, m);
      await sub.expectNothing();
    },
  );

  it.each([
    [1, [2, 1, 0], [1, 1, 0]],
    [0, [2, 1, 0], [0, 0, 0]],
  ] as [QoS, QoS[], number[]][])('maximumQoS %i lowers the grant: asked %j, granted %j', async (maximumQoS, asked, granted) => {
    const { client } = brokerHarness({ maximumQoS });
    const sub = await client(v).connect({ clientId: 'sub' });
    expect(await subscribe(sub, asked.map((qos, i) => ({ topicFilter: `t/${i}`, qos })))).toEqual(granted);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 't/0', 'x', { qos: maximumQoS });
    await received(sub, { topic: 't/0', qos: maximumQoS });
  });

  it(`overlapping subscriptions give one copy at the highest QoS among them ${v === 5 ? '[MQTT-3.3.4-2]' : '[MQTT-3.3.5-1]'}`, async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    expect(await subscribe(sub, [{ topicFilter: 'home/#', qos: 0 }, { topicFilter: 'home/+', qos: 2 }, { topicFilter: 'home/kitchen', qos: 1 }])).toEqual([0, 2, 1]);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'home/kitchen', 'a', { qos: 2 });
    const m = await received(sub, { topic: 'home/kitchen', qos: 2 });
    await ack(sub, m);
    await publish(pub, 'home/kitchen', 'b', { qos: 1 });
    await ack(sub, await received(sub, { topic: 'home/kitchen', qos: 1 }));
    await publish(pub, 'home', 'c', { qos: 2 }); // only home/# matches
    await received(sub, { topic: 'home', qos: 0 });
    await sub.expectNothing();
  });

  it('subscribing again to the same filter replaces the subscription [MQTT-3.8.4-3]', async () => {
    const { broker, client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    expect(await subscribe(sub, [{ topicFilter: 'a/+', qos: 0 }])).toEqual([0]);
    expect(await subscribe(sub, [{ topicFilter: 'a/+', qos: 2 }])).toEqual([2]);
    expect(broker.registry.subscriptionCount).toBe(1);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'a/b', 'x', { qos: 2 });
    await ack(sub, await received(sub, { topic: 'a/b', qos: 2 }));
    await sub.expectNothing();
  });

  it(`one SUBSCRIBE with many filters answers one code per filter, in order ${v === 5 ? '[MQTT-3.8.4-5] [MQTT-3.9.3-1]' : '[MQTT-3.8.4-4] [MQTT-3.9.3-1]'}`, async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    expect(await subscribe(sub, [{ topicFilter: 'x', qos: 2 }, { topicFilter: 'y', qos: 0 }, { topicFilter: 'z/#', qos: 1 }])).toEqual([2, 0, 1]);
  });

  it(`a subscription the ACL denies gets 0x${failure(v, 0x87).toString(16)} and receives nothing; the others in the packet go ahead`, async () => {
    const { client } = brokerHarness({ acl: [{ permission: 'deny', action: 'subscribe', topic: 'secret/#' }] });
    const sub = await client(v).connect({ clientId: 'sub' });
    expect(await subscribe(sub, [{ topicFilter: 'public/+', qos: 1 }, { topicFilter: 'secret/+', qos: 1 }, { topicFilter: '#', qos: 0 }])).toEqual([1, failure(v, 0x87), failure(v, 0x87)]);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'secret/plans', 'x', { qos: 1 });
    await publish(pub, 'public/news', 'y', { qos: 1 });
    const got = publishes(await drain(sub));
    expect(got.map((p) => p.topic)).toEqual(['public/news']);
  });

  it(`a wildcard filter where wildcards are not available gets 0x${failure(v, 0xa2).toString(16)}`, async () => {
    const { client } = brokerHarness({ wildcardSubscriptionAvailable: false });
    const sub = await client(v).connect({ clientId: 'sub' });
    expect(await subscribe(sub, [{ topicFilter: 'a/+', qos: 1 }, { topicFilter: 'a/b', qos: 1 }, { topicFilter: '#', qos: 1 }])).toEqual([failure(v, 0xa2), 1, failure(v, 0xa2)]);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'a/b', 'x');
    await publish(pub, 'a/c', 'y');
    expect(publishes(await drain(sub)).map((p) => p.topic)).toEqual(['a/b']);
  });

  it('UNSUBSCRIBE stops the deliveries of that filter only [MQTT-3.10.4-1]', async () => {
    const { broker, client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'a', qos: 0 }, { topicFilter: 'b', qos: 0 }]);
    const un = await unsubscribe(sub, ['a']);
    expect(broker.registry.subscriptionCount).toBe(1);
    const pub = await client(v).connect({ clientId: 'pub' });
    await publish(pub, 'a', '1');
    await publish(pub, 'b', '2');
    expect(publishes(await drain(sub)).map((p) => p.topic)).toEqual(['b']);
    if (v === 5) expect(un.reasonCodes).toEqual([0x00]);
    else expect(un.reasonCodes).toBeUndefined(); // the 3.1.1 UNSUBACK has no payload
  });

  it(`UNSUBSCRIBE of filters never subscribed is still answered ${v === 5 ? 'with 0x11 for each' : 'with a plain UNSUBACK'} [MQTT-3.10.4-5]`, async () => {
    const { client } = brokerHarness();
    const sub = await client(v).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'a/+', qos: 0 }]);
    const un = await unsubscribe(sub, ['a/+', 'a/b', 'nothing', 'a/+']);
    if (v === 5) expect(un.reasonCodes).toEqual([0x00, 0x11, 0x11, 0x11]); // [MQTT-3.11.3-1]: one per filter, in order
    else expect(un.reasonCodes).toBeUndefined();
    await sub.expectNothing();
  });

  it(`${label}: a client subscribed to what it publishes receives its own messages${v === 5 ? ' without No Local' : ''}`, async () => {
    const { client } = brokerHarness();
    const me = await client(v).connect({ clientId: 'me' });
    await subscribe(me, [{ topicFilter: 'echo', qos: 0 }]);
    await publish(me, 'echo', 'hello');
    await received(me, { topic: 'echo', qos: 0 });
  });
});

describe('SUBSCRIBE over MQTT 3.1.1 only', () => {
  it('$share/{group}/{filter} is an ordinary filter in 3.1.1: it matches its own topic name, not the shared one', async () => {
    const { client } = brokerHarness();
    const old = await client(4).connect({ clientId: 'old' });
    expect(await subscribe(old, [{ topicFilter: '$share/g/jobs', qos: 1 }])).toEqual([1]);
    const member = await client(5).connect({ clientId: 'member' });
    expect(await subscribe(member, [{ topicFilter: '$share/g/jobs', qos: 1 }])).toEqual([1]);
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'jobs', 'one', { qos: 1 });
    await received(member, { topic: 'jobs' });
    await old.expectNothing();
    await publish(pub, '$share/g/jobs', 'literal', { qos: 1 });
    const m = await received(old, { topic: '$share/g/jobs' });
    expect(payloadText(m)).toBe('literal');
    await member.expectNothing();
  });

  it('the 3.1.1 UNSUBACK carries no reason codes, even for a filter never subscribed', async () => {
    const { client } = brokerHarness();
    const c = await client(4).connect({ clientId: 'c' });
    const un = await unsubscribe(c, ['never/subscribed']);
    expect(un).toEqual({ type: 'unsuback', packetId: un.packetId });
  });
});

describe('SUBSCRIBE over MQTT 5.0 only', () => {
  it('overlapping subscriptions give one copy carrying every matching Subscription Identifier [MQTT-3.3.4-3] [MQTT-3.3.4-4]', async () => {
    const { client } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'home/+', qos: 1 }], { subscriptionIdentifier: 1 });
    await subscribe(sub, [{ topicFilter: 'home/#', qos: 0 }], { subscriptionIdentifier: 2 });
    await subscribe(sub, [{ topicFilter: '#', qos: 0 }]); // no identifier
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'home/kitchen', 'a', { qos: 1 });
    const m = await received(sub, { topic: 'home/kitchen', qos: 1 });
    expect([m.properties?.subscriptionIdentifier].flat().sort()).toEqual([1, 2]);
    await ack(sub, m);
    await publish(pub, 'home', 'b', { qos: 1 }); // home/# and #
    const h = await received(sub, { topic: 'home', qos: 0 });
    expect(h.properties?.subscriptionIdentifier).toBe(2);
    await publish(pub, 'garden', 'c', { qos: 1 }); // # only
    const g = await received(sub, { topic: 'garden', qos: 0 });
    expect(g.properties?.subscriptionIdentifier).toBeUndefined();
    await sub.expectNothing();
  });

  it('the Subscription Identifier of a SUBSCRIBE applies to each of its filters, and a replacing SUBSCRIBE replaces it', async () => {
    const { client } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'x/1', qos: 0 }, { topicFilter: 'x/2', qos: 0 }], { subscriptionIdentifier: 268_435_455 });
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'x/1', 'a');
    await publish(pub, 'x/2', 'b');
    expect((await received(sub, { topic: 'x/1' })).properties?.subscriptionIdentifier).toBe(268_435_455);
    expect((await received(sub, { topic: 'x/2' })).properties?.subscriptionIdentifier).toBe(268_435_455);
    await subscribe(sub, [{ topicFilter: 'x/1', qos: 0 }]);
    await publish(pub, 'x/1', 'c');
    expect((await received(sub, { topic: 'x/1' })).properties?.subscriptionIdentifier).toBeUndefined();
  });

  it('CONNACK says what is available; a SUBSCRIBE with a Subscription Identifier where none are available gets DISCONNECT 0xA1', async () => {
    const { client } = brokerHarness({ subscriptionIdentifiersAvailable: false, wildcardSubscriptionAvailable: false, sharedSubscriptionAvailable: false });
    const sub = client(5);
    const connack = await connectAck(sub, { clientId: 'sub' });
    expect(connack.properties).toMatchObject({ subscriptionIdentifiersAvailable: false, wildcardSubscriptionAvailable: false, sharedSubscriptionAvailable: false });
    sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a', qos: 0 }], properties: { subscriptionIdentifier: 1 } });
    const d = await expectDisconnect(sub, 0xa1);
    expect(d.properties?.reasonString).toBeTruthy();
  });

  it('a SUBSCRIBE without a Subscription Identifier is fine where none are available', async () => {
    const { client } = brokerHarness({ subscriptionIdentifiersAvailable: false });
    const sub = await client(5).connect({ clientId: 'sub' });
    expect(await subscribe(sub, [{ topicFilter: 'a', qos: 0 }])).toEqual([0]);
  });

  it('No Local: a client does not get its own messages on that subscription [MQTT-3.8.3-3]', async () => {
    const { client } = brokerHarness();
    const alice = await client(5).connect({ clientId: 'alice' });
    await subscribe(alice, [{ topicFilter: 'chat/#', qos: 0, noLocal: true }]);
    const bob = await client(5).connect({ clientId: 'bob' });
    await subscribe(bob, [{ topicFilter: 'chat/#', qos: 0 }]);
    await publish(alice, 'chat/room', 'from alice');
    await publish(bob, 'chat/room', 'from bob');
    expect(publishes(await drain(alice)).map(payloadText)).toEqual(['from bob']);
    expect(publishes(await drain(bob)).map(payloadText)).toEqual(['from alice', 'from bob']);
  });

  it('No Local on one subscription does not hide a message another overlapping subscription of the same client matches', async () => {
    const { client } = brokerHarness();
    const alice = await client(5).connect({ clientId: 'alice' });
    await subscribe(alice, [{ topicFilter: 'chat/#', qos: 0, noLocal: true }, { topicFilter: 'chat/alerts', qos: 0 }]);
    await publish(alice, 'chat/room', 'quiet');
    await publish(alice, 'chat/alerts', 'loud');
    expect(publishes(await drain(alice)).map(payloadText)).toEqual(['loud']);
  });

  it('PUBACK 0x10 when the only matching subscription is the publisher\'s own with No Local', async () => {
    const { client } = brokerHarness();
    const alice = await client(5).connect({ clientId: 'alice' });
    await subscribe(alice, [{ topicFilter: 'chat', qos: 1, noLocal: true }]);
    expect(await publish(alice, 'chat', 'x', { qos: 1 })).toBe(0x10);
  });

  it('Retain As Published keeps the RETAIN flag of a live message [MQTT-3.3.1-13]; without it RETAIN is 0 [MQTT-3.3.1-12]', async () => {
    const { client } = brokerHarness();
    const keeps = await client(5).connect({ clientId: 'keeps' });
    await subscribe(keeps, [{ topicFilter: 'status', qos: 0, retainAsPublished: true }]);
    const clears = await client(5).connect({ clientId: 'clears' });
    await subscribe(clears, [{ topicFilter: 'status', qos: 0 }]);
    const old = await client(4).connect({ clientId: 'old' });
    await subscribe(old, [{ topicFilter: 'status', qos: 0 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'status', 'online', { retain: true });
    await received(keeps, { topic: 'status', retain: true });
    await received(clears, { topic: 'status', retain: false });
    await received(old, { topic: 'status', retain: false }); // 3.1.1 [MQTT-3.3.1-9]
    await publish(pub, 'status', 'plain');
    await received(keeps, { topic: 'status', retain: false });
    await received(clears, { topic: 'status', retain: false });
  });

  it('Retain As Published on one of two overlapping subscriptions keeps the flag on the single copy', async () => {
    const { client } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'status/#', qos: 0 }, { topicFilter: 'status/+', qos: 0, retainAsPublished: true }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'status/a', 'online', { retain: true });
    await received(sub, { topic: 'status/a', retain: true });
    await sub.expectNothing();
  });

  describe('Retain Handling', () => {
    async function withRetained() {
      const h = brokerHarness();
      const pub = await h.client(5).connect({ clientId: 'pub' });
      await publish(pub, 'rh/a', 'kept', { qos: 1, retain: true });
      const sub = await h.client(5).connect({ clientId: 'sub' });
      return { ...h, sub };
    }

    it('0: retained messages are sent at every SUBSCRIBE, new or replacing [MQTT-3.3.1-9]', async () => {
      const { sub } = await withRetained();
      await subscribe(sub, [{ topicFilter: 'rh/#', qos: 0, retainHandling: 0 }]);
      await received(sub, { topic: 'rh/a', retain: true });
      await subscribe(sub, [{ topicFilter: 'rh/#', qos: 0, retainHandling: 0 }]);
      await received(sub, { topic: 'rh/a', retain: true });
      await sub.expectNothing();
    });

    it('1: retained messages are sent only when the subscription is new [MQTT-3.3.1-10]', async () => {
      const { sub } = await withRetained();
      await subscribe(sub, [{ topicFilter: 'rh/#', qos: 0, retainHandling: 1 }]);
      await received(sub, { topic: 'rh/a', retain: true });
      await subscribe(sub, [{ topicFilter: 'rh/#', qos: 0, retainHandling: 1 }]);
      await sub.expectNothing();
      await unsubscribe(sub, ['rh/#']);
      await subscribe(sub, [{ topicFilter: 'rh/#', qos: 0, retainHandling: 1 }]);
      await received(sub, { topic: 'rh/a', retain: true });
    });

    it('2: retained messages are never sent on SUBSCRIBE [MQTT-3.3.1-11], while live messages flow', async () => {
      const { sub, client } = await withRetained();
      await subscribe(sub, [{ topicFilter: 'rh/#', qos: 0, retainHandling: 2 }]);
      await sub.expectNothing();
      const pub = await client(5).connect({ clientId: 'pub2' });
      await publish(pub, 'rh/b', 'live');
      await received(sub, { topic: 'rh/b', retain: false });
    });
  });

  describe('shared subscriptions $share/{group}/{filter}', () => {
    it('deliver each message to one member of each group, in turn, while ordinary subscribers get every message', async () => {
      const { client } = brokerHarness();
      const members = await Promise.all(['a', 'b', 'c'].map(async (id) => {
        const m = await client(5).connect({ clientId: id });
        expect(await subscribe(m, [{ topicFilter: '$share/workers/jobs/+', qos: 1 }])).toEqual([1]);
        return m;
      }));
      const other = await client(5).connect({ clientId: 'other-group' });
      await subscribe(other, [{ topicFilter: '$share/audit/jobs/#', qos: 0 }]);
      const plain = await client(5).connect({ clientId: 'plain' });
      await subscribe(plain, [{ topicFilter: 'jobs/+', qos: 0 }]);
      const pub = await client(5).connect({ clientId: 'pub' });
      for (let i = 1; i <= 6; i++) expect(await publish(pub, `jobs/${i}`, `job ${i}`, { qos: 1 })).toBe(0);
      const got = await Promise.all(members.map(async (m) => publishes(await drain(m)).map(payloadText)));
      expect(got).toEqual([['job 1', 'job 4'], ['job 2', 'job 5'], ['job 3', 'job 6']]);
      expect(publishes(await drain(other))).toHaveLength(6);
      expect(publishes(await drain(plain))).toHaveLength(6);
    });

    it('each member gets the QoS it was granted [MQTT-4.8.2-3]', async () => {
      const { client } = brokerHarness();
      const low = await client(5).connect({ clientId: 'low' });
      await subscribe(low, [{ topicFilter: '$share/g/t', qos: 0 }]);
      const high = await client(5).connect({ clientId: 'high' });
      await subscribe(high, [{ topicFilter: '$share/g/t', qos: 2 }]);
      const pub = await client(5).connect({ clientId: 'pub' });
      await publish(pub, 't', '1', { qos: 2 });
      await publish(pub, 't', '2', { qos: 2 });
      await received(low, { topic: 't', qos: 0 });
      await received(high, { topic: 't', qos: 2 });
    });

    it('skip members that are offline while others are online', async () => {
      const { client } = brokerHarness();
      const a = await client(5).connect({ clientId: 'a' });
      await subscribe(a, [{ topicFilter: '$share/g/t', qos: 1 }]);
      const b = await client(5).connect({ clientId: 'b' });
      await subscribe(b, [{ topicFilter: '$share/g/t', qos: 1 }]);
      const c = await client(5).connect({ clientId: 'c', properties: { sessionExpiryInterval: 60 } });
      await subscribe(c, [{ topicFilter: '$share/g/t', qos: 1 }]);
      c.send({ type: 'disconnect', reasonCode: 0 });
      await c.expectClosed();
      const pub = await client(5).connect({ clientId: 'pub' });
      for (let i = 1; i <= 4; i++) await publish(pub, 't', `${i}`, { qos: 1 });
      expect(publishes(await drain(a)).map(payloadText)).toEqual(['1', '3']);
      expect(publishes(await drain(b)).map(payloadText)).toEqual(['2', '4']);
      const back = await client(5).connect({ clientId: 'c', cleanStart: false, properties: { sessionExpiryInterval: 60 } });
      await back.expectNothing();
    });

    it('queue for an offline member in turn when no member is online', async () => {
      const { client } = brokerHarness();
      const c = await client(5).connect({ clientId: 'c', properties: { sessionExpiryInterval: 60 } });
      await subscribe(c, [{ topicFilter: '$share/g/t', qos: 1 }]);
      c.close();
      await c.expectClosed();
      const pub = await client(5).connect({ clientId: 'pub' });
      expect(await publish(pub, 't', 'while away', { qos: 1 })).toBe(0);
      const back = client(5);
      expect((await connectAck(back, { clientId: 'c', cleanStart: false, properties: { sessionExpiryInterval: 60 } })).sessionPresent).toBe(true);
      await received(back, { topic: 't', qos: 1 });
    });

    it('a member leaving has its queued messages given to the others, with their own Subscription Identifier', async () => {
      const { client } = brokerHarness();
      const a = await client(5).connect({ clientId: 'a', properties: { receiveMaximum: 1 } });
      await subscribe(a, [{ topicFilter: '$share/g/jobs', qos: 1 }], { subscriptionIdentifier: 1 });
      const b = await client(5).connect({ clientId: 'b' });
      await subscribe(b, [{ topicFilter: '$share/g/jobs', qos: 1 }], { subscriptionIdentifier: 2 });
      const pub = await client(5).connect({ clientId: 'pub' });
      for (let i = 1; i <= 4; i++) await publish(pub, 'jobs', `job ${i}`, { qos: 1 });
      // a's window of 1 is full with job 1: job 3 waits in its queue
      const firstA = publishes(await drain(a));
      expect(firstA.map(payloadText)).toEqual(['job 1']);
      expect(firstA[0]!.properties?.subscriptionIdentifier).toBe(1);
      expect(publishes(await drain(b)).map(payloadText)).toEqual(['job 2', 'job 4']);
      a.close(); // session expiry 0: a's session ends with job 1 unacknowledged
      await a.expectClosed();
      const moved = publishes(await drain(b));
      // queued job 3 at once; QoS 1 job 1 in flight as the session ended (§4.8.2 SHOULD)
      expect(moved.map(payloadText)).toEqual(['job 3', 'job 1']);
      for (const m of moved) expect(m.properties?.subscriptionIdentifier).toBe(2);
    });

    it('a member that keeps its session keeps its in-flight message, gets it again with DUP, while its queue goes to others', async () => {
      const { client } = brokerHarness();
      const a = await client(5).connect({ clientId: 'a', properties: { receiveMaximum: 1, sessionExpiryInterval: 60 } });
      await subscribe(a, [{ topicFilter: '$share/g/jobs', qos: 1 }]);
      const b = await client(5).connect({ clientId: 'b' });
      await subscribe(b, [{ topicFilter: '$share/g/jobs', qos: 1 }]);
      const pub = await client(5).connect({ clientId: 'pub' });
      for (let i = 1; i <= 3; i++) await publish(pub, 'jobs', `job ${i}`, { qos: 1 });
      expect(publishes(await drain(a)).map(payloadText)).toEqual(['job 1']);
      expect(publishes(await drain(b)).map(payloadText)).toEqual(['job 2']);
      a.close();
      await a.expectClosed();
      expect(publishes(await drain(b)).map(payloadText)).toEqual(['job 3']);
      const back = await client(5).connect({ clientId: 'a', cleanStart: false, properties: { receiveMaximum: 1, sessionExpiryInterval: 60 } });
      const again = await received(back, { topic: 'jobs', dup: true, qos: 1 });
      expect(payloadText(again)).toBe('job 1');
      await back.expectNothing();
    });

    it('a QoS 2 message in flight to a member whose session ends is not sent to another member [MQTT-4.8.2-5]', async () => {
      const { client } = brokerHarness();
      const a = await client(5).connect({ clientId: 'a' });
      await subscribe(a, [{ topicFilter: '$share/g/pay', qos: 2 }]);
      const b = await client(5).connect({ clientId: 'b' });
      await subscribe(b, [{ topicFilter: '$share/g/pay', qos: 2 }]);
      const pub = await client(5).connect({ clientId: 'pub' });
      await publish(pub, 'pay', 'once only', { qos: 2 });
      await received(a, { topic: 'pay', qos: 2 }); // no PUBREC yet
      a.close();
      await a.expectClosed();
      await b.expectNothing();
    });

    it('get no retained messages on SUBSCRIBE', async () => {
      const { client } = brokerHarness();
      const pub = await client(5).connect({ clientId: 'pub' });
      await publish(pub, 'jobs/1', 'retained', { qos: 1, retain: true });
      const m = await client(5).connect({ clientId: 'm' });
      expect(await subscribe(m, [{ topicFilter: '$share/g/jobs/#', qos: 1, retainHandling: 0 }])).toEqual([1]);
      await m.expectNothing();
      const plain = await client(5).connect({ clientId: 'plain' });
      await subscribe(plain, [{ topicFilter: 'jobs/#', qos: 1 }]);
      await received(plain, { topic: 'jobs/1', retain: true });
    });

    it('UNSUBSCRIBE leaves the group (0x00), and a second one finds nothing (0x11)', async () => {
      const { client } = brokerHarness();
      const a = await client(5).connect({ clientId: 'a' });
      await subscribe(a, [{ topicFilter: '$share/g/t', qos: 0 }]);
      const b = await client(5).connect({ clientId: 'b' });
      await subscribe(b, [{ topicFilter: '$share/g/t', qos: 0 }]);
      expect((await unsubscribe(a, ['$share/g/t'])).reasonCodes).toEqual([0x00]);
      expect((await unsubscribe(a, ['$share/g/t', '$share/other/t'])).reasonCodes).toEqual([0x11, 0x11]);
      const pub = await client(5).connect({ clientId: 'pub' });
      for (let i = 0; i < 3; i++) await publish(pub, 't', `${i}`);
      expect(publishes(await drain(a))).toEqual([]);
      expect(publishes(await drain(b))).toHaveLength(3);
    });

    it('a shared and an ordinary subscription of the same client each deliver', async () => {
      const { client } = brokerHarness();
      const a = await client(5).connect({ clientId: 'a' });
      await subscribe(a, [{ topicFilter: '$share/g/t', qos: 0 }, { topicFilter: 't', qos: 0 }]);
      const pub = await client(5).connect({ clientId: 'pub' });
      await publish(pub, 't', 'x');
      expect(publishes(await drain(a))).toHaveLength(2);
    });

    it('where shared subscriptions are not available they get 0x9E, and the other filters are granted', async () => {
      const { client } = brokerHarness({ sharedSubscriptionAvailable: false });
      const a = await client(5).connect({ clientId: 'a' });
      expect(await subscribe(a, [{ topicFilter: '$share/g/t', qos: 1 }, { topicFilter: 't', qos: 1 }])).toEqual([0x9e, 1]);
    });

    it('No Local on a shared subscription is a Protocol Error: DISCONNECT 0x82 [MQTT-3.8.3-4]', async () => {
      const { client } = brokerHarness();
      const a = await client(5).connect({ clientId: 'a' });
      a.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: '$share/g/t', qos: 0, noLocal: true }] });
      await expectDisconnect(a, 0x82);
    });
  });
});
