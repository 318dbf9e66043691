/** CONNACK (§3.2): the server's answer to CONNECT. */
import { malformed, protocolError } from '../errors';
import { readProperties, writeProperties } from '../properties';
import type { Reader } from '../reader';
import { CONNACK_RETURN_CODES } from '../reason-codes';
import type { ConnackPacket, ProtocolVersion } from '../types';
import type { Writer } from '../writer';
import { hex, readReasonCode, traceBits } from './common';

export function decodeConnack(r: Reader, version: ProtocolVersion): ConnackPacket {
  const t = r.t;
  if (t) t.open('Variable Header', r.pos);
  const flagsAt = r.pos;
  const flags = r.u8('Connect Acknowledge Flags');
  // MQTT 3.1 had no Session Present: the byte was unused
  const sessionPresent = version > 3 && (flags & 0x01) !== 0;
  if (version > 3) {
    traceBits(r, [
      { name: 'Reserved', mask: 0xfe, value: flags >> 1, note: 'Must be 0.' },
      { name: 'Session Present', mask: 0x01, value: sessionPresent, note: 'The server already had a session for this client and resumes it.' },
    ]);
    if (flags & 0xfe) throw malformed('the reserved bits 7-1 of the Connect Acknowledge Flags must be 0', flagsAt); // [MQTT-3.2.2-1]
  }
  const codeAt = r.pos;
  let reasonCode: number;
  if (version === 5) reasonCode = readReasonCode(r, 'connack', 'Connect Reason Code');
  else {
    reasonCode = r.u8('Connect Return Code');
    const info = CONNACK_RETURN_CODES[reasonCode];
    if (t) {
      t.last!.value = hex(reasonCode);
      if (info) t.last!.note = `${info.name}: ${info.meaning}`;
    }
    if (!info) throw malformed(`return code ${reasonCode} is reserved; 3.1.1 defines 0 to 5`, codeAt);
  }
  if (sessionPresent && reasonCode !== 0) {
    throw protocolError('Session Present must be 0 when the connection is refused', flagsAt); // [MQTT-3.2.2-6] (3.1.1: [MQTT-3.2.2-4])
  }
  const properties = version === 5 ? readProperties(r, 'connack') : undefined;
  if (properties?.authenticationData && properties.authenticationMethod === undefined) {
    throw protocolError('Authentication Data without an Authentication Method', flagsAt);
  }
  if (t) t.close(r.pos);
  r.done('CONNACK');
  const packet: ConnackPacket = { type: 'connack', sessionPresent, reasonCode };
  if (properties) packet.properties = properties;
  return packet;
}

export function encodeConnack(p: ConnackPacket, w: Writer, version: ProtocolVersion): number {
  w.u8(version > 3 && p.sessionPresent ? 1 : 0);
  w.u8(p.reasonCode);
  if (version === 5) writeProperties(w, p.properties);
  return 0x20;
}
