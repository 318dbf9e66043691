/**
 * The acknowledgements (§4.3): PUBACK and PUBCOMP end an outbound flow and
 * let the queue move; PUBREC moves a QoS 2 flow to PUBREL; PUBREL from the
 * client releases the packet identifier of an inbound QoS 2 message.
 */
import type { PubackPacket, PubcompPacket, PubrecPacket, PubrelPacket } from '../../protocol';
import type { Connection } from '../connection';

export function handlePuback(c: Connection, p: PubackPacket): void {
  const s = c.session!;
  if (s.complete(p.packetId, 'publish', 1)) {
    s.pump(c.broker.clock.now());
    c.broker.sessionChanged(s);
  }
}

export function handlePubrec(c: Connection, p: PubrecPacket): void {
  const s = c.session!;
  const v5 = c.version === 5;
  if ((p.reasonCode ?? 0) >= 0x80) {
    // the receiver refused the message: the flow ends here [MQTT-4.3.3-4]
    if (s.complete(p.packetId, 'publish', 2)) s.pump(c.broker.clock.now());
    return;
  }
  const known = s.received(p.packetId);
  c.send({ type: 'pubrel', packetId: p.packetId, ...(v5 ? { reasonCode: known ? 0 : 0x92 } : {}) }); // [MQTT-4.3.3-4]
  if (known) c.broker.sessionChanged(s);
}

export function handlePubcomp(c: Connection, p: PubcompPacket): void {
  const s = c.session!;
  if (s.complete(p.packetId, 'pubrel')) {
    s.pump(c.broker.clock.now());
    c.broker.sessionChanged(s);
  }
}

export function handlePubrel(c: Connection, p: PubrelPacket): void {
  const s = c.session!;
  const known = s.awaitingRel.delete(p.packetId);
  c.send({ type: 'pubcomp', packetId: p.packetId, ...(c.version === 5 ? { reasonCode: known ? 0 : 0x92 } : {}) }); // [MQTT-4.3.3-11]
  if (known) c.broker.sessionChanged(s);
}
