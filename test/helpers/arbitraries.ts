/**
 * fast-check arbitraries for valid MQTT packets, shared by the protocol
 * property tests (round trip, framer, differential) and the fuzz corpus.
 *
 * Every packet is generated in the canonical decoded shape, the one `decode`
 * returns, so that `decode(encode(p, v), v)` is `toEqual` to `p`:
 *   - optional fields a version does not carry are absent (never undefined);
 *   - `properties` is absent when empty, and only 5.0 packets have it;
 *   - `packetId` on PUBLISH exactly when qos > 0; `dup` only set when qos > 0;
 *   - 5.0 PUBACK/PUBREC/PUBREL/PUBCOMP/DISCONNECT/AUTH always have `reasonCode`,
 *     3.1/3.1.1 ones never do; UNSUBACK has `reasonCodes` only in 5.0;
 *   - 5.0 subscriptions always have noLocal/retainAsPublished/retainHandling,
 *     3.1/3.1.1 ones never do;
 *   - a Subscription Identifier in PUBLISH is a number, or an array of two or
 *     more (that is how several identifiers decode);
 *   - CONNECT's protocolName is 'MQIsdp' for 3 and 'MQTT' otherwise.
 * Which properties a packet may carry comes from the properties table
 * (PROPERTY_DEFS), and reason codes from the reason code table.
 */
import fc from 'fast-check';
import {
  CONNACK_RETURN_CODES,
  MAX_VARINT,
  PROPERTY_DEFS,
  REASON_CODES,
  type PropertyContext,
  type PropertyDef,
  type ReasonPacket,
} from '../../worker/protocol';
import type {
  AckPacket,
  AuthPacket,
  ConnackPacket,
  ConnectPacket,
  DisconnectPacket,
  Packet,
  PacketType,
  Properties,
  ProtocolVersion,
  PublishPacket,
  QoS,
  SubackPacket,
  SubscribePacket,
  Subscription,
  UnsubackPacket,
  UnsubscribePacket,
  UserProperty,
  Will,
} from '../../worker/protocol';

export const VERSIONS: readonly ProtocolVersion[] = [3, 4, 5];

/** Every packet type; AUTH exists only in 5.0. */
export const PACKET_TYPE_LIST: readonly PacketType[] = [
  'connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe',
  'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth',
];

export function packetTypesOf(version: ProtocolVersion): PacketType[] {
  return PACKET_TYPE_LIST.filter((t) => t !== 'auth' || version === 5);
}

// ---------------------------------------------------------------- strings

const asciiChar = fc.integer({ min: 0x01, max: 0x7e }).map((c) => String.fromCharCode(c));
/** Any Unicode scalar value but U+0000 (surrogate code points are not characters). */
const unicodeChar = fc
  .integer({ min: 0x01, max: 0x10ffff })
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => String.fromCodePoint(c));
/** Characters at UTF-8 length boundaries, plus a BOM (kept as a character) and a noncharacter. */
const edgeChar = fc.constantFrom('\u007f', '\u0080', '\u07ff', '\u0800', '\ufeff', '\uffff', '\u{10000}', '\u{10ffff}', 'é', '温', '😀', ' ', '$');

/** One character of an MQTT UTF-8 string: mostly ASCII, often any Unicode scalar, never U+0000. */
export const mqttChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: asciiChar },
  { weight: 2, arbitrary: unicodeChar },
  { weight: 1, arbitrary: edgeChar },
);

/** A valid MQTT UTF-8 string (§1.5.4); lengths count characters and stay far below 65535 bytes. */
export function mqttString(maxLength = 12, minLength = 0): fc.Arbitrary<string> {
  return fc.string({ unit: mqttChar, minLength, maxLength });
}

/** A character allowed inside a topic level: not '/', '+', '#' or U+0000. */
const levelChar = mqttChar.filter((c) => c !== '/' && c !== '+' && c !== '#');
const topicLevel = fc.string({ unit: levelChar, maxLength: 6 });

