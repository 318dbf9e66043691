import { afterEach, describe, expect, it } from 'vitest';
import { Simulation } from '../../../../worker/sim/simulation';
import { defaultClientConfig } from '../../../../worker/sim/client-config';
import { runLoad } from '../../../../worker/sim/load';
import { SimClock } from '../../../../worker/time/sim-clock';
import { settle } from '../../../helpers/broker-harness';

let sim: Simulation | undefined;
afterEach(() => sim?.dispose());

describe('sensor fleets', () => {
  it('publish every interval on the clock, spread over it, and stop', async () => {
    const clock = new SimClock(0, () => 0);
    clock.pause();
    sim = new Simulation({ clock, schedule: () => {}, broker: { sysInterval: 0 } });
    sim.createClient(defaultClientConfig('Simple Demo', 'demo'));
    sim.connect('Simple Demo');
    const fleet = sim.sensors.start({ name: 'Sensor', count: 40, topic: 'sensor/{i}/temperature', intervalMs: 1000, qos: 0, retain: false, version: 4, format: 'msg' });
    await settle();
    sim.subscribe('Simple Demo', { topicFilter: 'sensor/+/temperature', qos: 0 });
    await settle();
    expect(sim.views().filter((v) => v.name.startsWith('Sensor ')).every((v) => v.status === 'connected')).toBe(true);
    clock.advance(500);
    await settle();
    const half = sim.messages('Simple Demo').length;
    expect(half).toBe(20); // half of the slots in half the interval
    clock.advance(500);
    await settle();
    const got = sim.messages('Simple Demo');
    expect(got).toHaveLength(40);
    expect(new Set(got.map((m) => m.topic)).size).toBe(40);
    expect(new TextDecoder().decode(got[0]!.payload)).toMatch(/^\{"msg": "-?\d+\.\d"\}$/);
    sim.sensors.stop(fleet.id);
    expect(sim.views().map((v) => v.name)).toEqual(['Simple Demo']);
    expect(() => sim!.sensors.start({ name: 'x', count: 1, topic: 'no-number', intervalMs: 1000, qos: 0, retain: false, version: 4, format: 'msg' })).toThrow(/\{i\}/);
  });
});

describe('runLoad', () => {
  it('floods one subscriber from many publishers and counts every message', async () => {
    sim = new Simulation({ schedule: () => {}, broker: { sysInterval: 0 } });
    const r = await runLoad(sim, { publishers: 10, topic: 'sensor/{i}/temperature', filter: 'sensor/+/temperature', qos: 0, messagesPerPublisher: 100, payloadBytes: 16, version: 4 });
    expect(r).toMatchObject({ published: 1000, received: 1000, captured: expect.any(Number) });
    expect(r.captured).toBeGreaterThanOrEqual(2000);
    expect(sim.views()).toEqual([]);
  });
});
