/**
 * SHA-256 (FIPS 180-4), HMAC-SHA-256 (RFC 2104) and PBKDF2-HMAC-SHA256
 * (RFC 8018 §5.2), synchronous and in plain TypeScript, because WebCrypto is
 * async and the broker answers a CONNECT within one turn.
 *
 * Speed comes from three habits:
 * - one module-level message schedule `W` (64 words) and no allocation per block;
 *   the compression function works on 32-bit words held in local variables;
 * - HMAC keys are absorbed once: the state after the 64-byte `key ^ ipad` block
 *   and after `key ^ opad` is kept and reused (RFC 2104 §4, "precomputed keys");
 * - PBKDF2's inner loop hashes U (32 bytes) straight from words: each HMAC is
 *   then exactly two compressions, with the padding written into `W` directly.
 *
 * Examples: sha256(utf8('abc')) is ba7816bf…f20015ad;
 * pbkdf2Sha256(utf8('password'), utf8('salt'), 4096) is c5e478d5…aa98134a.
 */

/** Bytes in a SHA-256 block. */
const BLOCK = 64;
/** Bytes in a SHA-256 digest. */
export const SHA256_LENGTH = 32;

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The message schedule, shared by every call: the code is synchronous, so no two hashes interleave. */
const W = new Int32Array(64);
/** Room for the padded last one or two blocks. */
const TAIL = new Uint8Array(2 * BLOCK);

/** Runs the compression function on `h`, with the block's 16 words already in W[0..15]. */
function compress(h: Int32Array): void {
  const w = W;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (s1 + w[i - 7]! + s0 + w[i - 16]!) | 0;
  }
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!;
  let e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

/** Loads the big-endian block at `bytes[offset, offset + 64)` into W and compresses it into `h`. */
function compressBytes(h: Int32Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++, offset += 4) {
    W[i] = (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  }
  compress(h);
}

/**
 * Absorbs `data` into `h` and pads; `prefix` is how many bytes (whole blocks)
 * `h` has already absorbed, so that the length field counts them too.
 */
function finish(h: Int32Array, data: Uint8Array, prefix: number): Uint8Array {
  const full = data.length - (data.length % BLOCK);
  for (let offset = 0; offset < full; offset += BLOCK) compressBytes(h, data, offset);
  const rest = data.length - full;
  const tailLength = rest < 56 ? BLOCK : 2 * BLOCK;
  TAIL.fill(0);
  TAIL.set(data.subarray(full), 0);
  TAIL[rest] = 0x80;
  const bits = (prefix + data.length) * 8;
  const high = Math.floor(bits / 0x100000000);
  const low = bits >>> 0;
  writeWord(TAIL, tailLength - 8, high);
  writeWord(TAIL, tailLength - 4, low);
  for (let offset = 0; offset < tailLength; offset += BLOCK) compressBytes(h, TAIL, offset);
  return wordsToBytes(h, SHA256_LENGTH);
}

function writeWord(out: Uint8Array, offset: number, word: number): void {
  out[offset] = word >>> 24;
  out[offset + 1] = (word >>> 16) & 0xff;
  out[offset + 2] = (word >>> 8) & 0xff;
  out[offset + 3] = word & 0xff;
}

function wordsToBytes(h: Int32Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i * 4 < length; i++) {
    const word = h[i]!;
    for (let j = 0; j < 4 && i * 4 + j < length; j++) out[i * 4 + j] = (word >>> (24 - 8 * j)) & 0xff;
  }
  return out;
}

/** SHA-256 digest (32 bytes) of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return finish(INITIAL.slice(), data, 0);
}

/** The chaining states after absorbing `key ^ ipad` and `key ^ opad` (RFC 2104 §2). */
interface HmacKey {
  inner: Int32Array;
  outer: Int32Array;
}

function hmacKey(key: Uint8Array): HmacKey {
  const k = key.length > BLOCK ? sha256(key) : key; // keys longer than a block are hashed first
  const pad = new Uint8Array(BLOCK);
  const inner = INITIAL.slice();
  const outer = INITIAL.slice();
  pad.fill(0x36);
  for (let i = 0; i < k.length; i++) pad[i] = k[i]! ^ 0x36;
  compressBytes(inner, pad, 0);
  pad.fill(0x5c);
  for (let i = 0; i < k.length; i++) pad[i] = k[i]! ^ 0x5c;
  compressBytes(outer, pad, 0);
  return { inner, outer };
}

function hmacWith(key: HmacKey, data: Uint8Array): Uint8Array {
  const innerDigest = finish(key.inner.slice(), data, BLOCK);
  return finish(key.outer.slice(), innerDigest, BLOCK);
}

/** HMAC-SHA-256 (RFC 2104) of `data` under `key`: 32 bytes. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmacWith(hmacKey(key), data);
}

/**
 * PBKDF2 with HMAC-SHA-256 as the PRF (RFC 8018 §5.2): `length` bytes derived
 * from `password` and `salt` with `iterations` rounds. With length 32 this is
 * SCRAM-SHA-256's SaltedPassword (RFC 5802 §3, "Hi()").
 */
export function pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, length = SHA256_LENGTH): Uint8Array {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError(`PBKDF2 iterations must be a positive integer, not ${iterations}`);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`PBKDF2 length must be a non-negative integer, not ${length}`);
  const key = hmacKey(password);
  const out = new Uint8Array(length);
  const saltBlock = new Uint8Array(salt.length + 4);
  saltBlock.set(salt, 0);
  const u = new Int32Array(8);
  const t = new Int32Array(8);
  const h = new Int32Array(8);
  const blocks = Math.ceil(length / SHA256_LENGTH);
  for (let block = 1; block <= blocks; block++) {
    writeWord(saltBlock, salt.length, block); // INT(i), big-endian
    const first = hmacWith(key, saltBlock); // U_1
    for (let i = 0; i < 8; i++) {
      const word = (first[i * 4]! << 24) | (first[i * 4 + 1]! << 16) | (first[i * 4 + 2]! << 8) | first[i * 4 + 3]!;
      u[i] = word;
      t[i] = word;
    }
    for (let round = 1; round < iterations; round++) {
      // U_j = HMAC(P, U_{j-1}): a 32-byte message after a 64-byte key block, so one
      // padded block each for the inner and the outer hash (length 96 bytes = 768 bits).
      h.set(key.inner);
      W.set(u, 0);
      W[8] = 0x80000000 | 0;
      W.fill(0, 9, 15);
      W[15] = 768;
      compress(h);
      u.set(key.outer);
      W.set(h, 0);
      W[8] = 0x80000000 | 0;
      W.fill(0, 9, 15);
      W[15] = 768;
      compress(u);
      for (let i = 0; i < 8; i++) t[i] = t[i]! ^ u[i]!;
    }
    const bytes = wordsToBytes(t, SHA256_LENGTH);
    const offset = (block - 1) * SHA256_LENGTH;
    out.set(bytes.subarray(0, Math.min(SHA256_LENGTH, length - offset)), offset);
  }
  return out;
}
