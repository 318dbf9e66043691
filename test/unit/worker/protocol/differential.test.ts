/**
 * Differential test against mqtt-packet, the test oracle (DESIGN.md), for
 * MQTT 3.1.1 (4) and 5.0 (5), in both directions:
 *   - packets mqtt-packet generates decode here to the same fields;
 *   - bytes our encode produces parse in mqtt-packet to the same fields.
 * The packets come from the arbitraries of the round-trip test, restricted to
 * what mqtt-packet supports (see `restrict` below: every exclusion is a place
 * where mqtt-packet deviates from the specification or cannot express a
 * valid packet). Shapes differ, so a small explicit mapper translates.
 */
import fc from 'fast-check';
import mqtt from 'mqtt-packet';
import type { Packet as MqttPacket } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { decode, encode, type Packet, type Properties, type ProtocolVersion, type UserProperty } from '../../../../worker/protocol';
import { packetArbOf, packetTypesOf } from '../../../helpers/arbitraries';

type Version = 4 | 5;
type Direction = 'generate' | 'parse';
type Obj = Record<string, unknown>;

// ---------------------------------------------------------------- the mapper

/** mqtt-packet's user properties: an object whose repeated names hold arrays of values. */
type MqttUserProperties = Record<string, string | string[]>;

/** Binary fields of properties: Buffer in mqtt-packet, Uint8Array here. */
const BINARY_PROPERTIES = new Set(['correlationData', 'authenticationData']);

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b); // a copy: mqtt-packet keeps no reference to our bytes
}

function toBytes(b: unknown): Uint8Array {
  if (!(b instanceof Uint8Array)) throw new Error(`expected bytes, got ${typeof b}`);
  return new Uint8Array(b); // a plain Uint8Array copy: toEqual tells Buffer from Uint8Array
}

function userPropertiesToObject(pairs: readonly UserProperty[]): MqttUserProperties {
  const o: MqttUserProperties = Object.create(null);
  for (const [k, v] of pairs) {
    const prev = o[k];
    o[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return o;
}

/** Pairs in the object's own enumeration order, which is also the order mqtt-packet writes them in. */
function userPropertiesFromObject(o: MqttUserProperties): UserProperty[] {
  const pairs: UserProperty[] = [];
  for (const k of Object.getOwnPropertyNames(o)) {
    const v = o[k]!;
    for (const one of Array.isArray(v) ? v : [v]) pairs.push([k, one]);
  }
  return pairs;
}

function propertiesToMqtt(p: Properties | undefined): Obj | undefined {
  if (!p) return undefined;
  const out: Obj = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'userProperties') out[k] = userPropertiesToObject(v as UserProperty[]);
    else if (BINARY_PROPERTIES.has(k)) out[k] = toBuffer(v as Uint8Array);
    else out[k] = v;
  }
  return out;
}

function propertiesFromMqtt(p: unknown): Properties | undefined {
  if (!p || typeof p !== 'object' || Object.keys(p).length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'userProperties') out[k] = userPropertiesFromObject(v as MqttUserProperties);
    else if (BINARY_PROPERTIES.has(k)) out[k] = toBytes(v);
    else out[k] = v;
  }
  return out as Properties;
}

/** Adds `properties` when there are some (our canonical shape). */
function withProps<T extends Obj>(o: T, props: unknown): T {
  const p = propertiesFromMqtt(props);
  if (p) (o as Obj).properties = p;
  return o;
}

