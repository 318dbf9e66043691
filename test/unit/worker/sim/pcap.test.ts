import { afterEach, describe, expect, it } from 'vitest';
import { encode, type Packet } from '../../../../worker/protocol';
import { capturePcapng, type PcapFrame } from '../../../../worker/sim/pcap';
import { internetChecksum } from '../../../../worker/sim/pcap-packet';
import { createPlayground } from '../../../../worker/sim/playground';
import { defaultClientConfig } from '../../../../worker/sim/client-config';
import { SimClock } from '../../../../worker/time/sim-clock';
import { settle, text } from '../../../helpers/broker-harness';
import { blocks, options, tcpPackets, type TcpPacket } from '../../../helpers/pcapng-reader';

const SYN = 0x02;
const FIN = 0x01;
const ACK = 0x10;
const PSH_ACK = 0x18;

const connect = (clientId: string) => encode({ type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: 60, clientId }, 4);
const connack = encode({ type: 'connack', sessionPresent: false, reasonCode: 0 }, 4);
const publish = (topic: string, payload: Uint8Array, packetId = 1) =>
  encode({ type: 'publish', topic, payload, qos: 1, retain: false, dup: false, packetId } as Packet, 4);
const puback = encode({ type: 'puback', packetId: 1, reasonCode: 0 }, 4);
const pingreq = encode({ type: 'pingreq' }, 4);
const disconnect = encode({ type: 'disconnect', reasonCode: 0 }, 4);

let time = 1_000;
function frame(link: string, dir: 'to-broker' | 'to-client', bytes: Uint8Array, lost?: string): PcapFrame {
  time += 10;
  return { frame: { link, dir, sentAt: time, wallAt: 1_700_000_000_000 + time, lost }, bytes };
}

/** The ones' complement sum of 16-bit big-endian words, computed plainly and separately from the exporter's. */
function onesSum(...parts: Uint8Array[]): number {
  const bytes = parts.flatMap((p) => [...p]);
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) s += bytes[i]! * 256 + (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  return s;
}

/** The checksum a header should carry: the complement of the sum with the checksum field zeroed. */
function expectedChecksum(field: number, ...parts: Uint8Array[]): { carried: number; computed: number } {
  const copy = parts.map((p) => p.slice());
  const last = copy[copy.length - 1]!;
  const carried = last[field]! * 256 + last[field + 1]!;
  last[field] = 0;
  last[field + 1] = 0;
  return { carried, computed: 0xffff - onesSum(...copy) };
}

function pseudo(p: TcpPacket): Uint8Array {
  const a = [...p.src.split('.'), ...p.dst.split('.')].map(Number);
  return Uint8Array.of(...a, 0, 6, p.tcp.length >> 8, p.tcp.length & 0xff);
}

const data = (ps: TcpPacket[]) => ps.filter((p) => p.payload.length > 0);

