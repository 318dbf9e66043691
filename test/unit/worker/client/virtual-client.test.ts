import { describe, expect, it } from 'vitest';
import { Broker } from '../../../../worker/broker';
import { VirtualClient, type ClientOptions, type VirtualClientEvent } from '../../../../worker/client';
import { VirtualClock } from '../../../../worker/time/clock';
import { createLinkPair } from '../../../../worker/transport/link';
import { settle, text } from '../../../helpers/broker-harness';

function setup() {
  const clock = new VirtualClock(1_000_000);
  const broker = new Broker({ sysInterval: 0 }, clock);
  const make = (o: Partial<ClientOptions>) => {
    const c = new VirtualClient({ clientId: 'c', version: 5, cleanStart: true, keepalive: 0, ...o }, clock, () => {
      const [a, b] = createLinkPair();
      broker.accept(b);
      return a;
    });
    const events: VirtualClientEvent[] = [];
    c.on((e) => events.push(e));
    return { c, events };
  };
  return { clock, broker, make };
}

describe('VirtualClient against the broker', () => {
  it('connects, subscribes, publishes at QoS 2 and receives exactly once', async () => {
    const { make } = setup();
    const sub = make({ clientId: 'sub' });
    const pub = make({ clientId: 'pub', version: 4 });
    sub.c.connect();
    pub.c.connect();
    await settle();
    expect(sub.c.status).toBe('connected');
    sub.c.subscribe([{ topicFilter: 'sensor/+/temperature', qos: 2 }]);
    await settle();
    expect(sub.events.find((e) => e.kind === 'subscribed')).toMatchObject({ reasonCodes: [2] });
    pub.c.publish({ topic: 'sensor/1/temperature', payload: text('17.2'), qos: 2, retain: false });
    await settle();
    const msgs = sub.events.filter((e) => e.kind === 'message');
    expect(msgs).toHaveLength(1);
    expect(pub.events.find((e) => e.kind === 'published')).toMatchObject({ qos: 2, reasonCode: 0 });
  });

  it('sends PINGREQ on keep alive, and the will fires when the client is killed', async () => {
    const { make, clock } = setup();
    const w = make({ clientId: 'w' });
    w.c.connect();
    await settle();
    w.c.subscribe([{ topicFilter: 'last_will', qos: 1 }]);
    const lw = make({ clientId: 'lw', keepalive: 5, will: { topic: 'last_will', payload: text('offline'), qos: 1, retain: true } });
    lw.c.connect();
    await settle();
    clock.advance(5000);
    await settle();
    expect(lw.events.some((e) => e.kind === 'pong')).toBe(true);
    lw.c.kill();
    await settle();
    expect(w.events.filter((e) => e.kind === 'message')).toHaveLength(1);
  });
});
