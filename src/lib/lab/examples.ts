/**
 * Ready-made packets for the lab: one valid PUBLISH to compare with, and
 * packets that each break one rule of the specification, with the rule's
 * normative statement and what the broker does about it. The unit tests
 * check each claim with decode: the bytes fail with the stated reason code
 * (or decode, when the rule is about the connection's state).
 *
 * Hex examples carry the specification's field names as comments; the words
 * around them (title, explanation, the rule's text) are in the dictionary.
 */
import type { PacketType, ProtocolVersion } from '../../../worker/protocol';
import type { MessageKey } from '../i18n/en';

export interface RuleRef {
  /** The normative statement, e.g. "MQTT-3.3.1-4"; some rules have none, only the section's text. */
  id?: string;
  /** Where the specification states it, e.g. "3.3.1.2". */
  section: string;
}

export interface LabExample {
  id: string;
  title: MessageKey;
  /** What it does and why the broker objects, in a sentence or two. */
  why: MessageKey;
  version: ProtocolVersion;
  format: 'json' | 'hex';
  source: string;
  /** The rule it breaks (MQTT 5.0 numbering; `v311` where MQTT 3.1.1 numbers it differently). */
  rule?: RuleRef & { text: MessageKey; v311?: RuleRef };
  /** decode's verdict on the bytes: the MqttError's reason code, or 'ok' when only the connection's state makes them wrong. */
  decodes: number | 'ok';
  /** What the broker does on an established connection. */
  expect: { kind: 'fails'; reasonCode: number } | { kind: 'waits' } | { kind: 'accepted'; reply?: PacketType };
}

const json = (o: unknown) => JSON.stringify(o, null, 2);

