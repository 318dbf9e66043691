/**
 * MQTT 5.0 properties (§2.2.2). One table drives decoding, encoding,
 * validation and dissection: each property's identifier, data type, the
 * packets that may carry it, and whether it may repeat.
 */
import { malformed, MqttError, protocolError } from './errors';
import { Reader } from './reader';
import type { Writer } from './writer';
import type { Properties, PropertyName, UserProperty } from './types';

/** Where a property list appears: a packet type, or the will properties of CONNECT. */
export type PropertyContext =
  | 'connect' | 'connack' | 'publish' | 'will' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'
  | 'subscribe' | 'suback' | 'unsubscribe' | 'unsuback' | 'disconnect' | 'auth';

type DataType = 'bool' | 'byte' | 'u16' | 'u32' | 'varint' | 'utf8' | 'binary' | 'pair';

export interface PropertyDef {
  id: number;
  name: PropertyName;
  /** The specification's name, e.g. "Session Expiry Interval". */
  label: string;
  type: DataType;
  contexts: ReadonlySet<PropertyContext>;
  /** Contexts in which it may appear more than once. */
  repeats: ReadonlySet<PropertyContext>;
  /** What it does, for the dissection. */
  note: string;
}

const ACKS: PropertyContext[] = ['puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback'];
const ALL: PropertyContext[] = ['connect', 'connack', 'publish', 'will', ...ACKS, 'subscribe', 'unsubscribe', 'disconnect', 'auth'];
const MSG: PropertyContext[] = ['publish', 'will'];

function def(id: number, name: PropertyName, label: string, type: DataType, contexts: PropertyContext[], note: string, repeats: PropertyContext[] = []): PropertyDef {
  return { id, name, label, type, contexts: new Set(contexts), repeats: new Set(repeats), note };
}

