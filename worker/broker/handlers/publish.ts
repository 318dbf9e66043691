/**
 * PUBLISH from a client (§3.3.4): resolve the topic alias, check what the
 * broker allows, route, retain, and acknowledge per QoS. QoS 2 is routed on
 * PUBLISH and its packet identifier held until PUBREL, so a re-sent PUBLISH
 * (DUP) is acknowledged again but not delivered twice [MQTT-4.3.3-10].
 */
import { MqttError, protocolError, type PublishPacket } from '../../protocol';
import type { Connection } from '../connection';
import { messageFromPublish } from '../message';

export function handlePublish(c: Connection, p: PublishPacket): void {
  const b = c.broker;
  const cfg = b.config;
  const s = c.session!;
  const v5 = c.version === 5;
  b.stats.messagesReceived++;

  if (v5) {
    if (p.qos > cfg.maximumQoS) throw new MqttError(0x9b, `QoS ${p.qos} is above the broker's Maximum QoS ${cfg.maximumQoS}`); // [MQTT-3.2.2-11]
    if (p.retain && !cfg.retainAvailable) throw new MqttError(0x9a, 'this broker does not support retained messages'); // [MQTT-3.2.2-14]
    if (p.properties?.subscriptionIdentifier !== undefined) throw protocolError('a client must not send a Subscription Identifier in PUBLISH'); // [MQTT-3.3.4-6]
  }
  const topic = resolveTopic(c, p);

  if (p.qos === 2 && p.packetId !== undefined && s.awaitingRel.has(p.packetId)) {
    // the client did not get our PUBREC: answer again, deliver nothing [MQTT-4.3.3-10]
    c.send({ type: 'pubrec', packetId: p.packetId, ...(v5 ? { reasonCode: 0 } : {}) });
    return;
  }
  // only 5.0 clients were told a Receive Maximum; a 3.1.1 client may pipeline freely
  if (v5 && p.qos === 2 && s.awaitingRel.size >= cfg.receiveMaximum) {
    throw new MqttError(0x93, `more than ${cfg.receiveMaximum} QoS 2 messages awaiting PUBREL`); // [MQTT-3.3.4-7]
  }

  let reasonCode = 0;
  if (!b.mayPublish(c.clientId, c.username, topic)) {
    reasonCode = 0x87;
    b.stats.messagesDropped++;
    b.emit({ kind: 'dropped', clientId: c.clientId, topic, reason: 'not authorised to publish here' });
  } else {
    const m = messageFromPublish(p, topic, c.clientId, b.clock.now());
    if (!cfg.retainAvailable) m.retain = false;
    // a plain QoS 0 PUBLISH goes to subscribers of the same version exactly as it came
    if (p.qos === 0 && !p.retain && p.properties === undefined) {
      if (v5) m.wire5 = c.frame;
      else m.wire4 = c.frame;
    }
    const receivers = b.publish(m);
    if (receivers === 0) reasonCode = 0x10; // No matching subscribers
  }

  // 3.1.1 cannot refuse a PUBLISH: it is acknowledged as usual [MQTT-3.3.5-2]
  const ack = v5 ? { reasonCode } : {};
  if (p.qos === 1) c.send({ type: 'puback', packetId: p.packetId!, ...ack }); // [MQTT-4.3.2-2]
  else if (p.qos === 2) {
    if (reasonCode < 0x80) {
      s.awaitingRel.add(p.packetId!);
      b.sessionChanged(s);
    }
    c.send({ type: 'pubrec', packetId: p.packetId!, ...ack }); // [MQTT-4.3.3-9]
  }
}

/** The topic of a PUBLISH after its Topic Alias (§3.3.2.3.4). */
function resolveTopic(c: Connection, p: PublishPacket): string {
  const alias = p.properties?.topicAlias;
  if (alias === undefined) return p.topic;
  const max = c.broker.config.topicAliasMaximum;
  if (alias > max) throw new MqttError(0x94, `Topic Alias ${alias} is above the broker's Topic Alias Maximum ${max}`); // [MQTT-3.3.2-9]
  if (p.topic !== '') {
    c.inboundAliases.set(alias, p.topic);
    return p.topic;
  }
  const topic = c.inboundAliases.get(alias);
  if (topic === undefined) throw protocolError(`Topic Alias ${alias} was never set on this connection`); // §3.3.2.3.4
  return topic;
}
