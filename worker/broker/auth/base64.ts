/**
 * Base64 (RFC 4648 §4, standard alphabet, with padding) for binary data: salts,
 * hashes and SCRAM proofs. `atob`/`btoa` work on "binary strings" and throw on
 * bad input, so these work on bytes and report bad input as `undefined`.
 *
 * Decoding is strict, as a verifier should be: only the 64 characters and
 * `=`, length a multiple of 4, padding only at the end, and unused bits zero
 * (so each byte string has exactly one encoding): "YQ==" decodes, "YR==",
 * "YQ", "YQ=" and "Y Q==" do not.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Character code → 6-bit value, or -1 for characters outside the alphabet. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** Encodes `bytes` as padded base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Decodes padded base64, or returns `undefined` if `text` is not canonical base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = value(text, i);
    const b = value(text, i + 1);
    const c = last && padding === 2 ? 0 : value(text, i + 2);
    const d = last && padding >= 1 ? 0 : value(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[at++] = n >> 16;
    if (at < out.length) out[at++] = (n >> 8) & 0xff;
    if (at < out.length) out[at++] = n & 0xff;
    if (last && padding === 2 && (b & 0x0f) !== 0) return undefined; // unused bits must be zero
    if (last && padding === 1 && (c & 0x03) !== 0) return undefined;
  }
  return out;
}

function value(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? VALUES[code]! : -1;
}
