/** Small reads shared by several packet codecs. */
import { malformed, protocolError } from '../errors';
import type { Reader } from '../reader';
import { isReasonCodeAllowed, reasonInfo, type ReasonPacket } from '../reason-codes';
import type { BitField } from '../types';
import type { Writer } from '../writer';

/** A non-zero Packet Identifier [MQTT-2.2.1-3]. */
export function readPacketId(r: Reader): number {
  const at = r.pos;
  const id = r.u16('Packet Identifier');
  if (id === 0) throw protocolError('the Packet Identifier must not be 0', at); // [MQTT-2.2.1-3]
  return id;
}

export function writePacketId(w: Writer, id: number | undefined): void {
  if (id === undefined) throw malformed('cannot encode: this packet needs a packetId');
  w.u16(id, 'the packet identifier');
}

/** A 5.0 reason code that must be one of those defined for `packet` (§2.4). */
export function readReasonCode(r: Reader, packet: ReasonPacket, name = 'Reason Code'): number {
  const at = r.pos;
  const code = r.u8(name);
  const info = reasonInfo(code, packet);
  if (r.t) {
    const f = r.t.last!;
    f.value = hex(code);
    if (info) f.note = `${info.name}: ${info.meaning}`;
  }
  if (!isReasonCodeAllowed(packet, code)) {
    throw malformed(`${hex(code)} is not a reason code a ${packet.toUpperCase()} may carry`, at);
  }
  return code;
}

/** Attaches bit-level meanings to the byte just read (dissection only). */
export function traceBits(r: Reader, bits: BitField[]): void {
  if (r.t) r.t.last!.bits = bits;
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}
