/**
 * UTF-8 as MQTT wants it (§1.5.4): well formed, no U+0000, no surrogate code
 * points, and a BOM kept as a character rather than skipped [MQTT-1.5.4-3].
 * Topics and client ids are short and mostly ASCII, so both directions have
 * an ASCII fast path; the platform codecs handle the rest.
 */

// ignoreBOM: a leading U+FEFF is data, not a byte-order mark [MQTT-1.5.4-3]
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

export type Utf8Problem = 'ill-formed' | 'null';

/*
 * Short ASCII strings (topics, client ids) are interned: the same topic
 * arrives again and again, and handing back the same string saves building
 * it, and lets every Map keyed by it reuse the string's cached hash.
 */
const INTERN_MAX_LENGTH = 64;
const INTERN_LIMIT = 4096;
const interned = new Map<number, string>();

/** Decodes `bytes[start, end)`, or returns the problem that makes it invalid MQTT UTF-8. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string | Utf8Problem {
  const len = end - start;
  if (len > INTERN_MAX_LENGTH) return decodeSlow(bytes, start, end);
  // FNV-1a over the bytes, checking on the way that they are ASCII without U+0000
  let h = 0x811c9dc5 ^ len;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return decodeSlow(bytes, start, end);
    if (c === 0) return 'null'; // [MQTT-1.5.4-2]
    h = Math.imul(h ^ c, 0x01000193);
  }
  const hit = interned.get(h);
  if (hit !== undefined && hit.length === len) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (hit.charCodeAt(i) !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return hit;
  }
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  if (interned.size >= INTERN_LIMIT) interned.clear();
  interned.set(h, s);
  return s;
}

function decodeSlow(bytes: Uint8Array, start: number, end: number): string | Utf8Problem {
  let s: string;
  try {
    // fatal decoding rejects overlong forms and encoded surrogates [MQTT-1.5.4-1]
    s = decoder.decode(bytes.subarray(start, end));
  } catch {
    return 'ill-formed';
  }
  if (s.includes('\u0000')) return 'null'; // [MQTT-1.5.4-2]
  return s;
}

/** Number of bytes `s` takes in UTF-8 (lone surrogates count as U+FFFD). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // the pair is 2 UTF-16 units and 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

/** Writes `s` at `offset`, returning the number of bytes written; `out` must have room. */
export function writeUtf8(out: Uint8Array, offset: number, s: string): number {
  const len = s.length;
  if (len <= 32) {
    let i = 0;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      out[offset + i] = c;
    }
    if (i === len) return len;
  }
  return encoder.encodeInto(s, out.subarray(offset)).written;
}

/** Whether a JavaScript string can be sent as an MQTT UTF-8 string at all. */
export function utf8Problem(s: string): Utf8Problem | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'null';
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
      else return 'ill-formed';
    }
  }
  return null;
}

export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}
