/**
 * The network between a virtual client and the broker: a pair of Links with
 * conditions the learner sets. Latency delays every write, bandwidth spaces
 * them out, and a cut silently drops bytes both ways without closing anything
 * (a half-open connection: only keep alive can notice it, which is what the
 * will demo needs). Closing is separate: either end may close, and the other
 * end learns of it after the bytes already on their way, unless the path is
 * cut, in which case it never learns.
 */
import type { Clock, TimerId } from '../time/clock';
import type { Link, LinkHandler } from '../transport/link';

export type Direction = 'to-broker' | 'to-client';

export interface NetworkConditions {
  /** One-way delay in ms. */
  latency: number;
  /** Bytes per second each way; 0 is unlimited. */
  bandwidth: number;
  /** Drop every byte both ways, without closing. */
  cut: boolean;
}

export const NO_CONDITIONS: Readonly<NetworkConditions> = { latency: 0, bandwidth: 0, cut: false };

/** What a capture learns of each write: sent, then arrived or lost. */
export interface PathTap<R> {
  sent(dir: Direction, bytes: Uint8Array, at: number): R;
  arrived(record: R, at: number): void;
  lost(record: R, at: number, why: string): void;
}

interface InFlight<R> {
  bytes: Uint8Array | null; // null: the close notification
  arrival: number;
  record: R | undefined;
  reason?: string;
}

class Lane<R> {
  /** In flight, oldest first from `head` (an index, so taking one is not a shift of the array). */
  queue: InFlight<R>[] = [];
  head = 0;
  lastArrival = 0;
  lastTxEnd = 0;
  timer: TimerId | undefined;
  microtask = false;
  handler: LinkHandler | undefined;
  /** Bytes that arrived before the receiving end had a handler. */
  early: InFlight<R>[] = [];
}

export class NetworkPath<R = unknown> {
  conditions: NetworkConditions = { ...NO_CONDITIONS };
  readonly clientEnd: Link;
  readonly brokerEnd: Link;
  /** Bytes carried and dropped, per direction. */
  readonly stats = { toBroker: 0, toClient: 0, dropped: 0 };
  readonly #clock: Clock;
  readonly #tap: PathTap<R> | undefined;
  readonly #lanes: Record<Direction, Lane<R>> = { 'to-broker': new Lane(), 'to-client': new Lane() };
  #closed = false;

  constructor(clock: Clock, label: string, tap?: PathTap<R>) {
    this.#clock = clock;
    this.#tap = tap;
    const self = this as NetworkPath<unknown>;
    this.clientEnd = new PathEnd(self, 'to-broker', `${label} (client)`);
    this.brokerEnd = new PathEnd(self, 'to-client', `${label} (broker)`);
  }

  get closed(): boolean {
    return this.#closed;
  }

  setConditions(c: Partial<NetworkConditions>): void {
    if (c.latency !== undefined && !(c.latency >= 0)) throw new RangeError('latency must be 0 or more milliseconds');
    if (c.bandwidth !== undefined && !(c.bandwidth >= 0)) throw new RangeError('bandwidth must be 0 (unlimited) or more bytes per second');
    const wasCut = this.conditions.cut;
    this.conditions = { ...this.conditions, ...c };
    if (this.conditions.cut && !wasCut) {
      // what is on the wire when the cable is pulled is lost, even if it is plugged back in before it would have arrived
      const now = this.#clock.now();
      this.#dropQueued('to-broker', now, 'the link was cut while it was on its way');
      this.#dropQueued('to-client', now, 'the link was cut while it was on its way');
    }
  }

  /** Pull the cable: bytes vanish both ways, those on their way too; nobody is told. */
  cut(): void {
    this.setConditions({ cut: true });
  }

  restore(): void {
    this.setConditions({ cut: false });
  }

  /** @internal */ handlerFor(dir: Direction, handler: LinkHandler): void {
    const lane = this.#lanes[dir];
    lane.handler = handler;
    const early = lane.early;
    lane.early = [];
    for (const item of early) this.#hand(lane, item);
  }

