/**
 * The simulation: the broker, the virtual clients, the network paths
 * between them, the clock the learner controls and the capture of every
 * byte, composed in one place. The worker exposes it to the page (api.ts);
 * tests drive it directly.
 */
import { Broker, MemoryStore, type BrokerConfig, type BrokerStore } from '../broker';
import { createScramClient } from '../broker/auth/scram';
import { hashPassword } from '../broker/auth/passwords';
import { VirtualClient, type ClientAuthenticator } from '../client';
import type { Properties, QoS } from '../protocol';
import { SimClock, type SimClockState } from '../time/sim-clock';
import { brokerSnapshot, type BrokerSnapshot } from './broker-view';
import { Capture, type CaptureBatch, type CaptureOptions } from './capture';
import { clientConfigProblems, IN_PAGE, toClientOptions, type ClientConfig, type ConfigProblems } from './client-config';
import type { MessageRecord } from './message-log';
import { NetworkPath, type NetworkConditions } from './network';
import type { Link } from '../transport/link';
import { SimClient, type ClientView } from './sim-client';
import { MemoryWorkspace, type WorkspaceStore } from './storage';
import { SensorFleets } from './sensors';
import { TopicIndex } from './topic-index';

export interface PlaygroundBatch {
  capture: CaptureBatch | undefined;
  /** Clients whose state changed. */
  clients: ClientView[];
  /** Clients deleted. */
  removed: string[];
  /** New messages, sent and received, of every client. */
  messages: MessageRecord[];
  /** Acknowledgements that arrived for sent QoS 1 and 2 messages (by the message's id in its client's log). */
  acks: { client: string; id: number; reasonCode: number }[];
  clock: SimClockState;
  /** The broker's sessions, retained messages or statistics changed. */
  brokerChanged: boolean;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblems;
  constructor(problems: ConfigProblems) {
    super(Object.values(problems).join(' '));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface PublishRequest {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: Properties | undefined;
}

export interface SubscribeRequest {
  topicFilter: string;
  qos: QoS;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
  identifier?: number | undefined;
  color?: string;
}

export interface SimulationOptions {
  clock?: SimClock;
  broker?: Partial<BrokerConfig>;
  store?: BrokerStore;
  capture?: CaptureOptions;
  /** Runs a batch flush later (about once per animation frame). */
  schedule?: (flush: () => void) => void;
  /** Opens a link to a remote broker (ws:// or wss://); absent where there is no WebSocket. */
  remote?: (url: string, name: string) => Link;
  /** Where connections and subscriptions are kept across reloads. */
  workspace?: WorkspaceStore;
}

/** A connection as the workspace keeps it. */
export interface SavedClient {
  config: ClientConfig;
  subscriptions: SubscribeRequest[];
  conditions: { latency: number; bandwidth: number };
}

export class Simulation {
  readonly clock: SimClock;
  broker: Broker;
  readonly capture: Capture;
  readonly clients = new Map<string, SimClient>();
  store: BrokerStore;
  readonly #options: SimulationOptions;
  #listeners: ((b: PlaygroundBatch) => void)[] = [];
  #changed = new Set<string>();
  #removed = new Set<string>();
  #messages: MessageRecord[] = [];
  #acks: PlaygroundBatch['acks'] = [];
  #captureBatch: CaptureBatch | undefined;
  #brokerChanged = false;
  #scheduled = false;
  readonly #schedule: (flush: () => void) => void;
  #unbroker: () => void;
  readonly workspace: WorkspaceStore;
  readonly sensors: SensorFleets;
  readonly topics = new TopicIndex();
  #saving = false;
  /** Why state will not survive a reload (storage failed), when it will not. */
  storageNotice: string | undefined;

  constructor(o: SimulationOptions = {}) {
    this.#options = o;
    this.clock = o.clock ?? new SimClock(Date.now(), () => performance.now(), 'task');
    this.store = o.store ?? new MemoryStore();
    this.#schedule = o.schedule ?? ((f) => setTimeout(f, 16));
    this.capture = new Capture({ schedule: (f) => this.#request(f), ...o.capture });
    this.capture.onBatch((b) => this.#mergeCapture(b));
    this.workspace = o.workspace ?? new MemoryWorkspace();
    this.sensors = new SensorFleets(this);
    this.broker = new Broker(o.broker ?? {}, this.clock, this.store);
    this.#unbroker = this.#watchBroker();
    this.clock.onChange(() => this.#request());
  }

  /** Loads the broker's persisted state and the saved connections (disconnected); call once, first. */
  async start(): Promise<void> {
    await this.broker.restore();
    const saved = (await this.workspace.get<SavedClient[]>('clients')) ?? [];
    for (const s of saved) {
      try {
        const c = this.#makeClient(s.config);
        c.conditions = { ...c.conditions, latency: s.conditions.latency, bandwidth: s.conditions.bandwidth };
        for (const r of s.subscriptions) this.#addSubscription(c, r);
        this.clients.set(s.config.name, c);
        this.#touch(s.config.name);
      } catch {
        // a saved connection this version cannot read is left out rather than stopping the start
      }
    }
  }

  onBatch(listener: (b: PlaygroundBatch) => void): () => void {
    this.#listeners.push(listener);
    this.#request();
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  // clients

  createClient(config: ClientConfig): ClientView {
    this.#saveWorkspace();
    if (this.clients.has(config.name)) throw new ConfigError({ name: `A connection named "${config.name}" exists already.` });
    const problems = clientConfigProblems(config);
    if (Object.keys(problems).length) throw new ConfigError(problems);
    const c = this.#makeClient(config);
    this.clients.set(config.name, c);
    this.#touch(config.name);
    return c.view();
  }

  /** New settings apply at the next connect; a rename keeps messages and subscriptions. */
  updateClient(name: string, config: ClientConfig): ClientView {
    this.#saveWorkspace();
    const c = this.#client(name);
    if (config.name !== name && this.clients.has(config.name)) throw new ConfigError({ name: `A connection named "${config.name}" exists already.` });
    const problems = clientConfigProblems(config);
    if (Object.keys(problems).length) throw new ConfigError(problems);
    if (c.vc.status !== 'disconnected') c.vc.disconnect();
    c.unsubscribe?.();
    const fresh = this.#makeClient(config);
    fresh.conditions = c.conditions;
    for (const [k, v] of c.subscriptions) fresh.subscriptions.set(k, { ...v, state: 'pending' });
    for (const m of c.messages.since(0)) fresh.messages.add({ ...m, client: config.name });
    this.clients.delete(name);
    this.clients.set(config.name, fresh);
    if (config.name !== name) this.#removed.add(name);
    this.#touch(config.name);
    return fresh.view();
  }

  deleteClient(name: string): void {
    this.#saveWorkspace();
    const c = this.#client(name);
    if (c.vc.status !== 'disconnected') c.vc.disconnect();
    c.vc.kill();
    c.unsubscribe?.();
    this.clients.delete(name);
    this.#removed.add(name);
    this.#changed.delete(name);
    this.#request();
  }

  duplicateClient(name: string, newName?: string): ClientView {
    const c = this.#client(name);
    let n = newName;
    for (let i = 2; !n || this.clients.has(n); i++) n = `${name} (${i})`;
    const suffix = Math.random().toString(16).slice(2, 8);
    return this.createClient({ ...structuredClone(c.config), name: n, clientId: c.config.clientId ? `${c.config.clientId}_${suffix}` : '' });
  }

  connect(name: string): void {
    const c = this.#client(name);
    c.lastError = undefined;
    c.vc.connect();
    this.#touch(name);
  }

  /** A normal DISCONNECT; 5.0 may give a reason code (0x04 asks for the will) and a new Session Expiry Interval. */
  disconnect(name: string, reasonCode = 0, properties?: Properties): void {
    this.#client(name).vc.disconnect(reasonCode, properties);
    this.#touch(name);
  }

  /** The client dies: its connection closes without DISCONNECT. */
  kill(name: string): void {
    this.#client(name).vc.kill();
    this.#touch(name);
  }

  /** Pull the cable: the connection stays open at both ends but nothing gets through. */
  cut(name: string): void {
    const c = this.#client(name);
    c.conditions = { ...c.conditions, cut: true };
    c.path?.cut();
    this.#touch(name);
  }

  restore(name: string): void {
    const c = this.#client(name);
    c.conditions = { ...c.conditions, cut: false };
    c.path?.restore();
    this.#touch(name);
  }

  setNetwork(name: string, conditions: Partial<NetworkConditions>): void {
    this.#saveWorkspace();
    const c = this.#client(name);
    const next = { ...c.conditions, ...conditions };
    if (!(next.latency >= 0 && next.latency <= 600_000)) throw new RangeError('Latency is 0 to 600000 ms.');
    if (!(next.bandwidth >= 0)) throw new RangeError('Bandwidth is 0 (unlimited) or more bytes per second.');
    c.conditions = next;
    c.path?.setConditions(next);
    this.#touch(name);
  }

  publish(name: string, r: PublishRequest): MessageRecord {
    const c = this.#client(name);
    const properties = c.config.version === 5 ? r.properties : undefined;
    const packetId = c.vc.publish({ topic: r.topic, payload: r.payload, qos: r.qos, retain: r.retain, properties });
    const rec = c.recordSent(r.topic, r.payload, r.qos, r.retain, packetId, properties, this.clock.now(), Date.now());
    if (c.recordMessages) this.#messages.push(rec);
    // the view shows in-flight and waiting counts: a QoS 0 message sent at once changes neither
    if (r.qos > 0 || c.vc.status !== 'connected') this.#touch(name);
    return rec;
  }

  subscribe(name: string, r: SubscribeRequest): void {
    this.#saveWorkspace();
    const c = this.#client(name);
    const props: Properties | undefined = r.identifier !== undefined && c.config.version === 5 ? { subscriptionIdentifier: r.identifier } : undefined;
    this.#addSubscription(c, r);
    if (c.vc.status === 'connected') c.vc.subscribe([{ topicFilter: r.topicFilter, qos: r.qos, noLocal: r.noLocal, retainAsPublished: r.retainAsPublished, retainHandling: r.retainHandling }], props);
    this.#touch(name);
  }

  unsubscribe(name: string, topicFilter: string): void {
    this.#saveWorkspace();
    const c = this.#client(name);
    if (c.vc.status === 'connected') c.vc.unsubscribe([topicFilter]);
    else c.subscriptions.delete(topicFilter);
    this.#touch(name);
  }

  /** Bytes written as they are on the client's connection (the packet lab). */
  sendRaw(name: string, bytes: Uint8Array): void {
    const c = this.#client(name);
    if (!c.vc.link || c.vc.link.closed) throw new Error(`${name} is not connected`);
    c.vc.sendRaw(bytes);
  }

  messages(name: string, after = 0): MessageRecord[] {
    return this.#client(name).messages.since(after);
  }

  clearMessages(name: string): void {
    this.#client(name).messages.clear();
    this.#touch(name);
  }

  view(name: string): ClientView {
    return this.#client(name).view();
  }

  views(): ClientView[] {
    return [...this.clients.values()].map((c) => c.view());
  }

  // broker

  /** Adds or replaces a user of the broker; the password is hashed here, never kept as typed. */
  setUser(username: string, password: string): void {
    if (!username) throw new ConfigError({ username: 'Give the user a name.' });
    if (!password) throw new ConfigError({ password: 'Give the user a password.' });
    const users = this.broker.config.users.filter((u) => u.username !== username);
    users.push({ username, password: hashPassword(password) });
    this.configureBroker({ users });
  }

  removeUser(username: string): void {
    this.configureBroker({ users: this.broker.config.users.filter((u) => u.username !== username) });
  }

  brokerSnapshot(): BrokerSnapshot {
    return brokerSnapshot(this.broker);
  }

  configureBroker(partial: Partial<BrokerConfig>): void {
    this.broker.configure(partial);
    this.#brokerChanged = true;
    this.#request();
  }

  deleteRetained(topic?: string): void {
    if (topic === undefined) {
      for (const m of this.broker.retained.all(this.clock.now())) this.#clearRetained(m.topic);
    } else this.#clearRetained(topic);
    this.#brokerChanged = true;
    this.#request();
  }

  /**
   * Stops the broker (5.0 clients hear 0x8B Server shutting down) and starts a
   * new one: with what was persisted, or from nothing.
   */
  async restartBroker(keepState: boolean): Promise<void> {
    const old = this.broker;
    old.close();
    await old.persistence?.flush();
    this.#unbroker();
    // dropping the state means dropping what is stored too, or it would come back after a reload
    if (!keepState) await this.store.clear();
    this.broker = new Broker(old.config, this.clock, this.store);
    this.#unbroker = this.#watchBroker();
    await this.broker.restore();
    this.#brokerChanged = true;
    this.#request();
  }

  /** Flushes everything pending to the listeners now. */
  flush(): void {
    this.#scheduled = false;
    this.capture.flush();
    const batch: PlaygroundBatch = {
      capture: this.#captureBatch,
      clients: [...this.#changed].map((n) => this.clients.get(n)?.view()).filter((v): v is ClientView => v !== undefined),
      removed: [...this.#removed],
      messages: this.#messages,
      acks: this.#acks,
      clock: this.clock.state,
      brokerChanged: this.#brokerChanged,
    };
    this.#captureBatch = undefined;
    this.#changed.clear();
    this.#removed.clear();
    this.#messages = [];
    this.#acks = [];
    this.#brokerChanged = false;
    for (const l of this.#listeners) l(batch);
  }

  dispose(): void {
    for (const c of this.clients.values()) c.vc.kill();
    this.broker.close();
    this.#unbroker();
    this.clock.dispose();
  }

  #clearRetained(topic: string): void {
    this.broker.retained.delete(topic);
    this.broker.persistence?.retainedChanged(topic);
    this.topics.setRetained(topic, false);
  }

  #makeClient(config: ClientConfig): SimClient {
    let c: SimClient;
    const auth = config.authMethod === 'SCRAM-SHA-256' ? scramAuthenticator(config.username, config.password) : undefined;
    const vc = new VirtualClient(toClientOptions(config, auth), this.clock, () => this.#openLink(c));
    c = new SimClient(config, vc);
    c.unsubscribe = vc.on((e) => {
      // the two events of every message come first, and cheaply
      if (e.kind === 'published' && e.qos === 0) return;
      if (e.kind === 'message' && !c.recordMessages) return;
      const rec = c.apply(e, this.clock.now(), Date.now());
      if (rec) this.#messages.push(rec);
      if (e.kind === 'published' && e.packetId !== undefined) {
        const m = c.messages.findLast((x) => x.direction === 'sent' && x.packetId === e.packetId && x.ackReasonCode === undefined);
        if (m) {
          m.ackReasonCode = e.reasonCode;
          this.#acks.push({ client: c.name, id: m.id, reasonCode: e.reasonCode });
        }
      }
      // subscriptions made while offline are sent once connected
      if (e.kind === 'connected') this.#resubscribe(c);
      if (e.kind === 'unsubscribed') this.#saveWorkspace();
      // a QoS 0 publication changes nothing the client's view shows; messages travel in the batch
      if (e.kind === 'message' || (e.kind === 'published' && e.qos === 0) || e.kind === 'pong') return;
      this.#touch(c.name);
    });
    return c;
  }

  #addSubscription(c: SimClient, r: SubscribeRequest): void {
    c.subscriptions.set(r.topicFilter, {
      topicFilter: r.topicFilter, qos: r.qos, noLocal: r.noLocal ?? false, retainAsPublished: r.retainAsPublished ?? false,
      retainHandling: r.retainHandling ?? 0, identifier: r.identifier, color: r.color ?? '#3b82f6', state: 'pending', reasonCode: undefined,
    });
  }

  /** The connections and their subscriptions, written once per burst of changes. */
  #saveWorkspace(): void {
    if (this.#saving) return;
    this.#saving = true;
    queueMicrotask(() => {
      this.#saving = false;
      const saved: SavedClient[] = [...this.clients.values()].map((c) => ({
        config: c.config,
        subscriptions: [...c.subscriptions.values()].map((s) => ({
          topicFilter: s.topicFilter, qos: s.qos, noLocal: s.noLocal, retainAsPublished: s.retainAsPublished, retainHandling: s.retainHandling, identifier: s.identifier, color: s.color,
        })),
        conditions: { latency: c.conditions.latency, bandwidth: c.conditions.bandwidth },
      }));
      this.workspace.set('clients', saved).catch((e: unknown) => this.#storageFailed(e));
    });
  }

  #storageFailed(e: unknown): void {
    this.storageNotice = `Saving failed (${e instanceof Error ? e.message : String(e)}); changes since then will not survive a reload.`;
    this.#brokerChanged = true;
    this.#request();
  }

  #resubscribe(c: SimClient): void {
    const pending = [...c.subscriptions.values()].filter((s) => s.state === 'pending');
    for (const s of pending) {
      const props: Properties | undefined = s.identifier !== undefined && c.config.version === 5 ? { subscriptionIdentifier: s.identifier } : undefined;
      c.vc.subscribe([{ topicFilter: s.topicFilter, qos: s.qos, noLocal: s.noLocal, retainAsPublished: s.retainAsPublished, retainHandling: s.retainHandling }], props);
    }
  }

  /**
   * Every connection goes through a NetworkPath, so conditions and the
   * capture work alike for the in-page broker and a remote one: for a remote
   * broker the path's far end is bridged to the WebSocket link.
   */
  #openLink(c: SimClient) {
    const path = new NetworkPath<number | number[]>(this.clock, c.name, this.capture.tap(c.name, () => c.config.version));
    path.setConditions(c.conditions);
    c.path = path;
    if (c.config.host === IN_PAGE) this.broker.accept(path.brokerEnd);
    else {
      if (!this.#options.remote) throw new Error('remote brokers cannot be reached from here');
      bridge(path.brokerEnd, this.#options.remote(c.config.host, c.name));
    }
    return path.clientEnd;
  }

  #watchBroker(): () => void {
    if (this.broker.persistence) this.broker.persistence.onError = (e) => this.#storageFailed(e);
    this.broker.onSessionChange = () => {
      this.#brokerChanged = true;
      this.#request();
    };
    const retained = this.broker.retained;
    this.broker.onMessage = (m) => this.topics.add(m, m.retain ? retained.get(m.topic) !== undefined : undefined);
    return this.broker.on((e) => {
      this.capture.event(e);
      if (e.kind !== 'routed') this.#brokerChanged = true;
    });
  }

  #client(name: string): SimClient {
    const c = this.clients.get(name);
    if (!c) throw new Error(`no connection named "${name}"`);
    return c;
  }

  #touch(name: string): void {
    this.#changed.add(name);
    this.#request();
  }

  #mergeCapture(b: CaptureBatch): void {
    const prev = this.#captureBatch;
    this.#captureBatch = prev ? { entries: [...prev.entries, ...b.entries], updates: [...prev.updates, ...b.updates], skipped: prev.skipped + b.skipped } : b;
    this.#request();
  }

  #request(_f?: () => void): void {
    if (this.#scheduled || this.#listeners.length === 0) return;
    this.#scheduled = true;
    this.#schedule(() => this.flush());
  }
}

/** Joins two links: what arrives on one is written to the other, and a close travels too. */
function bridge(a: Link, b: Link): void {
  a.setHandler({ data: (bytes) => b.write(bytes), close: (reason) => b.close(reason) });
  b.setHandler({ data: (bytes) => a.write(bytes), close: (reason) => a.close(reason) });
}

function scramAuthenticator(username: string, password: string): ClientAuthenticator {
  const scram = createScramClient(username, password);
  return {
    method: 'SCRAM-SHA-256',
    first: () => scram.first(),
    next: (challenge) => scram.final(challenge ?? new Uint8Array()),
    verify: (data) => data !== undefined && scram.verify(data),
  };
}
