/**
 * Load: many virtual clients publishing at once, to see how the in-page
 * broker copes (and to measure it). Publishers and a subscriber are created
 * as ordinary virtual clients, with their message lists off so that only the
 * broker, the links and the capture do the work; each publisher sends its
 * messages in rounds, yielding between rounds so deliveries flow.
 */
import type { QoS } from '../protocol';
import { defaultClientConfig } from './client-config';
import type { Simulation } from './simulation';

export interface LoadRequest {
  publishers: number;
  /** Topic of publisher i, with {i} replaced: 'sensor/{i}/temperature'. */
  topic: string;
  /** What the subscriber subscribes to: 'sensor/+/temperature'. */
  filter: string;
  qos: QoS;
  messagesPerPublisher: number;
  payloadBytes: number;
  version: 4 | 5;
  /** Messages published between two yields. */
  batch?: number;
}

export interface LoadResult {
  published: number;
  received: number;
  /** Real seconds from the first publish to the last delivery. */
  seconds: number;
  routedPerSecond: number;
  captured: number;
}

/*
 * Yielding lets link deliveries (microtasks) and other tasks run. A
 * MessageChannel yields at once where setTimeout(0) is clamped to 4 ms.
 */
const waiting: (() => void)[] = [];
let channel: MessageChannel | undefined;
function yieldToEvents(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    (channel.port1 as unknown as { unref?: () => void }).unref?.(); // Node: do not hold the process open
  }
  return new Promise((r) => {
    waiting.push(r);
    channel!.port2.postMessage(0);
  });
}

export async function runLoad(sim: Simulation, r: LoadRequest): Promise<LoadResult> {
  if (!(r.publishers >= 1 && r.publishers <= 10_000)) throw new RangeError('publishers must be 1 to 10000');
  if (!(r.messagesPerPublisher >= 1)) throw new RangeError('messagesPerPublisher must be at least 1');
  const tag = Math.random().toString(36).slice(2, 8);
  const names: string[] = [];
  const make = (name: string) => {
    sim.createClient({ ...defaultClientConfig(name, name), version: r.version, keepalive: 0 });
    sim.clients.get(name)!.recordMessages = false;
    names.push(name);
    sim.connect(name);
  };
  try {
    const subName = `load-sub-${tag}`;
    make(subName);
    const pubs: string[] = [];
    for (let i = 0; i < r.publishers; i++) {
      const n = `load-pub-${tag}-${i}`;
      make(n);
      pubs.push(n);
    }
    const sub = sim.clients.get(subName)!;
    await until(() => names.every((n) => sim.clients.get(n)!.vc.status === 'connected'));
    let received = 0;
    const off = sub.vc.on((e) => {
      if (e.kind === 'message') received++;
    });
    sim.subscribe(subName, { topicFilter: r.filter, qos: r.qos });
    await until(() => sub.subscriptions.get(r.filter)?.state === 'active');

    const payload = new Uint8Array(r.payloadBytes).fill(0x41);
    const topics = pubs.map((_, i) => r.topic.replaceAll('{i}', String(i)));
    const clients = pubs.map((n) => sim.clients.get(n)!.vc);
    const total = r.publishers * r.messagesPerPublisher;
    const batch = r.batch ?? 2000;
    const before = sim.capture.lastSeq;
    const t0 = performance.now();
    let sent = 0;
    for (let round = 0; round < r.messagesPerPublisher; round++) {
      for (let i = 0; i < clients.length; i++) {
        clients[i]!.publish({ topic: topics[i]!, payload, qos: r.qos, retain: false });
        if (++sent % batch === 0) await yieldToEvents();
      }
    }
    await until(() => received >= total, 60_000);
    const seconds = (performance.now() - t0) / 1000;
    off();
    return { published: total, received, seconds, routedPerSecond: received / seconds, captured: sim.capture.lastSeq - before };
  } finally {
    for (const n of names) if (sim.clients.has(n)) sim.deleteClient(n);
  }
}

async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const t0 = performance.now();
  while (!done()) {
    if (performance.now() - t0 > timeoutMs) throw new Error('the load did not complete in time');
    await yieldToEvents();
  }
}
