/**
 * The publish bar's payload: what the learner types, read in the chosen
 * format, becomes the bytes of the PUBLISH, or a problem shown next to the
 * field. Nothing is repaired silently: a JSON typo, a lone hex digit or a
 * stray Base64 character is refused with the place it was found.
 *
 *   plaintext  'hello'           -> 68 65 6c 6c 6f (UTF-8)
 *   json       '{"t": 21.5}'     -> the text as typed, UTF-8, once it parses
 *   hex        '68 65 6c6c 6f'   -> 68 65 6c 6c 6f (pairs of digits, spaces between groups)
 *   base64     'aGVsbG8='        -> 68 65 6c 6c 6f (whitespace ignored, padding optional)
 */

export type PayloadFormat = 'plaintext' | 'json' | 'hex' | 'base64';

export const PAYLOAD_FORMATS: readonly PayloadFormat[] = ['plaintext', 'json', 'hex', 'base64'];

/** As MQTTX names them (the same in every language). */
export const FORMAT_LABELS: Record<PayloadFormat, string> = { plaintext: 'Plaintext', json: 'JSON', hex: 'Hex', base64: 'Base64' };

/** Why a payload cannot be encoded, with what the UI needs to explain it. */
export type PayloadProblem =
  | { kind: 'text-ill-formed'; index: number }
  | { kind: 'json'; detail: string }
  | { kind: 'hex-char'; char: string; index: number }
  | { kind: 'hex-odd'; group: string }
  | { kind: 'base64-char'; char: string; index: number }
  | { kind: 'base64-length' };

export type EncodeResult = { ok: true; bytes: Uint8Array } | { ok: false; problem: PayloadProblem };

const encoder = new TextEncoder();

/** Index of the first unpaired surrogate (which UTF-8 cannot carry), or -1. */
export function illFormedIndex(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    else return i;
  }
  return -1;
}

function utf8(text: string): EncodeResult {
  // TextEncoder would turn a lone surrogate into U+FFFD: say so instead
  const bad = illFormedIndex(text);
  if (bad >= 0) return { ok: false, problem: { kind: 'text-ill-formed', index: bad } };
  return { ok: true, bytes: encoder.encode(text) };
}

/** Hex digits in pairs; whitespace may separate groups of whole pairs. */
export function parseHex(text: string): EncodeResult {
  const out: number[] = [];
  let group = '';
  const flush = (): PayloadProblem | undefined => {
    if (group.length % 2) return { kind: 'hex-odd', group };
    for (let i = 0; i < group.length; i += 2) out.push(parseInt(group.slice(i, i + 2), 16));
    group = '';
    return undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      const p = flush();
      if (p) return { ok: false, problem: p };
    } else if (/[0-9a-fA-F]/.test(ch)) {
      group += ch;
    } else {
      return { ok: false, problem: { kind: 'hex-char', char: ch, index: i } };
    }
  }
  const p = flush();
  if (p) return { ok: false, problem: p };
  return { ok: true, bytes: Uint8Array.from(out) };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard Base64 (RFC 4648 §4); whitespace is ignored and the '=' padding may be left out. */
export function parseBase64(text: string): EncodeResult {
  let chars = '';
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) continue;
    if (ch === '=') {
      padding++;
      if (padding > 2) return { ok: false, problem: { kind: 'base64-char', char: ch, index: i } };
      continue;
    }
    if (padding > 0 || !B64.includes(ch)) return { ok: false, problem: { kind: 'base64-char', char: ch, index: i } };
    chars += ch;
  }
  // one leftover character holds only 6 bits: not a byte; padding must complete a quantum
  if (chars.length % 4 === 1 || (padding > 0 && (chars.length + padding) % 4 !== 0)) return { ok: false, problem: { kind: 'base64-length' } };
  const out = new Uint8Array(Math.floor((chars.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (const ch of chars) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return { ok: true, bytes: out };
}

/** The bytes `text` stands for in `format`, or why it stands for none. */
export function encodePayload(text: string, format: PayloadFormat): EncodeResult {
  switch (format) {
    case 'plaintext':
      return utf8(text);
    case 'json':
      try {
        JSON.parse(text);
      } catch (e) {
        return { ok: false, problem: { kind: 'json', detail: e instanceof Error ? e.message : String(e) } };
      }
      return utf8(text);
    case 'hex':
      return parseHex(text);
    case 'base64':
      return parseBase64(text);
  }
}

/** Lowercase hex pairs separated by spaces: '68 65 6c'. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += b === undefined ? '=' : B64[(n >> 6) & 63]!;
    out += c === undefined ? '=' : B64[n & 63]!;
  }
  return out;
}

/**
 * The same bytes written in another format, for when the learner switches
 * format with a payload typed: undefined when the text is not valid in
 * `from`, or the bytes are not UTF-8 text and `to` is a text format (the text
 * is then left as it is, and the validation explains).
 */
export function convertPayload(text: string, from: PayloadFormat, to: PayloadFormat): string | undefined {
  if (from === to) return text;
  const r = encodePayload(text, from === 'json' ? 'plaintext' : from);
  if (!r.ok) return undefined;
  if (to === 'hex') return toHex(r.bytes);
  if (to === 'base64') return toBase64(r.bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(r.bytes);
  } catch {
    return undefined;
  }
}
