/**
 * What a client connects with: every CONNECT field of MQTT 3.1, 3.1.1 and
 * 5.0, plus how the engine behaves (reconnecting, topic aliases).
 */
import type { Properties, ProtocolVersion, QoS, UserProperty, Will } from '../protocol';

/** Enhanced authentication, client side: each step's data for the server's challenge. */
export interface ClientAuthenticator {
  /** Authentication Method, e.g. "SCRAM-SHA-256". */
  readonly method: string;
  /** Authentication Data for CONNECT. */
  first(): Uint8Array | undefined;
  /** Answer to the server's AUTH 0x18; throws when the challenge is unacceptable. */
  next(challenge: Uint8Array | undefined): Uint8Array | undefined;
  /** Checks the server's final data (in CONNACK or AUTH Success); false ends the connection. */
  verify(data: Uint8Array | undefined): boolean;
}

export interface ClientOptions {
  /** Empty asks the server to assign one (3.1.1 with Clean Session, or 5.0). */
  clientId: string;
  version: ProtocolVersion;
  /** Clean Session in 3.1/3.1.1, Clean Start in 5.0. */
  cleanStart: boolean;
  /** Seconds; 0 switches keep alive off. */
  keepalive: number;
  username?: string | undefined;
  password?: Uint8Array | undefined;
  will?: Will | undefined;
  /** 5.0 CONNECT properties. */
  sessionExpiryInterval?: number | undefined;
  receiveMaximum?: number | undefined;
  maximumPacketSize?: number | undefined;
  topicAliasMaximum?: number | undefined;
  requestResponseInformation?: boolean | undefined;
  requestProblemInformation?: boolean | undefined;
  userProperties?: UserProperty[] | undefined;
  authenticator?: ClientAuthenticator | undefined;
  /** Use topic aliases towards a 5.0 server that allows them. */
  topicAliases?: boolean | undefined;
  /** Reconnect after an unexpected loss of the connection. */
  autoReconnect?: boolean | undefined;
  /** First reconnect delay in ms; doubles up to maxReconnectDelay. */
  reconnectDelay?: number | undefined;
  maxReconnectDelay?: number | undefined;
}

export interface PublishOptions {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  /** 5.0 message properties (content type, user properties, expiry, response topic...). */
  properties?: Properties | undefined;
}

export interface SubscribeOptions {
  topicFilter: string;
  qos: QoS;
  noLocal?: boolean | undefined;
  retainAsPublished?: boolean | undefined;
  retainHandling?: 0 | 1 | 2 | undefined;
}

export const DEFAULT_RECONNECT_DELAY = 1000;
export const DEFAULT_MAX_RECONNECT_DELAY = 30_000;
