import { describe, expect, it } from 'vitest';
import { dissect, encode } from '../../../../../worker/protocol';
import { ancestry, deepestAt, deepestCovering, failureOf, flattenFields, visibleNodes } from '../../../../../src/lib/packets/field-map';

const enc = (s: string) => new TextEncoder().encode(s);
// 32 0d | 00 04 "a/bc" | 00 07 | "21.5"  (QoS 1, 3.1.1)
const publish = encode({ type: 'publish', topic: 'a/bc', qos: 1, packetId: 7, retain: false, dup: false, payload: enc('21.5') }, 4);
const nodes = flattenFields(dissect(publish, 4));
const name = (i: number) => nodes[i]?.field.name;

describe('flattenFields', () => {
  it('lists parents before children, with depth, path and place among siblings', () => {
    expect(nodes.map((n) => `${'  '.repeat(n.depth)}${n.field.name}`)).toEqual([
      'PUBLISH',
      '  Fixed Header',
      '    Packet Type and Flags',
      '    Remaining Length',
      '  Variable Header',
      '    Topic Name',
      '      String Length',
      '      Characters',
      '    Packet Identifier',
      '  Payload',
    ]);
    const topic = nodes.find((n) => n.field.name === 'Topic Name')!;
    expect(topic).toMatchObject({ id: '0.1.0', depth: 2, posinset: 1, setsize: 2 });
    expect(nodes[topic.parent]!.field.name).toBe('Variable Header');
    expect(topic.children.map(name)).toEqual(['String Length', 'Characters']);
  });
});

describe('byte ↔ field', () => {
  it.each([
    [0, 'Packet Type and Flags'],
    [1, 'Remaining Length'],
    [2, 'String Length'],
    [3, 'String Length'],
    [4, 'Characters'],
    [7, 'Characters'],
    [8, 'Packet Identifier'],
    [9, 'Packet Identifier'],
    [10, 'Payload'],
    [13, 'Payload'],
  ])('byte %i is explained by %s', (offset, expected) => {
    expect(name(deepestAt(nodes, offset))).toBe(expected);
  });

  it('finds no field outside the frame', () => {
    expect(deepestAt(nodes, 14)).toBe(-1);
    expect(deepestAt(nodes, -1)).toBe(-1);
  });

  it('finds the smallest field around a range of bytes', () => {
    expect(name(deepestCovering(nodes, 2, 8))).toBe('Topic Name');
    expect(name(deepestCovering(nodes, 4, 6))).toBe('Characters');
    expect(name(deepestCovering(nodes, 3, 9))).toBe('Variable Header');
    expect(name(deepestCovering(nodes, 1, 3))).toBe('PUBLISH');
    expect(name(deepestCovering(nodes, 0, 14))).toBe('PUBLISH');
  });

  it('every byte has exactly one leaf, and its field covers it', () => {
    for (let b = 0; b < publish.length; b++) {
      const n = nodes[deepestAt(nodes, b)]!;
      expect(n.children).toEqual([]);
      expect(n.field.start <= b && b < n.field.end).toBe(true);
    }
  });

  it('gives a field its ancestors, root first', () => {
    expect(ancestry(nodes, deepestAt(nodes, 4)).map(name)).toEqual(['PUBLISH', 'Variable Header', 'Topic Name', 'Characters']);
  });
});

describe('visibleNodes', () => {
  it('shows the children of expanded nodes only', () => {
    const open = new Set(['0', '0.1']);
    expect(visibleNodes(nodes, (n) => open.has(n.id)).map(name)).toEqual(['PUBLISH', 'Fixed Header', 'Variable Header', 'Topic Name', 'Packet Identifier', 'Payload']);
    expect(visibleNodes(nodes, () => false).map(name)).toEqual(['PUBLISH']);
  });
});

describe('failureOf', () => {
  it('is undefined for a well-formed packet', () => {
    expect(failureOf(nodes)).toBeUndefined();
  });

  it('names the field where a QoS 3 PUBLISH breaks, and the bytes left after it', () => {
    const bad = flattenFields(dissect(Uint8Array.of(0x36, 0x02, 0x00, 0x01), 4));
    const f = failureOf(bad)!;
    expect(f.error).toMatch(/QoS 3/);
    expect(f.reasonCode).toBe(0x81);
    expect(bad[f.node]!.field.name).toBe('Packet Type and Flags');
    expect(f.at).toBe(0);
    expect(f.rest).toEqual({ start: 2, end: 4 });
    expect(f.missing).toBe(false);
  });

  it('marks the undecoded tail itself when it is where the packet breaks', () => {
    // SUBACK: one byte where the packet identifier needs two
    const bad = flattenFields(dissect(Uint8Array.of(0x90, 0x01, 0x00), 4));
    const f = failureOf(bad)!;
    expect(f.error).toMatch(/Packet Identifier runs past the end/);
    expect(bad[f.node]!.field).toMatchObject({ name: 'Undecoded Bytes', start: 2, end: 3 });
    expect(f.rest).toBeUndefined();
  });

  it('points at the end of a frame that stops where a field should begin', () => {
    const bad = flattenFields(dissect(Uint8Array.of(0x30, 0x00), 4));
    const f = failureOf(bad)!;
    expect(bad[f.node]!.field).toMatchObject({ name: 'Missing Bytes', start: 2, end: 2 });
    expect(f).toMatchObject({ at: 2, missing: true, rest: undefined });
    // it covers no byte, so no byte finds it
    expect(deepestAt(bad, 1)).not.toBe(f.node);
  });
});
