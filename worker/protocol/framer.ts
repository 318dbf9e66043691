/**
 * Framer: cuts a byte stream into whole packets. Chunks may end anywhere and
 * may hold several packets; a packet that lies within one chunk is returned
 * as a view of it (no copy), one that spans chunks is assembled once its
 * size is known. Chunks must not be reused by the caller after `push`.
 */
import { MAX_PACKET_SIZE } from './constants';
import { malformed, MqttError } from './errors';

export interface FramerOptions {
  /** Largest packet accepted, in bytes (fixed header included). */
  maximumPacketSize?: number;
}

export class Framer {
  readonly maximumPacketSize: number;
  /** A packet being assembled across chunks, and how much of it has arrived. */
  #partial: Uint8Array | null = null;
  #filled = 0;
  /** Fixed-header bytes of a packet whose length is not yet known; made when first needed. */
  #head: Uint8Array | null = null;
  #headLen = 0;
  #failed: MqttError | null = null;

  constructor(options: FramerOptions = {}) {
    this.maximumPacketSize = options.maximumPacketSize ?? MAX_PACKET_SIZE;
  }

  /** Bytes received but not yet returned as part of a packet. */
  get buffered(): number {
    return this.#partial ? this.#filled : this.#headLen;
  }

  /**
   * The whole packets `chunk` completes. On an oversized or malformed header it
   * throws; packets the chunk completed before it are on the error's `frames`.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed) throw this.#failed;
    const out: Uint8Array[] = [];
    try {
      this.#push(chunk, out);
      return out;
    } catch (e) {
      const err = e as MqttError;
      err.frames = out;
      this.#failed = err;
      throw err;
    }
  }

  #push(chunk: Uint8Array, out: Uint8Array[]): void {
    let pos = 0;
    if (this.#headLen > 0) {
      const head = this.#head!;
      while (pos < chunk.length) {
        head[this.#headLen++] = chunk[pos++]!;
        const total = this.#measure(head, 0, this.#headLen);
        if (total < 0) continue;
        this.#partial = new Uint8Array(total);
        this.#partial.set(head.subarray(0, this.#headLen));
        this.#filled = this.#headLen;
        this.#headLen = 0;
        break;
      }
      if (this.#headLen > 0) return;
    }
    if (this.#partial) {
      const p = this.#partial;
      const n = Math.min(p.length - this.#filled, chunk.length - pos);
      p.set(chunk.subarray(pos, pos + n), this.#filled);
      this.#filled += n;
      pos += n;
      if (this.#filled < p.length) return;
      out.push(p);
      this.#partial = null;
    }
    while (pos < chunk.length) {
      const total = this.#measure(chunk, pos, chunk.length);
      if (total < 0) {
        (this.#head ??= new Uint8Array(5)).set(chunk.subarray(pos));
        this.#headLen = chunk.length - pos;
        break;
      }
      if (pos + total <= chunk.length) {
        out.push(pos === 0 && total === chunk.length ? chunk : chunk.subarray(pos, pos + total));
        pos += total;
      } else {
        this.#partial = new Uint8Array(total);
        this.#partial.set(chunk.subarray(pos));
        this.#filled = chunk.length - pos;
        break;
      }
    }
  }

  /** Total size of the packet starting at `pos`, or -1 while its fixed header is incomplete. */
  #measure(b: Uint8Array, pos: number, end: number): number {
    let len = 0;
    let mult = 1;
    for (let i = 1; i <= 4; i++) {
      if (pos + i >= end) return -1;
      const byte = b[pos + i]!;
      len += (byte & 0x7f) * mult;
      if ((byte & 0x80) === 0) {
        const total = 1 + i + len;
        if (total > this.maximumPacketSize) {
          // refused on its header, before the body arrives [MQTT-3.1.2-24]
          throw new MqttError(0x95, `a packet of ${total} bytes exceeds the Maximum Packet Size of ${this.maximumPacketSize}`, pos);
        }
        return total;
      }
      mult *= 128;
    }
    throw malformed('the Remaining Length is longer than 4 bytes', pos + 1); // §1.5.5
  }
}
