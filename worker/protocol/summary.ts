/**
 * One line per packet, like Wireshark's Info column: what the packet log
 * shows before anyone asks for the full dissection.
 *
 *   PUBLISH sensor/1/temperature QoS 1 id=7 retain (15 B payload)
 *   SUBACK id=1 granted [1, 0x87 Not authorized]
 */
import { decode } from './decode';
import { MqttError } from './errors';
import { PACKET_TYPES } from './constants';
import { reasonName, type ReasonPacket } from './reason-codes';
import type { Packet, PacketType, ProtocolVersion } from './types';

export interface PacketSummary {
  /** The packet type, or undefined when even the type nibble is invalid. */
  type: PacketType | undefined;
  /** The decoded packet, when it decodes. */
  packet: Packet | undefined;
  /** Why it does not decode. */
  error: string | undefined;
  reasonCode: number | undefined;
  text: string;
}

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

export function summarize(bytes: Uint8Array, version: ProtocolVersion): PacketSummary {
  const nibble = bytes.length ? bytes[0]! >> 4 : 0;
  const type = PACKET_TYPES[nibble];
  try {
    const packet = decode(bytes, version);
    return { type: packet.type, packet, error: undefined, reasonCode: reasonOf(packet), text: describe(packet) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { type, packet: undefined, error: msg, reasonCode: e instanceof MqttError ? e.reasonCode : undefined, text: `${type ? type.toUpperCase() : 'Malformed'}: ${msg}` };
  }
}

function reasonOf(p: Packet): number | undefined {
  return 'reasonCode' in p ? p.reasonCode : undefined;
}

function rc(code: number | undefined, packet: ReasonPacket): string {
  return code === undefined || code === 0 ? '' : ` ${hex(code)} ${reasonName(code, packet)}`;
}

export function describe(p: Packet): string {
  switch (p.type) {
    case 'connect': {
      const parts = [`CONNECT "${p.clientId}"`, p.protocolVersion === 5 ? '5.0' : p.protocolVersion === 4 ? '3.1.1' : '3.1'];
      parts.push(p.protocolVersion === 5 ? (p.cleanStart ? 'clean start' : 'resume') : p.cleanStart ? 'clean session' : 'persistent session');
      parts.push(`keep alive ${p.keepalive} s`);
      if (p.will) parts.push(`will → ${p.will.topic}`);
      if (p.username !== undefined) parts.push(`user "${p.username}"`);
      return parts.join(', ');
    }
    case 'connack':
      return `CONNACK ${p.reasonCode === 0 ? 'accepted' : `refused ${hex(p.reasonCode)}`}${p.sessionPresent ? ', session present' : ''}`;
    case 'publish': {
      const flags = [`QoS ${p.qos}`];
      if (p.packetId !== undefined) flags.push(`id=${p.packetId}`);
      if (p.retain) flags.push('retain');
      if (p.dup) flags.push('DUP');
      const alias = p.properties?.topicAlias;
      const topic = p.topic || (alias !== undefined ? `(alias ${alias})` : '""');
      return `PUBLISH ${topic} ${flags.join(' ')} (${p.payload.length} B payload)`;
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return `${p.type.toUpperCase()} id=${p.packetId}${rc(p.reasonCode, p.type)}`;
    case 'subscribe':
      return `SUBSCRIBE id=${p.packetId} ${p.subscriptions.map((s) => `${s.topicFilter} (QoS ${s.qos})`).join(', ')}`;
    case 'suback':
      return `SUBACK id=${p.packetId} [${p.reasonCodes.map((c) => (c < 0x80 ? String(c) : `${hex(c)} ${reasonName(c, 'suback')}`)).join(', ')}]`;
    case 'unsubscribe':
      return `UNSUBSCRIBE id=${p.packetId} ${p.topicFilters.join(', ')}`;
    case 'unsuback':
      return `UNSUBACK id=${p.packetId}${p.reasonCodes ? ` [${p.reasonCodes.map(hex).join(', ')}]` : ''}`;
    case 'pingreq':
      return 'PINGREQ';
    case 'pingresp':
      return 'PINGRESP';
    case 'disconnect':
      return `DISCONNECT${p.reasonCode ? ` ${hex(p.reasonCode)} ${reasonName(p.reasonCode, 'disconnect')}` : ''}`;
    case 'auth':
      return `AUTH ${hex(p.reasonCode)} ${reasonName(p.reasonCode, 'auth')}${p.properties?.authenticationMethod ? ` (${p.properties.authenticationMethod})` : ''}`;
  }
}
