/**
 * A session: what the broker remembers of a client identifier, online or
 * not (§4.1). Its subscriptions, the QoS 1 and 2 messages in flight towards
 * it, the messages queued behind them, and the QoS 2 packet identifiers it
 * has sent us that await PUBREL.
 *
 * Outbound flow: a delivery is sent at once while the in-flight window (the
 * client's Receive Maximum, §4.9) has room, queued otherwise, and queued
 * while the client is offline (QoS 0 only if configured). Acknowledgements
 * free the window and the queue moves up, oldest first.
 */
import type { QoS, Subscription as SubscriptionOptions } from '../protocol';
import { isExpired, ownPayload, type Delivery, type Message } from './message';

export interface Subscription extends Required<Omit<SubscriptionOptions, 'qos'>> {
  /** The filter as subscribed, including any $share/{group}/ prefix. */
  topicFilter: string;
  qos: QoS;
  /** The filter that is matched against topics (without the share prefix). */
  matchFilter: string;
  /** Share group of a shared subscription. */
  group: string | undefined;
  /** Subscription Identifier (5.0). */
  identifier: number | undefined;
}

export interface Inflight {
  packetId: number;
  delivery: Delivery;
  /** 'publish': awaiting PUBACK or PUBREC; 'pubrel': PUBREL sent, awaiting PUBCOMP. */
  state: 'publish' | 'pubrel';
}

/** Where a session's packets go while it is online: its connection. */
export interface Outlet {
  /** In-flight window: the client's Receive Maximum. */
  readonly window: number;
  /** Sends a PUBLISH; false when it could not be sent (expired, too large) and the delivery is over. */
  sendPublish(m: Message, qos: QoS, retain: boolean, subscriptionIds: number[] | undefined, packetId: number | undefined, dup: boolean): boolean;
  sendPubrel(packetId: number): void;
}

export interface SessionLimits {
  maxQueued: number;
  queueQos0: boolean;
  /** ms a delivery may wait in the queue; 0 for no limit. */
  queueExpiryMs: number;
}

export type DropReason = 'queue full' | 'expired' | 'QoS 0 not queued for offline sessions' | 'too large for the client';

export class Session {
  readonly clientId: string;
  // the collections are made on first use: most idle sessions never need them all (memory per connection)
  #subscriptions: Map<string, Subscription> | undefined;
  #inflight: Map<number, Inflight> | undefined;
  #awaitingRel: Set<number> | undefined;
  outlet: Outlet | null = null;
  /** Seconds the session outlives its connection; 0xFFFFFFFF is forever. */
  expiryInterval = 0;
  /** Protocol level of its last connection. */
  version = 4;
  /** Clock time (ms) of the last disconnect, while offline. */
  disconnectedAt: number | undefined;
  #queue: Delivery[] = [];
  #head = 0;
  #nextId = 1;
  /** Called for each delivery dropped, with why. */
  onDrop: ((m: Message, reason: DropReason) => void) | undefined;
  /** Called when a delivery is queued or put in flight: state that persistence must save. */
  onChange: (() => void) | undefined;

  constructor(clientId: string) {
    this.clientId = clientId;
  }

