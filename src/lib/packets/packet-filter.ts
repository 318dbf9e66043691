/**
 * Which captured entries the packet log shows: frames by client, packet type
 * (or "malformed"), topic and text; the broker's decisions shown or hidden.
 *
 * The topic box works as in the message list (message-filter.ts): a topic
 * filter when it has wildcards, a part of a topic otherwise:
 *
 *   sensor/+/temp   PUBLISH sensor/1/temp, and the decision "routed sensor/1/temp"
 *   sensor/#        every PUBLISH under sensor, and sensor itself
 *   temp            every topic containing "temp"
 *
 * With a topic given, only entries that have a topic can pass: a PUBLISH, or
 * a decision about a message (routed, queued, dropped, retained, will).
 *
 * Frames name their connection (the virtual client's name), decisions the
 * MQTT client identifier, so the client filter is given both.
 *
 * The capture in the page is one array that grows at its end and is cut at
 * its start, in seq order. Re-filtering 100,000 entries for every batch
 * would cost more than drawing them: `FilteredCapture` tests only the
 * entries that arrived since its last answer and drops from its front what
 * the capture dropped, unless the query changed.
 */
import { hasWildcard, matches } from '../../../worker/protocol/topic';
import type { CaptureEntry, CapturedFrame } from '../../../worker/api';
import type { BrokerEvent } from '../broker/decision-log';
import type { PacketType } from '../../../worker/protocol/types';
import { topicQueryProblem } from '../message-filter';

export type CapturedEvent = Extract<CaptureEntry, { kind: 'event' }>;

/** The packet types, in the specification's order, for the type filter. */
export const PACKET_TYPE_NAMES: readonly PacketType[] = [
  'connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe',
  'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth',
];

export interface PacketQuery {
  /** A connection's name; '' for every client. */
  client: string;
  /** A packet type (malformed ones too), 'malformed' for frames that do not decode, '' for every frame. */
  type: PacketType | 'malformed' | '';
  /** A topic filter (with + or #) or a part of a topic; '' for every topic. */
  topic: string;
  /** Case-insensitive text the line must contain. */
  text: string;
  /** Whether the broker's decisions are interleaved. */
  decisions: boolean;
}

export const ALL_PACKETS: PacketQuery = { client: '', type: '', topic: '', text: '', decisions: true };

export interface FilterContext {
  /** The MQTT client identifier of a connection, which the broker's decisions name. */
  clientIdOf: (name: string) => string | undefined;
  /** A decision's line, as the log shows it (in the page's language). */
  eventText: (e: BrokerEvent) => string;
  /**
   * The lower-case text the text filter searches, by entry, kept from one
   * query to the next (each key typed is a new query); forget it when the
   * language changes.
   */
  searchCache?: WeakMap<CaptureEntry, string>;
}

/** What the text filter searches in an entry: the line as shown, the client, and a decision's English words too. */
export function searchableText(e: CaptureEntry, ctx: FilterContext): string {
  let s = ctx.searchCache?.get(e);
  if (s === undefined) {
    s = (e.kind === 'frame' ? `${e.text}\u0000${e.link}` : `${ctx.eventText(e.event)}\u0000${e.text}`).toLowerCase();
    ctx.searchCache?.set(e, s);
  }
  return s;
}

/** The topic a decision is about, if it is about a message. */
export function eventTopic(e: BrokerEvent): string | undefined {
  return 'topic' in e ? e.topic : undefined;
}

/** The test an entry must pass, or null when every entry passes. An invalid topic filter is left out. */
export function compilePacketQuery(q: PacketQuery, ctx: FilterContext): ((e: CaptureEntry) => boolean) | null {
  const frameTests: ((f: CapturedFrame) => boolean)[] = [];
  const eventTests: ((e: CapturedEvent) => boolean)[] = [];
  if (q.client !== '') {
    const name = q.client;
    const id = ctx.clientIdOf(name) ?? name;
    frameTests.push((f) => f.link === name);
    eventTests.push((e) => e.link === id || (e.event.kind === 'routed' && e.event.from === id));
  }
  if (q.type === 'malformed') frameTests.push((f) => f.error !== undefined);
  else if (q.type !== '') {
    const type = q.type;
    frameTests.push((f) => f.type === type);
  }
  if (q.topic !== '' && topicQueryProblem(q.topic) === null) {
    const t = q.topic;
    const test = hasWildcard(t) ? (topic: string) => matches(t, topic) : (topic: string) => topic.includes(t);
    frameTests.push((f) => f.topic !== undefined && test(f.topic));
    eventTests.push((e) => {
      const topic = eventTopic(e.event);
      return topic !== undefined && test(topic);
    });
  }
  if (q.text !== '') {
    const needle = q.text.toLowerCase();
    frameTests.push((f) => searchableText(f, ctx).includes(needle));
    eventTests.push((e) => searchableText(e, ctx).includes(needle));
  }
  if (!q.decisions) eventTests.unshift(() => false);
  if (frameTests.length === 0 && eventTests.length === 0) return null;
  return (e) => (e.kind === 'frame' ? frameTests.every((t) => t(e)) : eventTests.every((t) => t(e)));
}

export function packetQueryKey(q: PacketQuery): string {
  return [q.client, q.type, q.topic, q.text, q.decisions ? 1 : 0].join('\u0000');
}

/** Index of the first entry whose seq is at least `seq` (entries in seq order); `items.length` when none. */
export function indexOfSeq(items: readonly { seq: number }[], seq: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many entries have a seq of at most `seq`. */
export function countUpTo(items: readonly { seq: number }[], seq: number): number {
  return indexOfSeq(items, seq + 1);
}

/**
 * The entries of the capture that pass a query, kept up to date cheaply.
 * Without a filter the capture's own array is the answer (no copy of
 * 100,000 rows).
 */
export class FilteredCapture {
  #key: string | undefined;
  #items: CaptureEntry[] = [];
  /** The newest seq already tested. */
  #lastSeq = 0;

  /**
   * The entries of `source` (the capture, in seq order, grown at its end and
   * cut at its start since the last call) passing `test`; `key` names the
   * query, and a new key filters everything again.
   */
  update(source: CaptureEntry[], test: ((e: CaptureEntry) => boolean) | null, key: string): CaptureEntry[] {
    const newest = source.length ? source[source.length - 1]!.seq : 0;
    if (!test) {
      this.#items = source;
    } else if (key !== this.#key || this.#items === source || newest < this.#lastSeq) {
      this.#items = source.filter(test);
    } else {
      // what the capture dropped from its start (or all of it, once cleared)
      const first = source.length ? source[0]!.seq : Infinity;
      const cut = indexOfSeq(this.#items, first);
      if (cut > 0) this.#items.splice(0, cut);
      for (let i = indexOfSeq(source, this.#lastSeq + 1); i < source.length; i++) if (test(source[i]!)) this.#items.push(source[i]!);
    }
    this.#key = key;
    this.#lastSeq = newest;
    return this.#items;
  }
}

/** The summary of a frame without its leading packet type, which has a column of its own. */
export function frameSummary(f: CapturedFrame): string {
  const text = f.text;
  if (!f.type) return text;
  const name = f.type.toUpperCase();
  if (text.startsWith(`${name}: `)) return text.slice(name.length + 2);
  if (text.startsWith(`${name} `)) return text.slice(name.length + 1);
  return text;
}
