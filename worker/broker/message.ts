/**
 * An application message inside the broker, and a delivery of it to one
 * session. A message is stored once however many sessions it goes to.
 */
import type { Properties, PublishPacket, QoS } from '../protocol';

export interface Message {
  topic: string;
  payload: Uint8Array;
  /** QoS it was published with. */
  qos: QoS;
  retain: boolean;
  /** Properties forwarded unchanged: format, content type, response topic, correlation data, user properties. */
  properties: Properties | undefined;
  /** Clock time (ms) it arrived. */
  receivedAt: number;
  /** Clock time (ms) its Message Expiry Interval runs out, if it has one. */
  expiresAt: number | undefined;
  /** Client identifier of the publisher; '' for the broker itself ($SYS). */
  origin: string;
  /**
   * The message as a QoS 0 PUBLISH without RETAIN, encoded once for all its
   * subscribers: for 3.1/3.1.1, and for 5.0 (set only while it carries no
   * expiry). Often the very frame it arrived in.
   */
  wire4?: Uint8Array | undefined;
  wire5?: Uint8Array | undefined;
}

export interface Delivery {
  message: Message;
  /** QoS of this delivery: the lower of the message's and the subscription's [MQTT-3.8.4-8]. */
  qos: QoS;
  retain: boolean;
  /** Subscription Identifiers of every matching subscription (5.0). */
  subscriptionIds: number[] | undefined;
  /** Clock time (ms) after which a queued delivery is dropped (the broker's queue expiry). */
  queueDeadline: number | undefined;
  /** Share group, for shared subscriptions: moved to another member if this one leaves. */
  shareKey: string | undefined;
}

const FORWARDED: (keyof Properties)[] = ['payloadFormatIndicator', 'contentType', 'responseTopic', 'correlationData', 'userProperties'];

/** The message a PUBLISH carries, with its topic alias already resolved to `topic`. */
export function messageFromPublish(p: PublishPacket, topic: string, origin: string, now: number): Message {
  let properties: Properties | undefined;
  let expiresAt: number | undefined;
  const src = p.properties;
  if (src) {
    for (const k of FORWARDED) {
      if (src[k] !== undefined) (properties ??= {} as Properties)[k] = src[k] as never;
    }
    if (src.messageExpiryInterval !== undefined) expiresAt = now + src.messageExpiryInterval * 1000;
  }
  return { topic, payload: p.payload, qos: p.qos, retain: p.retain, properties, receivedAt: now, expiresAt, origin };
}

/**
 * The PUBLISH that carries a delivery now. The Message Expiry Interval sent
 * is what is left of it [MQTT-3.3.2-6]; undefined when it has run out.
 */
export function publishPacket(
  m: Message, qos: QoS, retain: boolean, subscriptionIds: number[] | undefined,
  packetId: number | undefined, dup: boolean, now: number, version: number,
): PublishPacket | undefined {
  const p: PublishPacket = { type: 'publish', topic: m.topic, payload: m.payload, qos, retain, dup };
  if (packetId !== undefined) p.packetId = packetId;
  if (version === 5) {
    let props: Properties | undefined = m.properties ? { ...m.properties } : undefined;
    if (m.expiresAt !== undefined) {
      const left = Math.ceil((m.expiresAt - now) / 1000);
      if (left <= 0) return undefined;
      (props ??= {}).messageExpiryInterval = left;
    }
    if (subscriptionIds?.length) (props ??= {}).subscriptionIdentifier = subscriptionIds.length === 1 ? subscriptionIds[0]! : subscriptionIds;
    if (props) p.properties = props;
  } else if (m.expiresAt !== undefined && m.expiresAt <= now) return undefined;
  return p;
}

export function isExpired(d: Delivery, now: number): boolean {
  return (d.message.expiresAt !== undefined && d.message.expiresAt <= now) || (d.queueDeadline !== undefined && d.queueDeadline <= now);
}

/**
 * Makes a message own its payload. A payload decoded from the wire is a view
 * into the received chunk; a message kept for long (retained, queued) copies
 * it, so the chunk it came in can be freed.
 */
export function ownPayload(m: Message): Message {
  m.wire4 = m.wire5 = undefined;
  const p = m.payload;
  if (p.byteOffset !== 0 || p.byteLength !== p.buffer.byteLength) m.payload = p.slice();
  return m;
}
