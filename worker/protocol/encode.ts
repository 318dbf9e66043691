/** encode: a Packet to the bytes of one packet, in canonical (shortest) form. */
import { encodeAck } from './packets/ack';
import { encodeConnack } from './packets/connack';
import { encodeConnect } from './packets/connect';
import { encodeDisconnect } from './packets/disconnect';
import { encodePublish } from './packets/publish';
import { encodeSuback } from './packets/suback';
import { encodeSubscribe } from './packets/subscribe';
import { encodeUnsubscribe } from './packets/unsubscribe';
import { hasProperties } from './properties';
import type { Packet, ProtocolVersion } from './types';
import { Writer } from './writer';
import { malformed } from './errors';

/**
 * Encodes a packet for a connection speaking `version`. Only what would make
 * the bytes impossible (a number out of range, a string over 65535 bytes) is
 * refused here; the receiver's decode is where the rules are enforced, so the
 * packet lab can still build packets that break them.
 */
const writer = new Writer();

export function encode(packet: Packet, version: ProtocolVersion): Uint8Array {
  const w = writer.reset();
  switch (packet.type) {
    case 'publish':
      return w.finish(encodePublish(packet, w, version), packet.payload);
    case 'connect': return w.finish(encodeConnect(packet, w, version));
    case 'connack': return w.finish(encodeConnack(packet, w, version));
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': return w.finish(encodeAck(packet, w, version, hasProperties(packet.properties)));
    case 'subscribe': return w.finish(encodeSubscribe(packet, w, version));
    case 'suback':
    case 'unsuback': return w.finish(encodeSuback(packet, w, version));
    case 'unsubscribe': return w.finish(encodeUnsubscribe(packet, w, version));
    case 'pingreq': return w.finish(0xc0);
    case 'pingresp': return w.finish(0xd0);
    case 'disconnect':
    case 'auth': return w.finish(encodeDisconnect(packet, w, version));
    default:
      throw malformed(`cannot encode: unknown packet type "${(packet as { type: unknown }).type}"`);
  }
}
