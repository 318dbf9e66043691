/**
 * A JSON Schema (draft-07) of the lab's JSON: the Packet shape, with binary
 * data as a string, {"$text"} or {"$hex"}. Monaco's JSON language uses it
 * for completion, hovers and warnings. It describes what MQTT allows (QoS
 * 0 to 2, no wildcards in a topic name), so a packet that breaks a rule gets
 * a warning in the editor, yet is still encoded and can be sent.
 */
import { PROPERTY_DEFS, type PacketType } from '../../../worker/protocol';
import type { MessageKey } from '../i18n/en';
import { PACKET_TYPE_NAMES } from './packet-json';

type Schema = Record<string, unknown>;

export const PACKET_SCHEMA_URI = 'https://mqtt-playground.invalid/schemas/lab-packet.json';

/** The schema, with its own descriptions in the page's language (`say` is t()). */
export function packetSchema(say: (key: MessageKey) => string): Schema {
  const binary: Schema = {
    description: say('labSchemaBinary'),
    anyOf: [
      { type: 'string' },
      { type: 'object', properties: { $text: { type: 'string' } }, required: ['$text'], additionalProperties: false },
      { type: 'object', properties: { $hex: { type: 'string', pattern: '^(0x)?[0-9a-fA-F\\s:,]*$' } }, required: ['$hex'], additionalProperties: false },
    ],
  };
  const u16 = { type: 'integer', minimum: 0, maximum: 65535 };
  const qos = { description: say('labSchemaQos'), enum: [0, 1, 2] };
  const reasonCode = { type: 'integer', minimum: 0, maximum: 255 };
  const packetId = { ...u16, minimum: 1, description: say('labSchemaPacketId') };

  const propertyTypes: Record<string, Schema> = {
    bool: { type: 'boolean' },
    byte: { type: 'integer', minimum: 0, maximum: 255 },
    u16,
    u32: { type: 'integer', minimum: 0, maximum: 0xffffffff },
    varint: { type: 'integer', minimum: 1, maximum: 268_435_455 },
    utf8: { type: 'string' },
    binary,
    pair: { type: 'array', items: { type: 'array', items: [{ type: 'string' }, { type: 'string' }], minItems: 2, maxItems: 2 } },
  };
  const properties = (ctx: string): Schema => {
    const props: Record<string, Schema> = {};
    for (const d of PROPERTY_DEFS) {
      if (!d.contexts.has(ctx as never)) continue;
      const description = `${d.label} (0x${d.id.toString(16).padStart(2, '0')}): ${d.note}`;
      const one = propertyTypes[d.type]!;
      props[d.name] = d.repeats.has(ctx as never) && d.type !== 'pair' ? { description, anyOf: [one, { type: 'array', items: one }] } : { ...one, description };
    }
    return { type: 'object', description: say('labSchemaProperties'), properties: props, additionalProperties: false };
  };

  const fields: Record<PacketType, Record<string, Schema>> = {
    connect: {
      protocolName: { type: 'string', description: say('labSchemaProtocolName') },
      protocolVersion: { enum: [3, 4, 5] },
      cleanStart: { type: 'boolean' },
      keepalive: u16,
      clientId: { type: 'string' },
      will: {
        type: 'object',
        properties: { topic: { type: 'string' }, payload: binary, qos, retain: { type: 'boolean' }, properties: properties('will') },
        required: ['topic', 'payload', 'qos', 'retain'],
        additionalProperties: false,
      },
      username: { type: 'string' },
      password: binary,
      properties: properties('connect'),
    },
    connack: { sessionPresent: { type: 'boolean' }, reasonCode, properties: properties('connack') },
    publish: {
      topic: { type: 'string', pattern: '^[^+#]*$', description: say('labSchemaTopic') },
      payload: binary,
      qos,
      retain: { type: 'boolean' },
      dup: { type: 'boolean' },
      packetId,
      properties: properties('publish'),
    },
    puback: { packetId, reasonCode, properties: properties('puback') },
    pubrec: { packetId, reasonCode, properties: properties('pubrec') },
    pubrel: { packetId, reasonCode, properties: properties('pubrel') },
    pubcomp: { packetId, reasonCode, properties: properties('pubcomp') },
    subscribe: {
      packetId,
      subscriptions: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            topicFilter: { type: 'string' },
            qos,
            noLocal: { type: 'boolean' },
            retainAsPublished: { type: 'boolean' },
            retainHandling: { enum: [0, 1, 2] },
          },
          required: ['topicFilter', 'qos'],
          additionalProperties: false,
        },
      },
      properties: properties('subscribe'),
    },
    suback: { packetId, reasonCodes: { type: 'array', items: reasonCode }, properties: properties('suback') },
    unsubscribe: { packetId, topicFilters: { type: 'array', minItems: 1, items: { type: 'string' } }, properties: properties('unsubscribe') },
    unsuback: { packetId, reasonCodes: { type: 'array', items: reasonCode }, properties: properties('unsuback') },
    pingreq: {},
    pingresp: {},
    disconnect: { reasonCode, properties: properties('disconnect') },
    auth: { reasonCode, properties: properties('auth') },
  };
  const required: Partial<Record<PacketType, string[]>> = {
    connect: ['cleanStart', 'keepalive', 'clientId'],
    connack: ['sessionPresent', 'reasonCode'],
    publish: ['topic', 'payload', 'qos'],
    puback: ['packetId'],
    pubrec: ['packetId'],
    pubrel: ['packetId'],
    pubcomp: ['packetId'],
    subscribe: ['packetId', 'subscriptions'],
    suback: ['packetId', 'reasonCodes'],
    unsubscribe: ['packetId', 'topicFilters'],
    unsuback: ['packetId'],
    auth: ['reasonCode'],
  };

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: PACKET_SCHEMA_URI,
    title: 'MQTT packet',
    type: 'object',
    required: ['type'],
    properties: { type: { enum: PACKET_TYPE_NAMES, description: say('labSchemaType') } },
    // one branch per type, chosen by "type", so completion offers exactly that packet's fields
    allOf: PACKET_TYPE_NAMES.map((type) => ({
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: {
        properties: { type: { const: type }, ...fields[type] },
        required: ['type', ...(required[type] ?? [])],
        additionalProperties: false,
      },
    })),
  };
}