/** A valid topic name (§4.7): at least one character, no wildcards; empty levels allowed. */
export const topicNameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.array(topicLevel, { minLength: 1, maxLength: 5 }).map((ls) => ls.join('/')).filter((s) => s.length > 0) },
  { weight: 1, arbitrary: fc.constantFrom('/', '//', 'a', '$SYS/broker/uptime', 'sensor/1/temperature', '温度/传感器', 'déjà/vu', '😀/😀') },
  { weight: 1, arbitrary: topicLevel.filter((s) => s.length > 0).map((s) => `$SYS/${s}`) },
);

/** A valid ordinary topic filter: '+' fills whole levels, '#' only as the last level. */
export const plainTopicFilterArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.array(fc.oneof({ weight: 3, arbitrary: topicLevel }, { weight: 1, arbitrary: fc.constant('+') }), { maxLength: 5 }), fc.boolean())
      .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
      // '$share/...' is a shared subscription in 5.0, made only by sharedTopicFilterArb
      .filter((s) => s.length > 0 && !s.startsWith('$share/')),
  },
  { weight: 1, arbitrary: fc.constantFrom('#', '+', '+/+', '/#', 'a/+/c', 'sport/#', '$SYS/#', '+/温度/#', '$share') },
);

/** A valid 5.0 shared subscription filter '$share/{ShareName}/{filter}' (§4.8.2). */
export const sharedTopicFilterArb: fc.Arbitrary<string> = fc
  .tuple(fc.string({ unit: levelChar, minLength: 1, maxLength: 6 }), plainTopicFilterArb)
  .map(([group, filter]) => `$share/${group}/${filter}`);

export function topicFilterArb(version: ProtocolVersion): fc.Arbitrary<string> {
  return version === 5
    ? fc.oneof({ weight: 4, arbitrary: plainTopicFilterArb }, { weight: 1, arbitrary: sharedTopicFilterArb })
    : plainTopicFilterArb;
}

// ---------------------------------------------------------------- numbers and bytes

export const packetIdArb = fc.integer({ min: 1, max: 0xffff });
export const qosArb: fc.Arbitrary<QoS> = fc.constantFrom(0, 1, 2);
export const u16Arb = fc.integer({ min: 0, max: 0xffff });
export const u32Arb = fc.integer({ min: 0, max: 0xffffffff });
export const subscriptionIdArb = fc.integer({ min: 1, max: MAX_VARINT });
export const binaryArb = fc.uint8Array({ maxLength: 24 });

/**
 * A PUBLISH payload: mostly small, sometimes long enough for a 2-byte
 * Remaining Length, rarely long enough for a 3-byte one.
 */
export const payloadArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 12, arbitrary: fc.uint8Array({ maxLength: 48 }) },
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 100, maxLength: 400 }) },
  { weight: 1, arbitrary: fc.integer({ min: 16_300, max: 16_500 }).map((n) => fillBytes(n)) },
);

/** Cheap deterministic bytes for long payloads (fast-check per-byte generation is slow at 16 KiB). */
function fillBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

// ---------------------------------------------------------------- reason codes

/** 5.0 reason codes a packet may carry, from the reason code table (§2.4). */
export function reasonCodesOf(packet: ReasonPacket): number[] {
  return REASON_CODES.filter((r) => r.packets.includes(packet)).map((r) => r.code);
}

function reasonCodeArb(packet: ReasonPacket): fc.Arbitrary<number> {
  const codes = reasonCodesOf(packet);
  // Success is the common case and has the short encodings; weight it up
  return fc.oneof({ weight: 1, arbitrary: fc.constant(codes[0]!) }, { weight: 2, arbitrary: fc.constantFrom(...codes) });
}

// ---------------------------------------------------------------- properties

export const userPropertiesArb: fc.Arbitrary<UserProperty[]> = fc.array(
  fc.tuple(
    // a few fixed names make repeated names (which must keep their order) common
    fc.oneof({ weight: 1, arbitrary: fc.constantFrom('a', 'key', 'temp', '1', '') }, { weight: 2, arbitrary: mqttString(8) }),
    mqttString(10),
  ),
  { minLength: 1, maxLength: 5 },
);

