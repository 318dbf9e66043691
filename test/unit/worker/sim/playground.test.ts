import { afterEach, describe, expect, it } from 'vitest';
import { createPlayground } from '../../../../worker/sim/playground';
import { defaultClientConfig } from '../../../../worker/sim/client-config';

let pg: ReturnType<typeof createPlayground> | undefined;
afterEach(() => pg?.simulation.dispose());

describe('createPlayground', () => {
  it('reports the three protocol levels, each verified by a round trip', () => {
    pg = createPlayground({ host: 'node', broker: { sysInterval: 0 } });
    const s = pg.status();
    expect(s.host).toBe('node');
    expect(s.versions.map((v) => [v.level, v.label, v.protocolName])).toEqual([
      [3, 'MQTT 3.1', 'MQIsdp'],
      [4, 'MQTT 3.1.1', 'MQTT'],
      [5, 'MQTT 5.0', 'MQTT'],
    ]);
    // CONNECT for 'self-check': 3.1 is 2 bytes longer (MQIsdp), 5.0 one longer (empty properties)
    expect(s.selfCheck).toEqual({ ok: true, bytes: 26 + 24 + 25 });
    expect(s.broker).toMatchObject({ maximumQoS: 2, retainAvailable: true, sessions: 0, connected: 0 });
  });

  it('answers a wrong request with its reasons instead of throwing', () => {
    pg = createPlayground({ host: 'node', broker: { sysInterval: 0 } });
    const r = pg.createClient({ ...defaultClientConfig('', 'x'), keepalive: 70000 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toMatchObject({ name: expect.any(String), keepalive: expect.any(String) });
    expect(pg.connect('nobody')).toEqual({ ok: false, error: 'no connection named "nobody"' });
    expect(pg.setCaptureBatchLimit(5)).toEqual({ ok: false, error: 'the batch limit must be an integer from 10 to 10,000' });
    expect(pg.setCaptureBatchLimit(1000)).toEqual({ ok: true, value: undefined });
    expect(pg.simulation.capture.batchLimit).toBe(1000);
  });
});
