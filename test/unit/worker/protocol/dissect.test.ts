/**
 * dissect: the tree of fields. Every codec fixture and every rejected packet
 * is already checked for full coverage (test/helpers/codec-case.ts); these
 * tests pin down which field carries what.
 */
import { describe, expect, test } from 'vitest';
import { dissect, type Field } from '../../../../worker/protocol';
import { allFields, expectDissectionCovers } from '../../../helpers/codec-case';

function find(root: Field, name: string): Field {
  const f = allFields(root).find((x) => x.name === name);
  if (!f) throw new Error(`no field "${name}" in ${allFields(root).map((x) => x.name).join(', ')}`);
  return f;
}

function errorFields(root: Field): Field[] {
  return allFields(root).filter((f) => f !== root && f.error);
}

describe('a valid packet', () => {
  // PUBLISH v5 QoS 1 "a/b", packet id 10, topic alias 1, payload "hi"
  const bytes = Uint8Array.from([0x32, 0x0d, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x00, 0x0a, 0x03, 0x23, 0x00, 0x01, 0x68, 0x69]);
  const root = dissect(bytes, 5);

  test('the root is named for the packet type and spans the packet', () => {
    expect(root).toMatchObject({ name: 'PUBLISH', start: 0, end: 15 });
    expect(root.error).toBeUndefined();
    expectDissectionCovers(root, bytes.length);
  });

  test('fields carry their values and byte ranges', () => {
    expect(find(root, 'Fixed Header')).toMatchObject({ start: 0, end: 2 });
    expect(find(root, 'Remaining Length')).toMatchObject({ start: 1, end: 2, value: 13 });
    expect(find(root, 'Topic Name')).toMatchObject({ start: 2, end: 7, value: 'a/b' });
    expect(find(root, 'Packet Identifier')).toMatchObject({ start: 7, end: 9, value: 10 });
    expect(find(root, 'Properties')).toMatchObject({ start: 9, end: 13 });
    expect(find(root, 'Topic Alias')).toMatchObject({ start: 10, end: 13 });
    expect(find(root, 'Payload')).toMatchObject({ start: 13, end: 15, value: 'hi' });
  });

  test('the first byte explains its bits', () => {
    const first = find(root, 'Packet Type and Flags');
    expect(first.bits?.map((b) => [b.name, b.value])).toEqual([
      ['Packet Type', 3],
      ['DUP', false],
      ['QoS', 1],
      ['RETAIN', false],
    ]);
  });

  test('fields cite the specification of the version', () => {
    expect(find(root, 'Topic Name').spec).toBe('MQTT 5.0 §3.3.2.1');
    expect(find(dissect(bytes.slice(0, 9).map((b, i) => (i === 1 ? 7 : b)), 4), 'Topic Name').spec).toBe('MQTT 3.1.1 §3.3.2.1');
  });
});

describe('where the error is marked', () => {
  test('QoS 3: the first byte', () => {
    const root = dissect(Uint8Array.from([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01]), 4);
    expect(root.reasonCode).toBe(0x81);
    expect(errorFields(root).map((f) => f.name)).toContain('Packet Type and Flags');
  });

  test('a reserved connect flag: the Connect Flags byte', () => {
    const root = dissect(Uint8Array.from([0x10, 0x0d, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x03, 0x00, 0x3c, 0x00, 0x01, 0x63]), 4);
    expect(errorFields(root)[0]).toMatchObject({ name: 'Connect Flags', start: 9, end: 10, reasonCode: 0x81 });
  });

  test('topic alias 0: the value of the Topic Alias', () => {
    const root = dissect(Uint8Array.from([0x30, 0x07, 0x00, 0x01, 0x61, 0x03, 0x23, 0x00, 0x00]), 5);
    expect(errorFields(root)[0]).toMatchObject({ name: 'Value', start: 7, end: 9, reasonCode: 0x94 });
  });

  test('a wildcard in a topic name: the topic name', () => {
    const root = dissect(Uint8Array.from([0x30, 0x03, 0x00, 0x01, 0x23]), 4);
    const [f] = errorFields(root);
    expect(f!.reasonCode).toBe(0x90);
    expect(f!.start).toBeGreaterThanOrEqual(2);
    expect(f!.end).toBeLessThanOrEqual(5);
  });

  test('trailing bytes: an "Unexpected Bytes" field over them', () => {
    const root = dissect(Uint8Array.from([0x40, 0x02, 0x00, 0x07, 0xff, 0xff]), 4);
    expect(errorFields(root)).toMatchObject([{ name: 'Unexpected Bytes', start: 4, end: 6, reasonCode: 0x81 }]);
    expect(find(root, 'Packet Identifier')).toMatchObject({ value: 7 });
  });

  test('bytes after a failure: one "Undecoded Bytes" field', () => {
    // a topic name of 9 bytes inside a packet of 5
    const root = dissect(Uint8Array.from([0x30, 0x05, 0x00, 0x09, 0x61, 0x62, 0x63]), 4);
    expect(errorFields(root)).toMatchObject([{ name: 'Undecoded Bytes', start: 4, end: 7, reasonCode: 0x81 }]);
  });

  test('a packet that ends between fields: a zero-width "Missing Bytes" field at its end', () => {
    const root = dissect(Uint8Array.from([0x40, 0x02]), 4);
    expect(errorFields(root)).toMatchObject([{ name: 'Missing Bytes', start: 2, end: 2, reasonCode: 0x81 }]);
  });

  test('a truncated packet reports the truncation, as decode does, not what the partial body lacks', () => {
    // SUBSCRIBE announcing 6 bytes, cut after its packet identifier: not an empty SUBSCRIBE
    const root = dissect(Uint8Array.from([0x82, 0x06, 0x00, 0x01]), 4);
    expect(root.reasonCode).toBe(0x81);
    expect(root.error).toMatch(/remaining length says 6 bytes follow, but only 2 do/);
    expect(find(root, 'Packet Identifier')).toMatchObject({ value: 1 });
  });

  test('an unknown property identifier: the identifier', () => {
    const root = dissect(Uint8Array.from([0x30, 0x06, 0x00, 0x01, 0x61, 0x02, 0x7f, 0x00]), 5);
    expect(errorFields(root)[0]).toMatchObject({ name: 'Property Identifier', start: 6, end: 7, reasonCode: 0x81 });
  });

  test('a remaining length of five bytes: everything after the first byte', () => {
    const root = dissect(Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 4);
    expect(errorFields(root)).toMatchObject([{ start: 1, end: 6, reasonCode: 0x81 }]);
  });

  test('dissect never throws on any prefix or garbage', () => {
    const junk = [0xff, 0x00, 0x80, 0xf0, 0x10, 0x04, 0x4d, 0x51, 0x54, 0x54];
    for (let n = 0; n <= junk.length; n++) {
      for (const version of [3, 4, 5] as const) {
        const bytes = Uint8Array.from(junk.slice(0, n));
        expectDissectionCovers(dissect(bytes, version), n);
      }
    }
  });
});
