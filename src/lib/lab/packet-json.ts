/**
 * Packets written as JSON in the packet lab: the Packet shape of
 * worker/protocol/types.ts, with binary data (payloads, passwords,
 * correlation data...) written as `{"$hex": "01 02"}`, `{"$text": "hello"}`,
 * or a plain string, taken as UTF-8 text:
 *
 *   { "type": "publish", "topic": "a/b", "qos": 1, "packetId": 7,
 *     "retain": false, "dup": false, "payload": "hello" }
 *
 * Nothing is checked against the rules of MQTT here (QoS 3 is let through),
 * so that rule-breaking packets can be built; encode refuses only what cannot
 * be written at all. Unknown fields are reported as warnings, since encode
 * would silently leave them out.
 */
import { PACKET_TYPES, PROPERTY_DEFS, type Packet, type PacketType } from '../../../worker/protocol';
import type { LabProblem } from './problem';

export type JsonResult = { ok: true; packet: Packet; warnings: LabProblem[] } | { ok: false; problem: LabProblem };

/** Fields that hold binary data (a plain string there is UTF-8 text). */
const BINARY = new Set(['payload', 'password', 'will.payload', 'properties.correlationData', 'properties.authenticationData', 'will.properties.correlationData']);

const ACK = ['packetId', 'reasonCode', 'properties'];
/** The fields each packet type has, besides `type`. */
export const PACKET_FIELDS: Record<PacketType, readonly string[]> = {
  connect: ['protocolName', 'protocolVersion', 'cleanStart', 'keepalive', 'clientId', 'will', 'username', 'password', 'properties'],
  connack: ['sessionPresent', 'reasonCode', 'properties'],
  publish: ['topic', 'payload', 'qos', 'retain', 'dup', 'packetId', 'properties'],
  puback: ACK,
  pubrec: ACK,
  pubrel: ACK,
  pubcomp: ACK,
  subscribe: ['packetId', 'subscriptions', 'properties'],
  suback: ['packetId', 'reasonCodes', 'properties'],
  unsubscribe: ['packetId', 'topicFilters', 'properties'],
  unsuback: ['packetId', 'reasonCodes', 'properties'],
  pingreq: [],
  pingresp: [],
  disconnect: ['reasonCode', 'properties'],
  auth: ['reasonCode', 'properties'],
};
const WILL_FIELDS = ['topic', 'payload', 'qos', 'retain', 'properties'];
const SUBSCRIPTION_FIELDS = ['topicFilter', 'qos', 'noLocal', 'retainAsPublished', 'retainHandling'];
const PROPERTY_NAMES = new Set(PROPERTY_DEFS.map((d) => d.name as string));

export const PACKET_TYPE_NAMES = PACKET_TYPES.filter((t): t is PacketType => t !== undefined);

class JsonProblem extends Error {
  readonly problem: LabProblem;
  constructor(problem: LabProblem) {
    super(problem.key);
    this.problem = problem;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the lab's JSON into a Packet (not validated: encode and decode judge it). */
export function packetFromJson(text: string): JsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: syntaxProblem(text, e) };
  }
  if (!isObject(value)) return { ok: false, problem: { key: 'labJsonNotObject' } };
  const type = value.type;
  if (typeof type !== 'string' || !(PACKET_TYPE_NAMES as string[]).includes(type)) {
    return { ok: false, problem: { key: 'labJsonType', params: { types: PACKET_TYPE_NAMES.join(', ') } } };
  }
  const warnings: LabProblem[] = [];
  try {
    const packet = revive(value, '') as Packet;
    unknownFields(value, PACKET_FIELDS[type as PacketType], '', warnings);
    if (isObject(value.will)) unknownFields(value.will, WILL_FIELDS, 'will.', warnings);
    if (Array.isArray(value.subscriptions)) {
      value.subscriptions.forEach((s, i) => isObject(s) && unknownFields(s, SUBSCRIPTION_FIELDS, `subscriptions[${i}].`, warnings));
    }
    for (const at of ['properties', 'will.properties']) {
      const props = at === 'properties' ? value.properties : isObject(value.will) ? value.will.properties : undefined;
      if (isObject(props)) for (const k of Object.keys(props)) if (!PROPERTY_NAMES.has(k)) warnings.push({ key: 'labJsonUnknownProperty', params: { field: `${at}.${k}` } });
    }
    return { ok: true, packet, warnings };
  } catch (e) {
    if (e instanceof JsonProblem) return { ok: false, problem: e.problem };
    throw e;
  }
}

