/**
 * What the broker will do with bytes written on an established connection,
 * worked out in the page with the same codec the broker uses: it cuts the
 * stream at the Remaining Length (so a length that says more than there is
 * makes it wait, and one that says less leaves bytes for a next packet),
 * decodes the first packet, and then applies the few rules that depend only
 * on the connection being established (a second CONNECT, packets only a
 * server sends). A 5.0 broker answers a failure with DISCONNECT and the
 * reason code; a 3.1/3.1.1 broker can only close the connection.
 */
import { decode, isReasonCodeAllowed, MqttError, type Packet, type PacketType, type ProtocolVersion } from '../../../worker/protocol';

export type Prediction =
  | { kind: 'empty' }
  /** The Remaining Length promises `need` more bytes: the broker waits for them. */
  | { kind: 'waits'; need: number }
  /** A rule is broken: `reason` is decode's message, or `rule` names a rule of the connection's state. */
  | { kind: 'fails'; reasonCode: number; reason: string | undefined; rule: StateRule | undefined; extra: number }
  /** Well formed: the broker acts on it; `reply` is the packet it answers with, if any. */
  | { kind: 'accepted'; packet: Packet; reply: PacketType | undefined; extra: number }
  /** A DISCONNECT from the client: the broker closes the connection normally. */
  | { kind: 'closes'; extra: number };

/** Rules that depend on the connection, not on the bytes alone. */
export type StateRule = 'second-connect' | 'server-only' | 'auth';

/** Length of the first packet by its fixed header: -1 if the header is cut short, -2 if the length is malformed. */
export function frameLength(bytes: Uint8Array): number {
  let len = 0;
  let mult = 1;
  for (let i = 1; i <= 4; i++) {
    if (i >= bytes.length) return -1;
    const b = bytes[i]!;
    len += (b & 0x7f) * mult;
    if ((b & 0x80) === 0) return 1 + i + len;
    mult *= 128;
  }
  return -2;
}

const SERVER_ONLY: PacketType[] = ['connack', 'suback', 'unsuback', 'pingresp'];
const REPLIES: Partial<Record<PacketType, PacketType>> = { subscribe: 'suback', unsubscribe: 'unsuback', pingreq: 'pingresp', pubrec: 'pubrel', pubrel: 'pubcomp' };

export function predict(bytes: Uint8Array, version: ProtocolVersion): Prediction {
  if (bytes.length === 0) return { kind: 'empty' };
  const total = frameLength(bytes);
  if (total === -1) return { kind: 'waits', need: 1 };
  if (total > bytes.length) return { kind: 'waits', need: total - bytes.length };
  const first = total < 0 ? bytes : bytes.subarray(0, total);
  const extra = total < 0 ? 0 : bytes.length - total;
  let packet: Packet;
  try {
    packet = decode(first, version);
  } catch (e) {
    const err = e instanceof MqttError ? e : new MqttError(0x81, String(e));
    return { kind: 'fails', reasonCode: err.reasonCode, reason: err.message, rule: undefined, extra };
  }
  const fails = (rule: StateRule): Prediction => ({ kind: 'fails', reasonCode: 0x82, reason: undefined, rule, extra });
  if (packet.type === 'connect') return fails('second-connect'); // [MQTT-3.1.0-2]
  if (SERVER_ONLY.includes(packet.type)) return fails('server-only');
  // AUTH is a Protocol Error unless the connection began with an Authentication Method [MQTT-4.12.0-7]
  if (packet.type === 'auth') return fails('auth');
  if (packet.type === 'disconnect') return { kind: 'closes', extra };
  let reply = REPLIES[packet.type];
  if (packet.type === 'publish') reply = packet.qos === 1 ? 'puback' : packet.qos === 2 ? 'pubrec' : undefined;
  return { kind: 'accepted', packet, reply, extra };
}

/** The reason code a 5.0 broker's DISCONNECT carries for a failure (codes DISCONNECT cannot carry become 0x82). */
export function disconnectCode(reasonCode: number): number {
  return isReasonCodeAllowed('disconnect', reasonCode) ? reasonCode : 0x82;
}
