import { describe, expect, it } from 'vitest';
import {
  asciiText, byteAtPoint, columnAtHexChar, HEX_CHARS, hexCharStart, hexRow, hexText, rowCount, rowOffset, type HexRow,
} from '../../../../../src/lib/packets/hex-dump';

const bytes = Uint8Array.from({ length: 35 }, (_, i) => (i === 4 ? 0x41 : i));
const join = (runs: HexRow['hex']) => runs.map((r) => r.text).join('');
const marked = (runs: HexRow['hex'], cls: string) => runs.filter((r) => r.cls.split(' ').includes(cls));

describe('hex dump layout', () => {
  it('has 16 bytes a row, with a wider gap after the eighth', () => {
    expect(rowCount(0)).toBe(0);
    expect(rowCount(16)).toBe(1);
    expect(rowCount(35)).toBe(3);
    expect(hexText(bytes, 0, 16)).toBe('00 01 02 03 41 05 06 07  08 09 0a 0b 0c 0d 0e 0f');
    expect(hexText(bytes, 0, 16)).toHaveLength(HEX_CHARS);
    expect(hexText(bytes, 32, 35)).toBe('20 21 22');
    expect(asciiText(Uint8Array.of(0x41, 0x20, 0x7e, 0x7f, 0x00, 0xff), 0, 6)).toBe('A ~...');
  });

  it('numbers rows by their offset, in at least four hex digits', () => {
    expect(rowOffset(0, 35)).toBe('0000');
    expect(rowOffset(2, 35)).toBe('0020');
    expect(rowOffset(4096, 0x100000)).toBe('10000');
  });

  it('maps bytes to characters and back', () => {
    expect(hexCharStart(0)).toBe(0);
    expect(hexCharStart(7)).toBe(21);
    expect(hexCharStart(8)).toBe(25);
    expect(hexCharStart(15)).toBe(46);
    for (let col = 0; col < 16; col++) {
      expect(columnAtHexChar(hexCharStart(col))).toBe(col);
      expect(columnAtHexChar(hexCharStart(col) + 1)).toBe(col);
    }
    // the spaces count for the byte before them
    expect(columnAtHexChar(23)).toBe(7);
    expect(columnAtHexChar(24)).toBe(7);
    expect(columnAtHexChar(999)).toBe(15);
  });

  it('finds the byte under a point, never past the end', () => {
    // 8 px characters: the hex of byte 2 of row 1 starts at 6 characters, 48 px
    expect(byteAtPoint(1, 'hex', 48 + 3, 8, 35)).toBe(18);
    expect(byteAtPoint(1, 'ascii', 2 * 8 + 1, 8, 35)).toBe(18);
    expect(byteAtPoint(2, 'hex', 15 * 8 * 3, 8, 35)).toBe(34);
    expect(byteAtPoint(0, 'hex', -5, 8, 35)).toBe(0);
  });
});

describe('hexRow', () => {
  it('draws a row without highlights as one run per column', () => {
    const r = hexRow(bytes, 0, []);
    expect(r.hex).toEqual([{ text: hexText(bytes, 0, 16), cls: '', start: 0, end: 16 }]);
    expect(r.ascii).toEqual([{ text: asciiText(bytes, 0, 16), cls: '', start: 0, end: 16 }]);
  });

  it('highlights exactly the bytes of a range, with the spaces inside it but not around it', () => {
    const r = hexRow(bytes, 0, [{ cls: 'hover', start: 2, end: 10 }]);
    expect(join(r.hex)).toBe(hexText(bytes, 0, 16));
    expect(marked(r.hex, 'hover')).toEqual([{ text: '02 03 41 05 06 07  08 09', cls: 'hover', start: 2, end: 10 }]);
    expect(marked(r.ascii, 'hover')).toEqual([{ text: '..A.....', cls: 'hover', start: 2, end: 10 }]);
  });

  it('splits a range over the rows it spans', () => {
    const h = [{ cls: 'sel', start: 14, end: 18 }];
    expect(marked(hexRow(bytes, 0, h).hex, 'sel')).toEqual([{ text: '0e 0f', cls: 'sel', start: 14, end: 16 }]);
    expect(marked(hexRow(bytes, 1, h).hex, 'sel')).toEqual([{ text: '10 11', cls: 'sel', start: 16, end: 18 }]);
    expect(marked(hexRow(bytes, 2, h).hex, 'sel')).toEqual([]);
  });

  it('gives overlapping highlights each their class', () => {
    const r = hexRow(bytes, 0, [{ cls: 'sel', start: 0, end: 4 }, { cls: 'hover', start: 2, end: 6 }]);
    expect(r.hex.filter((x) => x.cls).map((x) => [x.cls, x.start, x.end])).toEqual([['sel', 0, 2], ['sel hover', 2, 4], ['hover', 4, 6]]);
    expect(join(r.hex)).toBe(hexText(bytes, 0, 16));
    expect(r.ascii.map((x) => x.text).join('')).toBe(asciiText(bytes, 0, 16));
  });

  it('ignores empty and outside ranges', () => {
    const r = hexRow(bytes, 2, [{ cls: 'x', start: 40, end: 40 }, { cls: 'y', start: 0, end: 3 }, { cls: 'z', start: 35, end: 35 }]);
    expect(r.hex).toHaveLength(1);
  });
});
