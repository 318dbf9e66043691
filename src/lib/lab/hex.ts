/**
 * Packets written as hex in the packet lab: parsing what the learner types
 * (pairs of hex digits, spaces optional, `#` or `//` comments to the end of
 * the line, an optional 0x before a byte), and writing bytes back as hex,
 * plain or annotated field by field from a dissection:
 *
 *   30 0c          # Packet Type and Flags = 0x30, Remaining Length = 12
 *   00 03 61 2f 62 # Topic Name: "a/b"
 */
import type { Field } from '../../../worker/protocol';
import type { LabProblem } from './problem';

export type HexResult = { ok: true; bytes: Uint8Array } | { ok: false; problem: LabProblem };

const isHex = (c: string) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const isSeparator = (c: string) => c === ' ' || c === '\t' || c === ',' || c === ':' || c === '\r';

/** Reads hex bytes; the first thing that is not hex is reported with its line and column (1-based). */
export function parseHex(text: string): HexResult {
  const out: number[] = [];
  const lines = text.split('\n');
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    let i = 0;
    while (i < line.length) {
      const c = line[i]!;
      if (c === '#' || (c === '/' && line[i + 1] === '/')) break;
      if (isSeparator(c)) {
        i++;
        continue;
      }
      // a run of hex digits, maybe after 0x: two digits a byte
      let j = i;
      if (c === '0' && (line[i + 1] === 'x' || line[i + 1] === 'X') && isHex(line[i + 2] ?? '')) j = i += 2;
      while (j < line.length && isHex(line[j]!)) j++;
      if (j === i) {
        return { ok: false, problem: { key: 'labHexNotHex', params: { char: c }, line: l + 1, column: i + 1, endColumn: i + 2 } };
      }
      const next = line[j];
      if (next !== undefined && !isSeparator(next) && next !== '#' && !(next === '/' && line[j + 1] === '/')) {
        return { ok: false, problem: { key: 'labHexNotHex', params: { char: next }, line: l + 1, column: j + 1, endColumn: j + 2 } };
      }
      if ((j - i) % 2 === 1) {
        return { ok: false, problem: { key: 'labHexOdd', params: { digits: line.slice(i, j) }, line: l + 1, column: i + 1, endColumn: j + 1 } };
      }
      for (let k = i; k < j; k += 2) out.push(parseInt(line.slice(k, k + 2), 16));
      i = j;
    }
  }
  return { ok: true, bytes: Uint8Array.from(out) };
}

/** Bytes as lower-case hex pairs separated by spaces. */
export function toHex(bytes: Uint8Array, from = 0, to = bytes.length): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) parts.push(bytes[i]!.toString(16).padStart(2, '0'));
  return parts.join(' ');
}

const PER_LINE = 16;
const COMMENT_AT = 3 * 8;

/** One line of annotated hex: a field's bytes and what they say. */
interface Unit {
  start: number;
  end: number;
  label: string;
}

const quote = (v: NonNullable<Field['value']>) => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : String(v));

/**
 * The fields worth a line each, in byte order: a field with a value stands
 * for its parts (a Topic Name, not its length and characters), a property
 * for its identifier and value; groups (headers) are opened.
 */
export function units(tree: Field): Unit[] {
  const out: Unit[] = [];
  const walk = (f: Field) => {
    const kids = f.children ?? [];
    if (kids.length && kids[0]!.name === 'Property Identifier') {
      const values = kids.slice(1).filter((k) => k.value !== undefined).map((k) => quote(k.value!));
      out.push({ start: f.start, end: f.end, label: values.length ? `${f.name}: ${values.join(' = ')}` : f.name });
    } else if (f.value !== undefined || !kids.length) {
      if (f.end > f.start) out.push({ start: f.start, end: f.end, label: f.value === undefined ? f.name : `${f.name}: ${quote(f.value)}` });
    } else for (const c of kids) walk(c);
  };
  walk(tree);
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The bytes as hex, one line per field of the dissection with the field's
 * name and value as a comment (long fields wrap at 16 bytes). parseHex reads
 * it back to the same bytes.
 */
export function annotatedHex(bytes: Uint8Array, tree: Field): string {
  const lines: string[] = [];
  const emit = (from: number, to: number, comment: string | undefined) => {
    for (let at = from; at < to; at += PER_LINE) {
      const hex = toHex(bytes, at, Math.min(to, at + PER_LINE));
      lines.push(comment !== undefined && at === from ? `${hex.padEnd(COMMENT_AT)} # ${comment.replace(/[\r\n]+/g, ' ')}` : hex);
    }
  };
  let pos = 0;
  for (const u of units(tree)) {
    if (u.start < pos) continue;
    if (u.start > pos) emit(pos, u.start, undefined);
    emit(u.start, Math.min(u.end, bytes.length), u.label);
    pos = u.end;
  }
  if (pos < bytes.length) emit(pos, bytes.length, undefined);
  return lines.join('\n');
}