/** Our packet as an mqtt-packet object (what `mqtt.generate` takes). */
function toMqtt(p: Packet, v: Version): MqttPacket {
  const o: Obj = { cmd: p.type };
  const set = (k: string, val: unknown) => {
    if (val !== undefined) o[k] = val;
  };
  switch (p.type) {
    case 'connect':
      Object.assign(o, { protocolId: p.protocolName, protocolVersion: p.protocolVersion, clean: p.cleanStart, keepalive: p.keepalive, clientId: p.clientId });
      if (p.will) {
        const will: Obj = { topic: p.will.topic, payload: toBuffer(p.will.payload), qos: p.will.qos, retain: p.will.retain };
        if (p.will.properties) will.properties = propertiesToMqtt(p.will.properties);
        o.will = will;
      }
      set('username', p.username);
      set('password', p.password && toBuffer(p.password));
      break;
    case 'connack':
      o.sessionPresent = p.sessionPresent;
      o[v === 5 ? 'reasonCode' : 'returnCode'] = p.reasonCode;
      break;
    case 'publish':
      Object.assign(o, { topic: p.topic, payload: toBuffer(p.payload), qos: p.qos, retain: p.retain, dup: p.dup });
      set('messageId', p.packetId);
      break;
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      o.messageId = p.packetId;
      set('reasonCode', p.reasonCode);
      break;
    case 'subscribe':
      o.messageId = p.packetId;
      o.subscriptions = p.subscriptions.map((s) =>
        v === 5 ? { topic: s.topicFilter, qos: s.qos, nl: s.noLocal, rap: s.retainAsPublished, rh: s.retainHandling } : { topic: s.topicFilter, qos: s.qos },
      );
      break;
    case 'suback':
      Object.assign(o, { messageId: p.packetId, granted: [...p.reasonCodes] });
      break;
    case 'unsubscribe':
      Object.assign(o, { messageId: p.packetId, unsubscriptions: [...p.topicFilters] });
      break;
    case 'unsuback':
      o.messageId = p.packetId;
      set('granted', p.reasonCodes && [...p.reasonCodes]);
      break;
    case 'pingreq':
    case 'pingresp':
      break;
    case 'disconnect':
    case 'auth':
      set('reasonCode', p.reasonCode);
      break;
  }
  if ('properties' in p && p.properties) o.properties = propertiesToMqtt(p.properties);
  return o as unknown as MqttPacket;
}

/**
 * An mqtt-packet object (what its parser emits, or what generate took) as our
 * packet. Only the fields that mean something for the type are read: the
 * parser also sets defaults such as `retain`, `qos`, `topic: null`, `length`.
 */
function fromMqtt(m: MqttPacket, v: Version): Packet {
  const o = m as unknown as Obj;
  const cmd = o.cmd as Packet['type'];
  switch (cmd) {
    case 'connect': {
      const p: Obj = {
        type: 'connect', protocolName: o.protocolId, protocolVersion: o.protocolVersion, cleanStart: o.clean, keepalive: o.keepalive, clientId: o.clientId,
      };
      const w = o.will as Obj | undefined;
      if (w) p.will = withProps({ topic: w.topic, payload: toBytes(w.payload), qos: w.qos, retain: w.retain }, w.properties);
      if (o.username !== undefined) p.username = o.username;
      if (o.password !== undefined) p.password = toBytes(o.password);
      return withProps(p, o.properties) as unknown as Packet;
    }
    case 'connack':
      return withProps({ type: 'connack', sessionPresent: o.sessionPresent, reasonCode: v === 5 ? o.reasonCode : o.returnCode }, o.properties) as unknown as Packet;
    case 'publish': {
      const p: Obj = { type: 'publish', topic: o.topic, payload: toBytes(o.payload), qos: o.qos, retain: o.retain, dup: o.dup };
      if ((o.qos as number) > 0) p.packetId = o.messageId;
      return withProps(p, o.properties) as unknown as Packet;
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': {
      const p: Obj = { type: cmd, packetId: o.messageId };
      if (v === 5) p.reasonCode = o.reasonCode;
      return withProps(p, o.properties) as unknown as Packet;
    }
    case 'subscribe': {
      const subs = (o.subscriptions as Obj[]).map((s) =>
        v === 5
          ? { topicFilter: s.topic, qos: s.qos, noLocal: s.nl ?? false, retainAsPublished: s.rap ?? false, retainHandling: s.rh ?? 0 }
          : { topicFilter: s.topic, qos: s.qos },
      );
      return withProps({ type: 'subscribe', packetId: o.messageId, subscriptions: subs }, o.properties) as unknown as Packet;
    }
    case 'suback':
      return withProps({ type: 'suback', packetId: o.messageId, reasonCodes: [...(o.granted as number[])] }, o.properties) as unknown as Packet;
    case 'unsubscribe':
      return withProps({ type: 'unsubscribe', packetId: o.messageId, topicFilters: [...(o.unsubscriptions as string[])] }, o.properties) as unknown as Packet;
    case 'unsuback': {
      const p: Obj = { type: 'unsuback', packetId: o.messageId };
      if (v === 5) p.reasonCodes = [...(o.granted as number[])];
      return withProps(p, o.properties) as unknown as Packet;
    }
    case 'pingreq':
    case 'pingresp':
      return { type: cmd };
    case 'disconnect':
      return (v === 5 ? withProps({ type: 'disconnect', reasonCode: o.reasonCode ?? 0 }, o.properties) : { type: 'disconnect' }) as unknown as Packet;
    case 'auth':
      return withProps({ type: 'auth', reasonCode: o.reasonCode }, o.properties) as unknown as Packet;
  }
}

