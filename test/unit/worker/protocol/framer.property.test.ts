/**
 * The Framer cuts a byte stream into packets however the stream is chunked:
 * a random sequence of valid packets, concatenated and split into random
 * chunks (1-byte chunks, one big chunk, random cuts), comes out as exactly
 * the same packets, byte for byte, in order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode, Framer, MqttError } from '../../../../worker/protocol';
import { versionedPacketArb } from '../../../helpers/arbitraries';
import { concatBytes } from '../../../helpers/bytes';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}


/** Encoded packets (each with its own version; the Framer does not care about versions). */
const packetBytesArb = fc.array(
  versionedPacketArb.map(({ packet, version }) => encode(packet, version)),
  { minLength: 1, maxLength: 12 },
);

type Chunking = { kind: 'bytes' } | { kind: 'whole' } | { kind: 'cuts'; cuts: number[] } | { kind: 'sizes'; sizes: number[] };

const chunkingArb: fc.Arbitrary<Chunking> = fc.oneof(
  fc.constant<Chunking>({ kind: 'bytes' }),
  fc.constant<Chunking>({ kind: 'whole' }),
  // cut positions as fractions of the stream, so they shrink independently of its length
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }).map<Chunking>((f) => ({ kind: 'cuts', cuts: f.map((x) => x) })),
  // small chunk sizes that walk the stream: many cuts inside fixed headers
  fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 16 }).map<Chunking>((sizes) => ({ kind: 'sizes', sizes })),
);

/** Splits `stream` into chunks; each chunk is a copy, since the Framer may keep views of what it is given. */
function split(stream: Uint8Array, how: Chunking): Uint8Array[] {
  const n = stream.length;
  let bounds: number[];
  switch (how.kind) {
    case 'bytes': bounds = Array.from({ length: n + 1 }, (_, i) => i); break;
    case 'whole': bounds = [0, n]; break;
    case 'cuts': bounds = [0, ...how.cuts.map((f) => Math.floor(f * n)), n]; break;
    case 'sizes': {
      bounds = [0];
      for (let at = 0, i = 0; at < n; i++) bounds.push((at = Math.min(n, at + how.sizes[i % how.sizes.length]!)));
      break;
    }
  }
  bounds.sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  for (let i = 1; i < bounds.length; i++) chunks.push(stream.slice(bounds[i - 1]!, bounds[i]!)); // empty chunks included
  return chunks;
}

function frameAll(framer: Framer, chunks: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of chunks) out.push(...framer.push(c));
  return out;
}

describe('Framer, for any chunking of a packet stream', () => {
  it('yields exactly the packets that were concatenated, in order', () => {
    fc.assert(
      fc.property(packetBytesArb, chunkingArb, (packets, how) => {
        const stream = concatBytes(packets);
        const framer = new Framer();
        const out = frameAll(framer, split(stream, how));
        // compared after all pushes: packets returned earlier must stay intact
        expect(out.map(hex)).toEqual(packets.map(hex));
        expect(framer.buffered).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('returns each packet as soon as its last byte arrives, and never before', () => {
    fc.assert(
      fc.property(packetBytesArb, (packets) => {
        const framer = new Framer();
        const stream = concatBytes(packets);
        let end = 0;
        let next = 0;
        for (let i = 0; i < stream.length; i++) {
          const got = framer.push(stream.slice(i, i + 1));
          if (i + 1 === end + packets[next]!.length) {
            expect(got.map(hex)).toEqual([hex(packets[next]!)]);
            end += packets[next]!.length;
            next++;
          } else expect(got).toEqual([]);
          expect(framer.buffered).toBe(i + 1 - end);
        }
        expect(next).toBe(packets.length);
      }),
      { numRuns: 100 },
    );
  });

  it('with a Maximum Packet Size, yields only packets before the first oversized one, then throws 0x95', () => {
    fc.assert(
      fc.property(packetBytesArb, chunkingArb, fc.integer({ min: 2, max: 600 }), (packets, how, maximumPacketSize) => {
        const framer = new Framer({ maximumPacketSize });
        const firstTooBig = packets.findIndex((p) => p.length > maximumPacketSize);
        const out: Uint8Array[] = [];
        let error: unknown;
        try {
          for (const c of split(concatBytes(packets), how)) out.push(...framer.push(c));
        } catch (e) {
          error = e;
        }
        if (firstTooBig < 0) {
          expect(error).toBeUndefined();
          expect(out.map(hex)).toEqual(packets.map(hex));
        } else {
          expect(error).toBeInstanceOf(MqttError);
          expect((error as MqttError).reasonCode).toBe(0x95);
          // what came out is a prefix of the packets before it (push throws instead of returning,
          // so packets completed earlier in the failing chunk itself are not returned)
          expect(out.length).toBeLessThanOrEqual(firstTooBig);
          expect(out.map(hex)).toEqual(packets.slice(0, out.length).map(hex));
          // a failed framer stays failed
          expect(() => framer.push(new Uint8Array([0xc0, 0x00]))).toThrow(MqttError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
