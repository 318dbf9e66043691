/**
 * A client's messages, sent and received, for its chat-style list: bounded,
 * oldest dropped first, each numbered so the UI can ask for what it lacks.
 */
import type { Properties, QoS } from '../protocol';

export interface MessageRecord {
  /** Increasing per client. */
  id: number;
  client: string;
  direction: 'sent' | 'received';
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  packetId: number | undefined;
  properties: Properties | undefined;
  /** Virtual and wall time. */
  at: number;
  wallAt: number;
  /** Received: the subscriptions of this client whose filter matches the topic. */
  matched: string[];
  /** Sent: the reason code of its acknowledgement once it arrived (QoS 1/2). */
  ackReasonCode: number | undefined;
}

export class MessageLog {
  readonly capacity: number;
  #items: MessageRecord[] = [];
  #head = 0;
  #next = 1;

  constructor(capacity = 10_000) {
    this.capacity = capacity;
  }

  add(m: Omit<MessageRecord, 'id'>): MessageRecord {
    const r = { ...m, id: this.#next++ } as MessageRecord;
    this.#items.push(r);
    if (this.#items.length - this.#head > this.capacity) this.#head++;
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return r;
  }

  /** Messages with id > `after`, oldest first. */
  since(after = 0): MessageRecord[] {
    const out: MessageRecord[] = [];
    for (let i = this.#items.length - 1; i >= this.#head; i--) {
      const m = this.#items[i]!;
      if (m.id <= after) break;
      out.push(m);
    }
    return out.reverse();
  }

  /** The newest message for which `pred` holds, searching from the end. */
  findLast(pred: (m: MessageRecord) => boolean): MessageRecord | undefined {
    for (let i = this.#items.length - 1; i >= this.#head; i--) if (pred(this.#items[i]!)) return this.#items[i];
    return undefined;
  }

  find(id: number): MessageRecord | undefined {
    for (let i = this.#items.length - 1; i >= this.#head; i--) if (this.#items[i]!.id === id) return this.#items[i];
    return undefined;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}
