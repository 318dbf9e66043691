/**
 * The load generator's clients: raw MQTT 3.1.1 over node:net sockets, built
 * on our own encode and Framer, with no client library in the way. Hot paths
 * write pre-encoded batches (one socket write carries many packets) and read
 * PUBLISH headers in place instead of decoding whole packets; every writer
 * honours backpressure (`writable` / `drained()`).
 *
 *   const c = await RawClient.connect(ep, 'sub-1');
 *   c.onFrame = (f) => { if (f[0]! >> 4 === 3) received++; };
 *   await c.subscribe('sensor/+/temperature', 0);
 *   await c.close();
 */
import { connect as netConnect, type Socket } from 'node:net';
import { decode, encode, Framer, type Packet, type QoS } from '../../worker/protocol';

export interface Endpoint {
  host: string;
  port: number;
}

export interface ConnectOptions {
  keepalive?: number;
  /** Give up (reject) after this many ms without a CONNACK; default 10 s. */
  timeoutMs?: number;
}

/** Packet type codes of the fixed header (byte 0 >> 4). */
export const T = { connack: 2, publish: 3, puback: 4, pubrec: 5, pubrel: 6, pubcomp: 7, suback: 9, pingresp: 13 } as const;

export class RawClient {
  readonly socket: Socket;
  readonly clientId: string;
  /** Called for every frame that no waiter took; the frame is a view, valid only during the call. */
  onFrame: ((frame: Uint8Array) => void) | undefined;
  /** Called after all frames of one socket read were handled: the place to flush batched acks. */
  onReadEnd: (() => void) | undefined;
  #framer = new Framer({ maximumPacketSize: 16 * 1024 * 1024 });
  #waiters: { type: number; resolve: (frame: Uint8Array) => void }[] = [];
  #closed: Promise<void>;
  #nextId = 1;

  private constructor(clientId: string, ep: Endpoint) {
    this.clientId = clientId;
    // reads land in one shared buffer, with no stream machinery: the load
    // generator must stay cheaper than the brokers even when every read is one small packet
    this.socket = netConnect({ host: ep.host, port: ep.port, onread: { buffer: READ_BUFFER, callback: (n, buf) => this.#onData(buf, n) } });
    this.socket.setNoDelay(true);
    this.socket.on('error', () => {}); // the close that follows is what counts
    this.#closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  /** Opens a TCP connection and completes CONNECT/CONNACK; rejects on refusal, error or timeout. */
  static connect(ep: Endpoint, clientId: string, opts: ConnectOptions = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const c = new RawClient(clientId, ep);
      const socket = c.socket;
      const fail = (why: string) => {
        clearTimeout(timer);
        socket.off('close', onClose);
        socket.destroy();
        reject(new Error(`${clientId}: ${why}`));
      };
      const onClose = () => fail('closed before CONNACK');
      const timer = setTimeout(() => fail('no CONNACK in time'), opts.timeoutMs ?? 10_000);
      socket.on('close', onClose);
      socket.once('connect', () => {
        c.send(encode({ type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: opts.keepalive ?? 60, clientId }, 4));
      });
      c.#wait(T.connack).then((frame) => {
        clearTimeout(timer);
        socket.off('close', onClose);
        const p = decode(frame, 4);
        if (p.type !== 'connack' || p.reasonCode !== 0) return fail(`CONNACK refused (${p.type === 'connack' ? p.reasonCode : p.type})`);
        resolve(c);
      }, () => {});
    });
  }

  /** False while the socket's buffer is over its high-water mark: wait for drained() before writing more. */
  get writable(): boolean {
    return !this.socket.writableNeedDrain && !this.socket.destroyed;
  }

  send(bytes: Uint8Array): boolean {
    return this.socket.write(bytes);
  }