export const PROPERTY_DEFS: readonly PropertyDef[] = [
  def(0x01, 'payloadFormatIndicator', 'Payload Format Indicator', 'bool', MSG, '0: the payload is unspecified bytes; 1: it is UTF-8 text.'),
  def(0x02, 'messageExpiryInterval', 'Message Expiry Interval', 'u32', MSG, 'Seconds the message lives; the server deletes it for subscribers it has not reached in time.'),
  def(0x03, 'contentType', 'Content Type', 'utf8', MSG, 'Describes the payload, e.g. a MIME type such as application/json.'),
  def(0x08, 'responseTopic', 'Response Topic', 'utf8', MSG, 'The topic a responder should publish its response to.'),
  def(0x09, 'correlationData', 'Correlation Data', 'binary', MSG, 'Lets the requester match a response with its request.'),
  def(0x0b, 'subscriptionIdentifier', 'Subscription Identifier', 'varint', ['publish', 'subscribe'], 'Identifies the subscription; the server copies it into each matching PUBLISH.', ['publish']),
  def(0x11, 'sessionExpiryInterval', 'Session Expiry Interval', 'u32', ['connect', 'connack', 'disconnect'], 'Seconds the session is kept after the connection closes; 0xFFFFFFFF means never expire.'),
  def(0x12, 'assignedClientIdentifier', 'Assigned Client Identifier', 'utf8', ['connack'], 'The client identifier the server assigned because the client sent an empty one.'),
  def(0x13, 'serverKeepAlive', 'Server Keep Alive', 'u16', ['connack'], 'The keep alive the client must use instead of the one it asked for.'),
  def(0x15, 'authenticationMethod', 'Authentication Method', 'utf8', ['connect', 'connack', 'auth'], 'Names the extended authentication method, e.g. SCRAM-SHA-256.'),
  def(0x16, 'authenticationData', 'Authentication Data', 'binary', ['connect', 'connack', 'auth'], 'Data of the authentication method.'),
  def(0x17, 'requestProblemInformation', 'Request Problem Information', 'bool', ['connect'], '0: the server may send Reason String and User Properties only in PUBLISH, CONNACK and DISCONNECT.'),
  def(0x18, 'willDelayInterval', 'Will Delay Interval', 'u32', ['will'], 'Seconds the server waits before publishing the will; a reconnect within it cancels the will.'),
  def(0x19, 'requestResponseInformation', 'Request Response Information', 'bool', ['connect'], '1: the client asks the server for Response Information in CONNACK.'),
  def(0x1a, 'responseInformation', 'Response Information', 'utf8', ['connack'], 'A basis for creating response topics.'),
  def(0x1c, 'serverReference', 'Server Reference', 'utf8', ['connack', 'disconnect'], 'Another server the client can use.'),
  def(0x1f, 'reasonString', 'Reason String', 'utf8', ['connack', ...ACKS, 'disconnect', 'auth'], 'A human-readable reason for diagnostics; not to be parsed.'),
  def(0x21, 'receiveMaximum', 'Receive Maximum', 'u16', ['connect', 'connack'], 'How many QoS 1 and QoS 2 publications the sender is willing to process at once.'),
  def(0x22, 'topicAliasMaximum', 'Topic Alias Maximum', 'u16', ['connect', 'connack'], 'The highest topic alias the sender accepts; 0 means none.'),
  def(0x23, 'topicAlias', 'Topic Alias', 'u16', ['publish'], 'A number that stands for the topic name, to save bytes on later messages.'),
  def(0x24, 'maximumQoS', 'Maximum QoS', 'byte', ['connack'], 'The highest QoS the server supports (0 or 1; absent means 2).'),
  def(0x25, 'retainAvailable', 'Retain Available', 'bool', ['connack'], 'Whether the server supports retained messages.'),
  def(0x26, 'userProperties', 'User Property', 'pair', ALL, 'An application-defined name/value pair; may repeat, order is kept.', ALL),
  def(0x27, 'maximumPacketSize', 'Maximum Packet Size', 'u32', ['connect', 'connack'], 'The largest packet, in bytes, the sender is willing to accept.'),
  def(0x28, 'wildcardSubscriptionAvailable', 'Wildcard Subscription Available', 'bool', ['connack'], 'Whether the server supports wildcard subscriptions.'),
  def(0x29, 'subscriptionIdentifiersAvailable', 'Subscription Identifiers Available', 'bool', ['connack'], 'Whether the server supports subscription identifiers.'),
  def(0x2a, 'sharedSubscriptionAvailable', 'Shared Subscription Available', 'bool', ['connack'], 'Whether the server supports shared subscriptions.'),
];

const BY_ID: (PropertyDef | undefined)[] = [];
const BY_NAME = new Map<string, PropertyDef>();
for (const d of PROPERTY_DEFS) {
  BY_ID[d.id] = d;
  BY_NAME.set(d.name, d);
}

export function propertyDef(idOrName: number | string): PropertyDef | undefined {
  return typeof idOrName === 'number' ? BY_ID[idOrName] : BY_NAME.get(idOrName);
}

/** Reads a property list: its length, then each property; undefined when empty. */
export function readProperties(r: Reader, ctx: PropertyContext): Properties | undefined {
  const t = r.t;
  const start = r.pos;
  if (t) t.open(ctx === 'will' ? 'Will Properties' : 'Properties', start);
  const len = r.varint('Property Length');
  r.need(len, 'the properties');
  const end = r.pos + len;
  let props: Properties | undefined;
  if (len > 0) {
    const pr = new Reader(r.bytes, r.pos, end, t, 'the properties');
    props = {};
    while (pr.pos < end) readProperty(pr, ctx, props);
  }
  r.pos = end;
  if (t) t.close(end);
  return props;
}

