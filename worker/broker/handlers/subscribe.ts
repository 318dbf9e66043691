/**
 * SUBSCRIBE (§3.8.4): one result per filter, then the retained messages the
 * new subscriptions ask for, after the SUBACK. A subscription to a filter the
 * client already has replaces it [MQTT-3.8.4-3]; Retain Handling decides
 * whether retained messages are sent (0 always, 1 only if new, 2 never), and
 * shared subscriptions never get them (§4.8.2).
 */
import { hasWildcard, MqttError, parseSharedFilter, type QoS, type SubscribePacket } from '../../protocol';
import type { Connection } from '../connection';
import type { Delivery } from '../message';
import type { Subscription } from '../session';

export function handleSubscribe(c: Connection, p: SubscribePacket): void {
  const b = c.broker;
  const cfg = b.config;
  const s = c.session!;
  const v5 = c.version === 5;
  const identifier = p.properties?.subscriptionIdentifier as number | undefined;
  if (identifier !== undefined && !cfg.subscriptionIdentifiersAvailable) {
    throw new MqttError(0xa1, 'this broker does not support Subscription Identifiers'); // §3.2.2.3.12
  }
  const reasonCodes: number[] = [];
  const retainedToSend: Delivery[] = [];
  const now = b.clock.now();
  for (const req of p.subscriptions) {
    const shared = v5 ? parseSharedFilter(req.topicFilter) : null;
    const matchFilter = shared ? shared.filter : req.topicFilter;
    let code: number;
    if (shared && !cfg.sharedSubscriptionAvailable) code = 0x9e;
    else if (hasWildcard(matchFilter) && !cfg.wildcardSubscriptionAvailable) code = 0xa2;
    else if (!b.maySubscribe(c.clientId, c.username, req.topicFilter)) code = 0x87;
    else code = Math.min(req.qos, cfg.maximumQoS); // granted QoS may be lower than requested [MQTT-3.8.4-8]
    if (code >= 0x80) {
      reasonCodes.push(v5 ? code : 0x80); // 3.1.1 knows only 0x80 Failure
      b.emit({ kind: 'subscribed', clientId: c.clientId, topicFilter: req.topicFilter, qos: req.qos, reasonCode: code });
      continue;
    }
    const sub: Subscription = {
      topicFilter: req.topicFilter,
      matchFilter,
      group: shared?.group,
      qos: code as QoS,
      noLocal: req.noLocal ?? false,
      retainAsPublished: req.retainAsPublished ?? false,
      retainHandling: req.retainHandling ?? 0,
      identifier,
    };
    const isNew = b.registry.subscribe(s, sub);
    reasonCodes.push(code);
    b.emit({ kind: 'subscribed', clientId: c.clientId, topicFilter: req.topicFilter, qos: code, reasonCode: code });
    const wantRetained = !shared && (sub.retainHandling === 0 || (sub.retainHandling === 1 && isNew));
    if (wantRetained) {
      for (const m of b.retained.match(matchFilter, now)) {
        // sent with RETAIN set, whatever Retain As Published says [MQTT-3.3.1-9]
        retainedToSend.push({
          message: m, qos: Math.min(m.qos, sub.qos) as QoS, retain: true,
          subscriptionIds: identifier === undefined ? undefined : [identifier], queueDeadline: undefined, shareKey: undefined,
        });
      }
    }
  }
  c.send({ type: 'suback', packetId: p.packetId, reasonCodes }); // [MQTT-3.8.4-1]
  for (const d of retainedToSend) s.deliverAgain(d, b.limits, now);
  b.sessionChanged(s);
}
