/**
 * DISCONNECT (§3.14) and AUTH (§3.15): a reason code and properties, both
 * omitted when Success/Normal and empty. Before 5.0 DISCONNECT is empty and
 * AUTH does not exist.
 */
import { protocolError } from '../errors';
import { hasProperties, readProperties, writeProperties } from '../properties';
import type { Reader } from '../reader';
import type { AuthPacket, DisconnectPacket, ProtocolVersion } from '../types';
import type { Writer } from '../writer';
import { readReasonCode } from './common';

export function decodeDisconnect(r: Reader, version: ProtocolVersion): DisconnectPacket {
  const packet: DisconnectPacket = { type: 'disconnect' };
  if (version === 5) {
    const t = r.remaining > 0 ? r.t : null;
    if (t) t.open('Variable Header', r.pos);
    packet.reasonCode = r.remaining > 0 ? readReasonCode(r, 'disconnect') : 0;
    if (r.remaining > 0) {
      const properties = readProperties(r, 'disconnect');
      if (properties) packet.properties = properties;
    }
    if (t) t.close(r.pos);
  }
  r.done('DISCONNECT');
  return packet;
}

export function decodeAuth(r: Reader): AuthPacket {
  const t = r.remaining > 0 ? r.t : null;
  if (t) t.open('Variable Header', r.pos);
  const packet: AuthPacket = { type: 'auth', reasonCode: r.remaining > 0 ? readReasonCode(r, 'auth') : 0 };
  const at = r.pos;
  if (r.remaining > 0) {
    const properties = readProperties(r, 'auth');
    if (properties) packet.properties = properties;
  }
  if (t) t.close(r.pos);
  r.done('AUTH');
  // a missing Authentication Method (§3.15.2.2.2) is the receiver's to refuse: it knows the method in use
  if (packet.properties?.authenticationData && packet.properties.authenticationMethod === undefined) {
    throw protocolError('Authentication Data without an Authentication Method', at);
  }
  return packet;
}

/** Shared by DISCONNECT and AUTH: the shortest form that keeps the reason code and properties. */
export function encodeDisconnect(p: DisconnectPacket | AuthPacket, w: Writer, version: ProtocolVersion): number {
  if (version === 5 || p.type === 'auth') {
    const code = p.reasonCode ?? 0;
    const props = hasProperties(p.properties);
    if (code !== 0 || props) w.u8(code);
    // AUTH defines no form with a reason code but no property length; DISCONNECT does (§3.14.2.2.1)
    if (props || (p.type === 'auth' && code !== 0)) writeProperties(w, p.properties);
  }
  return p.type === 'auth' ? 0xf0 : 0xe0;
}
