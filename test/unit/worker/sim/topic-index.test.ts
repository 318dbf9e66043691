import { afterEach, describe, expect, it } from 'vitest';
import { defaultClientConfig } from '../../../../worker/sim/client-config';
import { Simulation } from '../../../../worker/sim/simulation';
import { settle, text } from '../../../helpers/broker-harness';

let sim: Simulation | undefined;
afterEach(() => sim?.dispose());

describe('the topic index', () => {
  it('counts every routed topic, keeps the last value and the retained marker, and the history of watched topics', async () => {
    sim = new Simulation({ schedule: () => {}, broker: { sysInterval: 0 } });
    sim.createClient(defaultClientConfig('pub', 'pub'));
    sim.connect('pub');
    await settle();
    sim.topics.watch('sensor/1/temperature', true);
    for (const v of ['17.2', '17.4']) sim.publish('pub', { topic: 'sensor/1/temperature', payload: text(`{"msg": "${v}"}`), qos: 0, retain: false });
    sim.publish('pub', { topic: 'status', payload: text('up'), qos: 1, retain: true });
    await settle();
    const stats = sim.topics.stats();
    expect(stats.map((s) => [s.topic, s.count, new TextDecoder().decode(s.last), s.retained])).toEqual([
      ['sensor/1/temperature', 2, '{"msg": "17.4"}', false],
      ['status', 1, 'up', true],
    ]);
    expect(sim.topics.history('sensor/1/temperature').map((h) => new TextDecoder().decode(h.payload))).toEqual(['{"msg": "17.2"}', '{"msg": "17.4"}']);
    expect(sim.topics.history('status')).toEqual([]);
    sim.deleteRetained('status');
    expect(sim.topics.stats().find((s) => s.topic === 'status')!.retained).toBe(false);
  });

  it('broker users: the password is hashed in the worker, and refused with a reason when empty', () => {
    sim = new Simulation({ schedule: () => {}, broker: { sysInterval: 0 } });
    sim.setUser('alice', 'wonderland');
    expect(sim.broker.config.users).toEqual([{ username: 'alice', password: expect.stringMatching(/^pbkdf2-sha256\$/) }]);
    expect(() => sim!.setUser('bob', '')).toThrow(/password/);
    sim.removeUser('alice');
    expect(sim.broker.config.users).toEqual([]);
  });
});
