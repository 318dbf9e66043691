/** Framer: cutting a byte stream into whole packets, wherever the chunks end. */
import { describe, expect, test } from 'vitest';
import { Framer, MqttError } from '../../../../worker/protocol';
import { hex } from '../../../helpers/codec-case';

const PINGREQ = [0xc0, 0x00];
const PUBACK = [0x40, 0x02, 0x00, 0x07];
/** A PUBLISH of 203 bytes after its header: remaining length 0xcb 0x01, so a split can fall inside it. */
const BIG_PUBLISH = [0x30, 0xcb, 0x01, 0x00, 0x01, 0x61, ...new Array<number>(200).fill(0x78)];
const SUBSCRIBE = [0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00];
const PACKETS = [PUBACK, BIG_PUBLISH, PINGREQ, SUBSCRIBE, PINGREQ];
const STREAM = PACKETS.flat();

/** Pushes the chunks, returning every packet (as hex) and checking `buffered` after each chunk. */
function run(framer: Framer, chunks: number[][]): string[] {
  const out: string[] = [];
  let pushed = framer.buffered;
  let returned = 0;
  for (const c of chunks) {
    pushed += c.length;
    for (const p of framer.push(Uint8Array.from(c))) {
      out.push(hex(p));
      returned += p.length;
    }
    expect(framer.buffered).toBe(pushed - returned);
  }
  return out;
}

function framerError(f: () => unknown): MqttError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MqttError);
    return e as MqttError;
  }
  throw new Error('no error thrown');
}

describe('cutting', () => {
  test('one chunk with one packet', () => {
    expect(run(new Framer(), [PUBACK])).toEqual([hex(PUBACK)]);
  });

  test('coalesced packets in one chunk come out in order', () => {
    expect(run(new Framer(), [STREAM])).toEqual(PACKETS.map(hex));
  });

  test('split at every offset into two chunks', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      expect(run(new Framer(), [STREAM.slice(0, i), STREAM.slice(i)]), `split at ${i}`).toEqual(PACKETS.map(hex));
    }
  });

  test('split at every pair of offsets into three chunks', () => {
    // the first 24 bytes hold the PUBACK and the start of the PUBLISH, its remaining length included
    for (let i = 0; i <= 24; i++) {
      for (let j = i; j <= STREAM.length; j += j < 24 ? 1 : 7) {
        const chunks = [STREAM.slice(0, i), STREAM.slice(i, j), STREAM.slice(j)];
        expect(run(new Framer(), chunks), `split at ${i} and ${j}`).toEqual(PACKETS.map(hex));
      }
    }
  });

  test('one byte at a time', () => {
    expect(run(new Framer(), STREAM.map((b) => [b]))).toEqual(PACKETS.map(hex));
  });

  test('split between the two bytes of the remaining length', () => {
    const f = new Framer();
    expect(f.push(Uint8Array.from([0x30, 0xcb]))).toEqual([]);
    expect(f.buffered).toBe(2);
    expect(f.push(Uint8Array.from([0x01]))).toEqual([]);
    expect(f.buffered).toBe(3);
    expect(run(f, [BIG_PUBLISH.slice(3)])).toEqual([hex(BIG_PUBLISH)]);
    expect(f.buffered).toBe(0);
  });

  test('a header completed together with the next packet', () => {
    const f = new Framer();
    expect(f.push(Uint8Array.from([0xc0]))).toEqual([]);
    expect(run(f, [[0x00, ...PUBACK]])).toEqual([hex(PINGREQ), hex(PUBACK)]);
  });

  test('empty chunks change nothing', () => {
    const f = new Framer();
    expect(f.push(new Uint8Array(0))).toEqual([]);
    expect(run(f, [[0x40], [], [0x02, 0x00], [], [0x07]])).toEqual([hex(PUBACK)]);
    expect(f.push(new Uint8Array(0))).toEqual([]);
    expect(f.buffered).toBe(0);
  });

  test('buffered counts bytes held back', () => {
    const f = new Framer();
    expect(f.buffered).toBe(0);
    f.push(Uint8Array.from([0x40]));
    expect(f.buffered).toBe(1);
    f.push(Uint8Array.from([0x02, 0x00]));
    expect(f.buffered).toBe(3);
    expect(f.push(Uint8Array.from([0x07, 0xc0])).map(hex)).toEqual([hex(PUBACK)]);
    expect(f.buffered).toBe(1);
    f.push(Uint8Array.from([0x00]));
    expect(f.buffered).toBe(0);
  });

  test('the framer does not judge what it frames: decode does', () => {
    // reserved type 0 and a non-minimal length still come out as one packet
    expect(run(new Framer(), [[0x00, 0x00, 0xc0, 0x80, 0x00]])).toEqual(['00 00', 'c0 80 00']);
  });
});

describe('limits', () => {
  test('a packet exactly at the maximum size passes', () => {
    const f = new Framer({ maximumPacketSize: 4 });
    expect(run(f, [PUBACK])).toEqual([hex(PUBACK)]);
  });

  test('a packet over the maximum size is refused with 0x95 from its header alone', () => {
    const f = new Framer({ maximumPacketSize: 100 });
    // remaining length 0xcb 0x01 = 203: 206 bytes in all; no byte of the body has arrived
    const err = framerError(() => f.push(Uint8Array.from([0x30, 0xcb, 0x01])));
    expect(err.reasonCode).toBe(0x95);
  });

  test('0x95 when the oversized header arrives in pieces', () => {
    const f = new Framer({ maximumPacketSize: 100 });
    expect(f.push(Uint8Array.from([0x30]))).toEqual([]);
    expect(f.push(Uint8Array.from([0xcb]))).toEqual([]);
    expect(framerError(() => f.push(Uint8Array.from([0x01]))).reasonCode).toBe(0x95);
  });

  test('0x95 counts the fixed header: remaining length 3 is 5 bytes', () => {
    const f = new Framer({ maximumPacketSize: 4 });
    expect(framerError(() => f.push(Uint8Array.from([0x40, 0x03]))).reasonCode).toBe(0x95);
  });

  test('0x95 for a second, oversized packet after a good one in the same chunk', () => {
    const f = new Framer({ maximumPacketSize: 10 });
    expect(framerError(() => f.push(Uint8Array.from([...PUBACK, 0x30, 0x7f]))).reasonCode).toBe(0x95);
  });

  test('a remaining length of five bytes is malformed', () => {
    const f = new Framer();
    expect(framerError(() => f.push(Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).reasonCode).toBe(0x81);
  });

  test('a remaining length of five bytes, one byte at a time', () => {
    const f = new Framer();
    for (const b of [0x30, 0x80, 0x80, 0x80]) expect(f.push(Uint8Array.from([b]))).toEqual([]);
    expect(framerError(() => f.push(Uint8Array.from([0x80]))).reasonCode).toBe(0x81);
  });

  test('the largest four-byte remaining length is accepted by default', () => {
    const f = new Framer();
    expect(f.push(Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0x7f]))).toEqual([]);
    expect(f.buffered).toBe(5);
  });

  test('after an error the framer stays failed', () => {
    const f = new Framer({ maximumPacketSize: 10 });
    const first = framerError(() => f.push(Uint8Array.from([0x30, 0x7f])));
    const again = framerError(() => f.push(Uint8Array.from(PINGREQ)));
    expect(again).toBe(first);
  });
});
