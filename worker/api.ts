/**
 * The worker's API as the page sees it through Comlink. The UI imports only
 * types from here (`import type`), never worker code.
 */
import type { BrokerConfig } from './broker/config';
import type { ProtocolVersion } from './protocol/types';
import type { Field } from './protocol/types';
import type { BrokerSnapshot } from './sim/broker-view';
import type { CaptureEntry, CapturedFrame } from './sim/capture';
import type { ClientConfig } from './sim/client-config';
import type { MessageRecord } from './sim/message-log';
import type { NetworkConditions } from './sim/network';
import type { ClientView } from './sim/sim-client';
import type { PlaygroundBatch, PublishRequest, SubscribeRequest } from './sim/simulation';
import type { SimClockState } from './time/sim-clock';
import type { FleetRequest, FleetView } from './sim/sensors';
import type { LoadRequest, LoadResult } from './sim/load';
import type { TopicSample, TopicStat } from './sim/topic-index';
import type { PcapExportRequest } from './sim/pcap';
import type { Properties } from './protocol/types';

export type { FleetRequest, FleetView, LoadRequest, LoadResult, TopicSample, TopicStat };
export type { PcapExportRequest };
export type { BrokerSnapshot, CaptureEntry, CapturedFrame, ClientConfig, ClientView, MessageRecord, NetworkConditions, PlaygroundBatch, PublishRequest, SubscribeRequest, SimClockState, BrokerConfig, Field };

export interface VersionInfo {
  level: ProtocolVersion;
  /** "MQTT 3.1", "MQTT 3.1.1", "MQTT 5.0". */
  label: string;
  /** Protocol Name field of its CONNECT: "MQIsdp" or "MQTT". */
  protocolName: string;
}

export interface PlaygroundStatus {
  /** Where the playground runs: "worker" in the page, "node" in tests. */
  host: 'worker' | 'node';
  /** Protocol levels the codec speaks, each verified by a CONNECT round trip at start-up. */
  versions: VersionInfo[];
  /** performance.now() of the worker when it started, in ms. */
  startedAt: number;
  /** Result of the start-up self-check, or why it failed. */
  selfCheck: { ok: true; bytes: number } | { ok: false; error: string };
  /** The in-page broker's identity and what it offers. */
  broker: { version: string; maximumQoS: number; retainAvailable: boolean; sessions: number; connected: number };
  /** Storage in use for persistent state, and why memory only when it fell back. */
  storage: { kind: 'indexeddb' | 'memory'; notice: string | undefined };
}

/** A result the UI can show: either the value, or the per-field problems of a refused request. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string; problems?: Partial<Record<string, string>> };

export interface PlaygroundApi {
  status(): PlaygroundStatus;
  /** Receives a batch at most once per animation frame. Pass a Comlink.proxy. */
  subscribe(listener: (batch: PlaygroundBatch) => void): void;

  createClient(config: ClientConfig): Result<ClientView>;
  /** Many at once (one round trip): each result in order. */
  createClients(configs: ClientConfig[]): Result<ClientView>[];
  updateClient(name: string, config: ClientConfig): Result<ClientView>;
  deleteClient(name: string): Result<void>;
  duplicateClient(name: string): Result<ClientView>;
  clients(): ClientView[];
  connect(name: string): Result<void>;
  disconnect(name: string, reasonCode?: number, properties?: Properties): Result<void>;
  kill(name: string): Result<void>;
  cut(name: string): Result<void>;
  restore(name: string): Result<void>;
  setNetwork(name: string, conditions: Partial<NetworkConditions>): Result<void>;
  publish(name: string, request: PublishRequest): Result<MessageRecord>;
  subscribeTopic(name: string, request: SubscribeRequest): Result<void>;
  unsubscribeTopic(name: string, topicFilter: string): Result<void>;
  messages(name: string, after?: number): MessageRecord[];
  clearMessages(name: string): Result<void>;
  sendRaw(name: string, bytes: Uint8Array): Result<void>;

  clock(): SimClockState;
  pause(): void;
  play(): void;
  setSpeed(speed: number): Result<void>;
  step(): boolean;
  advance(ms: number): void;

  dissection(seq: number): { frame: CapturedFrame; bytes: Uint8Array; tree: Field } | undefined;
  captureRange(from: number, to: number): CaptureEntry[];
  clearCapture(): void;
  setCaptureCapacity(capacity: number): Result<void>;
  /** Most capture entries per batch (10 to 10,000; 200 by default): the packet views raise it to follow a flood. */
  setCaptureBatchLimit(limit: number): Result<void>;
  /** The capture's frames as a pcapng file that Wireshark dissects as MQTT (headers below MQTT synthesised); throws on a bad request. */
  exportPcap(options?: PcapExportRequest): Uint8Array;

  brokerSnapshot(): BrokerSnapshot;
  /** Adds or replaces a broker user (the worker hashes the password); problems per field. */
  setUser(username: string, password: string): Result<void>;
  removeUser(username: string): Result<void>;
  /** Every topic the broker routed to, with counts and last values; `version` tells whether anything changed since. */
  topics(): { version: number; topics: TopicStat[] };
  /** Keep (or stop keeping) the recent messages of a topic, for its history and charts. */
  watchTopic(topic: string, watch: boolean): void;
  topicHistory(topic: string, after?: number): TopicSample[];
  clearTopics(): void;
  configureBroker(partial: Partial<BrokerConfig>): Result<void>;
  deleteRetained(topic?: string): void;
  restartBroker(keepState: boolean): Promise<void>;

  /** Simulated sensors publishing on the clock. */
  startSensors(request: FleetRequest): Result<FleetView>;
  stopSensors(id: number): Result<void>;
  sensorFleets(): FleetView[];
  /** Many publishers flooding one subscriber through the in-page broker, measured. */
  loadTest(request: LoadRequest): Promise<Result<LoadResult>>;

  /** The learner's own things (saved payloads, layout...), kept across reloads. */
  workspaceGet(key: string): Promise<unknown>;
  workspaceSet(key: string, value: unknown): Promise<Result<void>>;
}
