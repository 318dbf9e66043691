/**
 * The capture as a pcapng file (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html)
 * that Wireshark and tshark dissect as MQTT.
 *
 * The playground's links carry MQTT bytes and nothing else, so everything
 * beneath them is synthesised, the way a capture on a real network would
 * have shown it:
 *
 *   broker                10.0.0.1:1883
 *   first client seen     10.0.1.1:49152   (each connection a new ephemeral port)
 *   second client seen    10.0.1.2:49153
 *   a remote broker       10.0.0.2:1883    (see below)
 *
 * A connection starts with SYN / SYN-ACK / ACK before its first frame (a
 * CONNECT from a client whose connection already sent one starts a new
 * connection), carries each MQTT frame as one PSH+ACK segment (frames over
 * 64 KiB as several), and ends with FIN / FIN-ACK / ACK after a DISCONNECT
 * that arrived. Sequence numbers count the bytes each side sent; an
 * acknowledgement counts only what arrived, so a frame lost on a cut link is
 * never acknowledged. A Name Resolution Block names every address.
 *
 * Connections to remote brokers went over WebSocket, but they are exported
 * as MQTT over TCP too, as their handshake's comment says: tshark 4.0 does
 * not dissect MQTT inside WebSocket frames (it stops at "WebSocket Binary"),
 * so WebSocket framing would hide the very packets the export is for.
 *
 * The file is little-endian pcapng with one Ethernet interface and
 * microsecond timestamps.
 */
