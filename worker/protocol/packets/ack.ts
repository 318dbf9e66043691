/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP (§3.4-3.7): the acknowledgements of the
 * QoS 1 and QoS 2 flows share one layout. In 5.0 the reason code and the
 * properties may be left out when they are Success and empty.
 */
import { readProperties, writeProperties } from '../properties';
import type { Reader } from '../reader';
import type { AckPacket, ProtocolVersion } from '../types';
import type { Writer } from '../writer';
import { readPacketId, readReasonCode } from './common';

type AckType = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp';

export function decodeAck<T extends AckType>(r: Reader, type: T, version: ProtocolVersion): AckPacket<T> {
  const t = r.t;
  if (t) t.open('Variable Header', r.pos);
  const packetId = readPacketId(r);
  const packet: AckPacket<T> = { type, packetId };
  if (version === 5) {
    // Remaining Length 2: Success, no properties; 3: no properties [MQTT-3.4.2-1]..
    packet.reasonCode = r.remaining > 0 ? readReasonCode(r, type) : 0;
    if (r.remaining > 0) {
      const properties = readProperties(r, type);
      if (properties) packet.properties = properties;
    }
  }
  if (t) t.close(r.pos);
  r.done(type.toUpperCase());
  return packet;
}

const FIRST_BYTE: Record<AckType, number> = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 };

export function encodeAck(p: AckPacket<AckType>, w: Writer, version: ProtocolVersion, withProperties: boolean): number {
  w.u16(p.packetId, 'the packet identifier');
  if (version === 5) {
    const code = p.reasonCode ?? 0;
    if (code !== 0 || withProperties) w.u8(code);
    if (withProperties) writeProperties(w, p.properties);
  }
  return FIRST_BYTE[p.type];
}
