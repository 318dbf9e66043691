import { describe, expect, it } from 'vitest';
import { brokerHarness, text } from '../../../helpers/broker-harness';

describe('broker smoke', () => {
  it('routes a wildcard subscription, retains, and downgrades QoS', async () => {
    const { client } = brokerHarness();
    const sub = await client(5).connect({ clientId: 'Simple Demo' });
    sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'sensor/+/temperature', qos: 1 }] });
    await sub.expect({ type: 'suback', packetId: 1, reasonCodes: [1] });
    const pub = await client(4).connect({ clientId: 'Sensor 1' });
    pub.send({ type: 'publish', topic: 'sensor/1/temperature', payload: text('{"msg": "17.2"}'), qos: 1, retain: false, dup: false, packetId: 9 });
    await pub.expect({ type: 'puback', packetId: 9 });
    const m = await sub.expect({ type: 'publish', topic: 'sensor/1/temperature', qos: 1, retain: false });
    expect(new TextDecoder().decode(m.payload)).toBe('{"msg": "17.2"}');
    sub.send({ type: 'puback', packetId: m.packetId!, reasonCode: 0 });
    pub.send({ type: 'publish', topic: 'sensor/2/temperature', payload: text('x'), qos: 2, retain: true, dup: false, packetId: 10 });
    await pub.expect({ type: 'pubrec', packetId: 10 });
    pub.send({ type: 'pubrel', packetId: 10 });
    await pub.expect({ type: 'pubcomp', packetId: 10 });
    await sub.expect({ type: 'publish', topic: 'sensor/2/temperature', qos: 1, retain: false });
    const late = await client(4).connect({ clientId: 'late' });
    late.send({ type: 'subscribe', packetId: 2, subscriptions: [{ topicFilter: 'sensor/#', qos: 0 }] });
    await late.expect({ type: 'suback', reasonCodes: [0] });
    await late.expect({ type: 'publish', topic: 'sensor/2/temperature', qos: 0, retain: true });
  });

  it('publishes the will after 1.5 x keep alive', async () => {
    const { client, clock } = brokerHarness();
    const watcher = await client(4).connect({ clientId: 'watcher' });
    watcher.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'last_will', qos: 1 }] });
    await watcher.expect({ type: 'suback' });
    await client(4).connect({ clientId: 'Last Will', keepalive: 5, will: { topic: 'last_will', payload: text('offline'), qos: 1, retain: true } });
    clock.advance(7400);
    await watcher.expectNothing();
    clock.advance(100);
    const w = await watcher.expect({ type: 'publish', topic: 'last_will', qos: 1 });
    expect(new TextDecoder().decode(w.payload)).toBe('offline');
  });
});
