/**
 * Fuzzing the codec with random bytes and mutated valid packets
 * (test/helpers/fuzz-inputs.ts; the benchmark runs the same generator for a
 * million inputs):
 *   - decode returns a packet or throws MqttError with a reason code >= 0x80;
 *     whatever it accepts, encode can write again and decode reads back the same;
 *   - dissect never throws, and the leaves of its tree cover every byte
 *     exactly once, in order; it reports an error exactly when decode throws;
 *   - the Framer, fed the bytes in random chunks, only throws MqttError and
 *     accounts for every byte it was given.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, dissect, encode, Framer, MqttError, type Field, type Packet } from '../../../../worker/protocol';
import { versionedPacketArb } from '../../../helpers/arbitraries';
import { createRandom, fuzzCases, fuzzInputs, SEED_PACKETS, type FuzzInput, type SeedPacket } from '../../../helpers/fuzz-inputs';

const COUNT = 4000;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function describeInput(input: FuzzInput): string {
  return `input #${input.index} (${input.kind}, v${input.version}): ${hex(input.bytes)}`;
}

/** The seed packets plus a fixed sample of random valid packets from the round-trip arbitraries. */
const corpus: SeedPacket[] = [
  ...SEED_PACKETS,
  ...fc.sample(versionedPacketArb, { numRuns: 150, seed: 20_240_601 }).map(({ packet, version }) => ({ version, bytes: encode(packet, version) })),
];
// long payloads mostly exercise memcpy; keep the corpus to packets where every byte means something
const smallCorpus = corpus.filter((s) => s.bytes.length <= 600);

const inputs = [...fuzzCases({ seed: 0xf022, count: COUNT, corpus: smallCorpus })];

function expectMqttError(e: unknown, input: FuzzInput, who: string): asserts e is MqttError {
  if (!(e instanceof MqttError)) {
    throw new Error(`${who} threw ${String(e)} (not an MqttError) for ${describeInput(input)}`, { cause: e });
  }
  if (!(e.reasonCode >= 0x80 && e.reasonCode <= 0xff)) {
    throw new Error(`${who} threw reason code ${e.reasonCode} for ${describeInput(input)}`);
  }
}

/** Leaves are fields without children that span at least one byte. */
function checkDissection(root: Field, length: number, input: FuzzInput): void {
  const where = describeInput(input);
  expect(root.start, where).toBe(0);
  expect(root.end, where).toBe(length);
  let covered = 0;
  const walk = (f: Field, parent: Field | null): void => {
    if (!(f.start <= f.end)) throw new Error(`field "${f.name}" has start ${f.start} > end ${f.end}: ${where}`);
    if (parent && (f.start < parent.start || f.end > parent.end)) {
      throw new Error(`field "${f.name}" [${f.start}, ${f.end}) lies outside its parent "${parent.name}" [${parent.start}, ${parent.end}): ${where}`);
    }
    if (f.children) {
      for (const c of f.children) walk(c, f);
      return;
    }
    if (f.start === f.end) return;
    // leaves in tree order must tile the bytes: no gap, no overlap
    if (f.start !== covered) throw new Error(`leaf "${f.name}" starts at ${f.start}, but the bytes before it end at ${covered}: ${where}`);
    covered = f.end;
  };
  walk(root, null);
  if (covered !== length) throw new Error(`the leaves cover [0, ${covered}) of ${length} bytes: ${where}`);
}

