/**
 * The Packet union: what `decode` returns and `encode` takes.
 *
 * Field names follow the MQTT specifications in camelCase. Binary data is
 * always a `Uint8Array`. Optional fields that a version does not carry are
 * absent, never `undefined`-valued, so decoded packets compare with toEqual.
 */

/** Protocol level byte of CONNECT: 3 = MQTT 3.1, 4 = MQTT 3.1.1, 5 = MQTT 5.0. */
export type ProtocolVersion = 3 | 4 | 5;
export type QoS = 0 | 1 | 2;

/** A user property: a name/value pair; order and duplicates are significant. */
export type UserProperty = [key: string, value: string];

/** Every MQTT 5.0 property (§2.2.2.2); each packet type allows a subset. */
export interface Properties {
  /** 0x01: true when the payload is UTF-8 text. */
  payloadFormatIndicator?: boolean;
  /** 0x02: seconds until the message expires. */
  messageExpiryInterval?: number;
  /** 0x03: MIME type of the payload. */
  contentType?: string;
  /** 0x08: topic for a response (request/response pattern). */
  responseTopic?: string;
  /** 0x09: binary data that pairs a response with its request. */
  correlationData?: Uint8Array;
  /**
   * 0x0B: 1..268,435,455. One number in SUBSCRIBE; in PUBLISH one number, or an
   * array when several subscriptions matched.
   */
  subscriptionIdentifier?: number | number[];
  /** 0x11: seconds the session outlives the network connection. */
  sessionExpiryInterval?: number;
  /** 0x12: client identifier assigned by the server. */
  assignedClientIdentifier?: string;
  /** 0x13: keep alive the server imposes, in seconds. */
  serverKeepAlive?: number;
  /** 0x15: name of the enhanced authentication method. */
  authenticationMethod?: string;
  /** 0x16: method-specific authentication data. */
  authenticationData?: Uint8Array;
  /** 0x17: whether reason strings and user properties may be sent on failures. */
  requestProblemInformation?: boolean;
  /** 0x18: seconds the server waits before publishing the will. */
  willDelayInterval?: number;
  /** 0x19: whether the client asks for Response Information in CONNACK. */
  requestResponseInformation?: boolean;
  /** 0x1A: basis for response topics. */
  responseInformation?: string;
  /** 0x1C: another server the client should use. */
  serverReference?: string;
  /** 0x1F: human-readable diagnostic. */
  reasonString?: string;
  /** 0x21: how many QoS 1 and 2 publications the sender accepts at once. */
  receiveMaximum?: number;
  /** 0x22: highest topic alias the sender accepts. */
  topicAliasMaximum?: number;
  /** 0x23: number that stands for the topic name. */
  topicAlias?: number;
  /** 0x24: 0 or 1, the highest QoS the server supports (absent means 2). */
  maximumQoS?: number;
  /** 0x25: whether the server supports retained messages. */
  retainAvailable?: boolean;
  /** 0x26: name/value pairs, in order. */
  userProperties?: UserProperty[];
  /** 0x27: largest packet, in bytes, the sender accepts. */
  maximumPacketSize?: number;
  /** 0x28: whether the server supports wildcard subscriptions. */
  wildcardSubscriptionAvailable?: boolean;
  /** 0x29: whether the server supports subscription identifiers. */
  subscriptionIdentifiersAvailable?: boolean;
  /** 0x2A: whether the server supports shared subscriptions. */
  sharedSubscriptionAvailable?: boolean;
}

export type PropertyName = keyof Properties;

export interface Will {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  /** 5.0 only: will properties (delay, expiry, content type...). */
  properties?: Properties;
}

export interface ConnectPacket {
  type: 'connect';
  /** 'MQTT' for 3.1.1 and 5.0, 'MQIsdp' for 3.1. */
  protocolName: string;
  protocolVersion: ProtocolVersion;
  /** Clean Start in 5.0, Clean Session in 3.1 and 3.1.1. */
  cleanStart: boolean;
  /** Seconds; 0 switches keep alive off. */
  keepalive: number;
  clientId: string;
  will?: Will;
  username?: string;
  password?: Uint8Array;
  properties?: Properties;
}

export interface ConnackPacket {
  type: 'connack';
  sessionPresent: boolean;
  /** 5.0 reason code, or the 3.1/3.1.1 return code (0..5). */
  reasonCode: number;
  properties?: Properties;
}

export interface PublishPacket {
  type: 'publish';
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Present exactly when qos > 0. */
  packetId?: number;
  properties?: Properties;
}

export interface AckPacket<T extends 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'> {
  type: T;
  packetId: number;
  /** 5.0 only; decoded as 0 when the packet omits it. */
  reasonCode?: number;
  properties?: Properties;
}
export type PubackPacket = AckPacket<'puback'>;
export type PubrecPacket = AckPacket<'pubrec'>;
export type PubrelPacket = AckPacket<'pubrel'>;
export type PubcompPacket = AckPacket<'pubcomp'>;

export interface Subscription {
  topicFilter: string;
  /** Maximum QoS the subscriber accepts. */
  qos: QoS;
  /** 5.0: do not send this client its own publications. */
  noLocal?: boolean;
  /** 5.0: keep the retain flag as published instead of clearing it. */
  retainAsPublished?: boolean;
  /** 5.0: 0 send retained on subscribe, 1 only for a new subscription, 2 never. */
  retainHandling?: 0 | 1 | 2;
}

export interface SubscribePacket {
  type: 'subscribe';
  packetId: number;
  subscriptions: Subscription[];
  properties?: Properties;
}

export interface SubackPacket {
  type: 'suback';
  packetId: number;
  /** Granted QoS (0..2) or a failure code, one per subscription. */
  reasonCodes: number[];
  properties?: Properties;
}

export interface UnsubscribePacket {
  type: 'unsubscribe';
  packetId: number;
  topicFilters: string[];
  properties?: Properties;
}

export interface UnsubackPacket {
  type: 'unsuback';
  packetId: number;
  /** 5.0 only: one per topic filter. */
  reasonCodes?: number[];
  properties?: Properties;
}

export interface PingreqPacket {
  type: 'pingreq';
}
export interface PingrespPacket {
  type: 'pingresp';
}

export interface DisconnectPacket {
  type: 'disconnect';
  /** 5.0 only; decoded as 0 when the packet omits it. */
  reasonCode?: number;
  properties?: Properties;
}

export interface AuthPacket {
  type: 'auth';
  reasonCode: number;
  properties?: Properties;
}

export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | PubackPacket
  | PubrecPacket
  | PubrelPacket
  | PubcompPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket
  | AuthPacket;

export type PacketType = Packet['type'];
export type PacketOf<T extends PacketType> = Extract<Packet, { type: T }>;

/**
 * One node of a dissection: the bytes `[start, end)` of the frame, what they
 * mean, and for bit-packed bytes the meaning of each bit.
 */
export interface Field {
  name: string;
  start: number;
  end: number;
  value?: string | number | boolean;
  /** What this field is for, in words a learner can read. */
  note?: string;
  /** Where the specification defines it, e.g. "MQTT 5.0 §3.3.2.1". */
  spec?: string;
  /** Bit-level meaning of a one-byte field (flags, packet type nibble). */
  bits?: BitField[];
  children?: Field[];
  /** Set on the field where decoding failed: why, in words. */
  error?: string;
  /** The reason code of that failure. */
  reasonCode?: number;
}

export interface BitField {
  name: string;
  /** Mask within the byte, e.g. 0xf0 for the packet type nibble. */
  mask: number;
  value: number | boolean;
  note?: string;
}
