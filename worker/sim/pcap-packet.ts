/**
 * The headers a pcap export wraps each MQTT frame in, synthesised because
 * the playground's frames never touch a network: Ethernet II, IPv4 (with its
 * header checksum) and TCP (with its checksum over the pseudo-header). Pure
 * byte building; what goes in them is decided by pcap.ts.
 */

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** The largest TCP payload in one IPv4 packet (65,535 bytes less 20 of IPv4 and 20 of TCP). */
export const MAX_SEGMENT = 65_535 - 40;

/** One TCP segment from `src` to `dst`; addresses are 4 bytes. */
export interface Segment {
  src: Uint8Array;
  dst: Uint8Array;
  srcPort: number;
  dstPort: number;
  seq: number;
  /** Sent with the ACK flag unless this is the first SYN. */
  ack: number;
  flags: number;
  /** IPv4 Identification. */
  ipId: number;
  payload: Uint8Array;
}

/** The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words, over the given parts in turn. */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd === undefined) odd = p[i]!;
      else {
        sum += (odd << 8) | p[i]!;
        odd = undefined;
        // fold now and then so the sum stays a small integer
        if (sum > 0xffffff) sum = (sum & 0xffff) + (sum >>> 16);
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A locally administered MAC address made from an IPv4 address: 02:00:a.b.c.d. */
export function macOf(ip: Uint8Array): Uint8Array {
  return Uint8Array.of(0x02, 0x00, ...ip);
}

/** The Ethernet II frame carrying `s` in IPv4 and TCP, checksums filled in. */
export function ethernetFrame(s: Segment): Uint8Array {
  const ipLength = 20 + 20 + s.payload.length;
  if (ipLength > 65_535) throw new RangeError(`a TCP segment holds at most ${MAX_SEGMENT} bytes`);
  const out = new Uint8Array(14 + ipLength);
  const v = new DataView(out.buffer);
  out.set(macOf(s.dst), 0);
  out.set(macOf(s.src), 6);
  v.setUint16(12, 0x0800); // EtherType IPv4

  const ip = out.subarray(14, 34);
  const iv = new DataView(out.buffer, 14, 20);
  iv.setUint8(0, 0x45); // version 4, header length 5 words
  iv.setUint16(2, ipLength);
  iv.setUint16(4, s.ipId & 0xffff);
  iv.setUint16(6, 0x4000); // Don't Fragment
  iv.setUint8(8, 64); // TTL
  iv.setUint8(9, 6); // TCP
  ip.set(s.src, 12);
  ip.set(s.dst, 16);
  iv.setUint16(10, internetChecksum(ip));

  const tcp = out.subarray(34);
  const tv = new DataView(out.buffer, 34, 20);
  tv.setUint16(0, s.srcPort);
  tv.setUint16(2, s.dstPort);
  tv.setUint32(4, s.seq >>> 0);
  tv.setUint32(8, s.flags & TCP_ACK ? s.ack >>> 0 : 0);
  tv.setUint8(12, 5 << 4); // data offset: 5 words, no options
  tv.setUint8(13, s.flags);
  tv.setUint16(14, 65_535); // window
  tcp.set(s.payload, 20);
  tv.setUint16(16, internetChecksum(pseudoHeader(s.src, s.dst, tcp.length), tcp));
  return out;
}

/** The IPv4 pseudo-header the TCP checksum covers (RFC 793). */
export function pseudoHeader(src: Uint8Array, dst: Uint8Array, tcpLength: number): Uint8Array {
  const p = new Uint8Array(12);
  p.set(src, 0);
  p.set(dst, 4);
  p[9] = 6;
  new DataView(p.buffer).setUint16(10, tcpLength);
  return p;
}
