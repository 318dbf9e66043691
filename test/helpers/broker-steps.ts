/**
 * Steps for broker conversations, on top of broker-harness.ts: build a
 * PUBLISH, subscribe and read the SUBACK, publish with the whole QoS
 * handshake, acknowledge what the broker sends, and read payloads.
 *
 *   const codes = await subscribe(alice, [{ topicFilter: 'a/+', qos: 1 }]);
 *   await publish(bob, 'a/b', 'hello', { qos: 2 });
 *   const m = await received(alice, { topic: 'a/b', qos: 1 });
 *   await ack(alice, m);
 */
import { expect } from 'vitest';
import type { ConnectPacket, Packet, Properties, PublishPacket, QoS, Subscription } from '../../worker/protocol';
import { connectPacket, settle, text, type TestClient } from './broker-harness';

let nextPacketId = 1;

/** A fresh packet identifier (1..65535) for a client's PUBLISH, SUBSCRIBE or UNSUBSCRIBE. */
export function packetId(): number {
  const id = nextPacketId;
  nextPacketId = nextPacketId === 65535 ? 1 : nextPacketId + 1;
  return id;
}

export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
  dup?: boolean;
  packetId?: number;
  properties?: Properties;
}

/** A PUBLISH packet; QoS 1 and 2 get a packet identifier unless one is given. */
export function publishPacket(topic: string, payload: string | Uint8Array, o: PublishOptions = {}): PublishPacket {
  const qos = o.qos ?? 0;
  const p: PublishPacket = { type: 'publish', topic, payload: typeof payload === 'string' ? text(payload) : payload, qos, retain: o.retain ?? false, dup: o.dup ?? false };
  if (qos > 0) p.packetId = o.packetId ?? packetId();
  if (o.properties) p.properties = o.properties;
  return p;
}

/**
 * Publishes and completes the publisher's side of the QoS handshake
 * (PUBACK; PUBREC, PUBREL, PUBCOMP). Returns the reason code of the broker's
 * PUBACK or PUBREC (undefined for QoS 0 and in 3.1.1). The publisher must not
 * be receiving other packets meanwhile.
 */
export async function publish(c: TestClient, topic: string, payload: string | Uint8Array, o: PublishOptions = {}): Promise<number | undefined> {
  const p = publishPacket(topic, payload, o);
  c.send(p);
  if (p.qos === 1) return (await c.expect({ type: 'puback', packetId: p.packetId! })).reasonCode;
  if (p.qos === 2) {
    const rec = await c.expect({ type: 'pubrec', packetId: p.packetId! });
    if ((rec.reasonCode ?? 0) < 0x80) {
      c.send({ type: 'pubrel', packetId: p.packetId!, ...(c.version === 5 ? { reasonCode: 0 } : {}) });
      await c.expect({ type: 'pubcomp', packetId: p.packetId! });
    }
    return rec.reasonCode;
  }
  return undefined;
}

/** Sends SUBSCRIBE and returns the reason codes of the SUBACK that answers it. */
export async function subscribe(c: TestClient, subscriptions: Subscription[], properties?: Properties): Promise<number[]> {
  const id = packetId();
  c.send({ type: 'subscribe', packetId: id, subscriptions, ...(properties ? { properties } : {}) });
  const ack = await c.expect({ type: 'suback', packetId: id });
  return ack.reasonCodes;
}

/** Sends UNSUBSCRIBE and returns the UNSUBACK. */
export async function unsubscribe(c: TestClient, topicFilters: string[]): Promise<Extract<Packet, { type: 'unsuback' }>> {
  const id = packetId();
  c.send({ type: 'unsubscribe', packetId: id, topicFilters });
  return c.expect({ type: 'unsuback', packetId: id });
}

/** The next packet is a PUBLISH matching `partial`. */
export function received(c: TestClient, partial: Partial<PublishPacket> = {}): Promise<PublishPacket> {
  return c.expect({ ...partial, type: 'publish' });
}

/** Acknowledges a PUBLISH from the broker: PUBACK, or PUBREC then (after the broker's PUBREL) PUBCOMP. */
export async function ack(c: TestClient, p: PublishPacket): Promise<void> {
  const v5 = c.version === 5 ? { reasonCode: 0 } : {};
  if (p.qos === 1) c.send({ type: 'puback', packetId: p.packetId!, ...v5 });
  else if (p.qos === 2) {
    c.send({ type: 'pubrec', packetId: p.packetId!, ...v5 });
    await c.expect({ type: 'pubrel', packetId: p.packetId! });
    c.send({ type: 'pubcomp', packetId: p.packetId!, ...v5 });
  }
  await settle();
}

/** Everything received so far (after letting deliveries settle), taken off the queue. */
export async function drain(c: TestClient): Promise<Packet[]> {
  await settle();
  return c.received.splice(0);
}

/** The PUBLISH packets among `packets`. */
export function publishes(packets: Packet[]): PublishPacket[] {
  return packets.filter((p): p is PublishPacket => p.type === 'publish');
}

export function payloadText(p: PublishPacket): string {
  return new TextDecoder().decode(p.payload);
}

/** The next packet is DISCONNECT with `reasonCode` (5.0), and then the broker closes the connection. */
export async function expectDisconnect(c: TestClient, reasonCode: number): Promise<Extract<Packet, { type: 'disconnect' }>> {
  const d = await c.expect({ type: 'disconnect', reasonCode });
  await c.expectClosed();
  return d;
}

/** The broker closed the connection without sending anything more (3.1.1 has no DISCONNECT from the server). */
export async function expectDropped(c: TestClient): Promise<void> {
  await c.expectClosed();
  expect(c.received).toEqual([]);
}

/** Sends CONNECT and returns the successful CONNACK, for its properties. */
export async function connectAck(c: TestClient, opts: Partial<ConnectPacket> = {}): Promise<Extract<Packet, { type: 'connack' }>> {
  c.send(connectPacket(c.version, opts));
  return c.expect({ type: 'connack', reasonCode: 0 });
}
