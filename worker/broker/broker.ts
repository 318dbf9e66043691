/**
 * The broker: accepts Links, keeps sessions, routes messages. It holds the
 * shared state; connection.ts and handlers/ do the per-packet work.
 *
 *   const broker = new Broker({ allowAnonymous: true }, new RealClock());
 *   broker.accept(link);                // any Link: memory pipe, TCP, WebSocket
 *   broker.on((e) => console.log(describeEvent(e)));
 */
import type { QoS } from '../protocol';
import type { Clock } from '../time/clock';
import type { Link } from '../transport/link';
import { authorize } from './acl';
import { scramSha256, type AuthMethod } from './auth/scram';
import { resolveConfig, type BrokerConfig } from './config';
import { Connection } from './connection';
import type { BrokerEvent, BrokerEventListener } from './events';
import type { Delivery, Message } from './message';
import { Persistence, type BrokerStore } from './persistence';
import { NEVER_EXPIRES, Registry } from './registry';
import { RetainStore } from './retain-store';
import { Router } from './router';
import type { Session, SessionLimits } from './session';
import { SysPublisher } from './sys';
import { WillScheduler, type PendingWill } from './will';

export interface BrokerStats {
  /** Clock time (ms) the broker started. */
  startedAt: number;
  connected: number;
  /** Connections accepted since start. */
  connectionsTotal: number;
  packetsReceived: number;
  packetsSent: number;
  bytesReceived: number;
  bytesSent: number;
  /** PUBLISH packets received from clients. */
  messagesReceived: number;
  /** PUBLISH packets sent to clients. */
  messagesSent: number;
  /** Deliveries dropped (queue full, expired, too large, QoS 0 offline). */
  messagesDropped: number;
}

export class Broker {
  config: BrokerConfig;
  readonly clock: Clock;
  readonly registry: Registry;
  readonly router: Router;
  readonly retained = new RetainStore();
  readonly wills: WillScheduler;
  readonly authMethods = new Map<string, AuthMethod>([[scramSha256.name, scramSha256]]);
  readonly stats: BrokerStats;
  readonly connections = new Set<Connection>();
  readonly persistence: Persistence | undefined;
  #listeners: BrokerEventListener[] = [];
  #sys: SysPublisher;
  #limits: SessionLimits;
  #nextAssigned = 1;

