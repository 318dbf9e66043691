/**
 * A virtual client's settings as the UI edits them (MQTTX's "New
 * Connection" form), validated field by field, and turned into engine
 * options. Invalid values are reported per field, never silently fixed.
 */
import { topicNameProblem, utf8Problem, type ProtocolVersion, type QoS, type UserProperty } from '../protocol';
import type { ClientOptions } from '../client';

export interface WillConfig {
  topic: string;
  qos: QoS;
  retain: boolean;
  payload: string;
  /** 5.0 will properties. */
  delayInterval?: number | undefined;
  messageExpiryInterval?: number | undefined;
  contentType?: string | undefined;
  userProperties?: UserProperty[] | undefined;
}

export interface ClientConfig {
  /** The connection's name in the list, e.g. "Simple Demo". */
  name: string;
  clientId: string;
  /** 'in-page' for the broker in this page, or a ws:// or wss:// URL. */
  host: string;
  version: ProtocolVersion;
  /** Clean Session (3.1.1) / Clean Start (5.0). */
  cleanStart: boolean;
  /** 5.0, seconds. */
  sessionExpiryInterval: number;
  keepalive: number;
  username: string;
  password: string;
  will: WillConfig | undefined;
  receiveMaximum?: number | undefined;
  maximumPacketSize?: number | undefined;
  topicAliasMaximum?: number | undefined;
  requestResponseInformation?: boolean | undefined;
  requestProblemInformation?: boolean | undefined;
  userProperties?: UserProperty[] | undefined;
  /** Enhanced authentication: 'SCRAM-SHA-256' with username and password. */
  authMethod?: string | undefined;
  autoReconnect: boolean;
  /** ms before the first reconnect attempt. */
  reconnectPeriod: number;
}

export const IN_PAGE = 'in-page';

export function defaultClientConfig(name: string, clientId: string): ClientConfig {
  return {
    name, clientId, host: IN_PAGE, version: 5, cleanStart: true, sessionExpiryInterval: 0, keepalive: 60,
    username: '', password: '', will: undefined, autoReconnect: false, reconnectPeriod: 4000,
  };
}

export type ConfigProblems = Partial<Record<string, string>>;

const intIn = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Each invalid field with why, keyed by field name (will fields as "will.topic"). */
export function clientConfigProblems(c: ClientConfig): ConfigProblems {
  const p: ConfigProblems = {};
  if (!c.name.trim()) p.name = 'Give the connection a name.';
  const idProblem = utf8Problem(c.clientId);
  if (idProblem) p.clientId = 'The client ID must be valid text without U+0000.';
  else if (c.version === 3 && (c.clientId.length < 1 || c.clientId.length > 23)) p.clientId = 'MQTT 3.1 client IDs have 1 to 23 characters.';
  else if (c.version === 4 && c.clientId === '' && !c.cleanStart) p.clientId = 'An empty client ID needs Clean Session on.';
  if (c.host !== IN_PAGE && !/^wss?:\/\/[^\s/]+/.test(c.host)) p.host = 'Use the in-page broker, or a ws:// or wss:// URL.';
  if (![3, 4, 5].includes(c.version)) p.version = 'Choose 3.1, 3.1.1 or 5.0.';
  if (!intIn(c.keepalive, 0, 65535)) p.keepalive = 'Keep Alive is 0 to 65535 seconds.';
  if (!intIn(c.sessionExpiryInterval, 0, 0xffffffff)) p.sessionExpiryInterval = 'Session Expiry Interval is 0 to 4294967295 seconds.';
  if (c.password && !c.username && c.version !== 5) p.password = 'MQTT 3.1.1 needs a username with a password.';
  if (c.receiveMaximum !== undefined && !intIn(c.receiveMaximum, 1, 65535)) p.receiveMaximum = 'Receive Maximum is 1 to 65535.';
  if (c.maximumPacketSize !== undefined && !intIn(c.maximumPacketSize, 1, 268_435_460)) p.maximumPacketSize = 'Maximum Packet Size is 1 to 268435460 bytes.';
  if (c.topicAliasMaximum !== undefined && !intIn(c.topicAliasMaximum, 0, 65535)) p.topicAliasMaximum = 'Topic Alias Maximum is 0 to 65535.';
  if (!intIn(c.reconnectPeriod, 100, 3_600_000)) p.reconnectPeriod = 'The reconnect period is 100 ms to 1 hour.';
  if (c.authMethod !== undefined && c.authMethod !== 'SCRAM-SHA-256') p.authMethod = 'The supported method is SCRAM-SHA-256.';
  if (c.authMethod && c.version !== 5) p.authMethod = 'Enhanced authentication needs MQTT 5.0.';
  const w = c.will;
  if (w) {
    const t = topicNameProblem(w.topic);
    if (t) p['will.topic'] = `Last-Will Topic: ${t}.`;
    if (![0, 1, 2].includes(w.qos)) p['will.qos'] = 'Last-Will QoS is 0, 1 or 2.';
    if (w.delayInterval !== undefined && !intIn(w.delayInterval, 0, 0xffffffff)) p['will.delayInterval'] = 'Will Delay Interval is 0 to 4294967295 seconds.';
    if (w.messageExpiryInterval !== undefined && !intIn(w.messageExpiryInterval, 0, 0xffffffff)) p['will.messageExpiryInterval'] = 'Message Expiry Interval is 0 to 4294967295 seconds.';
  }
  return p;
}

const enc = new TextEncoder();

/** The engine's options for a valid config. */
export function toClientOptions(c: ClientConfig, authenticator: ClientOptions['authenticator']): ClientOptions {
  const o: ClientOptions = {
    clientId: c.clientId, version: c.version, cleanStart: c.cleanStart, keepalive: c.keepalive,
    autoReconnect: c.autoReconnect, reconnectDelay: c.reconnectPeriod,
  };
  if (c.username) o.username = c.username;
  if (c.password) o.password = enc.encode(c.password);
  if (c.will) {
    const w = c.will;
    o.will = { topic: w.topic, payload: enc.encode(w.payload), qos: w.qos, retain: w.retain };
    if (c.version === 5) {
      const props: NonNullable<typeof o.will.properties> = {};
      if (w.delayInterval) props.willDelayInterval = w.delayInterval;
      if (w.messageExpiryInterval !== undefined) props.messageExpiryInterval = w.messageExpiryInterval;
      if (w.contentType) props.contentType = w.contentType;
      if (w.userProperties?.length) props.userProperties = w.userProperties;
      if (Object.keys(props).length) o.will.properties = props;
    }
  }
  if (c.version === 5) {
    o.sessionExpiryInterval = c.sessionExpiryInterval;
    o.receiveMaximum = c.receiveMaximum;
    o.maximumPacketSize = c.maximumPacketSize;
    o.topicAliasMaximum = c.topicAliasMaximum;
    o.requestResponseInformation = c.requestResponseInformation;
    o.requestProblemInformation = c.requestProblemInformation;
    o.userProperties = c.userProperties;
    o.authenticator = authenticator;
  }
  return o;
}
