import { describe, expect, it } from 'vitest';
import { dissect, encode } from '../../../../../worker/protocol';
import { annotatedHex, parseHex, toHex } from '../../../../../src/lib/lab/hex';

const bytes = (r: ReturnType<typeof parseHex>) => (r.ok ? [...r.bytes] : r.problem);

describe('parseHex', () => {
  it('reads pairs with or without spaces, 0x prefixes, commas and colons', () => {
    expect(bytes(parseHex('30 0c'))).toEqual([0x30, 0x0c]);
    expect(bytes(parseHex('300C'))).toEqual([0x30, 0x0c]);
    expect(bytes(parseHex('0x30, 0x0c'))).toEqual([0x30, 0x0c]);
    expect(bytes(parseHex('de:ad:be:ef'))).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(bytes(parseHex(''))).toEqual([]);
  });

  it('skips # and // comments to the end of the line', () => {
    expect(bytes(parseHex('30 02  # PUBLISH\n00 00 // empty topic\n# only a comment'))).toEqual([0x30, 0x02, 0x00, 0x00]);
  });

  it('points at a typo by line and column', () => {
    expect(parseHex('30 0c\n00 0g 61')).toEqual({ ok: false, problem: { key: 'labHexNotHex', params: { char: 'g' }, line: 2, column: 5, endColumn: 6 } });
    expect(parseHex('zz')).toMatchObject({ ok: false, problem: { key: 'labHexNotHex', params: { char: 'z' }, line: 1, column: 1 } });
  });

  it('refuses an odd number of digits in a run', () => {
    expect(parseHex('30 0c 6')).toMatchObject({ ok: false, problem: { key: 'labHexOdd', params: { digits: '6' }, line: 1, column: 7 } });
    expect(parseHex('300')).toMatchObject({ ok: false, problem: { key: 'labHexOdd' } });
  });
});

describe('annotatedHex', () => {
  it('writes one line per field, with its name, and reads back to the same bytes', () => {
    const b = encode({ type: 'publish', topic: 'a/b', payload: new TextEncoder().encode('x'.repeat(40)), qos: 1, packetId: 7, retain: false, dup: false, properties: { contentType: 'text/plain' } }, 5);
    const text = annotatedHex(b, dissect(b, 5));
    expect(text).toMatch(/# Topic Name: "a\/b"/);
    expect(text).toMatch(/# Packet Identifier/);
    expect(bytes(parseHex(text))).toEqual([...b]);
  });

  it('keeps every byte of a malformed packet', () => {
    const b = Uint8Array.from([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01, 0xff]);
    expect(bytes(parseHex(annotatedHex(b, dissect(b, 4))))).toEqual([...b]);
  });

  it('toHex joins lower-case pairs', () => {
    expect(toHex(Uint8Array.from([0xab, 1, 0]))).toBe('ab 01 00');
  });
});
