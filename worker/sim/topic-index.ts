/**
 * Every topic the broker has routed a message to, like MQTT Explorer's tree:
 * how many messages, the last payload and when, and whether a retained
 * message is kept for it. Topics the page watches (a selected topic, a chart)
 * also keep a history of their recent messages.
 */
import type { Message } from '../broker';

export interface TopicStat {
  topic: string;
  count: number;
  /** The last payload, up to LAST_BYTES bytes. */
  last: Uint8Array;
  /** The last payload's whole length. */
  lastSize: number;
  lastQos: number;
  /** Virtual ms of the last message. */
  lastAt: number;
  retained: boolean;
}

export interface TopicSample {
  at: number;
  payload: Uint8Array;
  qos: number;
  retain: boolean;
  from: string;
}

const LAST_BYTES = 256;
export const HISTORY_LENGTH = 1000;
const TOPIC_LIMIT = 50_000;

export class TopicIndex {
  readonly #stats = new Map<string, TopicStat>();
  readonly #history = new Map<string, TopicSample[]>();
  /** Bumped on every message, so the page can tell whether to ask again. */
  version = 0;

  /** Called for every routed message. */
  add(m: Message, retainedNow: boolean | undefined): void {
    this.version++;
    let s = this.#stats.get(m.topic);
    if (!s) {
      // a flood of one-off topics must not grow the index without end
      if (this.#stats.size >= TOPIC_LIMIT) return;
      s = { topic: m.topic, count: 0, last: new Uint8Array(0), lastSize: 0, lastQos: 0, lastAt: 0, retained: false };
      this.#stats.set(m.topic, s);
    }
    s.count++;
    s.lastSize = m.payload.length;
    s.last = m.payload.slice(0, LAST_BYTES);
    s.lastQos = m.qos;
    s.lastAt = m.receivedAt;
    if (retainedNow !== undefined) s.retained = retainedNow;
    const h = this.#history.get(m.topic);
    if (h) {
      h.push({ at: m.receivedAt, payload: m.payload.slice(), qos: m.qos, retain: m.retain, from: m.origin });
      if (h.length > HISTORY_LENGTH * 1.25) h.splice(0, h.length - HISTORY_LENGTH);
    }
  }

  /** Every topic seen, sorted by name. */
  stats(): TopicStat[] {
    return [...this.#stats.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }

  setRetained(topic: string, retained: boolean): void {
    const s = this.#stats.get(topic);
    if (s) s.retained = retained;
    this.version++;
  }

  /** Starts or stops keeping the history of a topic. */
  watch(topic: string, on: boolean): void {
    if (on) {
      if (!this.#history.has(topic)) this.#history.set(topic, []);
    } else this.#history.delete(topic);
  }

  history(topic: string, after = -Infinity): TopicSample[] {
    return (this.#history.get(topic) ?? []).filter((x) => x.at > after);
  }

  clear(): void {
    this.#stats.clear();
    for (const h of this.#history.values()) h.length = 0;
    this.version++;
  }
}
