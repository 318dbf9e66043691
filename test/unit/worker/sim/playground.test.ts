import { describe, expect, it } from 'vitest';
import { createPlayground } from '../../../../worker/sim/playground';

describe('createPlayground', () => {
  it('reports the three protocol levels, each verified by a round trip', () => {
    const s = createPlayground('node').status();
    expect(s.host).toBe('node');
    expect(s.versions.map((v) => [v.level, v.label, v.protocolName])).toEqual([
      [3, 'MQTT 3.1', 'MQIsdp'],
      [4, 'MQTT 3.1.1', 'MQTT'],
      [5, 'MQTT 5.0', 'MQTT'],
    ]);
    expect(s.selfCheck).toEqual({ ok: true, bytes: expect.any(Number) });
    // CONNECT for 'self-check': 3.1 is 2 bytes longer (MQIsdp), 5.0 one longer (empty properties)
    if (s.selfCheck.ok) expect(s.selfCheck.bytes).toBe(26 + 24 + 25);
  });
});
