/**
 * QoS 1 and QoS 2 end to end: 10 publishers (bench/qos/<i>) to one subscriber
 * of bench/qos/+ that acknowledges everything (PUBACK; PUBREC then PUBCOMP),
 * acknowledgements batched per socket read, as a real client would.
 *
 * Each publisher keeps at most WINDOW messages in flight: unacknowledged by
 * the broker (PUBACK / PUBCOMP) and, separately, not yet delivered to the
 * subscriber. The second bound keeps the total (200) far below the brokers'
 * 1000-message queue limit, so a loss is a broker's fault, never the
 * benchmark's. Every payload carries the send time (float64), the publisher
 * and a sequence number: latency is receipt minus send time (one clock, this
 * process), and loss and duplicates are counted per message.
 */
import type { QoS } from '../../worker/protocol';
import { encode } from '../../worker/protocol';
import { sleep, type RunningBroker } from './brokers';
import { ACK, closeAll, connectMany, putAck, RawClient, T, viewPublish, type PublishView } from './loadgen';
import { measure, type LoadFigures, type Timing } from './scenarios';

export interface QosResult extends LoadFigures {
  /** Messages delivered to the subscriber per second. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  /** Messages sent and never delivered (after every flow completed or timed out). */
  lost: number;
  duplicates: number;
  sent: number;
}

const PUBLISHERS = 10;
const WINDOW = 20;

interface Publisher {
  client: RawClient;
  index: number;
  seq: number;
  unacked: number;
  undelivered: number;
  template: Uint8Array;
  /** Offset of the packet identifier in the template; the payload follows it. */
  idAt: number;
  /** Per sequence number: 0 not delivered (yet), 1 delivered, 2 written off as lost. */
  seen: Uint8Array;
  /** Highest sequence number delivered or written off. */
  last: number;
  /** Clock time of the last acknowledgement or delivery. */
  progressAt: number;
  /** Acknowledgements written off, absorbed if they come after all. */
  acksWrittenOff: number;
}

/** A publisher that made no progress for this long has its in-flight messages written off as lost. */
const STALL_MS = 250;

