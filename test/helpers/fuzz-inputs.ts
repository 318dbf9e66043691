/**
 * Deterministic fuzz inputs for the protocol codec: random bytes, and valid
 * packets mutated (bits flipped, bytes set, inserted, deleted, duplicated,
 * truncated, spliced with another packet), often with the Remaining Length
 * repaired afterwards so that the mutation reaches the packet body.
 *
 * Shared by test/unit/worker/protocol/fuzz.test.ts (a few thousand inputs) and
 * the protocol benchmark (a million). The same seed always gives the same
 * sequence. This file imports nothing and uses only erasable TypeScript, so
 * Node can load it with type stripping.
 *
 *   for (const bytes of fuzzInputs(1_000_000, 20261129)) decode(bytes, 5)
 *   for (const { bytes, version, kind } of fuzzCases({ seed: 1, count: 4000 })) decode(bytes, version)
 */

export type FuzzVersion = 3 | 4 | 5;

/** How an input was made: useful to break results down, and in failure messages. */
export type FuzzKind = 'random' | 'framed-random' | 'seed' | 'mutated' | 'spliced' | 'concatenated';

export interface FuzzInput {
  /** Protocol version to decode with (usually the seed packet's own). */
  version: FuzzVersion;
  bytes: Uint8Array;
  kind: FuzzKind;
  /** Index of the input in its sequence. */
  index: number;
}

export interface SeedPacket {
  version: FuzzVersion;
  bytes: Uint8Array;
  name?: string;
}

export interface FuzzOptions {
  /** Any integer; the same seed gives the same inputs. */
  seed: number;
  /** How many inputs to yield. */
  count: number;
  /** Valid packets to mutate; defaults to SEED_PACKETS. */
  corpus?: readonly SeedPacket[];
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** One valid packet of every type, in every version that has it (checked by fuzz.test.ts). */
const SEEDS_HEX: readonly [FuzzVersion, string, string][] = [
  [3, 'CONNECT 3.1, will QoS 1, user name, password', '101c00064d514973647003ce003c00026331000177000178000175000170'],
  [4, 'CONNECT 3.1.1, will QoS 2 retained, user name, password', '102300044d51545404f4001e00036465760003612f62000362796500047573657200027077'],
  [5, 'CONNECT 5.0, properties, will properties, password only', '103700044d5154540546000a1711000000781500014d160001642100142600016b0001760002c3a90701011800000005000174000177000173'],
  [4, 'CONNACK 3.1.1, session present', '20020100'],
  [5, 'CONNACK 5.0, properties', '2017000014120002696413003c22000a240125002700000400'],
  [4, 'PUBLISH 3.1.1 QoS 0 retained', '31070003612f626869'],
  [3, 'PUBLISH 3.1 QoS 2 DUP', '3c0d0005732f312f74000a32312e35'],
  [5, 'PUBLISH 5.0 QoS 1, properties, two subscription identifiers', '322a0003722f710001200101020000003c0300046a736f6e080003722f73090001630b010bc8012300037b7d'],
  [5, 'PUBLISH 5.0, empty topic name with a topic alias', '300700000323000378'],
  [4, 'PUBACK 3.1.1', '40020007'],
  [5, 'PUBREC 5.0, reason code only', '5003000710'],
  [5, 'PUBREL 5.0, reason string', '6209000792051f00026e6f'],
  [5, 'PUBCOMP 5.0, short form', '70020007'],
  [4, 'SUBSCRIBE 3.1.1, two filters', '820c00020003612f2b0100012302'],
  [5, 'SUBSCRIBE 5.0, options, shared filter, subscription identifier', '82190003030bac020003732f232e000a2473686172652f672f7810'],
  [4, 'SUBACK 3.1.1', '900400020180'],
  [5, 'SUBACK 5.0, reason string', '90090003041f000172029e'],
  [4, 'UNSUBSCRIBE 3.1.1', 'a20a00040003612f2b000162'],
  [5, 'UNSUBSCRIBE 5.0, user property', 'a21600040726000161000162000a2473686172652f672f78'],
  [4, 'UNSUBACK 3.1.1', 'b0020004'],
  [5, 'UNSUBACK 5.0', 'b0050004000011'],
  [4, 'PINGREQ', 'c000'],
  [4, 'PINGRESP', 'd000'],
  [4, 'DISCONNECT 3.1.1', 'e000'],
  [5, 'DISCONNECT 5.0, server reference', 'e00c9c0a11000000001c00026232'],
  [5, 'AUTH 5.0, method and data', 'f00b18091500014d1600026162'],
];

export const SEED_PACKETS: readonly SeedPacket[] = SEEDS_HEX.map(([version, name, hex]) => ({ version, name, bytes: fromHex(hex) }));

/** A small, fast, seeded PRNG (mulberry32): 32-bit state, good enough for fuzzing. */
export interface Random {
  /** A uint32. */
  next(): number;
  /** An integer in [0, n). */
  below(n: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Uint8Array;
}

export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (n: number): number => (n <= 1 ? 0 : next() % n);
  return {
    next,
    below,
    between: (min, max) => min + below(max - min + 1),
    chance: (p) => next() / 0x1_0000_0000 < p,
    pick: (items) => items[below(items.length)]!,
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}

/** Byte values that sit on boundaries: varint continuation, flags, QoS bits, string lengths. */
const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x08, 0x0b, 0x0f, 0x10, 0x1f, 0x20, 0x26, 0x2b, 0x2f, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xc0, 0xf0, 0xfe, 0xff];

const VERSIONS: readonly FuzzVersion[] = [3, 4, 5];

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at), 0);
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/**
 * Rewrites the Remaining Length so it matches the bytes that follow, when the
 * header is still readable; otherwise returns the input unchanged.
 */
