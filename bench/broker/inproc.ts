/**
 * In-process figures for our broker alone, with no sockets, run in a fresh
 * process of their own (so the load generator's heap and JIT state do not
 * weigh on them):
 *
 *   node --expose-gc --import tsx bench/broker/inproc.ts [--ms 1500] [--repeats 3]
 *
 * prints {"routedPerSec": [...], "matching": [...]} as JSON.
 *
 *
 *   routed   QoS 0 messages/s from one publisher to one subscriber of
 *            sensor/+/temperature over in-memory links (createLinkPair), the
 *            publisher writing 100 packets per chunk, as a TCP read brings them;
 *            the subscriber counts frames with our Framer.
 *   matching TopicTrie.matchAll with 100,000 subscriptions, µs per publish, on
 *            topics that mostly miss the per-topic match cache: 200,000
 *            distinct topics in shuffled order against a cache of 10,000.
 */
import { Broker } from '../../worker/broker';
import type { Subscription } from '../../worker/broker';
import { TopicTrie } from '../../worker/broker/topic-trie';
import { encode, Framer } from '../../worker/protocol';
import { RealClock } from '../../worker/time/clock';
import { createLinkPair } from '../../worker/transport/link';
import { parseArgs } from 'node:util';

const PAYLOAD = new TextEncoder().encode('{"msg": "17.2"} ');

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Routed QoS 0 messages per second over in-memory links, for about `ms`. */
export async function routed(ms: number): Promise<number> {
  const broker = new Broker({ sysInterval: 0 }, new RealClock());
  const connect = (id: string) => {
    const [client, brokerEnd] = createLinkPair(id);
    broker.accept(brokerEnd);
    const framer = new Framer();
    let frames = 0;
    client.setHandler({ data: (bytes) => (frames += framer.push(bytes).length), close: () => {} });
    client.write(encode({ type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: 0, clientId: id }, 4));
    return { client, frames: () => frames };
  };
  const sub = connect('sub');
  const pub = connect('pub');
  await tick();
  sub.client.write(encode({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'sensor/+/temperature', qos: 0 }] }, 4));
  await tick();
  const msg = encode({ type: 'publish', topic: 'sensor/1/temperature', payload: PAYLOAD, qos: 0, retain: false, dup: false }, 4);
  const chunk = new Uint8Array(msg.length * 100);
  for (let i = 0; i < 100; i++) chunk.set(msg, i * msg.length);

  // 100 chunks (10,000 messages) per turn of the event loop, until the time is up
  const base = sub.frames();
  let sent = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 100; i++) pub.client.write(chunk.slice());
    sent += 10_000;
    await tick();
  }
  while (sub.frames() - base < sent) await tick();
  const rate = (sent / (performance.now() - t0)) * 1000;
  broker.close();
  return rate;
}

/** A deterministic random generator (mulberry32), so every run builds the same subscriptions. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOMES = 5000;
const ROOMS = 10;
const SENSORS = ['temperature', 'humidity', 'motion', 'light'];

/**
 * 100,000 subscriptions of 50,000 clients over home/<h>/<room>/<sensor>
 * (200,000 topics), the shape of a smart-home platform: per home, 70% exact
 * topics, 15% one '+' level (a room's sensors, one sensor in every room), 5%
 * '+/+' and 10% the home's '#'; across homes, 20 dashboards of
 * home/+/<room>/<sensor>, 8 of home/+/+/<sensor> and 2 loggers of '#'.
 * A topic matches about 7 of them.
 */
export function buildSubscriptions(n = 100_000): { trie: TopicTrie<Subscription>; topics: string[] } {
  const rnd = random(42);
  const pick = (k: number) => Math.floor(rnd() * k);
  const trie = new TopicTrie<Subscription>();
  const add = (filter: string, clientId: string) => {
    trie.set(filter, clientId, { topicFilter: filter, matchFilter: filter, group: undefined, qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0, identifier: undefined });
  };
  for (let i = 0; i < 2; i++) add('#', `logger-${i}`);
  for (let i = 0; i < 20; i++) add(`home/+/${pick(ROOMS)}/${SENSORS[pick(SENSORS.length)]!}`, `dashboard-${i}`);
  for (let i = 0; i < 8; i++) add(`home/+/+/${SENSORS[i % SENSORS.length]!}`, `dashboard-all-${i}`);
  for (let i = 0; trie.size < n; i++) {
    const client = `client-${i % 50_000}`;
    const h = pick(HOMES);
    const r = pick(ROOMS);
    const s = SENSORS[pick(SENSORS.length)]!;
    const x = rnd();
    if (x < 0.7) add(`home/${h}/${r}/${s}`, client);
    else if (x < 0.775) add(`home/${h}/${r}/+`, client);
    else if (x < 0.85) add(`home/${h}/+/${s}`, client);
    else if (x < 0.9) add(`home/${h}/+/+`, client);
    else add(`home/${h}/#`, client);
  }
  const topics: string[] = [];
  for (let h = 0; h < HOMES; h++) for (let r = 0; r < ROOMS; r++) for (const s of SENSORS) topics.push(`home/${h}/${r}/${s}`);
  for (let i = topics.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [topics[i], topics[j]] = [topics[j]!, topics[i]!];
  }
  return { trie, topics };
}

export interface MatchingResult {
  /** µs per matchAll on topics that miss the cache. */
  usPerPublish: number;
  /** µs per matchAll on one topic again and again (cache hits), for comparison. */
  usPerCachedPublish: number;
  /** Average number of matching subscriptions per topic. */
  matchesPerTopic: number;
  subscriptions: number;
}

/** Times matchAll over the shuffled topics for about `ms`. */
export function matching(ms: number, built = buildSubscriptions()): MatchingResult {
  const { trie, topics } = built;
  let found = 0;
  let calls = 0;
  let i = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let k = 0; k < 1000; k++) {
      found += trie.matchAll(topics[i]!).length;
      i = i + 1 === topics.length ? 0 : i + 1;
    }
    calls += 1000;
  }
  const usPerPublish = ((performance.now() - t0) * 1000) / calls;
  const hot = topics[0]!;
  let hits = 0;
  const t1 = performance.now();
  while (performance.now() - t1 < ms / 4) {
    for (let k = 0; k < 1000; k++) trie.matchAll(hot);
    hits += 1000;
  }
  const usPerCachedPublish = ((performance.now() - t1) * 1000) / hits;
  return { usPerPublish, usPerCachedPublish, matchesPerTopic: found / calls, subscriptions: trie.size };
}

/** Both figures, `repeats` times each after a warm-up, with a full GC before every measurement. */
export async function inProcessFigures(ms: number, repeats: number): Promise<{ routedPerSec: number[]; matching: MatchingResult[] }> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const routedPerSec: number[] = [];
  await routed(ms / 2);
  for (let i = 0; i < repeats; i++) {
    gc();
    routedPerSec.push(await routed(ms));
  }
  const built = buildSubscriptions();
  matching(ms / 2, built);
  const results: MatchingResult[] = [];
  for (let i = 0; i < repeats; i++) {
    gc();
    results.push(matching(ms, built));
  }
  return { routedPerSec, matching: results };
}

if (process.argv[1]?.endsWith('inproc.ts')) {
  const { values } = parseArgs({ options: { ms: { type: 'string' }, repeats: { type: 'string' } } });
  const figures = await inProcessFigures(Number(values.ms ?? 1500), Number(values.repeats ?? 3));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}
