/** PUBLISH (§3.3): an application message, in either direction. */
import { MqttError, malformed, protocolError } from '../errors';
import { readProperties, writeProperties } from '../properties';
import type { Reader } from '../reader';
import type { ProtocolVersion, PublishPacket, QoS } from '../types';
import type { Writer } from '../writer';
import { readPacketId, writePacketId } from './common';

export function decodePublish(r: Reader, flags: number, version: ProtocolVersion): PublishPacket {
  const dup = (flags & 0x08) !== 0;
  const qos = (flags >> 1) & 0x03;
  const retain = (flags & 0x01) !== 0;
  if (qos === 3) throw malformed('QoS 3 does not exist: the QoS bits of a PUBLISH must not both be 1', 0); // [MQTT-3.3.1-4]
  if (dup && qos === 0) throw malformed('DUP must be 0 for a QoS 0 message', 0); // [MQTT-3.3.1-2]
  const t = r.t;
  if (t) t.open('Variable Header', r.pos);
  const topicAt = r.pos;
  const topic = r.utf8('Topic Name');
  for (let i = 0; i < topic.length; i++) {
    const c = topic.charCodeAt(i);
    if (c === 0x2b || c === 0x23) {
      throw new MqttError(0x90, `the topic name "${topic}" contains a wildcard (+ or #), which only subscriptions may use`, topicAt); // [MQTT-3.3.2-2]
    }
  }
  const packetId = qos > 0 ? readPacketId(r) : undefined;
  const properties = version === 5 ? readProperties(r, 'publish') : undefined;
  if (topic.length === 0 && properties?.topicAlias === undefined) {
    // 5.0 allows an empty topic only with a Topic Alias [MQTT-3.3.2-1]; 3.1.1 never [MQTT-4.7.3-1]
    throw protocolError(version === 5 ? 'the topic name is empty and there is no Topic Alias' : 'the topic name is empty', topicAt);
  }
  if (t) t.close(r.pos);
  const payload = r.take(r.remaining, 'Payload');
  const packet: PublishPacket = { type: 'publish', topic, payload, qos: qos as QoS, retain, dup };
  if (packetId !== undefined) packet.packetId = packetId;
  if (properties) packet.properties = properties;
  return packet;
}

export function encodePublish(p: PublishPacket, w: Writer, version: ProtocolVersion): number {
  const qos = p.qos & 3;
  w.utf8(p.topic, 'the topic name');
  if (qos > 0) writePacketId(w, p.packetId);
  if (version === 5) writeProperties(w, p.properties);
  if (!(p.payload instanceof Uint8Array)) throw malformed('cannot encode: the payload must be a Uint8Array');
  // the payload itself is appended by the caller without copying it into the scratch buffer
  return 0x30 | (p.dup ? 0x08 : 0) | (qos << 1) | (p.retain ? 0x01 : 0);
}