function propertyValueArb(d: PropertyDef, ctx: PropertyContext): fc.Arbitrary<unknown> {
  switch (d.name) {
    case 'receiveMaximum':
    case 'topicAlias':
      return fc.integer({ min: 1, max: 0xffff }); // 0 is a Protocol Error (§3.1.2.11.3, [MQTT-3.3.2-8])
    case 'maximumPacketSize':
      return fc.integer({ min: 1, max: 0xffffffff }); // 0 is a Protocol Error (§3.1.2.11.4)
    case 'maximumQoS':
      return fc.constantFrom(0, 1); // §3.2.2.3.4
    case 'subscriptionIdentifier':
      // repeats only in PUBLISH (one per matching subscription), and then decodes as an array
      return ctx === 'publish'
        ? fc.oneof({ weight: 2, arbitrary: subscriptionIdArb }, { weight: 1, arbitrary: fc.array(subscriptionIdArb, { minLength: 2, maxLength: 4 }) })
        : subscriptionIdArb;
    case 'userProperties':
      return userPropertiesArb;
    case 'responseTopic':
      return topicNameArb; // a topic name, no wildcards [MQTT-3.3.2-14]
  }
  switch (d.type) {
    case 'bool': return fc.boolean();
    case 'byte': return fc.integer({ min: 0, max: 0xff });
    case 'u16': return u16Arb;
    case 'u32': return u32Arb;
    case 'varint': return subscriptionIdArb;
    case 'utf8': return mqttString();
    case 'binary': return binaryArb;
    case 'pair': return userPropertiesArb;
  }
}

const propertyModels = new Map<PropertyContext, Record<string, fc.Arbitrary<unknown>>>();

function propertyModel(ctx: PropertyContext): Record<string, fc.Arbitrary<unknown>> {
  let model = propertyModels.get(ctx);
  if (!model) {
    model = {};
    for (const d of PROPERTY_DEFS) if (d.contexts.has(ctx)) model[d.name] = propertyValueArb(d, ctx);
    propertyModels.set(ctx, model);
  }
  return model;
}

/**
 * Random valid 5.0 properties for `ctx` (any subset of those the table allows
 * there), or undefined for none. Authentication Data never comes without an
 * Authentication Method (§3.1.2.11.10).
 */
export function propertiesArb(ctx: PropertyContext): fc.Arbitrary<Properties | undefined> {
  const some = fc.record(propertyModel(ctx), { requiredKeys: [] }).map((raw) => {
    const p = { ...raw } as Properties;
    if (p.authenticationData !== undefined && p.authenticationMethod === undefined) delete p.authenticationData;
    return Object.keys(p).length > 0 ? p : undefined;
  });
  return fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: some });
}

/** Sets `properties` only when there are some, keeping the canonical shape. */
function withProperties<T extends { properties?: Properties }>(packet: T, properties: Properties | undefined): T {
  if (properties) packet.properties = properties;
  return packet;
}

// ---------------------------------------------------------------- packets

function willArb(version: ProtocolVersion): fc.Arbitrary<Will> {
  return fc
    .record({
      topic: topicNameArb,
      payload: binaryArb,
      qos: qosArb,
      retain: fc.boolean(),
      properties: version === 5 ? propertiesArb('will') : fc.constant(undefined),
    })
    .map(({ properties, ...will }) => withProperties<Will>(will, properties));
}