export const EXAMPLES: readonly LabExample[] = [
  {
    id: 'valid-publish',
    title: 'labExValidTitle',
    why: 'labExValidWhy',
    version: 5,
    format: 'json',
    source: json({
      type: 'publish',
      topic: 'lab/hello',
      qos: 1,
      packetId: 4242,
      retain: false,
      dup: false,
      properties: { contentType: 'text/plain' },
      payload: 'Hello from the packet lab',
    }),
    decodes: 'ok',
    expect: { kind: 'accepted', reply: 'puback' },
  },
  {
    id: 'wildcard-topic',
    title: 'labExWildcardTitle',
    why: 'labExWildcardWhy',
    version: 5,
    format: 'json',
    source: json({ type: 'publish', topic: 'sensor/+/temperature', qos: 0, retain: false, dup: false, payload: '21.5' }),
    rule: { id: 'MQTT-3.3.2-2', section: '3.3.2.1', text: 'labRuleWildcard' },
    decodes: 0x90,
    expect: { kind: 'fails', reasonCode: 0x90 },
  },
  {
    id: 'reserved-flags',
    title: 'labExFlagsTitle',
    why: 'labExFlagsWhy',
    version: 5,
    format: 'hex',
    source: [
      '80 0b           # SUBSCRIBE, flags 0000 (must be 0010), Remaining Length 11',
      '00 01           # Packet Identifier 1',
      '00              # Property Length 0',
      '00 05 6c 61 62 2f 23  # Topic Filter "lab/#"',
      '00              # Subscription Options: QoS 0',
    ].join('\n'),
    rule: { id: 'MQTT-3.8.1-1', section: '3.8.1, 2.1.3', text: 'labRuleFlags' },
    decodes: 0x81,
    expect: { kind: 'fails', reasonCode: 0x81 },
  },
  {
    id: 'qos-3',
    title: 'labExQos3Title',
    why: 'labExQos3Why',
    version: 5,
    format: 'json',
    source: json({ type: 'publish', topic: 'lab/qos', qos: 3, packetId: 7, retain: false, dup: false, payload: 'which QoS?' }),
    rule: { id: 'MQTT-3.3.1-4', section: '3.3.1.2', text: 'labRuleQos3' },
    decodes: 0x81,
    expect: { kind: 'fails', reasonCode: 0x81 },
  },
  {
    id: 'length-more',
    title: 'labExLongerTitle',
    why: 'labExLongerWhy',
    version: 5,
    format: 'hex',
    source: [
      '30 0f           # PUBLISH QoS 0, Remaining Length 15 (12 bytes follow)',
      '00 07 6c 61 62 2f 6c 65 6e  # Topic Name "lab/len"',
      '00              # Property Length 0',
      '68 69           # Payload "hi"',
    ].join('\n'),
    rule: { section: '2.1.4', text: 'labRuleLength' },
    decodes: 0x81,
    expect: { kind: 'waits' },
  },
  {
    id: 'length-less',
    title: 'labExShorterTitle',
    why: 'labExShorterWhy',
    version: 5,
    format: 'hex',
    source: [
      '30 05           # PUBLISH QoS 0, Remaining Length 5 (12 bytes follow)',
      '00 07 6c 61 62 2f 6c 65 6e  # Topic Name "lab/len"',
      '00              # Property Length 0',
      '68 69           # Payload "hi"',
    ].join('\n'),
    rule: { section: '2.1.4', text: 'labRuleLength' },
    decodes: 0x81,
    expect: { kind: 'fails', reasonCode: 0x81 },
  },
  {
    id: 'bad-utf8',
    title: 'labExUtf8Title',
    why: 'labExUtf8Why',
    version: 4,
    format: 'hex',
    source: [
      '30 0b           # PUBLISH QoS 0, Remaining Length 11',
      '00 07 6c 61 62 2f ed a0 80  # Topic Name "lab/" + ED A0 80 (U+D800, a surrogate)',
      '68 69           # Payload "hi"',
    ].join('\n'),
    rule: { id: 'MQTT-1.5.4-1', section: '1.5.4', text: 'labRuleUtf8', v311: { id: 'MQTT-1.5.3-1', section: '1.5.3' } },
    decodes: 0x81,
    expect: { kind: 'fails', reasonCode: 0x81 },
  },
  {
    id: 'second-connect',
    title: 'labExConnectTitle',
    why: 'labExConnectWhy',
    version: 5,
    format: 'json',
    source: json({ type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 60, clientId: 'lab-again' }),
    rule: { id: 'MQTT-3.1.0-2', section: '3.1', text: 'labRuleConnect' },
    decodes: 'ok',
    expect: { kind: 'fails', reasonCode: 0x82 },
  },
  {
    id: 'duplicate-property',
    title: 'labExDuplicateTitle',
    why: 'labExDuplicateWhy',
    version: 5,
    format: 'hex',
    source: [
      '30 1a           # PUBLISH QoS 0, Remaining Length 26',
      '00 07 6c 61 62 2f 64 75 70  # Topic Name "lab/dup"',
      '0e              # Property Length 14',
      '03 00 04 74 65 78 74  # Content Type "text"',
      '03 00 04 6a 73 6f 6e  # Content Type "json", a second time',
      '7b 7d           # Payload "{}"',
    ].join('\n'),
    rule: { section: '3.3.2.3.9', text: 'labRuleDuplicate' },
    decodes: 0x82,
    expect: { kind: 'fails', reasonCode: 0x82 },
  },
  {
    id: 'subscription-id-0',
    title: 'labExSubIdTitle',
    why: 'labExSubIdWhy',
    version: 5,
    format: 'json',
    source: json({ type: 'subscribe', packetId: 9, properties: { subscriptionIdentifier: 0 }, subscriptions: [{ topicFilter: 'lab/#', qos: 0 }] }),
    rule: { section: '3.8.2.1.2', text: 'labRuleSubId' },
    decodes: 0x82,
    expect: { kind: 'fails', reasonCode: 0x82 },
  },
];

export function exampleById(id: string): LabExample | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