  constructor(config: Partial<BrokerConfig>, clock: Clock, store?: BrokerStore) {
    this.config = resolveConfig(config);
    this.clock = clock;
    this.registry = new Registry(clock);
    this.router = new Router(this.registry);
    this.wills = new WillScheduler(clock, (w) => this.#publishWill(w));
    this.stats = {
      startedAt: clock.now(), connected: 0, connectionsTotal: 0, packetsReceived: 0, packetsSent: 0,
      bytesReceived: 0, bytesSent: 0, messagesReceived: 0, messagesSent: 0, messagesDropped: 0,
    };
    this.#limits = this.#makeLimits();
    this.registry.onEnd = (s, reason, pending) => this.#sessionEnded(s, reason, pending);
    this.persistence = store ? new Persistence(store, this) : undefined;
    this.#sys = new SysPublisher(this);
    this.#sys.start();
  }

  /** Loads persisted sessions and retained messages; call before accepting connections. */
  async restore(): Promise<void> {
    await this.persistence?.restore();
  }

  /** Serves a new network connection. */
  accept(link: Link): Connection {
    const c = new Connection(this, link);
    this.connections.add(c);
    this.stats.connectionsTotal++;
    return c;
  }

  /** Applies new settings; limits apply to new deliveries at once, capabilities to new connections. */
  configure(partial: Partial<BrokerConfig>): void {
    this.config = resolveConfig({ ...this.config, ...partial });
    this.#limits = this.#makeLimits();
    this.#sys.start();
  }

  get limits(): SessionLimits {
    return this.#limits;
  }

  on(listener: BrokerEventListener): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Whether anyone listens to events: callers skip building events nobody reads. */
  get listening(): boolean {
    return this.#listeners.length > 0;
  }

  emit(event: BrokerEvent): void {
    if (this.#listeners.length === 0) return;
    // events are made fresh for each emit, so the time can go on the same object
    const e = event as BrokerEvent & { at: number };
    e.at = this.clock.now();
    for (const l of this.#listeners) l(e);
  }

  /** An error that is a bug of ours, not of the client; kept visible for the log. */
  reportInternalError(e: unknown): void {
    this.emit({ kind: 'protocol-error', clientId: '', reasonCode: 0x83, reason: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
  }

  nextAssignedClientId(): string {
    const rand = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
    return `${this.config.assignedClientIdPrefix}${rand}-${(this.#nextAssigned++).toString(16)}`;
  }

  mayPublish(clientId: string, username: string | undefined, topic: string): boolean {
    return authorize(this.config.acl, this.config.aclDefault, { clientId, username }, 'publish', topic);
  }

  maySubscribe(clientId: string, username: string | undefined, filter: string): boolean {
    return authorize(this.config.acl, this.config.aclDefault, { clientId, username }, 'subscribe', filter);
  }

  /** Routes a message to its subscribers and, if it has RETAIN, into the retained store. */
  publish(m: Message): number {
    if (m.retain && this.config.retainAvailable) {
      const kept = this.retained.set(m);
      this.persistence?.retainedChanged(m.topic);
      if (this.listening) this.emit({ kind: 'retained', topic: m.topic, cleared: !kept });
    }
    const receivers = this.router.route(m, this.#limits, m.receivedAt);
    if (this.listening) this.emit({ kind: 'routed', from: m.origin, topic: m.topic, qos: m.qos, retain: m.retain, receivers });
    this.onMessage?.(m, receivers);
    return receivers;
  }

  /** Sees every message the broker routes (the topic tree, charts); keep it quick. */
  onMessage: ((m: Message, receivers: number) => void) | undefined;

  /** A message from the broker itself (e.g. $SYS), not from a client. */
  publishInternal(topic: string, payload: Uint8Array, qos: QoS = 0, retain = false): number {
    const now = this.clock.now();
    return this.publish({ topic, payload, qos, retain, properties: undefined, receivedAt: now, expiresAt: undefined, origin: '' });
  }

  /** A connected client's connection ended: will, session expiry, shared deliveries. */
  detach(c: Connection): void {
    this.connections.delete(c);
    this.stats.connected--;
    const s = c.session;
    this.emit({ kind: 'client-disconnected', clientId: c.clientId, reason: c.endReason, graceful: c.graceful });
    if (!s || s.outlet !== c) return; // taken over: the session has a new connection
    s.outlet = null;
    s.disconnectedAt = this.clock.now();
    if (c.will) {
      // 5.0: the will waits for the Will Delay Interval, but never beyond the session [MQTT-3.1.3-9]
      const delay = c.version === 5 ? Math.min(c.will.properties?.willDelayInterval ?? 0, s.expiryInterval) : 0;
      this.emit({ kind: 'will-scheduled', clientId: c.clientId, topic: c.will.topic, delay });
      this.wills.schedule(c.clientId, c.username, c.will, delay);
    }
    for (const d of s.takeShared()) this.router.reassign(d, s.clientId, this.#limits, this.clock.now());
    this.sessionChanged(s);
    this.registry.scheduleExpiry(s);
  }

  /** A connection that never completed CONNECT ended. */
  forget(c: Connection): void {
    this.connections.delete(c);
  }

  /** The $SYS values as they are now, by topic. */
  sysValues(): Record<string, string> {
    return this.#sys.values();
  }

  /** Closes every connection (5.0 clients are told 0x8B Server shutting down) and stops timers. */
  close(): void {
    for (const c of [...this.connections]) c.disconnect(0x8b, 'server shutting down');
    this.#sys.stop();
  }

  #publishWill(w: PendingWill): void {
    const { will } = w;
    if (!this.mayPublish(w.clientId, w.username, will.topic)) {
      this.emit({ kind: 'dropped', clientId: w.clientId, topic: will.topic, reason: 'the will is not authorised' });
      return;
    }
    const now = this.clock.now();
    const props = will.properties;
    let properties: Message['properties'];
    if (props) {
      const { willDelayInterval: _d, messageExpiryInterval: _e, ...rest } = props;
      if (Object.keys(rest).length) properties = rest;
    }
    this.emit({ kind: 'will-published', clientId: w.clientId, topic: will.topic });
    this.publish({
      topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain, properties, receivedAt: now,
      expiresAt: props?.messageExpiryInterval !== undefined ? now + props.messageExpiryInterval * 1000 : undefined, origin: w.clientId,
    });
  }

  #sessionEnded(s: Session, reason: string, pending: Delivery[]): void {
    this.emit({ kind: 'session-ended', clientId: s.clientId, reason });
    this.wills.sessionEnded(s.clientId);
    const now = this.clock.now();
    for (const d of pending) this.router.reassign(d, s.clientId, this.#limits, now);
    this.persistence?.sessionEnded(s.clientId);
  }

  #makeLimits(): SessionLimits {
    const c = this.config;
    return { maxQueued: c.maxQueuedMessages, queueQos0: c.queueQos0, queueExpiryMs: c.queuedMessageExpiry * 1000 };
  }

  /** A new session, with its drops counted and reported. */
  createSession(clientId: string): Session {
    const s = this.registry.create(clientId);
    s.onDrop = (m, reason) => {
      this.stats.messagesDropped++;
      this.emit({ kind: 'dropped', clientId: s.clientId, topic: m.topic, reason });
    };
    // messages queued or put in flight are worth telling (storage, the page's session view)
    if (this.persistence || this.onSessionChange) s.onChange = () => this.sessionChanged(s);
    this.sessionChanged(s);
    return s;
  }

  /** A session's state changed: what is stored and who watches hear of it. */
  sessionChanged(s: Session): void {
    this.persistence?.sessionChanged(s);
    this.onSessionChange?.(s);
  }

  /** Hears of every change of a session (the simulation marks its broker view stale). */
  onSessionChange: ((s: Session) => void) | undefined;
}

export { NEVER_EXPIRES };
