/**
 * decode: one whole packet's bytes to a Packet. The fixed header is read here
 * (§2.1); each packet type's codec reads the rest.
 */
import { PACKET_TYPES, REQUIRED_FLAGS } from './constants';
import { malformed } from './errors';
import { decodeAck } from './packets/ack';
import { decodeConnack } from './packets/connack';
import { decodeConnect } from './packets/connect';
import { decodeAuth, decodeDisconnect } from './packets/disconnect';
import { decodePublish } from './packets/publish';
import { decodeSuback, decodeUnsuback } from './packets/suback';
import { decodeSubscribe } from './packets/subscribe';
import { decodeUnsubscribe } from './packets/unsubscribe';
import { Reader } from './reader';
import type { Tracer } from './tracer';
import type { BitField, Packet, ProtocolVersion } from './types';

/**
 * Decodes exactly one packet. CONNECT carries its own protocol level, so
 * `version` matters only for the other types. Throws MqttError on any
 * violation of the specification.
 */
export function decode(bytes: Uint8Array, version: ProtocolVersion): Packet {
  return decodeTraced(bytes, version, null);
}

/** decode, reporting every field to `t` as it goes (used by dissect). */
export function decodeTraced(bytes: Uint8Array, version: ProtocolVersion, t: Tracer | null): Packet {
  const r = new Reader(bytes, 0, bytes.length, t);
  if (t) t.open('Fixed Header', 0);
  const first = r.u8('Packet Type and Flags');
  const typeCode = first >> 4;
  const flags = first & 0x0f;
  const type = PACKET_TYPES[typeCode];
  if (t) {
    t.last!.value = `0x${first.toString(16).padStart(2, '0')}`;
    t.last!.bits = headerBits(typeCode, flags);
    if (type) t.root.name = type.toUpperCase();
  }
  if (!type) throw malformed('packet type 0 is reserved', 0); // §2.1.2
  if (type === 'auth' && version !== 5) throw malformed('AUTH (type 15) exists only in MQTT 5.0; before it the type is reserved', 0);
  // MQTT 3.1 set DUP on re-sent PUBREL, SUBSCRIBE and UNSUBSCRIBE (0x6A, 0x8A, 0xAA)
  const v3Dup = version === 3 && flags === 0x0a && REQUIRED_FLAGS[type as 'pubrel'] === 2;
  if (type !== 'publish' && flags !== REQUIRED_FLAGS[type] && !v3Dup) {
    // reserved flag bits must have their fixed values [MQTT-2.1.3-1] (3.1.1: [MQTT-2.2.2-1])
    throw malformed(`the flags of a ${type.toUpperCase()} must be ${REQUIRED_FLAGS[type]}, not ${flags}`, 0);
  }
  const remaining = r.varint('Remaining Length');
  if (t) {
    t.last!.note += ` Here: ${remaining} byte${remaining === 1 ? '' : 's'} follow.`;
    t.close(r.pos);
  }
  const end = r.pos + remaining;
  if (end > bytes.length && !t) {
    throw malformed(`the remaining length says ${remaining} bytes follow, but only ${bytes.length - r.pos} do`, bytes.length);
  }
  // a truncated packet is still dissected as far as its bytes go;
  // the same reader goes on into the body, now bounded by the remaining length
  const bodyStart = r.pos;
  const body = r;
  body.end = Math.min(end, bytes.length);
  let packet: Packet;
  try {
    packet = decodeBody(body, type, flags, version);
  } catch (e) {
    // what a truncated body trips over first (an empty SUBSCRIBE...) is a symptom: report the truncation, as decode does
    if (end > bytes.length) throw malformed(`the remaining length says ${remaining} bytes follow, but only ${bytes.length - bodyStart} do`, bytes.length);
    throw e;
  }
  if (end > bytes.length) {
    throw malformed(`the remaining length says ${remaining} bytes follow, but only ${bytes.length - bodyStart} do`, bytes.length);
  }
  if (end < bytes.length) throw malformed(`${bytes.length - end} bytes follow the end of the packet`, end);
  return packet;
}

function decodeBody(r: Reader, type: Packet['type'], flags: number, version: ProtocolVersion): Packet {
  switch (type) {
    case 'connect': return decodeConnect(r);
    case 'connack': return decodeConnack(r, version);
    case 'publish': return decodePublish(r, flags, version);
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': return decodeAck(r, type, version);
    case 'subscribe': return decodeSubscribe(r, version);
    case 'suback': return decodeSuback(r, version);
    case 'unsubscribe': return decodeUnsubscribe(r, version);
    case 'unsuback': return decodeUnsuback(r, version);
    case 'pingreq':
    case 'pingresp':
      r.done(type.toUpperCase()); // [MQTT-3.12.1-1]: no variable header, no payload
      return { type };
    case 'disconnect': return decodeDisconnect(r, version);
    case 'auth': return decodeAuth(r);
  }
}

function headerBits(typeCode: number, flags: number): BitField[] {
  const type = PACKET_TYPES[typeCode];
  const bits: BitField[] = [
    { name: 'Packet Type', mask: 0xf0, value: typeCode, note: type ? `${typeCode} = ${type.toUpperCase()}` : `${typeCode} is reserved` },
  ];
  if (type === 'publish') {
    bits.push(
      { name: 'DUP', mask: 0x08, value: (flags & 8) !== 0, note: 'Set when this is a re-delivery of an earlier attempt.' },
      { name: 'QoS', mask: 0x06, value: (flags >> 1) & 3, note: '0 at most once, 1 at least once, 2 exactly once; 3 is not allowed.' },
      { name: 'RETAIN', mask: 0x01, value: (flags & 1) !== 0, note: 'The server keeps this message for future subscribers.' },
    );
  } else {
    const want = type ? REQUIRED_FLAGS[type] : 0;
    bits.push({ name: 'Reserved Flags', mask: 0x0f, value: flags, note: `Must be ${want} for this packet type.` });
  }
  return bits;
}