// ---------------------------------------------------------------- mqtt-packet I/O

function generate(p: Packet, v: Version): Uint8Array {
  // mqtt-packet reports invalid packets by emitting 'error' on its accumulator, which throws here
  return new Uint8Array(mqtt.generate(toMqtt(p, v), { protocolVersion: v }));
}

/** Parses with mqtt-packet, feeding `chunkSize` bytes at a time; fails on any 'error' event. */
function parse(bytes: Uint8Array, v: Version, chunkSize = bytes.length): MqttPacket[] {
  const parser = mqtt.parser({ protocolVersion: v });
  const packets: MqttPacket[] = [];
  const errors: unknown[] = [];
  parser.on('packet', (p) => packets.push(p));
  parser.on('error', (e) => errors.push(e));
  const step = Math.max(1, chunkSize);
  for (let i = 0; i < bytes.length; i += step) parser.parse(Buffer.from(bytes.subarray(i, i + step)));
  if (errors.length) throw new Error(`mqtt-packet failed to parse ${Buffer.from(bytes).toString('hex')}: ${String(errors[0])}`);
  return packets;
}

// ---------------------------------------------------------------- what mqtt-packet supports

/**
 * mqtt-packet cannot keep the relative order of user properties with different
 * names: it groups them by name into an object, whose enumeration order puts
 * integer-like names first. Compare in that grouped order.
 */
function groupUserProperties(p: Packet): Packet {
  const fix = (props: Properties | undefined): Properties | undefined =>
    props?.userProperties ? { ...props, userProperties: userPropertiesFromObject(userPropertiesToObject(props.userProperties)) } : props;
  const out = { ...p } as Packet & { properties?: Properties };
  if ('properties' in p && p.properties) out.properties = fix(p.properties);
  if (out.type === 'connect' && out.will?.properties) out.will = { ...out.will, properties: fix(out.will.properties) };
  return out;
}

/**
 * Restricts a valid packet to what mqtt-packet handles in `direction`, or
 * returns null to skip it. Each rule is a deviation of mqtt-packet 9.0.2:
 */
function restrict(p: Packet, direction: Direction): Packet | null {
  const fixProps = (props: Properties | undefined): Properties | undefined => {
    if (!props?.userProperties) return props;
    // parser: when a name repeats and its first value is '', that value is lost: it tests
    // `if (result[name])` (truthiness) to decide whether the name was seen before
    const count = new Map<string, number>();
    for (const [k] of props.userProperties) count.set(k, (count.get(k) ?? 0) + 1);
    const seen = new Set<string>();
    const pairs = props.userProperties.map(([k, val]): UserProperty => {
      const first = !seen.has(k);
      seen.add(k);
      return [k, first && val === '' && count.get(k)! > 1 ? 'v' : val];
    });
    return { ...props, userProperties: pairs };
  };
  let q = p as Packet & { properties?: Properties };
  if ('properties' in q && q.properties) q = { ...q, properties: fixProps(q.properties) };
  switch (q.type) {
    case 'connect': {
      const c = { ...q };
      if (c.will?.properties) c.will = { ...c.will, properties: fixProps(c.will.properties) };
      if (direction === 'generate') {
        // generate: refuses a password without a user name, which 5.0 allows (§3.1.2.9)
        if (c.password !== undefined && c.username === undefined) delete c.password;
        // generate: refuses an empty client id with Clean Start 0, which 5.0 allows (§3.1.3.1;
        // 3.1.1 [MQTT-3.1.3-7] forbids it, but that is for the server to refuse, not the codec)
        if (c.clientId === '' && !c.cleanStart) c.cleanStart = true;
      }
      return c;
    }
    case 'auth':
      // parser: the short AUTH (Remaining Length 0: Success, no properties, §3.15.2.1) is an
      // error "Invalid auth reason code", because it reads the reason code unconditionally
      if (direction === 'parse' && q.reasonCode === 0 && !q.properties) return null;
      return q;
    case 'disconnect':
      // parser: rejects 0x8C Bad authentication method, which §2.4 lists for DISCONNECT (the
      // table in §3.14.2.1 omits it; our codec follows §2.4)
      if (direction === 'parse' && q.reasonCode === 0x8c) return null;
      return q;
    default:
      return q;
  }
}