import type { CapturedFrame } from './capture';
import { ethernetFrame, MAX_SEGMENT, TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from './pcap-packet';

/** What the export needs of a captured frame: its connection, direction, times, fate, and bytes. */
export interface PcapFrame {
  frame: Pick<CapturedFrame, 'link' | 'dir' | 'sentAt' | 'wallAt' | 'lost'>;
  bytes: Uint8Array;
}

export interface PcapOptions {
  /** Timestamps from the frame's real (wall) time, the default, or from the virtual clock. */
  time?: 'wall' | 'virtual';
  /** Frames lost on a cut link: exported with a comment saying so (the default), or left out. */
  includeLost?: boolean;
  /** Connections to remote brokers: the broker's ws:// or wss:// URL by client name. */
  remote?: Readonly<Record<string, string>>;
  /** Named in the section header as the application that wrote the file. */
  application?: string;
}

/** What the page asks to export (PlaygroundApi.exportPcap). */
export interface PcapExportRequest {
  /** Capture entries with seq in [from, to); all that the ring holds by default. */
  from?: number;
  to?: number;
  /** Only these connections (client names); all by default. */
  clients?: string[];
  /** Only these frames (by seq), e.g. those the packet log shows; all by default. */
  seqs?: number[];
  /** Timestamps from real (wall) time, the default, or from the virtual clock. */
  time?: 'wall' | 'virtual';
  /** Frames lost on a cut link, with a comment saying so (the default), or not. */
  includeLost?: boolean;
}

export const BROKER_ADDRESS = Uint8Array.of(10, 0, 0, 1);
export const MQTT_PORT = 1883;
export const FIRST_EPHEMERAL_PORT = 49_152;
/** Link type of the interface: Ethernet. */
export const LINKTYPE_ETHERNET = 1;

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_NRB = 0x00000004;
const BLOCK_EPB = 0x00000006;
const OPT_COMMENT = 1;
const CLIENT = 0;
const BROKER = 1;
type Side = typeof CLIENT | typeof BROKER;

interface Connection {
  /** Addresses and ports, by side. */
  address: [Uint8Array, Uint8Array];
  port: [number, number];
  /** The next sequence number each side sends. */
  next: [number, number];
  /** What each side has received from the other: its acknowledgement number. */
  got: [number, number];
  ipId: [number, number];
  /** A CONNECT went through it. */
  connected: boolean;
}

const enc = new TextEncoder();

/** The frames, in the order given, as a pcapng file. */
export function capturePcapng(frames: readonly PcapFrame[], options: PcapOptions = {}): Uint8Array {
  const out = new PcapExport(options);
  for (const f of frames) out.add(f);
  return out.file();
}

class PcapExport {
  readonly #o: PcapOptions;
  readonly #packets: Uint8Array[] = [];
  readonly #connections = new Map<string, Connection>();
  readonly #hosts = new Map<string, Uint8Array>();
  readonly #remotes = new Map<string, Uint8Array>();
  #port = FIRST_EPHEMERAL_PORT;

  constructor(o: PcapOptions) {
    this.#o = o;
  }

  add({ frame, bytes }: PcapFrame): void {
    if (frame.lost !== undefined && this.#o.includeLost === false) return;
    const ts = Math.round((this.#o.time === 'virtual' ? frame.sentAt : frame.wallAt) * 1000);
    const type = bytes.length ? bytes[0]! >> 4 : 0;
    const side: Side = frame.dir === 'to-broker' ? CLIENT : BROKER;
    let c = this.#connections.get(frame.link);
    if (!c || (side === CLIENT && type === 1 && c.connected)) c = this.#open(frame.link, ts);
    if (side === CLIENT && type === 1) c.connected = true;
    const note = frame.lost === undefined ? undefined : `Lost: ${frame.lost} (sent, never arrived).`;
    this.#send(c, side, TCP_PSH | TCP_ACK, bytes, ts, note, frame.lost === undefined);
    // a DISCONNECT that arrived ends the connection [MQTT-3.14.4-1] [MQTT-3.14.4-2]
    if (type === 14 && frame.lost === undefined) {
      this.#send(c, side, TCP_FIN | TCP_ACK, new Uint8Array(), ts);
      this.#send(c, other(side), TCP_FIN | TCP_ACK, new Uint8Array(), ts);
      this.#send(c, side, TCP_ACK, new Uint8Array(), ts);
      this.#connections.delete(frame.link);
    }
  }

  file(): Uint8Array {
    return concat([sectionHeader(this.#o.application ?? 'MQTT Playground'), interfaceDescription(), this.#names(), ...this.#packets]);
  }

  /** A new connection of `link`, opened by the TCP handshake. */
  #open(link: string, ts: number): Connection {
    const remote = this.#o.remote?.[link];
    const client = this.#host(link);
    const port = this.#port;
    this.#port = port === 65_535 ? FIRST_EPHEMERAL_PORT : port + 1;
    const isn = (Math.imul(port, 0x9e3779b1) ^ Math.imul(client[3]! + 1, 0x85ebca6b)) >>> 0;
    const isnBroker = Math.imul(isn ^ 0x5bd1e995, 0xc2b2ae35) >>> 0;
    const c: Connection = {
      address: [client, remote === undefined ? BROKER_ADDRESS : this.#remote(remote)],
      port: [port, MQTT_PORT],
      next: [isn, isnBroker], got: [0, 0], ipId: [port & 0xff, 0], connected: false,
    };
    this.#connections.set(link, c);
    const note = remote === undefined
      ? `"${link}" connects to the in-page broker (TCP handshake synthesised for the export).`
      : `"${link}" connects to ${remote} over WebSocket${remote.startsWith('wss:') ? ' and TLS' : ''}; exported as MQTT over TCP, unencrypted (handshake synthesised).`;
    this.#send(c, CLIENT, TCP_SYN, new Uint8Array(), ts, note);
    this.#send(c, BROKER, TCP_SYN | TCP_ACK, new Uint8Array(), ts);
    this.#send(c, CLIENT, TCP_ACK, new Uint8Array(), ts);
    return c;
  }

  /** Segments from `side` carrying `payload` (several when it exceeds one IPv4 packet). */
  #send(c: Connection, side: Side, flags: number, payload: Uint8Array, ts: number, comment?: string, delivered = true): void {
    const o = other(side);
    let at = 0;
    do {
      const chunk = payload.subarray(at, at + MAX_SEGMENT);
      at += chunk.length;
      const frame = ethernetFrame({
        src: c.address[side], dst: c.address[o], srcPort: c.port[side], dstPort: c.port[o],
        seq: c.next[side], ack: c.got[side], flags, ipId: c.ipId[side], payload: chunk,
      });
      c.ipId[side] = (c.ipId[side] + 1) & 0xffff;
      c.next[side] = (c.next[side] + chunk.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0;
      if (delivered) c.got[o] = c.next[side];
      this.#packets.push(enhancedPacket(ts, frame, comment));
      comment = undefined;
    } while (at < payload.length);
  }

  /** A client's address, by order of first appearance: 10.0.1.1, 10.0.1.2, ... 10.0.1.254, 10.0.2.1, ... */
  #host(link: string): Uint8Array {
    let a = this.#hosts.get(link);
    if (!a) {
      const n = this.#hosts.size;
      const net = 1 + Math.floor(n / 254);
      a = Uint8Array.of(10, (net >> 8) & 0xff, net & 0xff, 1 + (n % 254));
      this.#hosts.set(link, a);
    }
    return a;
  }

  /** A remote broker's address, by order of first appearance: 10.0.0.2, 10.0.0.3, ... */
  #remote(url: string): Uint8Array {
    let a = this.#remotes.get(url);
    if (!a) {
      a = Uint8Array.of(10, 0, 0, 2 + (this.#remotes.size % 253));
      this.#remotes.set(url, a);
    }
    return a;
  }

  /** The Name Resolution Block: the broker, each client by its name, each remote broker by its host. */
  #names(): Uint8Array {
    const records: Uint8Array[] = [nameRecord(BROKER_ADDRESS, 'broker')];
    for (const [link, a] of this.#hosts) records.push(nameRecord(a, link));
    for (const [url, a] of this.#remotes) records.push(nameRecord(a, hostOf(url)));
    records.push(new Uint8Array(4)); // nrb_record_end
    return block(BLOCK_NRB, concat(records));
  }
}

function other(side: Side): Side {
  return side === CLIENT ? BROKER : CLIENT;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || url;
  } catch {
    return url;
  }
}

// pcapng blocks: type, total length, body (padded to 32 bits), total length again

function block(type: number, body: Uint8Array): Uint8Array {
  const len = 12 + body.length;
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, len, true);
  out.set(body, 8);
  v.setUint32(len - 4, len, true);
  return out;
}

/** Options, each code, length, value padded to 32 bits, then opt_endofopt; nothing when there are none. */
function options(list: [number, Uint8Array][]): Uint8Array {
  if (!list.length) return new Uint8Array();
  const parts: Uint8Array[] = [];
  for (const [code, value] of [...list, [0, new Uint8Array()] as [number, Uint8Array]]) {
    const o = new Uint8Array(4 + pad4(value.length));
    const v = new DataView(o.buffer);
    v.setUint16(0, code, true);
    v.setUint16(2, value.length, true);
    o.set(value, 4);
    parts.push(o);
  }
  return concat(parts);
}

function sectionHeader(application: string): Uint8Array {
  const head = new Uint8Array(16);
  const v = new DataView(head.buffer);
  v.setUint32(0, 0x1a2b3c4d, true); // byte-order magic
  v.setUint16(4, 1, true); // version 1.0
  v.setUint16(6, 0, true);
  v.setBigInt64(8, -1n, true); // section length not given
  const opts = options([
    [OPT_COMMENT, enc.encode('MQTT frames of the playground; Ethernet, IPv4, TCP headers are synthesised.')],
    [4, enc.encode(application)], // shb_userappl
  ]);
  return block(BLOCK_SHB, concat([head, opts]));
}

function interfaceDescription(): Uint8Array {
  const head = new Uint8Array(8);
  const v = new DataView(head.buffer);
  v.setUint16(0, LINKTYPE_ETHERNET, true);
  v.setUint32(4, 0, true); // snap length: no limit
  const opts = options([
    [2, enc.encode('mqtt-playground')], // if_name
    [9, Uint8Array.of(6)], // if_tsresol: microseconds
  ]);
  return block(BLOCK_IDB, concat([head, opts]));
}

function enhancedPacket(us: number, data: Uint8Array, comment: string | undefined): Uint8Array {
  const head = new Uint8Array(20);
  const v = new DataView(head.buffer);
  const high = Math.floor(us / 2 ** 32);
  v.setUint32(0, 0, true); // interface 0
  v.setUint32(4, high >>> 0, true);
  v.setUint32(8, (us - high * 2 ** 32) >>> 0, true);
  v.setUint32(12, data.length, true); // captured
  v.setUint32(16, data.length, true); // on the wire
  const padded = new Uint8Array(pad4(data.length));
  padded.set(data);
  return block(BLOCK_EPB, concat([head, padded, options(comment ? [[OPT_COMMENT, enc.encode(comment)]] : [])]));
}

/** nrb_record_ipv4: the address, then the name, zero-terminated. */
function nameRecord(address: Uint8Array, name: string): Uint8Array {
  const value = concat([address, enc.encode(name), new Uint8Array(1)]);
  const r = new Uint8Array(4 + pad4(value.length));
  const v = new DataView(r.buffer);
  v.setUint16(0, 1, true);
  v.setUint16(2, value.length, true);
  r.set(value, 4);
  return r;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  return out;
}
