/**
 * The hex dump's layout: 16 bytes a row, as Wireshark and `xxd` show them,
 * with an extra space after the eighth byte:
 *
 *   0000  30 0f 00 0a 73 65 6e 73  6f 72 2f 74 65 6d 70 32   0...sensor/temp2
 *   0010  31 2e 35                                           1.5
 *
 * Each row is drawn as one line of text; highlights are ranges of bytes
 * (the field under the pointer, the selected field, a broken packet's tail)
 * that this module turns into runs of characters of the row, so that a row
 * needs an element only where something is highlighted. The reverse mapping
 * gives the byte under a character, for pointing at bytes.
 */

export const BYTES_PER_ROW = 16;
/** Characters of a full row's hex column: 16 × "xx", 15 separating spaces, one more in the middle. */
export const HEX_CHARS = BYTES_PER_ROW * 3;

export function rowCount(length: number): number {
  return Math.ceil(length / BYTES_PER_ROW);
}

/** The row's offset as four hex digits (more when the frame needs them). */
export function rowOffset(row: number, length: number): string {
  const digits = Math.max(4, (Math.max(0, length - 1)).toString(16).length);
  return (row * BYTES_PER_ROW).toString(16).padStart(digits, '0');
}

/** Where byte `col` (0-15) of a row starts in the hex column. */
export function hexCharStart(col: number): number {
  return col * 3 + (col >= 8 ? 1 : 0);
}

/** The byte (0-15) under character `char` of the hex column; a separating space counts for the byte before it. */
export function columnAtHexChar(char: number): number {
  const c = char >= 24 ? char - 1 : char;
  return Math.max(0, Math.min(BYTES_PER_ROW - 1, Math.floor(c / 3)));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The hex column of bytes [from, to) of one row (at most 16). */
export function hexText(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const col = i - from;
    if (col > 0) s += col === 8 ? '  ' : ' ';
    s += HEX[bytes[i]!];
  }
  return s;
}

/** The ASCII column: printable characters as they are, others as a dot. */
export function asciiText(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return s;
}

/** A highlighted range of bytes, [start, end), drawn with class `cls`. */
export interface Highlight {
  cls: string;
  start: number;
  end: number;
}

/** A run of a row's text: plain (`cls` empty) or highlighted, covering bytes [start, end) of the frame. */
export interface Run {
  text: string;
  cls: string;
  start: number;
  end: number;
}

export interface HexRow {
  index: number;
  offset: string;
  hex: Run[];
  ascii: Run[];
}

/**
 * One row with its highlights as runs of text. The runs of each column put
 * together give the column's whole text; a highlight spanning several bytes
 * includes the spaces between them.
 */
export function hexRow(bytes: Uint8Array, row: number, highlights: readonly Highlight[]): HexRow {
  const from = row * BYTES_PER_ROW;
  const to = Math.min(bytes.length, from + BYTES_PER_ROW);
  // the byte positions where the set of highlights changes
  const cuts = new Set<number>([from, to]);
  for (const h of highlights) {
    if (h.end <= from || h.start >= to || h.end <= h.start) continue;
    cuts.add(Math.max(from, h.start));
    cuts.add(Math.min(to, h.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const hex: Run[] = [];
  const ascii: Run[] = [];
  const hexAll = hexText(bytes, from, to);
  const asciiAll = asciiText(bytes, from, to);
  let hexAt = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    const cls = highlights.filter((h) => h.start <= a && b <= h.end && h.end > h.start).map((h) => h.cls).join(' ');
    const hexFrom = hexCharStart(a - from);
    const hexTo = hexCharStart(b - 1 - from) + 2;
    // the spaces before this run belong to no highlight
    if (hexFrom > hexAt) push(hex, hexAll.slice(hexAt, hexFrom), '', a, a);
    push(hex, hexAll.slice(hexFrom, hexTo), cls, a, b);
    hexAt = hexTo;
    push(ascii, asciiAll.slice(a - from, b - from), cls, a, b);
  }
  return { index: row, offset: rowOffset(row, bytes.length), hex, ascii };
}

/** Appends a run, merging it into the previous one when both are plain. */
function push(runs: Run[], text: string, cls: string, start: number, end: number): void {
  const last = runs[runs.length - 1];
  if (last && !cls && !last.cls) {
    last.text += text;
    last.end = end;
    return;
  }
  runs.push({ text, cls, start, end });
}

/** The byte under a point of a row, from the column it is in and its distance from the column's left edge. */
export function byteAtPoint(row: number, column: 'hex' | 'ascii', x: number, charWidth: number, length: number): number {
  const char = Math.max(0, Math.floor(x / charWidth));
  const col = column === 'hex' ? columnAtHexChar(char) : Math.min(BYTES_PER_ROW - 1, char);
  return Math.min(length - 1, row * BYTES_PER_ROW + col);
}
