import type { PacketType, ProtocolVersion } from './types';

/** Control packet type numbers of the fixed header's high nibble (§2.1.2). */
export const PACKET_TYPE_CODES: Readonly<Record<PacketType, number>> = {
  connect: 1,
  connack: 2,
  publish: 3,
  puback: 4,
  pubrec: 5,
  pubrel: 6,
  pubcomp: 7,
  subscribe: 8,
  suback: 9,
  unsubscribe: 10,
  unsuback: 11,
  pingreq: 12,
  pingresp: 13,
  disconnect: 14,
  auth: 15,
};

/** Packet type by its number; index 0 is reserved. */
export const PACKET_TYPES: readonly (PacketType | undefined)[] = [
  undefined,
  ...(Object.keys(PACKET_TYPE_CODES) as PacketType[]),
];

/** The flags nibble each packet type must carry; PUBLISH has its own rules (§2.1.3). */
export const REQUIRED_FLAGS: Readonly<Record<Exclude<PacketType, 'publish'>, number>> = {
  connect: 0,
  connack: 0,
  puback: 0,
  pubrec: 0,
  pubrel: 2,
  pubcomp: 0,
  subscribe: 2,
  suback: 0,
  unsubscribe: 2,
  unsuback: 0,
  pingreq: 0,
  pingresp: 0,
  disconnect: 0,
  auth: 0,
};

export const PROTOCOL_VERSIONS: readonly ProtocolVersion[] = [3, 4, 5];

export const PROTOCOL_NAMES: Readonly<Record<ProtocolVersion, string>> = {
  3: 'MQIsdp',
  4: 'MQTT',
  5: 'MQTT',
};

/** What a learner calls each protocol level. */
export const VERSION_LABELS: Readonly<Record<ProtocolVersion, string>> = {
  3: 'MQTT 3.1',
  4: 'MQTT 3.1.1',
  5: 'MQTT 5.0',
};

/** Largest value a Variable Byte Integer can hold (§1.5.5). */
export const MAX_VARINT = 268_435_455;
/** Largest packet the protocol can express: 1 + 4 + MAX_VARINT bytes. */
export const MAX_PACKET_SIZE = 268_435_460;
