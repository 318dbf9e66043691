/**
 * Retained messages: the last message published with RETAIN on each topic
 * (§3.3.1.3). An empty payload deletes the topic's message; expired messages
 * are dropped when they are next looked at.
 */
import { hasWildcard, matches } from '../protocol';
import { ownPayload, type Message } from './message';

export class RetainStore {
  #byTopic = new Map<string, Message>();

  get size(): number {
    return this.#byTopic.size;
  }

  /** Stores or, for an empty payload, deletes; returns whether the topic now has a message. */
  set(message: Message): boolean {
    if (message.payload.length === 0) {
      this.#byTopic.delete(message.topic); // [MQTT-3.3.1-6]
      return false;
    }
    this.#byTopic.set(message.topic, ownPayload(message)); // [MQTT-3.3.1-5]
    return true;
  }

  get(topic: string): Message | undefined {
    return this.#byTopic.get(topic);
  }

  delete(topic: string): boolean {
    return this.#byTopic.delete(topic);
  }

  clear(): void {
    this.#byTopic.clear();
  }

  /** Live retained messages matching a topic filter, oldest topic first. */
  match(filter: string, now: number): Message[] {
    if (!hasWildcard(filter)) {
      const m = this.#byTopic.get(filter);
      return m && this.#alive(m, now) ? [m] : [];
    }
    const out: Message[] = [];
    for (const m of this.#byTopic.values()) {
      if (matches(filter, m.topic) && this.#alive(m, now)) out.push(m);
    }
    return out;
  }

  all(now: number): Message[] {
    return [...this.#byTopic.values()].filter((m) => this.#alive(m, now));
  }

  #alive(m: Message, now: number): boolean {
    if (m.expiresAt !== undefined && m.expiresAt <= now) {
      this.#byTopic.delete(m.topic); // expired retained messages are not delivered [MQTT-3.3.2-5]
      return false;
    }
    return true;
  }
}
