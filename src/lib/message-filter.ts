/**
 * Which of a connection's messages the list shows: by direction (All /
 * Received / Published, as in MQTTX), by topic and by text in the payload.
 *
 * The topic box takes a topic filter when it has wildcards, and a part of a
 * topic otherwise:
 *
 *   sensor/+/temperature   matches sensor/1/temperature, not sensor/1/humidity
 *   sensor/#               matches sensor, sensor/1, sensor/1/temperature
 *   temp                   matches every topic containing "temp"
 *   a/#/b                  is not a valid filter: the list says why and stays unfiltered
 *
 * The text search is case-insensitive and looks at the payload read as
 * UTF-8 (its first 64 KiB).
 *
 * With 100,000 messages, filtering again on every batch would cost more
 * than drawing; `FilteredMessages` only looks at the messages added since
 * its last answer, unless the query changed or old messages were dropped.
 */
import { hasWildcard, matches, topicFilterProblem } from '../../worker/protocol/topic';

export type Direction = 'all' | 'received' | 'sent';

export interface MessageQuery {
  /** A topic filter (with + or #) or a part of a topic; empty for every topic. */
  topic: string;
  /** Text to find in payloads; empty for every payload. */
  text: string;
  direction: Direction;
}

/** What the filter needs of a message. */
export interface FilterableMessage {
  direction: 'sent' | 'received';
  topic: string;
  payload: Uint8Array;
}

export const EMPTY_QUERY: MessageQuery = { topic: '', text: '', direction: 'all' };

/** Bytes of a payload the text search reads. */
export const SEARCH_LIMIT = 64 * 1024;

/** Why the topic box's text cannot be used as a filter, or null. */
export function topicQueryProblem(topic: string): string | null {
  if (topic === '' || !hasWildcard(topic)) return null;
  return topicFilterProblem(topic, false);
}

/** The test a message must pass, or null when every message passes. An invalid topic filter is left out. */
export function compileQuery(q: MessageQuery): ((m: FilterableMessage) => boolean) | null {
  const tests: ((m: FilterableMessage) => boolean)[] = [];
  if (q.direction !== 'all') tests.push((m) => m.direction === q.direction);
  if (q.topic !== '' && topicQueryProblem(q.topic) === null) {
    const t = q.topic;
    tests.push(hasWildcard(t) ? (m) => matches(t, m.topic) : (m) => m.topic.includes(t));
  }
  if (q.text !== '') {
    const needle = q.text.toLowerCase();
    tests.push((m) => searchText(m.payload).includes(needle));
  }
  if (tests.length === 0) return null;
  if (tests.length === 1) return tests[0]!;
  return (m) => tests.every((f) => f(m));
}

const decoder = new TextDecoder('utf-8');
const texts = new WeakMap<Uint8Array, string>();

/** The payload as lower-case text for searching, decoded once per payload. */
export function searchText(payload: Uint8Array): string {
  let s = texts.get(payload);
  if (s === undefined) {
    s = decoder.decode(payload.length > SEARCH_LIMIT ? payload.subarray(0, SEARCH_LIMIT) : payload).toLowerCase();
    texts.set(payload, s);
  }
  return s;
}

export function queryKey(q: MessageQuery): string {
  return `${q.direction}\u0000${q.topic}\u0000${q.text}`;
}

/**
 * The messages of one list that pass a query, kept up to date cheaply: when
 * the source only grew, only the new messages are tested. Without a filter
 * the source array itself is the answer (no copy of 100,000 rows).
 */
export class FilteredMessages<M extends FilterableMessage> {
  #source: readonly M[] | undefined;
  #first: M | undefined;
  #length = 0;
  #key = '';
  #items: M[] = [];

  /** The messages passing `q`; the same array, grown, when only new messages were added. */
  update(source: M[], q: MessageQuery): M[] {
    const key = queryKey(q);
    const test = compileQuery(q);
    const appended = source === this.#source && key === this.#key && source[0] === this.#first && source.length >= this.#length;
    if (!test) this.#items = source;
    else if (appended && this.#items !== source) {
      for (let i = this.#length; i < source.length; i++) if (test(source[i]!)) this.#items.push(source[i]!);
    } else this.#items = source.filter(test);
    this.#source = source;
    this.#first = source[0];
    this.#length = source.length;
    this.#key = key;
    return this.#items;
  }
}
