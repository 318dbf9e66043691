/**
 * The socket scenarios, each run against one broker over TCP loopback from
 * this (the load generator's) process. Each returns plain numbers; run.ts
 * repeats them and takes medians.
 *
 *   fan-in       50 QoS 0 publishers (sensor/<i>/temperature) to one
 *                subscriber of sensor/+/temperature: delivered msg/s, loss
 *   fan-out      1 QoS 0 publisher (bench/fanout) to 100 subscribers: deliveries/s, loss
 *   connections  2,000 CONNECT/CONNACK with at most 100 in progress: connects/s;
 *                then broker RSS growth per idle connection
 *   retained     10,000 retained messages to a new subscriber of '#': time, msg/s
 *
 * QoS 1 and 2 end to end are in qos.ts.
 */
import { encode } from '../../worker/protocol';
import { sleep, type RunningBroker } from './brokers';
import { closeAll, connectMany, RawClient, repeatPacket, T } from './loadgen';
import { Pump } from './pump';

export interface Timing {
  /** Load before measuring, so JITs and socket buffers settle. */
  warmupMs: number;
  measureMs: number;
}

/** Figures every throughput scenario reports alongside its own. */
export interface LoadFigures {
  /** CPU the broker process used during the measurement, in % of one core. */
  brokerCpu: number;
  /** CPU the load generator used during the measurement, in % of one core. */
  loadgenCpu: number;
}

export interface ThroughputResult extends LoadFigures {
  /** Messages (fan-in) or deliveries (fan-out) received per second. */
  rate: number;
  /** Fraction of deliveries sent that never arrived (after draining). */
  loss: number;
}

const enc = new TextEncoder();
/** The payload of the tutorial's sensors: 16 bytes of JSON. */
export const PAYLOAD = enc.encode('{"msg": "17.2"} ');

/** Waits out the warm-up, then reports the rate of `count` over the measurement window and the CPU of both sides. */
export async function measure(b: RunningBroker, t: Timing, count: () => number, onStart?: () => void): Promise<LoadFigures & { rate: number }> {
  await sleep(t.warmupMs);
  onStart?.();
  const c0 = count();
  const b0 = b.cpuMs();
  const l0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(t.measureMs);
  const c1 = count();
  const t1 = performance.now();
  const b1 = b.cpuMs();
  const l = process.cpuUsage(l0);
  const ms = t1 - t0;
  return { rate: ((c1 - c0) / ms) * 1000, brokerCpu: ((b1 - b0) / ms) * 100, loadgenCpu: ((l.user + l.system) / 1000 / ms) * 100 };
}

export async function fanIn(b: RunningBroker, t: Timing, publishers = 50): Promise<ThroughputResult> {
  const sub = await RawClient.connect(b.endpoint, 'fanin-sub');
  let received = 0;
  sub.onFrame = (f) => {
    if (f[0]! >> 4 === T.publish) received++;
  };
  await sub.subscribe('sensor/+/temperature', 0);
  const pubs = await connectMany(b.endpoint, publishers, (i) => `fanin-pub-${i}`);
  const BATCH = 20;
  const pump = new Pump(pubs.map((client, i) => ({
    client,
    batch: repeatPacket(encode({ type: 'publish', topic: `sensor/${i}/temperature`, payload: PAYLOAD, qos: 0, retain: false, dup: false }, 4), BATCH),
    deliveries: BATCH,
  })), 20_000, () => received);
  sub.onReadEnd = pump.kick;
  pump.start();
  const m = await measure(b, t, () => received);
  pump.stop();
  await pump.drain(500, 5000);
  const loss = pump.sent ? Math.max(0, pump.sent - received) / pump.sent : 0;
  await closeAll([...pubs, sub]);
  return { ...m, loss };
}

