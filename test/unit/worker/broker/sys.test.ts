import { describe, expect, it } from 'vitest';
import type { PublishPacket } from '../../../../worker/protocol';
import { brokerHarness, type TestClient } from '../../../helpers/broker-harness';
import { drain, payloadText, publish, publishes, subscribe } from '../../../helpers/broker-steps';

/** The $SYS values among what `c` received since last asked, by topic. */
async function sysValues(c: TestClient): Promise<Record<string, string>> {
  const got = publishes(await drain(c));
  for (const p of got) expect(p.topic.startsWith('$SYS/')).toBe(true);
  return Object.fromEntries(got.map((p: PublishPacket) => [p.topic, payloadText(p)]));
}

const num = (values: Record<string, string>, topic: string): number => {
  const v = values[`$SYS/broker/${topic}`];
  expect(v, topic).toMatch(/^\d+$/);
  return Number(v);
};

/** A broker with $SYS every 10 s, and a 5.0 watcher of $SYS/#; returns the first values it got. */
async function watched(config = {}) {
  const h = brokerHarness({ sysInterval: 10, version: 'playground-test 9.9.9', ...config });
  const watcher = await h.client(5).connect({ clientId: 'watcher' });
  await subscribe(watcher, [{ topicFilter: '$SYS/#', qos: 0 }]);
  const first = await sysValues(watcher);
  return { ...h, watcher, first };
}

