/** SUBSCRIBE (§3.8): topic filters with their subscription options. */
import { MqttError, malformed, protocolError } from '../errors';
import { readProperties, writeProperties } from '../properties';
import type { Reader } from '../reader';
import { topicFilterProblem } from '../topic';
import type { ProtocolVersion, QoS, SubscribePacket, Subscription } from '../types';
import type { Writer } from '../writer';
import { readPacketId, traceBits } from './common';

export function decodeSubscribe(r: Reader, version: ProtocolVersion): SubscribePacket {
  const t = r.t;
  if (t) t.open('Variable Header', r.pos);
  const packetId = readPacketId(r);
  const properties = version === 5 ? readProperties(r, 'subscribe') : undefined;
  if (t) {
    t.close(r.pos);
    t.open('Payload', r.pos);
  }
  if (r.remaining === 0) throw protocolError('a SUBSCRIBE must contain at least one topic filter', r.pos); // [MQTT-3.8.3-2] (3.1.1: [MQTT-3.8.3-3])
  const subscriptions: Subscription[] = [];
  while (r.remaining > 0) subscriptions.push(readSubscription(r, version));
  if (t) t.close(r.pos);
  const packet: SubscribePacket = { type: 'subscribe', packetId, subscriptions };
  if (properties) packet.properties = properties;
  return packet;
}

function readSubscription(r: Reader, version: ProtocolVersion): Subscription {
  const t = r.t;
  if (t) t.open('Subscription', r.pos);
  const filterAt = r.pos;
  const topicFilter = r.utf8('Topic Filter');
  const problem = topicFilterProblem(topicFilter, version === 5);
  if (problem) throw new MqttError(0x8f, problem, filterAt);
  const optAt = r.pos;
  const opts = r.u8(version === 5 ? 'Subscription Options' : 'Requested QoS');
  const qos = opts & 0x03;
  let sub: Subscription;
  if (version === 5) {
    const noLocal = (opts & 0x04) !== 0;
    const retainAsPublished = (opts & 0x08) !== 0;
    const retainHandling = (opts >> 4) & 0x03;
    traceBits(r, [
      { name: 'Reserved', mask: 0xc0, value: opts >> 6, note: 'Must be 0.' },
      { name: 'Retain Handling', mask: 0x30, value: retainHandling, note: '0: send retained messages on subscribe; 1: only if the subscription is new; 2: never.' },
      { name: 'Retain As Published', mask: 0x08, value: retainAsPublished, note: 'Keep the RETAIN flag of forwarded messages as published.' },
      { name: 'No Local', mask: 0x04, value: noLocal, note: 'Do not send this client the messages it publishes itself.' },
      { name: 'Maximum QoS', mask: 0x03, value: qos, note: 'Highest QoS the server may use to send matching messages.' },
    ]);
    if (opts & 0xc0) throw malformed('the reserved bits 7-6 of the Subscription Options must be 0', optAt); // [MQTT-3.8.3-5]
    if (qos === 3) throw protocolError('the Maximum QoS of a subscription must not be 3', optAt); // §3.8.3.1: a Protocol Error
    if (retainHandling === 3) throw protocolError('Retain Handling must not be 3', optAt); // §3.8.3.1
    if (noLocal && topicFilter.startsWith('$share/')) {
      throw protocolError('No Local must not be set on a shared subscription', optAt); // [MQTT-3.8.3-4]
    }
    sub = { topicFilter, qos: qos as QoS, noLocal, retainAsPublished, retainHandling: retainHandling as 0 | 1 | 2 };
  } else {
    traceBits(r, [
      { name: 'Reserved', mask: 0xfc, value: opts >> 2, note: 'Must be 0.' },
      { name: 'Requested QoS', mask: 0x03, value: qos, note: 'Highest QoS the server may use to send matching messages.' },
    ]);
    if (opts & 0xfc) throw malformed('the reserved bits 7-2 after a topic filter must be 0', optAt); // [MQTT-3-8.3-4]
    if (qos === 3) throw malformed('the requested QoS must not be 3', optAt); // [MQTT-3-8.3-4]
    sub = { topicFilter, qos: qos as QoS };
  }
  if (t) t.close(r.pos);
  return sub;
}

export function encodeSubscribe(p: SubscribePacket, w: Writer, version: ProtocolVersion): number {
  w.u16(p.packetId, 'the packet identifier');
  if (version === 5) writeProperties(w, p.properties);
  for (const s of p.subscriptions) {
    w.utf8(s.topicFilter, 'a topic filter');
    let opts = s.qos & 0x03;
    if (version === 5) {
      if (s.noLocal) opts |= 0x04;
      if (s.retainAsPublished) opts |= 0x08;
      opts |= ((s.retainHandling ?? 0) & 0x03) << 4;
    }
    w.u8(opts);
  }
  return 0x82;
}