// ---------------------------------------------------------------- the tests

const VERSIONS: Version[] = [4, 5];

function restrictedArb(type: Packet['type'], v: Version, direction: Direction): fc.Arbitrary<Packet> {
  return packetArbOf(type, v as ProtocolVersion)
    .map((p) => restrict(p, direction))
    .filter((p): p is Packet => p !== null);
}

describe.each(VERSIONS.map((v) => [v]))('mqtt-packet, protocol level %i', (v) => {
  describe.each(packetTypesOf(v).map((t) => [t]))('%s', (type) => {
    const runs = type === 'pingreq' || type === 'pingresp' || (type === 'disconnect' && v === 4) ? 3 : 60;

    it('packets mqtt-packet generates decode here to the same fields', () => {
      fc.assert(
        fc.property(restrictedArb(type, v, 'generate'), (p) => {
          const bytes = generate(p, v);
          expect(decode(bytes, v)).toEqual(groupUserProperties(p));
        }),
        { numRuns: runs },
      );
    });

    it('bytes our encode produces parse in mqtt-packet to the same fields', () => {
      fc.assert(
        fc.property(restrictedArb(type, v, 'parse'), fc.integer({ min: 1, max: 8 }), (p, chunk) => {
          const bytes = encode(p, v);
          // whole, and in small chunks (mqtt-packet buffers partial packets itself); at most
          // about 64 chunks, as mqtt-packet is slow to re-scan long buffered packets
          for (const size of [bytes.length, Math.max(chunk, Math.ceil(bytes.length / 64))]) {
            const parsed = parse(bytes, v, size);
            expect(parsed).toHaveLength(1);
            expect(fromMqtt(parsed[0]!, v)).toEqual(groupUserProperties(p));
          }
        }),
        { numRuns: runs },
      );
    });
  });
});

describe('the mapper', () => {
  it('maps the field names of both libraries', () => {
    const ours: Packet = {
      type: 'connack', sessionPresent: false, reasonCode: 0,
      properties: { userProperties: [['a', '1'], ['b', '2'], ['a', '3']], subscriptionIdentifiersAvailable: false, authenticationMethod: 'm', authenticationData: new Uint8Array([1]) },
    };
    const theirs = toMqtt(ours, 5) as unknown as Obj;
    expect(theirs.cmd).toBe('connack');
    expect(theirs.reasonCode).toBe(0);
    expect({ ...(theirs.properties as { userProperties: object }).userProperties }).toEqual({ a: ['1', '3'], b: '2' });
    expect(Buffer.isBuffer((theirs.properties as Obj).authenticationData)).toBe(true);
    expect(fromMqtt(theirs as unknown as MqttPacket, 5)).toEqual(groupUserProperties(ours));
    expect(toMqtt({ type: 'puback', packetId: 7 }, 4)).toEqual({ cmd: 'puback', messageId: 7 });
    expect(toMqtt({ type: 'connack', sessionPresent: true, reasonCode: 0 }, 4)).toEqual({ cmd: 'connack', sessionPresent: true, returnCode: 0 });
    expect(toMqtt({ type: 'unsubscribe', packetId: 1, topicFilters: ['a/#'] }, 4)).toEqual({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: ['a/#'] });
  });

  it('agrees with mqtt-packet on a fixed CONNECT, both ways', () => {
    const ours: Packet = {
      type: 'connect', protocolName: 'MQTT', protocolVersion: 5, cleanStart: true, keepalive: 30, clientId: 'sensor-1', username: 'u', password: new Uint8Array([0x70]),
      will: { topic: 'status/sensor-1', payload: new Uint8Array([0x6f, 0x66, 0x66]), qos: 1, retain: true, properties: { willDelayInterval: 5 } },
      properties: { sessionExpiryInterval: 3600, receiveMaximum: 10, userProperties: [['region', 'eu']] },
    };
    expect(Buffer.from(generate(ours, 5)).toString('hex')).toBe(Buffer.from(encode(ours, 5)).toString('hex'));
    expect(fromMqtt(parse(encode(ours, 5), 5)[0]!, 5)).toEqual(ours);
  });
});
