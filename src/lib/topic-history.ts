/**
 * Following a topic's recent messages in the worker. The worker keeps the
 * history of a topic only while someone watches it, so watches are counted
 * here: the topic tree's selection and every chart series may watch the
 * same topic, and only the last one to let go stops the worker keeping it.
 *
 * `topicHistory(topic, after)` returns the samples later than `after`
 * (virtual ms). Several messages can share one virtual millisecond (the
 * clock may be paused while clients publish), so a cursor asks from one
 * millisecond earlier and skips what it has already seen at the edge.
 */

/** What the worker sends: the fields of TopicSample that the page reads. */
export interface Sample {
  at: number;
  payload: Uint8Array;
}

export class HistoryCursor {
  #last = -Infinity;
  #seenAtLast = 0;

  /** The `after` to ask the worker with. */
  get after(): number {
    return this.#last - 1;
  }

  /** The samples of `batch` (an answer to `after`) not taken before, in order. */
  take<T extends Sample>(batch: readonly T[]): T[] {
    const out: T[] = [];
    let skip = this.#seenAtLast;
    for (const s of batch) {
      if (s.at < this.#last) continue;
      if (s.at === this.#last && skip > 0) {
        skip--;
        continue;
      }
      out.push(s);
    }
    for (const s of out) {
      if (s.at > this.#last) {
        this.#last = s.at;
        this.#seenAtLast = 1;
      } else this.#seenAtLast++;
    }
    return out;
  }
}

/** Counts the page's reasons to watch each topic; `send` tells the worker on the first and the last. */
export class TopicWatches {
  readonly #counts = new Map<string, number>();
  readonly #send: (topic: string, watch: boolean) => void;

  constructor(send: (topic: string, watch: boolean) => void) {
    this.#send = send;
  }

  /** Starts watching; the function returned stops (once, however often it is called). */
  acquire(topic: string): () => void {
    const n = this.#counts.get(topic) ?? 0;
    this.#counts.set(topic, n + 1);
    if (n === 0) this.#send(topic, true);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#counts.get(topic) ?? 1) - 1;
      if (left > 0) this.#counts.set(topic, left);
      else {
        this.#counts.delete(topic);
        this.#send(topic, false);
      }
    };
  }

  /** Whether anything in the page watches `topic`. */
  watching(topic: string): boolean {
    return this.#counts.has(topic);
  }
}
