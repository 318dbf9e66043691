/**
 * Our publications in flight (§4.3, §4.9): QoS 1 and 2 PUBLISHes waiting for
 * their acknowledgements, bounded by the server's Receive Maximum, and the
 * ones queued behind them. Kept across connections for a persistent session,
 * so they can be re-sent with DUP after a reconnect [MQTT-4.4.0-1].
 */
import type { PublishPacket } from '../protocol';

export interface InFlight {
  packet: PublishPacket;
  /** 'publish': awaiting PUBACK/PUBREC; 'pubrel': PUBREL sent, awaiting PUBCOMP. */
  state: 'publish' | 'pubrel';
}

export class Outbound {
  readonly inflight = new Map<number, InFlight>();
  /** Publications not yet sent: offline, or beyond the send quota. */
  waiting: PublishPacket[] = [];
  #nextId = 1;
  #used = new Set<number>();

  /** A packet identifier not in use by any flow of ours (PUBLISH, SUBSCRIBE, UNSUBSCRIBE). */
  allocate(): number {
    let id = this.#nextId;
    for (let i = 0; i < 65535 && (this.#used.has(id) || this.inflight.has(id)); i++) id = id === 65535 ? 1 : id + 1;
    if (this.#used.has(id) || this.inflight.has(id)) throw new Error('all 65535 packet identifiers are in use');
    this.#nextId = id === 65535 ? 1 : id + 1;
    this.#used.add(id);
    return id;
  }

  release(id: number): void {
    this.#used.delete(id);
  }

  start(packet: PublishPacket): void {
    this.inflight.set(packet.packetId!, { packet, state: 'publish' });
  }

  /** PUBACK or PUBCOMP (or a failed PUBREC): the flow is over. */
  finish(id: number, expect: InFlight['state']): InFlight | undefined {
    const f = this.inflight.get(id);
    if (!f || f.state !== expect) return undefined;
    this.inflight.delete(id);
    this.release(id);
    return f;
  }

  /** Everything unacknowledged is forgotten (the server has no session for us). */
  clear(): PublishPacket[] {
    const lost = [...this.inflight.values()].map((f) => f.packet);
    for (const id of this.inflight.keys()) this.release(id);
    this.inflight.clear();
    return lost;
  }
}