  drained(): Promise<void> {
    if (this.writable || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** SUBSCRIBE and wait for SUBACK; rejects if the broker refused the filter. */
  async subscribe(topicFilter: string, qos: QoS): Promise<void> {
    const packetId = this.#nextId++;
    const acked = this.#wait(T.suback);
    this.send(encode({ type: 'subscribe', packetId, subscriptions: [{ topicFilter, qos }] }, 4));
    const p = decode(await acked, 4) as Extract<Packet, { type: 'suback' }>;
    if ((p.reasonCodes[0] ?? 0x80) >= 0x80) throw new Error(`${this.clientId}: SUBSCRIBE ${topicFilter} refused`);
  }

  /** PINGREQ and wait for PINGRESP: everything sent before it has been read by the broker. */
  async ping(): Promise<void> {
    const pong = this.#wait(T.pingresp);
    this.send(PINGREQ);
    await pong;
  }

  /** DISCONNECT, then wait (at most `graceMs`) for the broker to close, so TIME_WAIT stays on its side. */
  async close(graceMs = 2000): Promise<void> {
    if (this.socket.destroyed) return;
    this.socket.write(DISCONNECT);
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    await this.#closed;
    clearTimeout(timer);
  }

  #wait(type: number): Promise<Uint8Array> {
    return new Promise((resolve) => this.#waiters.push({ type, resolve }));
  }

  /** The frames are views of the shared read buffer: handled before the next read, copied if kept. */
  #onData(buf: Uint8Array, n: number): boolean {
    let frames: Uint8Array[];
    try {
      frames = this.#framer.push(buf.subarray(0, n));
    } catch (e) {
      console.error(`${this.clientId}: the broker sent a malformed packet: ${(e as Error).message}`);
      this.socket.destroy();
      return false;
    }
    const on = this.onFrame;
    for (const f of frames) {
      if (this.#waiters.length) {
        const i = this.#waiters.findIndex((w) => w.type === f[0]! >> 4);
        if (i >= 0) {
          this.#waiters.splice(i, 1)[0]!.resolve(f.slice());
          continue;
        }
      }
      on?.(f);
    }
    this.onReadEnd?.();
    return true;
  }
}

const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const PINGREQ = encode({ type: 'pingreq' }, 4);
const DISCONNECT = encode({ type: 'disconnect' }, 4);

/** Where the fields of a received 3.1.1 PUBLISH frame are, read in place. */
export interface PublishView {
  qos: number;
  packetId: number;
  /** Offset of the payload in the frame. */
  payloadAt: number;
}

export function viewPublish(f: Uint8Array, out: PublishView): PublishView {
  let i = 1;
  while (f[i]! & 0x80) i++;
  i++;
  i += 2 + ((f[i]! << 8) | f[i + 1]!);
  out.qos = (f[0]! >> 1) & 3;
  if (out.qos > 0) {
    out.packetId = (f[i]! << 8) | f[i + 1]!;
    i += 2;
  } else out.packetId = 0;
  out.payloadAt = i;
  return out;
}

/** A 2-byte-identifier acknowledgement (PUBACK, PUBREC, PUBREL, PUBCOMP) written into `buf` at `at`. */
export function putAck(buf: Uint8Array, at: number, first: number, packetId: number): number {
  buf[at] = first;
  buf[at + 1] = 2;
  buf[at + 2] = packetId >> 8;
  buf[at + 3] = packetId & 0xff;
  return at + 4;
}

export const ACK = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 } as const;

/** `count` copies of one packet in one buffer: a batch written with a single socket write. */
export function repeatPacket(packet: Uint8Array, count: number): Buffer {
  const b = Buffer.allocUnsafe(packet.length * count);
  for (let i = 0; i < count; i++) b.set(packet, i * packet.length);
  return b;
}

/** Opens `n` connections, at most `concurrency` at a time; `id(i)` names them. */
export async function connectMany(ep: Endpoint, n: number, id: (i: number) => string, concurrency = 50, opts: ConnectOptions = {}): Promise<RawClient[]> {
  const out: RawClient[] = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await RawClient.connect(ep, id(i), opts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return out;
}

/** Closes clients, many at a time. */
export async function closeAll(clients: RawClient[], graceMs = 2000): Promise<void> {
  await Promise.all(clients.map((c) => c.close(graceMs)));
}
