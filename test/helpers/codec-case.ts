/**
 * Byte fixtures for the MQTT codec (mqtt-packet's `testParseGenerate`).
 *
 * `codecCase` registers the tests of one hand-written fixture: the bytes decode
 * to the packet, the packet encodes to exactly those bytes, the packet survives
 * a round trip, and the dissection explains every byte once.
 *
 * `rejectCase` registers the tests of one invalid packet: decode throws an
 * MqttError with the expected reason code, and dissect does not throw but marks
 * the root and a field with the error.
 *
 * Expected bytes are written by hand from the specifications, one line per
 * field with a comment, never copied from `encode`.
 */
import { expect, test } from 'vitest';
import { decode, dissect, encode, MqttError, type Field, type Packet, type ProtocolVersion } from '../../worker/protocol';

/** Bytes as a spaced hex string: readable diffs when a fixture fails. */
export function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** A payload or binary value, from text (UTF-8). */
export function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A payload or binary value, from bytes. */
export function bin(...bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}

export function codecCase(name: string, version: ProtocolVersion, packet: Packet, bytes: number[]): void {
  test(name, () => {
    const wire = Uint8Array.from(bytes);
    expect(decode(wire, version), 'decode').toStrictEqual(packet);
    const encoded = encode(packet, version);
    expect(hex(encoded), 'encode').toBe(hex(wire));
    expect(decode(encoded, version), 'round trip').toStrictEqual(packet);
    const root = dissect(wire, version);
    expect(root.error, 'dissect error').toBeUndefined();
    expectDissectionCovers(root, wire.length);
  });
  test(`${name}: every truncation is a Malformed Packet`, () => {
    for (let n = 0; n < bytes.length; n++) expectRejected(Uint8Array.from(bytes.slice(0, n)), version, 0x81, `first ${n} bytes`);
  });
}

/**
 * A packet that decodes to `packet` but is not in canonical form: encode must
 * produce the shorter `canonical` bytes, which decode to the same packet.
 */
export function decodeOnlyCase(name: string, version: ProtocolVersion, bytes: number[], packet: Packet, canonical: number[]): void {
  test(name, () => {
    const wire = Uint8Array.from(bytes);
    expect(decode(wire, version), 'decode').toStrictEqual(packet);
    expect(hex(encode(packet, version)), 'encode picks the shortest form').toBe(hex(canonical));
    expect(decode(Uint8Array.from(canonical), version), 'canonical decodes the same').toStrictEqual(packet);
    expectDissectionCovers(dissect(wire, version), wire.length);
  });
}

/** The MqttError that decoding `bytes` throws. */
export function decodeError(bytes: number[] | Uint8Array, version: ProtocolVersion): MqttError {
  try {
    decode(Uint8Array.from(bytes), version);
  } catch (e) {
    expect(e).toBeInstanceOf(MqttError);
    return e as MqttError;
  }
  throw new Error(`decode accepted ${hex(bytes)}`);
}

export function rejectCase(name: string, version: ProtocolVersion, bytes: number[], reasonCode: number): void {
  test(name, () => expectRejected(Uint8Array.from(bytes), version, reasonCode));
}

/** decode throws `reasonCode`; dissect does not throw, and marks the root and a field below it with the same error. */
export function expectRejected(wire: Uint8Array, version: ProtocolVersion, reasonCode: number, what = hex(wire)): void {
  const err = decodeError(wire, version);
  expect(err.reasonCode, `${what}: reason code of "${err.message}"`).toBe(reasonCode);
  let root: Field | undefined;
  expect(() => (root = dissect(wire, version)), `${what}: dissect does not throw`).not.toThrow();
  expect(root!.error, `${what}: root.error`).toBeTruthy();
  expect(root!.reasonCode, `${what}: dissect's reason code for "${root!.error}"`).toBe(reasonCode);
  const marked = allFields(root!).filter((f) => f !== root && f.error);
  expect(marked.length, `${what}: a field below the root carries the error`).toBeGreaterThan(0);
  for (const f of marked) expect(f.reasonCode).toBe(reasonCode);
  expectDissectionCovers(root!, wire.length);
}

export function allFields(root: Field): Field[] {
  const out: Field[] = [];
  const walk = (f: Field): void => {
    out.push(f);
    for (const c of f.children ?? []) walk(c);
  };
  walk(root);
  return out;
}

/**
 * The dissection invariant: every field lies within its parent with
 * start <= end, and the leaves (fields without children) that have bytes,
 * taken in tree order, are sorted and cover [0, length) exactly once.
 */
export function expectDissectionCovers(root: Field, length: number): void {
  expect(root.start, 'root start').toBe(0);
  expect(root.end, 'root end').toBe(length);
  const leaves: Field[] = [];
  const walk = (f: Field, path: string): void => {
    expect(f.start, `${path}: start <= end`).toBeLessThanOrEqual(f.end);
    const kids = f.children ?? [];
    if (kids.length === 0) {
      if (f.start < f.end) leaves.push(f);
      return;
    }
    for (const c of kids) {
      const p = `${path} > ${c.name}`;
      expect(c.start, `${p}: starts within its parent [${f.start}, ${f.end})`).toBeGreaterThanOrEqual(f.start);
      expect(c.end, `${p}: ends within its parent [${f.start}, ${f.end})`).toBeLessThanOrEqual(f.end);
      walk(c, p);
    }
  };
  walk(root, root.name);
  let at = 0;
  for (const leaf of leaves) {
    expect(leaf.start, `leaf "${leaf.name}" [${leaf.start}, ${leaf.end}) starts where the previous ended`).toBe(at);
    at = leaf.end;
  }
  expect(at, 'the leaves reach the last byte').toBe(length);
}
