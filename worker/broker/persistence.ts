/**
 * Persistence: persistent sessions (with their subscriptions, in-flight and
 * queued messages) and retained messages survive a broker restart. The
 * broker keeps everything in memory and tells a BrokerStore what changed,
 * batched once per microtask; the store may be asynchronous (IndexedDB).
 * Sessions with a Session Expiry Interval of 0 are never stored.
 */
import type { Broker } from './broker';
import type { Delivery, Message } from './message';
import type { Inflight, Session, Subscription } from './session';

export interface PersistedSession {
  clientId: string;
  version: number;
  expiryInterval: number;
  /** Clock time (ms) of the last disconnect; undefined while it was connected. */
  disconnectedAt: number | undefined;
  subscriptions: Subscription[];
  inflight: { packetId: number; state: Inflight['state']; delivery: Delivery }[];
  queued: Delivery[];
  awaitingRel: number[];
  nextPacketId: number;
}

export interface BrokerState {
  sessions: PersistedSession[];
  retained: Message[];
}

export interface StoreBatch {
  sessions: PersistedSession[];
  deletedSessions: string[];
  retained: Message[];
  deletedRetained: string[];
}

export interface BrokerStore {
  load(): Promise<BrokerState>;
  /** Applies one batch of changes, in order after the previous batches. */
  save(batch: StoreBatch): void | Promise<void>;
  /** Forgets everything stored (a broker restarted without its state). */
  clear(): void | Promise<void>;
}

/** A store that keeps copies in memory: state survives a broker restart, not a page reload. */
export class MemoryStore implements BrokerStore {
  readonly sessions = new Map<string, PersistedSession>();
  readonly retained = new Map<string, Message>();

  async load(): Promise<BrokerState> {
    return structuredClone({ sessions: [...this.sessions.values()], retained: [...this.retained.values()] });
  }

  clear(): void {
    this.sessions.clear();
    this.retained.clear();
  }

  save(batch: StoreBatch): void {
    const b = structuredClone(batch);
    for (const id of b.deletedSessions) this.sessions.delete(id);
    for (const s of b.sessions) this.sessions.set(s.clientId, s);
    for (const t of b.deletedRetained) this.retained.delete(t);
    for (const m of b.retained) this.retained.set(m.topic, m);
  }
}

export class Persistence {
  readonly #store: BrokerStore;
  readonly #broker: Broker;
  #sessions = new Set<string>();
  #deleted = new Set<string>();
  #retained = new Set<string>();
  #scheduled = false;
  /** The last failure of the store, if any (quota, private mode...). */
  lastError: unknown;
  onError: ((e: unknown) => void) | undefined;

  constructor(store: BrokerStore, broker: Broker) {
    this.#store = store;
    this.#broker = broker;
  }

  sessionChanged(s: Session): void {
    this.#sessions.add(s.clientId);
    this.#schedule();
  }

  sessionEnded(clientId: string): void {
    this.#sessions.delete(clientId);
    this.#deleted.add(clientId);
    this.#schedule();
  }

  retainedChanged(topic: string): void {
    // $SYS values are the broker's own and made anew every few seconds: not worth storing
    if (topic.startsWith('$SYS/')) return;
    this.#retained.add(topic);
    this.#schedule();
  }

  /** Writes what changed now, without waiting for the microtask. */
  flush(): void | Promise<void> {
    this.#scheduled = false;
    const b = this.#broker;
    const batch: StoreBatch = { sessions: [], deletedSessions: [...this.#deleted], retained: [], deletedRetained: [] };
    for (const id of this.#sessions) {
      const s = b.registry.get(id);
      if (s && s.expiryInterval > 0) batch.sessions.push(snapshot(s));
      else batch.deletedSessions.push(id);
    }
    for (const topic of this.#retained) {
      const m = b.retained.get(topic);
      if (m) batch.retained.push(m);
      else batch.deletedRetained.push(topic);
    }
    this.#sessions.clear();
    this.#deleted.clear();
    this.#retained.clear();
    if (!batch.sessions.length && !batch.deletedSessions.length && !batch.retained.length && !batch.deletedRetained.length) return;
    try {
      const r = this.#store.save(batch);
      if (r) return r.catch((e: unknown) => this.#failed(e));
    } catch (e) {
      this.#failed(e);
    }
  }

  /** Rebuilds sessions (offline, with their expiry running again) and retained messages. */
  async restore(): Promise<void> {
    const state = await this.#store.load();
    const b = this.#broker;
    const now = b.clock.now();
    for (const m of state.retained) b.retained.set(m);
    for (const p of state.sessions) {
      const s = b.createSession(p.clientId);
      s.version = p.version;
      s.expiryInterval = p.expiryInterval;
      s.disconnectedAt = p.disconnectedAt ?? now;
      for (const sub of p.subscriptions) b.registry.subscribe(s, sub);
      s.restore(p.inflight.map((f) => ({ packetId: f.packetId, state: f.state, delivery: f.delivery })), p.queued, p.awaitingRel, p.nextPacketId);
      b.registry.scheduleExpiry(s, s.disconnectedAt + s.expiryInterval * 1000 - now);
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      if (this.#scheduled) void this.flush();
    });
  }

  #failed(e: unknown): void {
    this.lastError = e;
    this.onError?.(e);
  }
}

function snapshot(s: Session): PersistedSession {
  return {
    clientId: s.clientId,
    version: s.version,
    expiryInterval: s.expiryInterval,
    disconnectedAt: s.disconnectedAt,
    subscriptions: [...s.subscriptions.values()],
    inflight: [...s.inflight.values()].map((f) => ({ packetId: f.packetId, state: f.state, delivery: f.delivery })),
    queued: s.queuedDeliveries(),
    awaitingRel: [...s.awaitingRel],
    nextPacketId: s.nextPacketId,
  };
}

