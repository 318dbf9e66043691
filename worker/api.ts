/**
 * The worker's API as the page sees it through Comlink. The UI imports only
 * types from here (`import type`), never worker code.
 */
import type { ProtocolVersion } from './protocol/types';

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
}

export interface PlaygroundApi {
  status(): PlaygroundStatus;
}