export async function endToEnd(b: RunningBroker, t: Timing, qos: 1 | 2): Promise<QosResult> {
  const tag = `qos${qos}`;
  const sub = await RawClient.connect(b.endpoint, `${tag}-sub`);
  await sub.subscribe(`bench/${tag}/+`, qos as QoS);
  const clients = await connectMany(b.endpoint, PUBLISHERS, (i) => `${tag}-pub-${i}`);
  const pubs: Publisher[] = clients.map((client, index) => {
    const template = encode({ type: 'publish', topic: `bench/${tag}/${index}`, payload: new Uint8Array(16), qos, packetId: 1, retain: false, dup: false }, 4);
    return { client, index, seq: 0, unacked: 0, undelivered: 0, template, idAt: template.length - 18, seen: new Uint8Array(1 << 16), last: -1, progressAt: 0, acksWrittenOff: 0 };
  });

  let running = true;
  const send = (p: Publisher) => {
    const room = WINDOW - Math.max(p.unacked, p.undelivered);
    if (!running || room <= 0 || !p.client.writable) return;
    if (p.seq + room > p.seen.length) {
      const grown = new Uint8Array(p.seen.length * 2);
      grown.set(p.seen);
      p.seen = grown;
    }
    const size = p.template.length;
    const buf = Buffer.allocUnsafe(size * room);
    const now = performance.now();
    for (let k = 0; k < room; k++) {
      const at = k * size;
      buf.set(p.template, at);
      const seq = p.seq++;
      const id = (seq % 65535) + 1;
      buf[at + p.idAt] = id >> 8;
      buf[at + p.idAt + 1] = id & 0xff;
      buf.writeDoubleLE(now, at + p.idAt + 2);
      buf.writeUInt32LE(p.index, at + p.idAt + 10);
      buf.writeUInt32LE(seq, at + p.idAt + 14);
    }
    p.unacked += room;
    p.undelivered += room;
    p.client.send(buf);
  };

  for (const p of pubs) {
    const acks: number[] = [];
    p.client.onFrame = (f) => {
      const type = f[0]! >> 4;
      if (type === T.puback || type === T.pubcomp) {
        p.progressAt = performance.now();
        if (p.acksWrittenOff > 0) p.acksWrittenOff--;
        else p.unacked--;
      } else if (type === T.pubrec) acks.push((f[2]! << 8) | f[3]!);
    };
    p.client.onReadEnd = () => {
      if (acks.length) {
        const buf = Buffer.allocUnsafe(acks.length * 4);
        for (let k = 0; k < acks.length; k++) putAck(buf, k * 4, ACK.pubrel, acks[k]!);
        acks.length = 0;
        p.client.send(buf);
      }
      send(p);
    };
    p.client.socket.on('drain', () => send(p));
  }

  /** Marks the messages of `p` not delivered below `end` as lost; they no longer hold its window. */
  const writeOff = (p: Publisher, end: number) => {
    for (let q = p.last + 1; q < end; q++) {
      if (p.seen[q] === 0) {
        p.seen[q] = 2;
        p.undelivered--;
      }
    }
    if (end - 1 > p.last) p.last = end - 1;
  };

  // the subscriber
  let delivered = 0;
  let duplicates = 0;
  let sampling = false;
  const latencies: number[] = [];
  const subAcks: number[] = [];
  const view: PublishView = { qos: 0, packetId: 0, payloadAt: 0 };
  sub.onFrame = (f) => {
    const type = f[0]! >> 4;
    if (type === T.pubrel) {
      subAcks.push(ACK.pubcomp, (f[2]! << 8) | f[3]!);
      return;
    }
    if (type !== T.publish) return;
    viewPublish(f, view);
    const dv = new DataView(f.buffer, f.byteOffset + view.payloadAt, 16);
    const p = pubs[dv.getUint32(8, true)]!;
    const seq = dv.getUint32(12, true);
    const was = p.seen[seq];
    if (was === 1) duplicates++;
    else {
      // messages of one publisher arrive in order [MQTT-4.6.0-6]: a gap before this one was dropped
      if (seq > p.last + 1) writeOff(p, seq);
      if (seq > p.last) p.last = seq;
      p.seen[seq] = 1;
      delivered++;
      p.progressAt = performance.now();
      if (was === 0) p.undelivered--;
      if (sampling) latencies.push(performance.now() - dv.getFloat64(0, true));
    }
    subAcks.push(view.qos === 1 ? ACK.puback : ACK.pubrec, view.packetId);
  };
  sub.onReadEnd = () => {
    if (subAcks.length) {
      const buf = Buffer.allocUnsafe(subAcks.length * 2);
      for (let k = 0; k < subAcks.length; k += 2) putAck(buf, k * 2, subAcks[k]!, subAcks[k + 1]!);
      subAcks.length = 0;
      sub.send(buf);
    }
    for (const p of pubs) send(p);
  };

  // a broker that drops messages (or acknowledgements) must not stall the run: write them off, count them at the end
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const p of pubs) {
      if ((p.unacked === 0 && p.undelivered === 0) || now - p.progressAt < STALL_MS) continue;
      writeOff(p, p.seq);
      p.acksWrittenOff += p.unacked;
      p.unacked = 0;
      p.progressAt = now;
      send(p);
    }
  }, 100);
  for (const p of pubs) {
    p.progressAt = performance.now();
    send(p);
  }
  const m = await measure(b, t, () => delivered, () => (sampling = true));
  sampling = false;
  running = false;
  // every flow completes or is written off
  const t0 = performance.now();
  while (pubs.some((p) => p.unacked > 0 || p.undelivered > 0) && performance.now() - t0 < 5000) await sleep(10);
  await sleep(50);
  clearInterval(watchdog);
  if (process.env.BENCH_DEBUG) console.log(pubs.map((p) => `${p.index}: seq ${p.seq} unacked ${p.unacked} undelivered ${p.undelivered}`).join('\n'));
  const sent = pubs.reduce((n, p) => n + p.seq, 0);
  const sorted = latencies.sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  await closeAll([...clients, sub]);
  return { ...m, p50Ms: at(0.5), p99Ms: at(0.99), lost: sent - delivered, duplicates, sent };
}