export function connectArb(version: ProtocolVersion): fc.Arbitrary<ConnectPacket> {
  return fc
    .record({
      cleanStart: fc.boolean(),
      keepalive: u16Arb,
      clientId: fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 4, arbitrary: mqttString(23) }),
      will: fc.option(willArb(version), { nil: undefined }),
      username: fc.option(mqttString(), { nil: undefined }),
      password: fc.option(binaryArb, { nil: undefined }),
      properties: version === 5 ? propertiesArb('connect') : fc.constant(undefined),
    })
    .map(({ will, username, password, properties, ...rest }) => {
      const p: ConnectPacket = { type: 'connect', protocolName: version === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: version, ...rest };
      if (will) p.will = will;
      if (username !== undefined) p.username = username;
      // before 5.0 a password needs a user name [MQTT-3.1.2-22]
      if (password !== undefined && (version === 5 || username !== undefined)) p.password = password;
      return withProperties(p, properties);
    });
}

export function connackArb(version: ProtocolVersion): fc.Arbitrary<ConnackPacket> {
  const code = version === 5 ? reasonCodeArb('connack') : fc.constantFrom(...CONNACK_RETURN_CODES.map((c) => c.code));
  return fc
    .record({
      sessionPresent: fc.boolean(),
      reasonCode: code,
      properties: version === 5 ? propertiesArb('connack') : fc.constant(undefined),
    })
    .map(({ sessionPresent, reasonCode, properties }) =>
      withProperties<ConnackPacket>(
        {
          type: 'connack',
          // 3.1 has no Session Present; it must be 0 on a refusal [MQTT-3.2.2-6]
          sessionPresent: version > 3 && reasonCode === 0 && sessionPresent,
          reasonCode,
        },
        properties,
      ),
    );
}

export function publishArb(version: ProtocolVersion): fc.Arbitrary<PublishPacket> {
  return fc
    .record({
      // 5.0 allows an empty topic name when a Topic Alias stands for it [MQTT-3.3.2-1]
      topic: version === 5 ? fc.oneof({ weight: 9, arbitrary: topicNameArb }, { weight: 1, arbitrary: fc.constant('') }) : topicNameArb,
      payload: payloadArb,
      qos: qosArb,
      retain: fc.boolean(),
      dup: fc.boolean(),
      packetId: packetIdArb,
      properties: version === 5 ? propertiesArb('publish') : fc.constant(undefined),
      alias: fc.integer({ min: 1, max: 0xffff }),
    })
    .map(({ topic, payload, qos, retain, dup, packetId, properties, alias }) => {
      // DUP must be 0 for QoS 0 [MQTT-3.3.1-2]
      const p: PublishPacket = { type: 'publish', topic, payload, qos, retain, dup: qos > 0 && dup };
      if (qos > 0) p.packetId = packetId;
      if (topic === '' && properties?.topicAlias === undefined) properties = { ...properties, topicAlias: alias };
      return withProperties(p, properties);
    });
}

type AckType = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp';

export function ackArb<T extends AckType>(type: T, version: ProtocolVersion): fc.Arbitrary<AckPacket<T>> {
  if (version !== 5) return packetIdArb.map((packetId) => ({ type, packetId }));
  return fc
    .record({ packetId: packetIdArb, reasonCode: reasonCodeArb(type), properties: propertiesArb(type) })
    .map(({ packetId, reasonCode, properties }) => withProperties<AckPacket<T>>({ type, packetId, reasonCode }, properties));
}

function subscriptionArb(version: ProtocolVersion): fc.Arbitrary<Subscription> {
  if (version !== 5) return fc.record({ topicFilter: plainTopicFilterArb, qos: qosArb });
  return fc
    .record({
      topicFilter: topicFilterArb(5),
      qos: qosArb,
      noLocal: fc.boolean(),
      retainAsPublished: fc.boolean(),
      retainHandling: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
    })
    // No Local on a shared subscription is a Protocol Error [MQTT-3.8.3-4]
    .map((s) => (s.topicFilter.startsWith('$share/') ? { ...s, noLocal: false } : s));
}

export function subscribeArb(version: ProtocolVersion): fc.Arbitrary<SubscribePacket> {
  return fc
    .record({
      packetId: packetIdArb,
      subscriptions: fc.array(subscriptionArb(version), { minLength: 1, maxLength: 4 }),
      properties: version === 5 ? propertiesArb('subscribe') : fc.constant(undefined),
    })
    .map(({ properties, ...rest }) => withProperties<SubscribePacket>({ type: 'subscribe', ...rest }, properties));
}