describe('capturePcapng: the file', () => {
  it('is a little-endian Section Header, an Ethernet interface, names, then one packet block per segment', () => {
    const file = capturePcapng([frame('a', 'to-broker', connect('a')), frame('a', 'to-client', connack)]);
    const bs = blocks(file);
    expect(bs.map((b) => b.type)).toEqual([0x0a0d0d0a, 1, 4, 6, 6, 6, 6, 6]);
    expect([...file.subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    expect([...file.subarray(8, 12)]).toEqual([0x4d, 0x3c, 0x2b, 0x1a]); // byte-order magic, little-endian
    const shb = bs[0]!.body;
    expect([shb.getUint16(4, true), shb.getUint16(6, true), shb.getBigInt64(8, true)]).toEqual([1, 0, -1n]);
    expect(options(shb, 16).map((o) => o.code)).toEqual([1, 4]);
    const idb = bs[1]!.body;
    expect(idb.getUint16(0, true)).toBe(1); // LINKTYPE_ETHERNET
    expect(options(idb, 8).find((o) => o.code === 9)?.value).toEqual(Uint8Array.of(6)); // microseconds
    for (const b of bs) expect(b.length % 4).toBe(0);
    expect(bs.reduce((n, b) => n + b.length, 0)).toBe(file.length);
    // captured and original lengths agree and cover Ethernet + IPv4 + TCP + the frame
    const epb = bs[6]!.body;
    expect(epb.getUint32(12, true)).toBe(14 + 20 + 20 + connect('a').length);
    expect(epb.getUint32(16, true)).toBe(epb.getUint32(12, true));
  });

  it('puts the frames in big-endian Ethernet II / IPv4 / TCP from the client to the broker on 1883', () => {
    const [, , , p] = tcpPackets(capturePcapng([frame('a', 'to-broker', connect('a'))]));
    expect([...p!.data.subarray(0, 14)]).toEqual([2, 0, 10, 0, 0, 1, 2, 0, 10, 0, 1, 1, 0x08, 0x00]);
    expect(p!.ipHeader[0]).toBe(0x45);
    expect(p!.ipHeader[9]).toBe(6);
    expect((p!.ipHeader[2]! << 8) | p!.ipHeader[3]!).toBe(40 + connect('a').length);
    expect([p!.src, p!.srcPort, p!.dst, p!.dstPort]).toEqual(['10.0.1.1', 49152, '10.0.0.1', 1883]);
    expect([...p!.tcp.subarray(2, 4)]).toEqual([0x07, 0x5b]); // 1883
    expect(p!.flags).toBe(PSH_ACK);
    expect(p!.payload).toEqual(connect('a'));
  });

  it('timestamps each packet in microseconds from wall time, or from virtual time', () => {
    const f = { frame: { link: 'a', dir: 'to-broker' as const, sentAt: 5000.5, wallAt: 1_700_000_000_123, lost: undefined }, bytes: pingreq };
    expect(tcpPackets(capturePcapng([f])).map((p) => p.ts)).toEqual(Array(4).fill(1_700_000_000_123_000));
    expect(tcpPackets(capturePcapng([f], { time: 'virtual' }))[3]!.ts).toBe(5_000_500);
  });
});

describe('capturePcapng: checksums', () => {
  it('computes the Internet checksum of a known IPv4 header', () => {
    // the header of RFC 1071's usual example: 4500 0073 0000 4000 4011 [b861] c0a8 0001 c0a8 00c7
    const h = Uint8Array.of(0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0, 0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7);
    expect(internetChecksum(h)).toBe(0xb861);
    expect(internetChecksum(Uint8Array.of(0x01), Uint8Array.of(0x02))).toBe(0xffff - 0x0102); // odd bytes pair up across parts
  });

  it('gives every IPv4 header and TCP segment its correct checksum, odd lengths included', () => {
    const ps = tcpPackets(capturePcapng([
      frame('a', 'to-broker', connect('a')), frame('a', 'to-client', connack),
      frame('a', 'to-broker', publish('odd/length', text('x'))), frame('a', 'to-broker', publish('t', new Uint8Array(3000).fill(0xff))),
      frame('a', 'to-broker', disconnect),
    ]));
    expect(ps.some((p) => p.tcp.length % 2 === 1)).toBe(true);
    for (const p of ps) {
      const ip = expectedChecksum(10, p.ipHeader);
      expect(ip.carried).toBe(ip.computed);
      expect(onesSum(p.ipHeader)).toBe(0xffff);
      const tcp = expectedChecksum(16, pseudo(p), p.tcp);
      expect(tcp.carried).toBe(tcp.computed);
    }
  });
});

describe('capturePcapng: connections', () => {
  it('opens with SYN, SYN-ACK, ACK and numbers every byte per direction', () => {
    const ps = tcpPackets(capturePcapng([
      frame('a', 'to-broker', connect('a')), frame('a', 'to-client', connack),
      frame('a', 'to-broker', publish('t', text('hello'))), frame('a', 'to-client', puback), frame('a', 'to-broker', pingreq),
    ]));
    const [syn, synAck, ack] = ps;
    expect([syn!.flags, synAck!.flags, ack!.flags]).toEqual([SYN, SYN | ACK, ACK]);
    expect(synAck!.ack).toBe((syn!.seq + 1) >>> 0);
    expect([ack!.seq, ack!.ack]).toEqual([(syn!.seq + 1) >>> 0, (synAck!.seq + 1) >>> 0]);
    const next = { '10.0.1.1': (syn!.seq + 1) >>> 0, '10.0.0.1': (synAck!.seq + 1) >>> 0 } as Record<string, number>;
    for (const p of data(ps)) {
      expect(p.flags).toBe(PSH_ACK);
      expect(p.seq).toBe(next[p.src]);
      // each side acknowledges everything the other has sent so far
      expect(p.ack).toBe(next[p.dst]);
      next[p.src] = (p.seq + p.payload.length) >>> 0;
    }
    expect(data(ps).map((p) => p.payload.length)).toEqual([connect('a').length, 4, publish('t', text('hello')).length, 4, 2]);
  });

  it('gives each client its own address and each connection its own port', () => {
    const ps = tcpPackets(capturePcapng([
      frame('a', 'to-broker', connect('a')), frame('b', 'to-broker', connect('b')),
      frame('a', 'to-client', connack), frame('b', 'to-client', connack),
      frame('a', 'to-broker', connect('a')), // a new connection of a: the old one was killed
    ]));
    const ends = (p: TcpPacket) => (p.src === '10.0.0.1' ? `${p.dst}:${p.dstPort}` : `${p.src}:${p.srcPort}`);
    expect(data(ps).map(ends)).toEqual(['10.0.1.1:49152', '10.0.1.2:49153', '10.0.1.1:49152', '10.0.1.2:49153', '10.0.1.1:49154']);
    expect(ps.filter((p) => p.flags === SYN).map(ends)).toEqual(['10.0.1.1:49152', '10.0.1.2:49153', '10.0.1.1:49154']);
    expect(ps.filter((p) => p.flags === SYN).map((p) => p.comment)).toEqual([
      expect.stringContaining('"a" connects'), expect.stringContaining('"b" connects'), expect.stringContaining('"a" connects'),
    ]);
    for (const p of ps) expect(p.src === '10.0.0.1' ? p.srcPort : p.dstPort).toBe(1883);
  });

  it('closes with FIN after a DISCONNECT that arrived, and opens anew after it', () => {
    const ps = tcpPackets(capturePcapng([
      frame('a', 'to-broker', connect('a')), frame('a', 'to-client', connack), frame('a', 'to-broker', disconnect), frame('a', 'to-broker', connect('a')),
    ]));
    const at = ps.findIndex((p) => p.payload.length === 2);
    const [d, fin1, fin2, last] = ps.slice(at, at + 4);
    expect([fin1!.flags, fin2!.flags, last!.flags]).toEqual([FIN | ACK, FIN | ACK, ACK]);
    expect([fin1!.src, fin2!.src, last!.src]).toEqual(['10.0.1.1', '10.0.0.1', '10.0.1.1']);
    expect(fin1!.seq).toBe((d!.seq + 2) >>> 0);
    expect(fin2!.ack).toBe((fin1!.seq + 1) >>> 0); // a FIN takes one sequence number
    expect([last!.seq, last!.ack]).toEqual([(fin1!.seq + 1) >>> 0, (fin2!.seq + 1) >>> 0]);
    expect(ps[at + 4]!.flags).toBe(SYN);
    expect(ps[at + 4]!.srcPort).toBe(49153);
  });

  it('marks lost frames with a comment and never acknowledges them, or leaves them out', () => {
    const frames = [
      frame('a', 'to-broker', connect('a')), frame('a', 'to-client', connack),
      frame('a', 'to-broker', pingreq, 'the link is cut'), frame('a', 'to-client', publish('t', text('x'))),
    ];
    const ps = data(tcpPackets(capturePcapng(frames)));
    expect(ps.map((p) => p.comment)).toEqual([undefined, undefined, 'Lost: the link is cut (sent, never arrived).', undefined]);
    expect(ps[3]!.ack).toBe(ps[2]!.seq); // the broker never got the PINGREQ
    const without = data(tcpPackets(capturePcapng(frames, { includeLost: false })));
    expect(without.map((p) => p.payload.length)).toEqual([connect('a').length, 4, publish('t', text('x')).length]);
    expect(without[2]!.ack).toBe((without[0]!.seq + without[0]!.payload.length) >>> 0);
  });

  it('splits a frame larger than one IPv4 packet into consecutive segments', () => {
    const big = publish('big', new Uint8Array(70_000));
    const ps = data(tcpPackets(capturePcapng([frame('a', 'to-broker', connect('a')), frame('a', 'to-broker', big)])));
    expect(ps.map((p) => p.payload.length)).toEqual([connect('a').length, 65_495, big.length - 65_495]);
    expect(ps[2]!.seq).toBe((ps[1]!.seq + 65_495) >>> 0);
    expect(new Uint8Array([...ps[1]!.payload, ...ps[2]!.payload])).toEqual(big);
  });

  it('exports a connection to a remote broker as MQTT over TCP to its own address, and says so', () => {
    const file = capturePcapng([frame('r', 'to-broker', connect('r')), frame('a', 'to-broker', connect('a'))], { remote: { r: 'wss://broker.example:8084/mqtt' } });
    const ps = tcpPackets(file);
    expect(ps[0]!.comment).toMatch(/wss:\/\/broker\.example:8084\/mqtt over WebSocket and TLS; exported as MQTT over TCP/);
    expect(data(ps).map((p) => `${p.dst}:${p.dstPort}`)).toEqual(['10.0.0.2:1883', '10.0.0.1:1883']);
    // the Name Resolution Block names the broker, the clients and the remote host
    const nrb = new TextDecoder().decode(new Uint8Array(blocks(file)[2]!.body.buffer, blocks(file)[2]!.body.byteOffset, blocks(file)[2]!.body.byteLength));
    for (const name of ['broker', 'r', 'a', 'broker.example']) expect(nrb).toContain(`${name}\0`);
  });
});

describe('PlaygroundApi.exportPcap', () => {
  let pg: ReturnType<typeof createPlayground> | undefined;
  afterEach(() => pg?.simulation.dispose());

  it('exports the chosen clients and range of the capture', async () => {
    const clock = new SimClock(1_000_000, () => 0);
    clock.pause();
    pg = createPlayground({ host: 'node', clock, schedule: () => {}, broker: { sysInterval: 0 } });
    for (const n of ['a', 'b']) {
      pg.createClient(defaultClientConfig(n, n));
      pg.connect(n);
    }
    await settle();
    const all = data(tcpPackets(pg.exportPcap({ time: 'virtual' })));
    expect(all.map((p) => p.payload[0]! >> 4)).toEqual([1, 1, 2, 2]);
    expect(all[0]!.ts).toBe(1_000_000_000);
    const onlyB = data(tcpPackets(pg.exportPcap({ clients: ['b'] })));
    expect(onlyB.map((p) => [p.src, p.dst])).toEqual([['10.0.1.1', '10.0.0.1'], ['10.0.0.1', '10.0.1.1']]);
    expect(data(tcpPackets(pg.exportPcap({ from: 2, to: 3 })))).toHaveLength(1);
    expect(tcpPackets(pg.exportPcap({ clients: [] }))).toEqual([]);
    // the frames the log shows: by seq, whatever else is asked too
    const seqs = pg.captureRange(0, 100).filter((e) => e.kind === 'frame' && e.type === 'connack').map((e) => e.seq);
    expect(data(tcpPackets(pg.exportPcap({ seqs }))).map((p) => p.payload[0]! >> 4)).toEqual([2, 2]);
    expect(data(tcpPackets(pg.exportPcap({ seqs, clients: ['a'] })))).toHaveLength(1);
    expect(() => pg!.exportPcap({ time: 'sundial' as 'wall' })).toThrow(/wall/);
  });
});
