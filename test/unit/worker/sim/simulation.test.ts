import { afterEach, describe, expect, it } from 'vitest';
import { defaultClientConfig, type ClientConfig } from '../../../../worker/sim/client-config';
import { Simulation, type PlaygroundBatch } from '../../../../worker/sim/simulation';
import { SimClock } from '../../../../worker/time/sim-clock';
import { settle, text } from '../../../helpers/broker-harness';
import { addClient, walkthrough } from '../../../helpers/walkthrough';

let sim: Simulation | undefined;
afterEach(() => sim?.dispose());

function setup() {
  const clock = new SimClock(1_000_000, () => 0);
  clock.pause();
  const flushes: (() => void)[] = [];
  sim = new Simulation({ clock, schedule: (f) => flushes.push(f), broker: { sysInterval: 0 } });
  const batches: PlaygroundBatch[] = [];
  sim.onBatch((b) => batches.push(b));
  const add = (name: string, o: Partial<ClientConfig> = {}) => addClient(sim!, name, o);
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  const received = (name: string) => sim!.messages(name).filter((m) => m.direction === 'received').map((m) => [m.topic, decode(m.payload)]);
  return { sim, clock, batches, add, received, flush: () => flushes.splice(0).forEach((f) => f()) };
}

describe('Simulation: the tutorial walkthrough', () => {
  it('wildcards, retained, persistent session and the will', async () => {
    const { sim, clock, received, batches, flush } = setup();
    for await (const stage of walkthrough(sim, clock)) {
      switch (stage) {
        case 'connected':
          expect(sim.view('Simple Demo').status).toBe('connected');
          break;
        case 'subscribed':
          expect(sim.view('Simple Demo').subscriptions[0]).toMatchObject({ state: 'active', reasonCode: 0 });
          break;
        case 'wildcards':
          expect(received('Simple Demo')).toEqual([['sensor/1/temperature', '{"msg": "17.2"}'], ['sensor/2/temperature', '{"msg": "18.2"}']]);
          expect(sim.messages('Simple Demo')[0]!.matched).toEqual(['sensor/+/temperature']);
          break;
        case 'retained':
          // a later subscription gets only the last
          expect(received('Sensor 2')).toEqual([['retained_message', 'second']]);
          break;
        case 'persistent':
          expect(received('MQTT V3')).toEqual([['clean_session_false', '1'], ['clean_session_false', '2'], ['clean_session_false', '3']]);
          break;
        case 'cut':
          expect(sim.view('Last Will').status).toBe('cut');
          break;
        case 'will-due':
          expect(received('Simple Demo').filter(([t]) => t === 'last_will')).toEqual([]);
          break;
        case 'will':
          expect(received('Simple Demo').filter(([t]) => t === 'last_will')).toEqual([['last_will', 'offline']]);
          break;
      }
    }

    // the capture saw it all, and lost frames on the cut link are marked
    flush();
    const entries = batches.flatMap((b) => b.capture?.entries ?? []);
    const frames = entries.filter((e) => e.kind === 'frame');
    expect(frames.some((f) => f.kind === 'frame' && f.type === 'publish' && f.topic === 'sensor/1/temperature')).toBe(true);
    // the PINGREQ on the cut link: not yet sent to the UI, so its entry carries the loss itself
    expect(frames.some((f) => f.kind === 'frame' && f.type === 'pingreq' && f.lost)).toBe(true);
    expect(entries.some((e) => e.kind === 'event' && e.event.kind === 'will-published')).toBe(true);
    const pub = frames.find((f) => f.kind === 'frame' && f.type === 'publish')!;
    const d = sim.capture.dissection(pub.seq)!;
    expect(d.tree.name).toBe('PUBLISH');
  });

  it('latency delays delivery on the virtual clock', async () => {
    const { sim, clock, add, received } = setup();
    add('a');
    add('b');
    await settle();
    sim.subscribe('a', { topicFilter: 't', qos: 0 });
    await settle();
    sim.setNetwork('b', { latency: 500 });
    sim.publish('b', { topic: 't', payload: text('x'), qos: 0, retain: false });
    await settle();
    expect(received('a')).toEqual([]);
    clock.advance(500);
    await settle();
    expect(received('a')).toEqual([['t', 'x']]);
  });

  it('refuses an invalid configuration field by field', () => {
    const { sim } = setup();
    expect(() => sim.createClient({ ...defaultClientConfig('x', ''), version: 4, cleanStart: false, keepalive: -1 })).toThrow(/Keep Alive/);
  });
});

describe('the broker snapshot', () => {
  it('has sessions with their state, retained messages and the subscription tree', async () => {
    const { sim, add } = setup();
    add('a', { version: 5 });
    add('b', { version: 4, cleanStart: false });
    await settle();
    sim.subscribe('a', { topicFilter: 'sensor/+/temperature', qos: 1 });
    sim.subscribe('b', { topicFilter: 'sensor/#', qos: 0 });
    sim.subscribe('a', { topicFilter: '$share/g/sensor/+/temperature', qos: 0 });
    sim.publish('a', { topic: 'status', payload: text('up'), qos: 0, retain: true });
    await settle();
    const snap = sim.brokerSnapshot();
    expect(snap.sessions.map((s) => [s.clientId, s.online, s.subscriptions.length])).toEqual([['a', true, 2], ['b', true, 1]]);
    expect(snap.retained.map((r) => r.topic)).toEqual(['status']);
    const sensor = snap.subscriptionTree.children.find((c) => c.level === 'sensor')!;
    expect(sensor.children.map((c) => c.filter)).toEqual(['sensor/#', 'sensor/+']);
    const temp = sensor.children[1]!.children[0]!;
    expect(temp.filter).toBe('sensor/+/temperature');
    expect(temp.subscribers).toEqual([{ clientId: 'a', qos: 1, group: undefined }, { clientId: 'a', qos: 0, group: 'g' }]);
    sim.disconnect('b');
    await settle();
    expect(sim.brokerSnapshot().sessions.find((s) => s.clientId === 'b')).toMatchObject({ online: false, expiresAt: undefined, expiryInterval: 0xffffffff });
  });
});

describe('the broker view goes stale', () => {
  it('when a message is queued for an offline session', async () => {
    const { sim, add, batches, flush } = setup();
    add('persistent', { version: 4, cleanStart: false });
    add('pub', { version: 4 });
    await settle();
    sim.subscribe('persistent', { topicFilter: 't', qos: 1 });
    await settle();
    sim.disconnect('persistent');
    await settle();
    flush();
    batches.length = 0;
    sim.publish('pub', { topic: 't', payload: text('x'), qos: 1, retain: false });
    await settle();
    flush();
    expect(batches.some((b) => b.brokerChanged)).toBe(true);
    expect(sim.brokerSnapshot().sessions.find((s) => s.clientId === 'persistent')!.queued).toBe(1);
  });
});