export async function fanOut(b: RunningBroker, t: Timing, subscribers = 100): Promise<ThroughputResult> {
  const subs = await connectMany(b.endpoint, subscribers, (i) => `fanout-sub-${i}`);
  let received = 0;
  for (const s of subs) {
    s.onFrame = (f) => {
      if (f[0]! >> 4 === T.publish) received++;
    };
  }
  for (const s of subs) await s.subscribe('bench/fanout', 0);
  const pub = await RawClient.connect(b.endpoint, 'fanout-pub');
  const BATCH = 50;
  const batch = repeatPacket(encode({ type: 'publish', topic: 'bench/fanout', payload: PAYLOAD, qos: 0, retain: false, dup: false }, 4), BATCH);
  // 2,000 messages outstanding: 200,000 deliveries, about 7 MB across the sockets
  const pump = new Pump([{ client: pub, batch, deliveries: BATCH * subscribers }], 2000 * subscribers, () => received);
  for (const s of subs) s.onReadEnd = pump.kick;
  pump.start();
  const m = await measure(b, t, () => received);
  pump.stop();
  await pump.drain(500, 5000);
  const loss = pump.sent ? Math.max(0, pump.sent - received) / pump.sent : 0;
  await closeAll([pub, ...subs]);
  return { ...m, loss };
}

export interface ConnectionsResult {
  connectsPerSec: number;
  /** Broker RSS growth per idle connection, in bytes. */
  bytesPerConnection: number;
  /** Of which JavaScript heap in use (Node brokers; NaN for mosquitto), in bytes. */
  heapBytesPerConnection: number;
  /** Growth of the JavaScript heap's committed size per connection (Node brokers), in bytes. */
  heapTotalBytesPerConnection: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
}

export async function connections(b: RunningBroker, n = 2000, concurrency = 100): Promise<ConnectionsResult> {
  // warm up the connect path (and a Node broker's JIT), then measure from a settled baseline
  await closeAll(await connectMany(b.endpoint, 500, (i) => `warm-${i}`, concurrency));
  const heap0 = await b.settle();
  const rssBeforeKiB = b.rssKiB();
  const t0 = performance.now();
  const clients = await connectMany(b.endpoint, n, (i) => `idle-${i}`, concurrency);
  const ms = performance.now() - t0;
  const heap1 = await b.settle();
  const rssAfterKiB = b.rssKiB();
  await closeAll(clients);
  return {
    connectsPerSec: (n / ms) * 1000,
    bytesPerConnection: ((rssAfterKiB - rssBeforeKiB) * 1024) / n,
    heapBytesPerConnection: heap0 && heap1 ? (heap1.heapUsed - heap0.heapUsed) / n : NaN,
    heapTotalBytesPerConnection: heap0 && heap1 ? (heap1.heapTotal - heap0.heapTotal) / n : NaN,
    rssBeforeKiB,
    rssAfterKiB,
  };
}

export interface RetainedResult {
  /** From SUBSCRIBE sent to the last retained message received. */
  ms: number;
  msgsPerSec: number;
  /** How many of the retained messages arrived (all of them, unless the broker dropped some). */
  delivered: number;
}

export async function retained(b: RunningBroker, n = 10_000): Promise<RetainedResult> {
  const pub = await RawClient.connect(b.endpoint, 'retained-pub');
  const CHUNK = 500;
  for (let i = 0; i < n; i += CHUNK) {
    const parts: Uint8Array[] = [];
    for (let j = i; j < Math.min(n, i + CHUNK); j++) {
      parts.push(encode({ type: 'publish', topic: `retained/${j % 100}/${j}`, payload: PAYLOAD, qos: 0, retain: true, dup: false }, 4));
    }
    if (!pub.send(Buffer.concat(parts))) await pub.drained();
  }
  await pub.ping(); // the broker has read them all
  await sleep(200);
  const sub = await RawClient.connect(b.endpoint, 'retained-sub');
  let received = 0;
  let lastAt = 0;
  sub.onFrame = (f) => {
    if (f[0]! >> 4 !== T.publish) return;
    received++;
    lastAt = performance.now();
  };
  const t0 = performance.now();
  await sub.subscribe('#', 0);
  // all of them, or nothing more for a second
  while (received < n && performance.now() - Math.max(lastAt, t0) < 1000) await sleep(5);
  const ms = (received ? lastAt : performance.now()) - t0;
  await closeAll([pub, sub]);
  return { ms, msgsPerSec: (received / ms) * 1000, delivered: received };
}