export function repairRemainingLength(b: Uint8Array): Uint8Array {
  if (b.length < 2) return b;
  let i = 1;
  while (i < b.length && i <= 4 && (b[i]! & 0x80) !== 0) i++;
  if (i >= b.length || i > 4) return b;
  const oldHeader = i + 1; // type byte + length bytes
  const body = b.length - oldHeader;
  return splice(b, 1, oldHeader - 1, Uint8Array.from(varint(body)));
}

function mutateOnce(r: Random, b: Uint8Array): Uint8Array {
  const n = b.length;
  switch (r.below(10)) {
    case 0: { // flip one bit
      if (n === 0) return b;
      const out = b.slice();
      out[r.below(n)]! ^= 1 << r.below(8);
      return out;
    }
    case 1: { // set a byte to an interesting or random value
      if (n === 0) return b;
      const out = b.slice();
      out[r.below(n)] = r.chance(0.7) ? r.pick(INTERESTING) : r.next() & 0xff;
      return out;
    }
    case 2: // insert a few bytes
      return splice(b, r.below(n + 1), 0, r.chance(0.5) ? r.bytes(r.between(1, 8)) : Uint8Array.of(r.pick(INTERESTING)));
    case 3: { // delete a few bytes
      if (n === 0) return b;
      const at = r.below(n);
      return splice(b, at, Math.min(n - at, r.between(1, 8)), new Uint8Array(0));
    }
    case 4: // truncate
      return b.slice(0, r.below(n + 1));
    case 5: { // duplicate a slice somewhere else
      if (n === 0) return b;
      const from = r.below(n);
      const piece = b.slice(from, from + r.between(1, 16));
      return splice(b, r.below(n + 1), 0, piece);
    }
    case 6: { // change the packet type or its flags
      if (n === 0) return b;
      const out = b.slice();
      out[0] = r.chance(0.5) ? (r.below(16) << 4) | (out[0]! & 0x0f) : (out[0]! & 0xf0) | r.below(16);
      return out;
    }
    case 7: { // overwrite a 16-bit length or identifier with an edge value
      if (n < 2) return b;
      const out = b.slice();
      const at = r.below(n - 1);
      const v = r.pick([0x0000, 0x0001, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xffff, n, n - at]);
      out[at] = (v >> 8) & 0xff;
      out[at + 1] = v & 0xff;
      return out;
    }
    case 8: // append random bytes
      return splice(b, n, 0, r.bytes(r.between(1, 6)));
    default: { // swap two bytes
      if (n < 2) return b;
      const out = b.slice();
      const i = r.below(n);
      const j = r.below(n);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
      return out;
    }
  }
}

/** Random bytes that start like a packet: a type byte and a Remaining Length that fits. */
function framedRandom(r: Random): Uint8Array {
  const body = r.bytes(r.chance(0.9) ? r.below(40) : r.between(40, 300));
  const first = (r.between(0, 15) << 4) | (r.chance(0.7) ? r.pick([0, 2, 0]) : r.below(16));
  const out = new Uint8Array(1 + varint(body.length).length + body.length);
  out[0] = first;
  out.set(varint(body.length), 1);
  out.set(body, out.length - body.length);
  return out;
}

/**
 * The bytes of `count` fuzz inputs for `seed` (the same sequence as
 * `fuzzCases({ seed, count, corpus })`, without the metadata).
 */
export function* fuzzInputs(count: number, seed: number, corpus?: readonly SeedPacket[]): Generator<Uint8Array> {
  for (const input of fuzzCases({ seed, count, corpus })) yield input.bytes;
}

/** Yields `count` inputs with the version to decode them with; the same options always yield the same sequence. */
export function* fuzzCases(options: FuzzOptions): Generator<FuzzInput> {
  const corpus = options.corpus && options.corpus.length > 0 ? options.corpus : SEED_PACKETS;
  const r = createRandom(options.seed ^ 0x9e3779b9);
  for (let index = 0; index < options.count; index++) {
    const seed = r.pick(corpus);
    // usually the version the seed packet was made for, sometimes another one
    let version: FuzzVersion = r.chance(0.85) ? seed.version : r.pick(VERSIONS);
    let kind: FuzzKind;
    let bytes: Uint8Array;
    const roll = r.below(100);
    if (roll < 10) {
      kind = 'random';
      bytes = r.bytes(r.chance(0.9) ? r.below(48) : r.between(48, 400));
      version = r.pick(VERSIONS);
    } else if (roll < 20) {
      kind = 'framed-random';
      bytes = framedRandom(r);
      version = r.pick(VERSIONS);
    } else if (roll < 24) {
      kind = 'seed';
      bytes = seed.bytes.slice();
    } else if (roll < 30) {
      // two whole packets back to back: decode takes one packet, so the rest "follows the end"
      kind = 'concatenated';
      bytes = splice(seed.bytes, seed.bytes.length, 0, r.pick(corpus).bytes);
    } else if (roll < 38) {
      // the head of one packet and the tail of another, length repaired
      kind = 'spliced';
      const other = r.pick(corpus).bytes;
      const head = seed.bytes.subarray(0, r.between(1, seed.bytes.length));
      bytes = repairRemainingLength(splice(other, 0, Math.min(other.length, r.below(other.length + 1)), head));
    } else {
      kind = 'mutated';
      bytes = seed.bytes;
      const rounds = r.between(1, 4);
      for (let i = 0; i < rounds; i++) bytes = mutateOnce(r, bytes);
      // most mutations break the length; repairing it lets them reach the packet body
      if (r.chance(0.6)) bytes = repairRemainingLength(bytes);
      if (bytes === seed.bytes) bytes = bytes.slice();
    }
    yield { version, bytes, kind, index };
  }
}