  /** @internal */ send(dir: Direction, bytes: Uint8Array): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    const record = this.#tap?.sent(dir, bytes, now);
    if (dir === 'to-broker') this.stats.toBroker += bytes.length;
    else this.stats.toClient += bytes.length;
    if (this.conditions.cut) {
      this.stats.dropped += bytes.length;
      if (record !== undefined) this.#tap!.lost(record, now, 'the link is cut');
      return;
    }
    this.#enqueue(dir, { bytes, arrival: this.#arrival(dir, bytes.length, now), record });
  }

  /** @internal */ closeFrom(dir: Direction, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    const now = this.#clock.now();
    // the closing end is done at once; the other end hears of it after what is on its way
    const other: Direction = dir;
    const own: Direction = dir === 'to-broker' ? 'to-client' : 'to-broker';
    this.#dropQueued(own, now, 'the receiving end closed');
    this.#deliverClose(own, undefined);
    if (!this.conditions.cut) this.#enqueue(other, { bytes: null, arrival: this.#arrival(other, 0, now), record: undefined, reason });
  }

  #arrival(dir: Direction, size: number, now: number): number {
    const lane = this.#lanes[dir];
    const { latency, bandwidth } = this.conditions;
    const txStart = Math.max(now, lane.lastTxEnd);
    const txEnd = bandwidth > 0 ? txStart + (size * 1000) / bandwidth : txStart;
    lane.lastTxEnd = txEnd;
    const arrival = Math.max(txEnd + latency, lane.lastArrival); // never overtakes what went before
    lane.lastArrival = arrival;
    return arrival;
  }

  #enqueue(dir: Direction, item: InFlight<R>): void {
    const lane = this.#lanes[dir];
    lane.queue.push(item);
    this.#wake(dir);
  }

  #wake(dir: Direction): void {
    const lane = this.#lanes[dir];
    const head = lane.queue[lane.head];
    if (!head) return;
    const wait = head.arrival - this.#clock.now();
    if (wait <= 0) {
      if (!lane.microtask) {
        lane.microtask = true;
        queueMicrotask(() => {
          lane.microtask = false;
          this.#flush(dir);
        });
      }
    } else if (lane.timer === undefined) {
      lane.timer = this.#clock.setTimeout(() => {
        lane.timer = undefined;
        this.#flush(dir);
      }, wait);
    }
  }

  #flush(dir: Direction): void {
    const lane = this.#lanes[dir];
    const now = this.#clock.now();
    while (lane.head < lane.queue.length && lane.queue[lane.head]!.arrival <= now) {
      const item = lane.queue[lane.head]!;
      lane.queue[lane.head++] = undefined as unknown as InFlight<R>;
      if (lane.head === lane.queue.length) {
        lane.queue = [];
        lane.head = 0;
      }
      if (this.conditions.cut) {
        // lost on the wire when the cable was pulled
        if (item.bytes) this.stats.dropped += item.bytes.length;
        if (item.record !== undefined) this.#tap!.lost(item.record, now, 'the link was cut while it was on its way');
        continue;
      }
      this.#hand(lane, item);
    }
    this.#wake(dir);
  }

  #hand(lane: Lane<R>, item: InFlight<R>): void {
    if (!lane.handler) {
      lane.early.push(item);
      return;
    }
    if (item.bytes === null) {
      lane.handler.close(item.reason);
      return;
    }
    if (item.record !== undefined) this.#tap!.arrived(item.record, this.#clock.now());
    lane.handler.data(item.bytes);
  }

  #dropQueued(dir: Direction, now: number, why: string): void {
    const lane = this.#lanes[dir];
    for (let i = lane.head; i < lane.queue.length; i++) {
      const item = lane.queue[i]!;
      if (item.bytes) this.stats.dropped += item.bytes.length;
      if (item.record !== undefined) this.#tap!.lost(item.record, now, why);
    }
    lane.queue = [];
    lane.head = 0;
    // nothing left to keep order with, nor to wait behind
    lane.lastArrival = 0;
    lane.lastTxEnd = 0;
    if (lane.timer !== undefined) this.#clock.clearTimeout(lane.timer);
    lane.timer = undefined;
  }

  #deliverClose(dir: Direction, reason: string | undefined): void {
    const lane = this.#lanes[dir];
    queueMicrotask(() => lane.handler?.close(reason));
  }
}

class PathEnd implements Link {
  readonly label: string;
  readonly #path: NetworkPath<unknown>;
  /** The direction this end writes in. */
  readonly #dir: Direction;
  #closed = false;

  constructor(path: NetworkPath<unknown>, dir: Direction, label: string) {
    this.#path = path;
    this.#dir = dir;
    this.label = label;
  }

  get closed(): boolean {
    return this.#closed || this.#path.closed;
  }

  write(bytes: Uint8Array): void {
    if (!this.closed) this.#path.send(this.#dir, bytes);
  }

  close(reason?: string): void {
    if (this.closed) return;
    this.#closed = true;
    this.#path.closeFrom(this.#dir, reason ?? 'closed by the other end');
  }

  setHandler(handler: LinkHandler): void {
    // this end receives what the other end writes
    this.#path.handlerFor(this.#dir === 'to-broker' ? 'to-client' : 'to-broker', handler);
  }
}
