/** UNSUBSCRIBE (§3.10): topic filters to remove. */
import { MqttError, protocolError } from '../errors';
import { readProperties, writeProperties } from '../properties';
import type { Reader } from '../reader';
import { topicFilterProblem } from '../topic';
import type { ProtocolVersion, UnsubscribePacket } from '../types';
import type { Writer } from '../writer';
import { readPacketId } from './common';

export function decodeUnsubscribe(r: Reader, version: ProtocolVersion): UnsubscribePacket {
  const t = r.t;
  if (t) t.open('Variable Header', r.pos);
  const packetId = readPacketId(r);
  const properties = version === 5 ? readProperties(r, 'unsubscribe') : undefined;
  if (t) {
    t.close(r.pos);
    t.open('Payload', r.pos);
  }
  if (r.remaining === 0) throw protocolError('an UNSUBSCRIBE must contain at least one topic filter', r.pos); // [MQTT-3.10.3-2]
  const topicFilters: string[] = [];
  while (r.remaining > 0) {
    const at = r.pos;
    const f = r.utf8('Topic Filter');
    const problem = topicFilterProblem(f, version === 5);
    if (problem) throw new MqttError(0x8f, problem, at);
    topicFilters.push(f);
  }
  if (t) t.close(r.pos);
  const packet: UnsubscribePacket = { type: 'unsubscribe', packetId, topicFilters };
  if (properties) packet.properties = properties;
  return packet;
}

export function encodeUnsubscribe(p: UnsubscribePacket, w: Writer, version: ProtocolVersion): number {
  w.u16(p.packetId, 'the packet identifier');
  if (version === 5) writeProperties(w, p.properties);
  for (const f of p.topicFilters) w.utf8(f, 'a topic filter');
  return 0xa2;
}