  /** Its subscriptions by topic filter (as subscribed). */
  get subscriptions(): Map<string, Subscription> {
    return (this.#subscriptions ??= new Map());
  }

  set subscriptions(m: Map<string, Subscription>) {
    this.#subscriptions = m;
  }

  /** QoS 1 and 2 messages sent and not yet acknowledged, by packet identifier. */
  get inflight(): Map<number, Inflight> {
    return (this.#inflight ??= new Map());
  }

  /** Identifiers of QoS 2 PUBLISHes received and answered with PUBREC, awaiting PUBREL. */
  get awaitingRel(): Set<number> {
    return (this.#awaitingRel ??= new Set());
  }

  get online(): boolean {
    return this.outlet !== null;
  }

  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Queued deliveries, oldest first (a copy). */
  queuedDeliveries(): Delivery[] {
    return this.#queue.slice(this.#head);
  }

  /**
   * Hands a message to the session: sent now, queued, or dropped. Returns
   * false when dropped. A Delivery is only allocated when it must be kept.
   */
  deliver(m: Message, qos: QoS, retain: boolean, ids: number[] | undefined, shareKey: string | undefined, limits: SessionLimits, now: number): boolean {
    const out = this.outlet;
    if (qos === 0) {
      if (out) return out.sendPublish(m, 0, retain, ids, undefined, false);
      if (!limits.queueQos0) return this.#drop(m, 'QoS 0 not queued for offline sessions');
    } else if (out && this.queued === 0 && this.inflight.size < out.window) {
      return this.#send({ message: m, qos, retain, subscriptionIds: ids, queueDeadline: undefined, shareKey }, out);
    }
    if (this.queued >= limits.maxQueued) return this.#drop(m, 'queue full');
    ownPayload(m);
    const queueDeadline = limits.queueExpiryMs > 0 ? now + limits.queueExpiryMs : undefined;
    this.#queue.push({ message: m, qos, retain, subscriptionIds: ids, queueDeadline, shareKey });
    this.onChange?.();
    return true;
  }

  /** deliver() for a Delivery made elsewhere (retained on subscribe, a share group's requeue). */
  deliverAgain(d: Delivery, limits: SessionLimits, now: number): boolean {
    return this.deliver(d.message, d.qos, d.retain, d.subscriptionIds, d.shareKey, limits, now);
  }

  /** Sends queued deliveries while the window has room. */
  pump(now: number): void {
    const out = this.outlet;
    if (!out) return;
    while (this.#head < this.#queue.length) {
      const d = this.#queue[this.#head]!;
      if (d.qos > 0 && this.inflight.size >= out.window) break;
      this.#queue[this.#head++] = undefined as unknown as Delivery;
      if (isExpired(d, now)) {
        this.#drop(d.message, 'expired');
        continue;
      }
      if (d.qos === 0) out.sendPublish(d.message, 0, d.retain, d.subscriptionIds, undefined, false);
      else this.#send(d, out);
      if (!this.outlet) break;
    }
    this.#compact();
  }

  /** After a reconnect: the unacknowledged flows again, in order, with DUP set [MQTT-4.4.0-1]. */
  resend(): void {
    const out = this.outlet;
    if (!out || !this.#inflight?.size) return;
    for (const f of [...this.#inflight.values()]) {
      if (f.state === 'pubrel') out.sendPubrel(f.packetId);
      else {
        const d = f.delivery;
        if (!out.sendPublish(d.message, d.qos, d.retain, d.subscriptionIds, f.packetId, true)) this.inflight.delete(f.packetId);
      }
    }
  }

  /** PUBACK or PUBCOMP: the flow is complete. Returns false for an unknown identifier. */
  complete(packetId: number, expect: 'publish' | 'pubrel', qos?: QoS): boolean {
    const f = this.inflight.get(packetId);
    // an acknowledgement of the wrong kind (PUBACK for QoS 2...) does not end the flow
    if (!f || f.state !== expect || (qos !== undefined && f.delivery.qos !== qos)) return false;
    this.inflight.delete(packetId);
    return true;
  }

  /** PUBREC: move to the PUBREL stage. Returns false for an unknown identifier. */
  received(packetId: number): boolean {
    const f = this.inflight.get(packetId);
    if (!f || f.delivery.qos !== 2) return false;
    f.state = 'pubrel';
    return true;
  }

  /** Takes queued (not yet sent) deliveries of a share group, to give them to another member. */
  takeShared(): Delivery[] {
    const keep: Delivery[] = [];
    const taken: Delivery[] = [];
    for (const d of this.queuedDeliveries()) (d.shareKey !== undefined ? taken : keep).push(d);
    this.#queue = keep;
    this.#head = 0;
    return taken;
  }

  /**
   * Drops everything in flight and queued (session end or clean start);
   * returns what another share group member may still be given: not a QoS 2
   * message already sent [MQTT-4.8.2-5].
   */
  clearMessages(): Delivery[] {
    const pending = [...[...this.inflight.values()].filter((f) => f.state === 'publish' && f.delivery.qos < 2).map((f) => f.delivery), ...this.queuedDeliveries()];
    this.#inflight?.clear();
    this.#queue = [];
    this.#head = 0;
    this.#awaitingRel?.clear();
    return pending;
  }

  /** Restores persisted state (see store.ts). */
  restore(inflight: Inflight[], queued: Delivery[], awaitingRel: number[], nextId: number): void {
    for (const f of inflight) this.inflight.set(f.packetId, f);
    this.#queue = [...queued];
    this.#head = 0;
    for (const id of awaitingRel) this.awaitingRel.add(id);
    this.#nextId = nextId;
  }

  get nextPacketId(): number {
    return this.#nextId;
  }

  #send(d: Delivery, out: Outlet): boolean {
    const id = this.#allocateId();
    // in flight before the write: the client may answer before sendPublish returns on a synchronous link
    this.inflight.set(id, { packetId: id, delivery: d, state: 'publish' });
    if (!out.sendPublish(d.message, d.qos, d.retain, d.subscriptionIds, id, false)) {
      this.inflight.delete(id);
      return false;
    }
    this.onChange?.();
    return true;
  }

  #allocateId(): number {
    // the window is at most 65535, so a free identifier always exists
    let id = this.#nextId;
    while (this.inflight.has(id)) id = id === 65535 ? 1 : id + 1;
    this.#nextId = id === 65535 ? 1 : id + 1;
    return id;
  }

  #drop(m: Message, reason: DropReason): false {
    this.onDrop?.(m, reason);
    return false;
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    } else if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
  }
}

export type { SubscriptionOptions };