function unknownFields(o: Record<string, unknown>, known: readonly string[], prefix: string, warnings: LabProblem[]): void {
  for (const k of Object.keys(o)) {
    if (k !== 'type' && !known.includes(k)) warnings.push({ key: 'labJsonUnknownField', params: { field: prefix + k } });
  }
}

/** Turns {"$hex"} and {"$text"} (anywhere) and plain strings in binary fields into bytes. */
function revive(v: unknown, path: string): unknown {
  if (Array.isArray(v)) return v.map((x, i) => revive(x, `${path}[${i}]`));
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.includes('$hex') || keys.includes('$text')) return bytesOf(v, path);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = revive(v[k], path ? `${path}.${k}` : k);
    return out;
  }
  if (BINARY.has(path)) {
    if (typeof v === 'string') return new TextEncoder().encode(v);
    throw new JsonProblem({ key: 'labJsonBinary', params: { field: path } });
  }
  return v;
}

function bytesOf(o: Record<string, unknown>, path: string): Uint8Array {
  const keys = Object.keys(o);
  const field = path || '(top)';
  if (keys.length !== 1) throw new JsonProblem({ key: 'labJsonBinaryAlone', params: { field } });
  if (keys[0] === '$text') {
    if (typeof o.$text !== 'string') throw new JsonProblem({ key: 'labJsonBinary', params: { field } });
    return new TextEncoder().encode(o.$text);
  }
  const hex = o.$hex;
  if (typeof hex !== 'string') throw new JsonProblem({ key: 'labJsonBinary', params: { field } });
  const digits = hex.replace(/[\s:,]+/g, '').replace(/^0x/i, '');
  if (!/^[0-9a-f]*$/i.test(digits)) throw new JsonProblem({ key: 'labJsonHexDigits', params: { field } });
  if (digits.length % 2) throw new JsonProblem({ key: 'labJsonHexOdd', params: { field } });
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Where JSON.parse stopped, as a line and column, when the engine's message says. */
function syntaxProblem(text: string, e: unknown): LabProblem {
  const raw = e instanceof Error ? e.message : String(e);
  const lc = /line (\d+) column (\d+)/.exec(raw);
  const pos = /position (\d+)/.exec(raw);
  // the place is said once, by the lab, in the page's language
  const message = raw.replace(/\s*in JSON at position \d+/, '').replace(/\s*\(line \d+ column \d+\)/, '');
  const problem: LabProblem = { key: 'labJsonSyntax', params: { message } };
  if (lc) {
    problem.line = Number(lc[1]);
    problem.column = Number(lc[2]);
  } else if (pos) {
    const before = text.slice(0, Number(pos[1]));
    problem.line = before.split('\n').length;
    problem.column = before.length - before.lastIndexOf('\n');
  }
  return problem;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, when they are UTF-8 without control characters other than tab and newlines. */
function asText(b: Uint8Array): string | undefined {
  let s: string;
  try {
    s = textDecoder.decode(b);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s) ? undefined : s;
}

function toJsonValue(v: unknown, path: string): unknown {
  if (v instanceof Uint8Array) {
    const text = asText(v);
    if (text !== undefined) return path === 'payload' ? text : { $text: text };
    return { $hex: Array.from(v, (b) => b.toString(16).padStart(2, '0')).join(' ') };
  }
  if (Array.isArray(v)) return v.map((x, i) => toJsonValue(x, `${path}[${i}]`));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJsonValue(x, path ? `${path}.${k}` : k);
    return out;
  }
  return v;
}

/** A packet as the lab's JSON (type first), pretty-printed; packetFromJson reads it back to an equal packet. */
export function packetToJson(p: Packet): string {
  const { type, ...rest } = p;
  return JSON.stringify({ type, ...(toJsonValue(rest, '') as object) }, null, 2);
}
