import { malformed, MqttError, MALFORMED } from './errors';
import type { Tracer } from './tracer';
import { decodeUtf8 } from './utf8';

/**
 * A cursor over one packet's bytes. Every read names the field it reads; the
 * name costs nothing unless a Tracer is attached (dissection), in which case
 * each read becomes a leaf of the tree.
 */
export class Reader {
  pos: number;
  /** Where reading stops; decode narrows it from the whole input to the packet's body. */
  end: number;
  readonly bytes: Uint8Array;
  readonly t: Tracer | null;
  /** What `end` is the end of, for error messages. */
  readonly scope: string;

  constructor(bytes: Uint8Array, pos: number, end: number, t: Tracer | null = null, scope = 'the packet') {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    this.t = t;
    this.scope = scope;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      const left = this.end - this.pos;
      throw malformed(`${what} runs past the end of ${this.scope}: it needs ${n} byte${n === 1 ? '' : 's'}, ${left} remain${left === 1 ? 's' : ''}`, this.pos);
    }
  }

  u8(name: string): number {
    this.need(1, name);
    const v = this.bytes[this.pos++]!;
    if (this.t) this.t.leaf(name, this.pos - 1, this.pos, v);
    return v;
  }

  u16(name: string): number {
    this.need(2, name);
    const b = this.bytes, p = this.pos;
    const v = (b[p]! << 8) | b[p + 1]!;
    this.pos = p + 2;
    if (this.t) this.t.leaf(name, p, p + 2, v);
    return v;
  }

  u32(name: string): number {
    this.need(4, name);
    const b = this.bytes, p = this.pos;
    const v = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    this.pos = p + 4;
    if (this.t) this.t.leaf(name, p, p + 4, v);
    return v;
  }

  /** Variable Byte Integer (§1.5.5): at most 4 bytes, 7 bits each, low bits first. */
  varint(name: string): number {
    const start = this.pos;
    let value = 0;
    let mult = 1;
    for (let i = 0; i < 4; i++) {
      this.need(1, name);
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * mult;
      if ((byte & 0x80) === 0) {
        // shortest form is required: a trailing 0x00 continuation would be non-minimal [MQTT-1.5.5-1]
        if (i > 0 && byte === 0) throw malformed(`${name} is not encoded in the fewest bytes`, start);
        if (this.t) this.t.leaf(name, start, this.pos, value);
        return value;
      }
      mult *= 128;
    }
    throw malformed(`${name} is longer than 4 bytes`, start);
  }

  /** UTF-8 Encoded String (§1.5.4): two-byte length, then the characters. */
  utf8(name: string): string {
    const start = this.pos;
    const t = this.t;
    if (t) t.open(name, start);
    const len = this.u16('String Length');
    this.need(len, name);
    const p = this.pos;
    const s = decodeUtf8(this.bytes, p, p + len);
    if (s === 'ill-formed') throw malformed(`${name} is not well-formed UTF-8`, p); // [MQTT-1.5.4-1]
    if (s === 'null') throw malformed(`${name} contains the null character U+0000`, p); // [MQTT-1.5.4-2]
    this.pos = p + len;
    if (t) {
      if (len > 0) t.leaf('Characters', p, p + len, s);
      t.current.value = s;
      t.close(this.pos);
    }
    return s;
  }

  /** Binary Data (§1.5.6): two-byte length, then the bytes. */
  binary(name: string): Uint8Array {
    const start = this.pos;
    const t = this.t;
    if (t) t.open(name, start);
    const len = this.u16('Data Length');
    const data = this.take(len, name, 'Data');
    if (t) {
      t.current.value = preview(data);
      t.close(this.pos);
    }
    return data;
  }

  /** The next `n` bytes as a view (no copy). */
  take(n: number, name: string, leafName = name): Uint8Array {
    this.need(n, name);
    const p = this.pos;
    this.pos = p + n;
    const data = this.bytes.subarray(p, p + n);
    if (this.t && n > 0) this.t.leaf(leafName, p, p + n, preview(data));
    return data;
  }

  /** Fails unless the packet has been read to its last byte. */
  done(what: string): void {
    if (this.pos !== this.end) {
      const n = this.end - this.pos;
      throw new MqttError(MALFORMED, `${n} unexpected byte${n === 1 ? '' : 's'} after the ${what}`, this.pos);
    }
  }
}

/** A short, safe rendering of binary data for the dissection tree. */
export function preview(data: Uint8Array, max = 48): string {
  const n = Math.min(data.length, max);
  let printable = true;
  for (let i = 0; i < n; i++) {
    const c = data[i]!;
    if (c < 0x20 || c > 0x7e) {
      printable = false;
      break;
    }
  }
  let s = '';
  if (printable) for (let i = 0; i < n; i++) s += String.fromCharCode(data[i]!);
  else for (let i = 0; i < n; i++) s += (i ? ' ' : '') + data[i]!.toString(16).padStart(2, '0');
  return data.length > max ? `${s}… (${data.length} bytes)` : s;
}
