/**
 * A small pcapng reader for tests, written from the format's description
 * rather than from the exporter: blocks, their options, and the Ethernet /
 * IPv4 / TCP headers of each Enhanced Packet Block.
 */

export interface Block {
  type: number;
  /** Offset of the block in the file. */
  at: number;
  length: number;
  body: DataView;
}

export interface Option {
  code: number;
  value: Uint8Array;
}

export interface TcpPacket {
  /** Timestamp in microseconds. */
  ts: number;
  comment: string | undefined;
  data: Uint8Array;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  ipHeader: Uint8Array;
  tcp: Uint8Array;
  payload: Uint8Array;
}

/** Every block, checking that each one's two length fields agree. */
export function blocks(file: Uint8Array): Block[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: Block[] = [];
  for (let at = 0; at < file.length; ) {
    const type = v.getUint32(at, true);
    const length = v.getUint32(at + 4, true);
    if (length % 4 !== 0 || at + length > file.length) throw new Error(`block at ${at}: bad length ${length}`);
    if (v.getUint32(at + length - 4, true) !== length) throw new Error(`block at ${at}: trailing length differs`);
    out.push({ type, at, length, body: new DataView(file.buffer, file.byteOffset + at + 8, length - 12) });
    at += length;
  }
  return out;
}

/** Options from `offset` in a block's body to its end. */
export function options(body: DataView, offset: number): Option[] {
  const out: Option[] = [];
  for (let at = offset; at + 4 <= body.byteLength; ) {
    const code = body.getUint16(at, true);
    const len = body.getUint16(at + 2, true);
    if (code === 0) break;
    out.push({ code, value: new Uint8Array(body.buffer, body.byteOffset + at + 4, len) });
    at += 4 + Math.ceil(len / 4) * 4;
  }
  return out;
}

const ip = (b: Uint8Array, at: number) => [...b.subarray(at, at + 4)].join('.');

/** The Enhanced Packet Blocks, each read as Ethernet II / IPv4 / TCP. */
export function tcpPackets(file: Uint8Array): TcpPacket[] {
  return blocks(file)
    .filter((b) => b.type === 6)
    .map((b) => {
      const v = b.body;
      const caplen = v.getUint32(12, true);
      const data = new Uint8Array(v.buffer, v.byteOffset + 20, caplen);
      const comment = options(v, 20 + Math.ceil(caplen / 4) * 4).find((o) => o.code === 1);
      const d = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const ihl = (data[14]! & 0x0f) * 4;
      const tcpAt = 14 + ihl;
      const dataOffset = (data[tcpAt + 12]! >> 4) * 4;
      return {
        ts: v.getUint32(4, true) * 2 ** 32 + v.getUint32(8, true),
        comment: comment && new TextDecoder().decode(comment.value),
        data,
        src: ip(data, 26),
        dst: ip(data, 30),
        srcPort: d.getUint16(tcpAt),
        dstPort: d.getUint16(tcpAt + 2),
        seq: d.getUint32(tcpAt + 4),
        ack: d.getUint32(tcpAt + 8),
        flags: data[tcpAt + 13]!,
        ipHeader: data.subarray(14, tcpAt),
        tcp: data.subarray(tcpAt),
        payload: data.subarray(tcpAt + dataOffset),
      };
    });
}