function readProperty(r: Reader, ctx: PropertyContext, props: Properties): void {
  const start = r.pos;
  const t = r.t;
  if (t) t.open('Property', start);
  const id = r.varint('Property Identifier');
  const d = BY_ID[id];
  // an identifier not valid for the packet makes it malformed (§2.2.2.2)
  if (!d) throw malformed(`0x${id.toString(16).padStart(2, '0')} is not a property identifier`, start);
  if (t) {
    t.current.name = d.label;
    t.current.note = d.note;
    t.last!.note = `0x${id.toString(16).padStart(2, '0')} identifies ${d.label}.`;
  }
  if (!d.contexts.has(ctx)) throw malformed(`${d.label} is not allowed in ${contextLabel(ctx)}`, start);
  const repeats = d.repeats.has(ctx);
  const p = props as Record<string, unknown>;
  if (!repeats && p[d.name] !== undefined) throw protocolError(`${d.label} appears more than once in ${contextLabel(ctx)}`, start);
  const value = readValue(r, d, ctx);
  if (d.name === 'userProperties') (props.userProperties ??= []).push(value as UserProperty);
  else if (repeats) {
    const prev = p[d.name] as number | number[] | undefined;
    p[d.name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value as number] : [prev, value as number];
  } else p[d.name] = value;
  if (t) t.close(r.pos);
}

function readValue(r: Reader, d: PropertyDef, ctx: PropertyContext): unknown {
  const at = r.pos;
  switch (d.type) {
    case 'bool': {
      const v = r.u8('Value');
      if (v > 1) throw protocolError(`${d.label} must be 0 or 1, got ${v}`, at);
      return v === 1;
    }
    case 'byte': {
      const v = r.u8('Value');
      if (d.name === 'maximumQoS' && v > 1) throw protocolError(`Maximum QoS must be 0 or 1, got ${v}`, at);
      return v;
    }
    case 'u16': {
      const v = r.u16('Value');
      if (v === 0 && d.name === 'receiveMaximum') throw protocolError('Receive Maximum must not be 0', at);
      if (v === 0 && d.name === 'topicAlias') throw new MqttError(0x94, 'a Topic Alias of 0 is not permitted [MQTT-3.3.2-8]', at);
      return v;
    }
    case 'u32': {
      const v = r.u32('Value');
      if (v === 0 && d.name === 'maximumPacketSize') throw protocolError('Maximum Packet Size must not be 0', at);
      return v;
    }
    case 'varint': {
      const v = r.varint('Value');
      if (v === 0) throw protocolError(`a Subscription Identifier of 0 is not allowed in ${contextLabel(ctx)}`, at);
      return v;
    }
    case 'utf8':
      return r.utf8('Value');
    case 'binary':
      return r.binary('Value');
    case 'pair':
      return [r.utf8('Name'), r.utf8('Value')];
  }
}

export function contextLabel(ctx: PropertyContext): string {
  return ctx === 'will' ? 'the will properties' : `a ${ctx.toUpperCase()} packet`;
}

/** Writes a property list with its length prefix; properties go in identifier order. */
export function writeProperties(w: Writer, props: Properties | undefined): void {
  const at = w.beginLength();
  if (props) {
    const p = props as Record<string, unknown>;
    for (const key of Object.keys(p)) {
      if (p[key] !== undefined && !BY_NAME.has(key)) throw malformed(`cannot encode: unknown property "${key}"`);
    }
    for (const d of PROPERTY_DEFS) {
      const v = p[d.name];
      if (v === undefined) continue;
      if (d.type === 'pair') {
        for (const [k, val] of v as UserProperty[]) {
          w.u8(d.id);
          w.utf8(k, 'a user property name');
          w.utf8(val, 'a user property value');
        }
      } else if (Array.isArray(v)) {
        for (const one of v) writeValue(w, d, one);
      } else writeValue(w, d, v);
    }
  }
  w.endLength(at, 'the property length');
}

function writeValue(w: Writer, d: PropertyDef, v: unknown): void {
  w.u8(d.id);
  switch (d.type) {
    case 'bool': return w.u8(v ? 1 : 0);
    case 'byte': return w.u8(Number(v) & 0xff);
    case 'u16': return w.u16(v as number, d.label);
    case 'u32': return w.u32(v as number, d.label);
    case 'varint': return w.varint(v as number, d.label);
    case 'utf8': return w.utf8(v as string, d.label);
    case 'binary': return w.binary(v as Uint8Array, d.label);
    case 'pair': return;
  }
}

/** Whether a properties object has anything to encode. */
export function hasProperties(props: Properties | undefined): boolean {
  if (!props) return false;
  for (const k in props) {
    const v = (props as Record<string, unknown>)[k];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) return true;
  }
  return false;
}