export function subackArb(version: ProtocolVersion): fc.Arbitrary<SubackPacket> {
  const code = version === 5 ? reasonCodeArb('suback') : fc.constantFrom(0x00, 0x01, 0x02, 0x80);
  return fc
    .record({
      packetId: packetIdArb,
      reasonCodes: fc.array(code, { minLength: 1, maxLength: 5 }),
      properties: version === 5 ? propertiesArb('suback') : fc.constant(undefined),
    })
    .map(({ properties, ...rest }) => withProperties<SubackPacket>({ type: 'suback', ...rest }, properties));
}

export function unsubscribeArb(version: ProtocolVersion): fc.Arbitrary<UnsubscribePacket> {
  return fc
    .record({
      packetId: packetIdArb,
      topicFilters: fc.array(topicFilterArb(version), { minLength: 1, maxLength: 4 }),
      properties: version === 5 ? propertiesArb('unsubscribe') : fc.constant(undefined),
    })
    .map(({ properties, ...rest }) => withProperties<UnsubscribePacket>({ type: 'unsubscribe', ...rest }, properties));
}

export function unsubackArb(version: ProtocolVersion): fc.Arbitrary<UnsubackPacket> {
  if (version !== 5) return packetIdArb.map((packetId) => ({ type: 'unsuback', packetId }));
  return fc
    .record({
      packetId: packetIdArb,
      reasonCodes: fc.array(reasonCodeArb('unsuback'), { minLength: 1, maxLength: 5 }),
      properties: propertiesArb('unsuback'),
    })
    .map(({ properties, ...rest }) => withProperties<UnsubackPacket>({ type: 'unsuback', ...rest }, properties));
}

export function disconnectArb(version: ProtocolVersion): fc.Arbitrary<DisconnectPacket> {
  if (version !== 5) return fc.constant({ type: 'disconnect' });
  return fc
    .record({ reasonCode: reasonCodeArb('disconnect'), properties: propertiesArb('disconnect') })
    .map(({ reasonCode, properties }) => withProperties<DisconnectPacket>({ type: 'disconnect', reasonCode }, properties));
}

export function authArb(): fc.Arbitrary<AuthPacket> {
  return fc
    .record({ reasonCode: reasonCodeArb('auth'), properties: propertiesArb('auth') })
    .map(({ reasonCode, properties }) => withProperties<AuthPacket>({ type: 'auth', reasonCode }, properties));
}

/** Valid packets of one type for one protocol version, in canonical decoded shape. */
export function packetArbOf(type: PacketType, version: ProtocolVersion): fc.Arbitrary<Packet> {
  switch (type) {
    case 'connect': return connectArb(version);
    case 'connack': return connackArb(version);
    case 'publish': return publishArb(version);
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': return ackArb(type, version);
    case 'subscribe': return subscribeArb(version);
    case 'suback': return subackArb(version);
    case 'unsubscribe': return unsubscribeArb(version);
    case 'unsuback': return unsubackArb(version);
    case 'pingreq':
    case 'pingresp': return fc.constant({ type });
    case 'disconnect': return disconnectArb(version);
    case 'auth':
      if (version !== 5) throw new Error('AUTH exists only in MQTT 5.0');
      return authArb();
  }
}

/** Valid packets of any type for one protocol version. */
export function packetArb(version: ProtocolVersion): fc.Arbitrary<Packet> {
  return fc.oneof(...packetTypesOf(version).map((t) => packetArbOf(t, version)));
}

export interface VersionedPacket {
  version: ProtocolVersion;
  packet: Packet;
}

/** A valid packet of any type together with the protocol version it is valid for. */
export const versionedPacketArb: fc.Arbitrary<VersionedPacket> = fc
  .constantFrom(...VERSIONS)
  .chain((version) => packetArb(version).map((packet) => ({ version, packet })));