describe('$SYS topics', () => {
  it('are retained: a $SYS/# subscriber gets them at once, with RETAIN set', async () => {
    const { client } = brokerHarness({ sysInterval: 10 });
    const w = await client(4).connect({ clientId: 'w' });
    await subscribe(w, [{ topicFilter: '$SYS/#', qos: 0 }]);
    const got = publishes(await drain(w));
    expect(got.length).toBeGreaterThanOrEqual(10);
    for (const p of got) expect(p.retain).toBe(true);
    expect(got.map((p) => p.topic)).toEqual(expect.arrayContaining([
      '$SYS/broker/version', '$SYS/broker/uptime', '$SYS/broker/clients/connected', '$SYS/broker/clients/total',
      '$SYS/broker/messages/received', '$SYS/broker/messages/sent', '$SYS/broker/bytes/received', '$SYS/broker/bytes/sent',
      '$SYS/broker/subscriptions/count', '$SYS/broker/retained messages/count',
    ]));
  });

  it('are published again every sysInterval seconds of the virtual clock, not before', async () => {
    const { clock, watcher, first } = await watched();
    expect(first['$SYS/broker/version']).toBe('playground-test 9.9.9');
    expect(first['$SYS/broker/uptime']).toBe('0 seconds');
    clock.advance(9_999);
    await watcher.expectNothing();
    clock.advance(1);
    const second = await sysValues(watcher);
    expect(Object.keys(second).sort()).toEqual(Object.keys(first).sort());
    expect(second['$SYS/broker/uptime']).toBe('10 seconds');
    clock.advance(50_000);
    const later = publishes(await drain(watcher));
    expect(later).toHaveLength(5 * Object.keys(first).length);
    expect(later.filter((p) => p.topic === '$SYS/broker/uptime').map(payloadText)).toEqual(['20 seconds', '30 seconds', '40 seconds', '50 seconds', '60 seconds']);
  });

  it('count clients connected, disconnected and in total (sessions)', async () => {
    const { client, clock, watcher, first } = await watched();
    // the retained values are those of the start, before anyone connected
    expect([num(first, 'clients/connected'), num(first, 'clients/total')]).toEqual([0, 0]);
    const a = await client(4).connect({ clientId: 'a' });
    await client(5).connect({ clientId: 'b' });
    const keeps = await client(5).connect({ clientId: 'keeps', properties: { sessionExpiryInterval: 600 } });
    clock.advance(10_000);
    let v = await sysValues(watcher);
    expect([num(v, 'clients/connected'), num(v, 'clients/disconnected'), num(v, 'clients/total')]).toEqual([4, 0, 4]);
    a.close(); // 3.1.1 Clean Session: the session ends with the connection
    keeps.send({ type: 'disconnect', reasonCode: 0 }); // its session stays
    await keeps.expectClosed();
    clock.advance(10_000);
    v = await sysValues(watcher);
    expect([num(v, 'clients/connected'), num(v, 'clients/disconnected'), num(v, 'clients/total')]).toEqual([2, 1, 3]);
    expect(num(v, 'connections/total')).toBe(4);
  });

  it('count messages received and sent, and bytes both ways', async () => {
    const { broker, client, clock, watcher, first } = await watched();
    const topics = Object.keys(first).length;
    const sub = await client(5).connect({ clientId: 'sub' });
    await subscribe(sub, [{ topicFilter: 'x', qos: 0 }]);
    const pub = await client(5).connect({ clientId: 'pub' });
    clock.advance(10_000);
    const before = await sysValues(watcher);
    for (let i = 0; i < 3; i++) await publish(pub, 'x', `${i}`, { qos: 1 });
    await publish(pub, 'nobody', 'listens');
    const bytesIn = broker.stats.bytesReceived;
    const bytesOut = broker.stats.bytesSent;
    clock.advance(10_000);
    const after = await sysValues(watcher);
    expect(num(after, 'messages/received') - num(before, 'messages/received')).toBe(4);
    // the three to sub, and the watcher's own $SYS messages of the previous update
    expect(num(after, 'messages/sent') - num(before, 'messages/sent')).toBe(3 + topics);
    expect(num(after, 'bytes/received')).toBe(bytesIn);
    expect(num(after, 'bytes/sent')).toBe(bytesOut);
    expect(num(after, 'bytes/received')).toBeGreaterThan(num(before, 'bytes/received'));
    expect(num(after, 'bytes/sent')).toBeGreaterThan(num(before, 'bytes/sent'));
  });

  it('count subscriptions and retained messages', async () => {
    const { client, clock, watcher } = await watched();
    clock.advance(10_000);
    const before = await sysValues(watcher);
    const c = await client(5).connect({ clientId: 'c' });
    await subscribe(c, [{ topicFilter: 'a', qos: 0 }, { topicFilter: 'b/#', qos: 1 }, { topicFilter: '$share/g/c', qos: 0 }]);
    await publish(c, 'kept/1', 'x', { retain: true });
    await publish(c, 'kept/2', 'y', { retain: true });
    clock.advance(10_000);
    const after = await sysValues(watcher);
    expect(num(after, 'subscriptions/count') - num(before, 'subscriptions/count')).toBe(3);
    expect(num(after, 'retained messages/count') - num(before, 'retained messages/count')).toBe(2);
  });

  it('are not seen by a # subscriber, nor by filters starting with + [MQTT-4.7.2-1]', async () => {
    const { client, clock } = brokerHarness({ sysInterval: 10 });
    const all = await client(5).connect({ clientId: 'all' });
    await subscribe(all, [{ topicFilter: '#', qos: 0 }, { topicFilter: '+/broker/#', qos: 0 }, { topicFilter: '+/broker/uptime', qos: 0 }]);
    await all.expectNothing();
    clock.advance(30_000);
    await all.expectNothing();
    const pub = await client(5).connect({ clientId: 'pub' });
    await publish(pub, 'plain/topic', 'seen');
    expect(publishes(await drain(all)).map((p) => p.topic)).toEqual(['plain/topic']);
  });

  it('a filter naming $SYS sees exactly its topics', async () => {
    const { client, clock } = brokerHarness({ sysInterval: 10 });
    const w = await client(5).connect({ clientId: 'w' });
    await subscribe(w, [{ topicFilter: '$SYS/broker/+/connected', qos: 0 }]);
    expect(publishes(await drain(w)).map((p) => p.topic)).toEqual(['$SYS/broker/clients/connected']);
    clock.advance(10_000);
    const p = publishes(await drain(w));
    expect(p.map((x) => [x.topic, payloadText(x)])).toEqual([['$SYS/broker/clients/connected', '1']]);
  });

  it('sysInterval 0 publishes none', async () => {
    const { broker, client, clock } = brokerHarness({ sysInterval: 0 });
    const w = await client(5).connect({ clientId: 'w' });
    await subscribe(w, [{ topicFilter: '$SYS/#', qos: 0 }]);
    clock.advance(3600_000);
    await w.expectNothing();
    expect(broker.retained.size).toBe(0);
  });

  it('configure() with a new sysInterval takes effect at once', async () => {
    const { broker, clock, watcher } = await watched();
    broker.configure({ sysInterval: 2 });
    await sysValues(watcher); // published again on reconfiguring
    clock.advance(2_000);
    expect(Object.keys(await sysValues(watcher)).length).toBeGreaterThan(0);
    broker.configure({ sysInterval: 0 });
    await drain(watcher);
    clock.advance(60_000);
    await watcher.expectNothing();
  });

  it('broker.close() stops the updates', async () => {
    const { broker, clock } = await watched();
    const uptime = () => payloadText({ payload: broker.retained.get('$SYS/broker/uptime')!.payload } as PublishPacket);
    broker.close();
    clock.advance(60_000);
    expect(uptime()).toBe('0 seconds');
  });
});
