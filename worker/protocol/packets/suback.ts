/** SUBACK (§3.9) and UNSUBACK (§3.11): one result per requested topic filter. */
import { malformed } from '../errors';
import { readProperties, writeProperties } from '../properties';
import type { Reader } from '../reader';
import type { ProtocolVersion, SubackPacket, UnsubackPacket } from '../types';
import type { Writer } from '../writer';
import { hex, readPacketId, readReasonCode } from './common';

const V4_SUBACK_CODES = new Set([0x00, 0x01, 0x02, 0x80]);
const V4_SUBACK_NAMES: Record<number, string> = { 0: 'Success, maximum QoS 0', 1: 'Success, maximum QoS 1', 2: 'Success, maximum QoS 2', 0x80: 'Failure' };

function readCodes(r: Reader, packet: 'suback' | 'unsuback', version: ProtocolVersion): number[] {
  const t = r.t;
  if (t) t.open('Payload', r.pos);
  if (r.remaining === 0) throw malformed(`a ${packet.toUpperCase()} must carry at least one reason code`, r.pos);
  const codes: number[] = [];
  while (r.remaining > 0) {
    if (version === 5) codes.push(readReasonCode(r, packet));
    else {
      const at = r.pos;
      const code = r.u8('Return Code');
      if (t) {
        t.last!.value = hex(code);
        t.last!.note = V4_SUBACK_NAMES[code] ?? 'Reserved';
      }
      if (!V4_SUBACK_CODES.has(code)) throw malformed(`${hex(code)} is not a SUBACK return code (0, 1, 2 or 0x80)`, at); // [MQTT-3.9.3-2]
      codes.push(code);
    }
  }
  if (t) t.close(r.pos);
  return codes;
}

export function decodeSuback(r: Reader, version: ProtocolVersion): SubackPacket {
  const t = r.t;
  if (t) t.open('Variable Header', r.pos);
  const packetId = readPacketId(r);
  const properties = version === 5 ? readProperties(r, 'suback') : undefined;
  if (t) t.close(r.pos);
  const packet: SubackPacket = { type: 'suback', packetId, reasonCodes: readCodes(r, 'suback', version) };
  if (properties) packet.properties = properties;
  return packet;
}

export function decodeUnsuback(r: Reader, version: ProtocolVersion): UnsubackPacket {
  const t = r.t;
  if (t) t.open('Variable Header', r.pos);
  const packetId = readPacketId(r);
  const properties = version === 5 ? readProperties(r, 'unsuback') : undefined;
  if (t) t.close(r.pos);
  const packet: UnsubackPacket = { type: 'unsuback', packetId };
  // 3.1.1's UNSUBACK is only the packet identifier
  if (version === 5) packet.reasonCodes = readCodes(r, 'unsuback', version);
  else r.done('UNSUBACK');
  if (properties) packet.properties = properties;
  return packet;
}

export function encodeSuback(p: SubackPacket | UnsubackPacket, w: Writer, version: ProtocolVersion): number {
  w.u16(p.packetId, 'the packet identifier');
  if (version === 5) writeProperties(w, p.properties);
  if (p.type === 'suback' || version === 5) for (const c of p.reasonCodes ?? []) w.u8(c);
  return p.type === 'suback' ? 0x90 : 0xb0;
}
