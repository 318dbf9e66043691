/**
 * What the byte inspector says about one field: its value decoded the way
 * the specification reads it.
 *
 *   flags       0x32 → "0011 ...." Packet Type = 3, ".... 0..." DUP = false, ".... .01." QoS = 1 …
 *   varint      0xc1 0x02 → "65 × 1 + 2 × 128 = 321"
 *   property    identifier 0x02 → Message Expiry Interval, and what it is for
 *   reason code 0x87 in a PUBACK → "Not authorized", and what it means
 *
 * The words of the explanations (notes, names, meanings) are the protocol
 * module's, in English, like the specification they cite.
 */
import { CONNACK_RETURN_CODES, reasonInfo, type ReasonPacket } from '../../../worker/protocol/reason-codes';
import { PROPERTY_DEFS } from '../../../worker/protocol/properties';
import type { BitField, PacketType, ProtocolVersion } from '../../../worker/protocol/types';
import type { FieldNode } from './field-map';
import { toHex } from '../topic-format';

export interface BitExplanation {
  name: string;
  /** The byte with the bits of this field shown and the others as dots, e.g. ".... .01.". */
  pattern: string;
  value: number | boolean;
  note: string | undefined;
}

export interface VarintExplanation {
  /** Each byte, with its 7 value bits and multiplier. */
  terms: { byte: number; digit: number; multiplier: number; more: boolean }[];
  /** "65 × 1 + 2 × 128 = 321". */
  sum: string;
  value: number;
}

export interface Explanation {
  name: string;
  start: number;
  end: number;
  /** The field's bytes in hex (the first 32, then "…"). */
  raw: string;
  value: string | undefined;
  bits: BitExplanation[] | undefined;
  varint: VarintExplanation | undefined;
  property: { id: number; label: string; note: string } | undefined;
  reason: { code: number; name: string; meaning: string } | undefined;
  note: string | undefined;
  spec: string | undefined;
  error: string | undefined;
}

/** The byte with only the bits of `mask` shown: 0x32, 0x06 → ".... .01.". */
export function bitPattern(byte: number, mask: number): string {
  let s = '';
  for (let bit = 7; bit >= 0; bit--) {
    const m = 1 << bit;
    s += mask & m ? (byte & m ? '1' : '0') : '.';
    if (bit === 4) s += ' ';
  }
  return s;
}

/** A Variable Byte Integer's arithmetic (§1.5.5): 7 bits a byte, least significant first. */
export function varintArithmetic(bytes: ArrayLike<number>): VarintExplanation {
  const terms: VarintExplanation['terms'] = [];
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const digit = byte & 0x7f;
    terms.push({ byte, digit, multiplier, more: (byte & 0x80) !== 0 });
    value += digit * multiplier;
    multiplier *= 128;
  }
  const sum = `${terms.map((t) => `${t.digit} × ${t.multiplier}`).join(' + ')} = ${value}`;
  return { terms, sum, value };
}

const VARINT_FIELDS = new Set(['Remaining Length', 'Property Length']);
const REASON_FIELDS = new Set(['Reason Code', 'Connect Reason Code', 'Connect Return Code', 'Return Code']);
const REASON_PACKETS = new Set<string>(['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback', 'disconnect', 'auth']);

function reasonOf(code: number, name: string, packet: PacketType | undefined, version: ProtocolVersion): Explanation['reason'] {
  if (name === 'Connect Return Code' || (version !== 5 && packet === 'connack')) {
    const r = CONNACK_RETURN_CODES.find((c) => c.code === code);
    return r ? { code, name: r.name, meaning: r.meaning } : undefined;
  }
  if (version !== 5 && packet === 'suback') {
    return code === 0x80
      ? { code, name: 'Failure', meaning: 'The subscription was refused.' }
      : { code, name: `Granted QoS ${code}`, meaning: `The subscription is accepted; maximum QoS sent will be ${code}.` };
  }
  const info = reasonInfo(code, packet && REASON_PACKETS.has(packet) ? (packet as ReasonPacket) : undefined) ?? reasonInfo(code);
  return info ? { code, name: info.name, meaning: info.meaning } : undefined;
}

function formatValue(v: string | number | boolean | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return String(v);
}

/** The explanation of `nodes[index]` in a frame of `bytes`, a packet of `packet` type in `version`. */
export function explainField(nodes: readonly FieldNode[], index: number, bytes: Uint8Array, packet: PacketType | undefined, version: ProtocolVersion): Explanation {
  const node = nodes[index]!;
  const f = node.field;
  const own = bytes.subarray(f.start, Math.min(f.end, bytes.length));
  const parent = node.parent >= 0 ? nodes[node.parent]!.field : undefined;
  const out: Explanation = {
    name: f.name, start: f.start, end: f.end, raw: toHex(own, 32), value: formatValue(f.value),
    bits: undefined, varint: undefined, property: undefined, reason: undefined, note: f.note, spec: f.spec, error: f.error,
  };
  if (f.bits && own.length) out.bits = f.bits.map((b: BitField) => ({ name: b.name, pattern: bitPattern(own[0]!, b.mask), value: b.value, note: b.note }));
  const propertyId = f.name === 'Property Identifier' ? own[0] : node.children.length && nodes[node.children[0]!]!.field.name === 'Property Identifier' ? bytes[nodes[node.children[0]!]!.field.start] : undefined;
  if (propertyId !== undefined) {
    const def = PROPERTY_DEFS.find((d) => d.id === propertyId);
    if (def) out.property = { id: def.id, label: def.label, note: def.note };
  }
  const isVarintValue = f.name === 'Value' && parent?.name === 'Subscription Identifier';
  if ((VARINT_FIELDS.has(f.name) || isVarintValue) && own.length) out.varint = varintArithmetic(own);
  if (REASON_FIELDS.has(f.name) && own.length === 1) out.reason = reasonOf(own[0]!, f.name, packet, version);
  return out;
}