describe('fuzz inputs', () => {
  it('starts from seed packets that are all valid', () => {
    for (const s of SEED_PACKETS) expect(() => decode(s.bytes, s.version), s.name).not.toThrow();
  });

  it('are deterministic for a seed, and differ between seeds', () => {
    const a = [...fuzzCases({ seed: 42, count: 200 })].map((i) => `${i.version}:${i.kind}:${hex(i.bytes)}`);
    const b = [...fuzzCases({ seed: 42, count: 200 })].map((i) => `${i.version}:${i.kind}:${hex(i.bytes)}`);
    const c = [...fuzzCases({ seed: 43, count: 200 })].map((i) => `${i.version}:${i.kind}:${hex(i.bytes)}`);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // fuzzInputs (what the benchmark uses) is the same sequence, bytes only
    expect([...fuzzInputs(200, 42)].map(hex)).toEqual(a.map((s) => s.split(':')[2]));
  });

  it('mix accepted and rejected packets, of every kind', () => {
    const kinds = new Set(inputs.map((i) => i.kind));
    expect([...kinds].sort()).toEqual(['concatenated', 'framed-random', 'mutated', 'random', 'seed', 'spliced']);
    let accepted = 0;
    for (const input of inputs) {
      try {
        decode(input.bytes, input.version);
        accepted++;
      } catch {
        // counted below
      }
    }
    // both outcomes must be well represented for the other checks to mean something
    expect(accepted).toBeGreaterThan(COUNT * 0.05);
    expect(COUNT - accepted).toBeGreaterThan(COUNT * 0.4);
  });
});

describe(`decode, on ${COUNT} fuzz inputs`, () => {
  it('returns a packet or throws MqttError with a reason code of 0x80 or more', () => {
    for (const input of inputs) {
      let packet: Packet;
      try {
        packet = decode(input.bytes, input.version);
      } catch (e) {
        expectMqttError(e, input, 'decode');
        continue;
      }
      // anything decode accepts, encode can write, and decode reads back the same
      const again = encode(packet, input.version);
      expect(decode(again, input.version), describeInput(input)).toEqual(packet);
    }
  });
});

describe(`dissect, on ${COUNT} fuzz inputs`, () => {
  it('never throws, covers every byte exactly once with leaves, and fails exactly when decode does', () => {
    for (const input of inputs) {
      let root: Field;
      try {
        root = dissect(input.bytes, input.version);
      } catch (e) {
        throw new Error(`dissect threw ${String(e)} for ${describeInput(input)}`, { cause: e });
      }
      checkDissection(root, input.bytes.length, input);
      let decodeError: MqttError | undefined;
      try {
        decode(input.bytes, input.version);
      } catch (e) {
        decodeError = e as MqttError;
      }
      expect(root.error !== undefined, `dissection error "${root.error}" vs decode error "${decodeError?.message}": ${describeInput(input)}`).toBe(decodeError !== undefined);
      if (decodeError) expect(root.reasonCode, describeInput(input)).toBeGreaterThanOrEqual(0x80);
    }
  });
});

describe(`Framer, on ${COUNT} fuzz inputs in random chunks`, () => {
  it('only throws MqttError, and otherwise returns a prefix of the stream and buffers the rest', () => {
    const r = createRandom(7);
    for (const input of inputs) {
      // a bounded Maximum Packet Size, so a random Remaining Length cannot make it allocate 256 MB
      const framer = new Framer({ maximumPacketSize: r.chance(0.5) ? 65_536 : r.between(2, 64) });
      const out: Uint8Array[] = [];
      let failed = false;
      try {
        for (let at = 0; at < input.bytes.length; ) {
          const size = r.chance(0.3) ? 1 : r.between(0, input.bytes.length);
          out.push(...framer.push(input.bytes.slice(at, at + size)));
          at += size;
        }
      } catch (e) {
        expectMqttError(e, input, 'Framer.push');
        failed = true;
      }
      const framed = out.reduce((n, p) => n + p.length, 0);
      expect(hex(Buffer.concat(out)), describeInput(input)).toBe(hex(input.bytes.subarray(0, framed)));
      if (!failed) expect(framed + framer.buffered, describeInput(input)).toBe(input.bytes.length);
    }
  });

  it('also survives a whole stream of fuzz inputs back to back', () => {
    const r = createRandom(11);
    const stream = Buffer.concat(inputs.slice(0, 500).map((i) => i.bytes));
    const framer = new Framer({ maximumPacketSize: 65_536 });
    try {
      for (let at = 0; at < stream.length; ) {
        const size = r.between(1, 64);
        for (const p of framer.push(stream.subarray(at, at + size))) {
          // each packet the framer cuts out decodes, or fails with a protocol error
          try {
            decode(p, 5);
          } catch (e) {
            expect(e).toBeInstanceOf(MqttError);
          }
        }
        at += size;
      }
    } catch (e) {
      expect(e).toBeInstanceOf(MqttError);
    }
  });
});
