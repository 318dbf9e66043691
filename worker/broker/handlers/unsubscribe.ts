/** UNSUBSCRIBE (§3.10.4): remove each filter; 5.0 says per filter whether it existed. */
import type { UnsubscribePacket } from '../../protocol';
import type { Connection } from '../connection';

export function handleUnsubscribe(c: Connection, p: UnsubscribePacket): void {
  const b = c.broker;
  const s = c.session!;
  const reasonCodes = p.topicFilters.map((f) => {
    const existed = b.registry.unsubscribe(s, f); // [MQTT-3.10.4-1]
    b.emit({ kind: 'unsubscribed', clientId: c.clientId, topicFilter: f, existed });
    return existed ? 0x00 : 0x11; // 0x11 No subscription existed
  });
  c.send(c.version === 5 ? { type: 'unsuback', packetId: p.packetId, reasonCodes } : { type: 'unsuback', packetId: p.packetId }); // [MQTT-3.10.4-4]
  b.sessionChanged(s);
}
