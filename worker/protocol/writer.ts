import { MqttError, MALFORMED } from './errors';
import { MAX_VARINT } from './constants';
import { writeUtf8 } from './utf8';

/**
 * Writes a packet body into a shared scratch buffer, then emits the fixed
 * header in front of it and copies out exactly one packet. One allocation per
 * packet, and the remaining length is always the shortest form.
 *
 * Encoding is synchronous and never re-entrant, so one scratch buffer serves
 * every packet.
 */

const HEADER_ROOM = 5; // type byte + at most 4 bytes of remaining length
const DEFAULT_SCRATCH = 64 * 1024;
let scratch: Uint8Array = new Uint8Array(DEFAULT_SCRATCH);

function invalid(message: string): MqttError {
  return new MqttError(MALFORMED, `cannot encode: ${message}`);
}

/*
 * Small packets are cut from a shared slab, as Node's Buffer.allocUnsafe does:
 * one allocation serves many packets, which matters at millions per second.
 * A packet is then a view, not a whole ArrayBuffer: code that transfers
 * buffers (postMessage) must copy it first.
 */
const SLAB_SIZE = 64 * 1024;
const SLAB_MAX = 4 * 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

function allocate(n: number): Uint8Array {
  if (n > SLAB_MAX) return new Uint8Array(n);
  if (slabUsed + n > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, n);
  slabUsed = (slabUsed + n + 7) & ~7; // keep views 8-byte aligned
  return out;
}

export function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

export class Writer {
  buf: Uint8Array;
  pos: number;

  constructor() {
    this.buf = scratch;
    this.pos = HEADER_ROOM;
  }

  /** Starts a new packet (encode reuses one Writer: it is never re-entered). */
  reset(): this {
    this.buf = scratch;
    this.pos = HEADER_ROOM;
    return this;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw invalid(`${what} must be an integer from 0 to 65535, got ${v}`);
    this.ensure(2);
    this.buf[this.pos++] = v >>> 8;
    this.buf[this.pos++] = v & 0xff;
  }

  u32(v: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw invalid(`${what} must be an integer from 0 to 4294967295, got ${v}`);
    this.ensure(4);
    const b = this.buf;
    b[this.pos++] = v >>> 24;
    b[this.pos++] = (v >>> 16) & 0xff;
    b[this.pos++] = (v >>> 8) & 0xff;
    b[this.pos++] = v & 0xff;
  }

  varint(v: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > MAX_VARINT) throw invalid(`${what} must be an integer from 0 to ${MAX_VARINT}, got ${v}`);
    this.ensure(4);
    do {
      let byte = v % 128;
      v = Math.floor(v / 128);
      if (v > 0) byte |= 0x80;
      this.buf[this.pos++] = byte;
    } while (v > 0);
  }

  utf8(s: string, what: string): void {
    if (typeof s !== 'string') throw invalid(`${what} must be a string`);
    const max = s.length * 3;
    this.ensure(2 + max);
    const n = writeUtf8(this.buf, this.pos + 2, s);
    if (n > 0xffff) throw invalid(`${what} is ${n} bytes long; a string holds at most 65535`);
    this.buf[this.pos] = n >>> 8;
    this.buf[this.pos + 1] = n & 0xff;
    this.pos += 2 + n;
  }

  binary(data: Uint8Array, what: string): void {
    if (!(data instanceof Uint8Array)) throw invalid(`${what} must be a Uint8Array`);
    this.u16(data.length, `the length of ${what}`);
    this.raw(data);
  }

  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Reserves room for a varint length prefix that is written later by `endLength`. */
  beginLength(): number {
    this.ensure(4);
    const at = this.pos;
    this.pos += 4;
    return at;
  }

  /** Writes the length of what follows `at` and slides it back over unused prefix bytes. */
  endLength(at: number, what: string): void {
    const len = this.pos - at - 4;
    const size = varintSize(len);
    if (size < 4) this.buf.copyWithin(at + size, at + 4, this.pos);
    this.pos = at;
    this.varint(len, what);
    this.pos = at + size + len;
  }

  /**
   * Emits the packet: fixed header byte, remaining length, body, and `tail`
   * (a PUBLISH payload, appended without passing through the scratch buffer).
   */
  finish(firstByte: number, tail?: Uint8Array): Uint8Array {
    const bodyLen = this.pos - HEADER_ROOM + (tail ? tail.length : 0);
    if (bodyLen > MAX_VARINT) throw invalid(`the packet's remaining length ${bodyLen} exceeds ${MAX_VARINT}`);
    const lenSize = varintSize(bodyLen);
    const headerLen = 1 + lenSize;
    const out = allocate(headerLen + bodyLen);
    out[0] = firstByte;
    let v = bodyLen;
    for (let i = 1; i <= lenSize; i++) {
      let byte = v % 128;
      v = Math.floor(v / 128);
      if (v > 0) byte |= 0x80;
      out[i] = byte;
    }
    out.set(this.buf.subarray(HEADER_ROOM, this.pos), headerLen);
    if (tail) out.set(tail, headerLen + this.pos - HEADER_ROOM);
    // keep a grown buffer for the next packet, unless it grew huge
    scratch = this.buf.length <= 4 * 1024 * 1024 ? this.buf : new Uint8Array(DEFAULT_SCRATCH);
    return out;
  }
}

