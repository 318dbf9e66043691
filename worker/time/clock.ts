/**
 * Time for everything that waits: keep alive, will delay, session and message
 * expiry, retransmission. Code never calls setTimeout or Date.now itself; it
 * is given a Clock, so tests and tutorials can run time virtually.
 */

export type TimerId = number;

export interface Clock {
  /** Milliseconds; only differences matter, except for display. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

/** The platform's time. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
  setTimeout(fn: () => void, ms: number): TimerId {
    return globalThis.setTimeout(fn, Math.max(0, ms)) as unknown as TimerId;
  }
  clearTimeout(id: TimerId): void {
    globalThis.clearTimeout(id as unknown as ReturnType<typeof setTimeout>);
  }
}

interface Timer {
  id: TimerId;
  due: number;
  fn: () => void;
}

/**
 * Time that moves only when told to. Timers fire in order of due time (then of
 * creation), with `now()` equal to their due time while they run; timers they
 * set that fall within the same advance fire too.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    return this.setTimeoutAt(fn, this.#now + Math.max(0, ms));
  }

  /** A timer due at an absolute time (never earlier than now). */
  setTimeoutAt(fn: () => void, due: number): TimerId {
    const t: Timer = { id: ++this.#seq, due: Math.max(due, this.#now), fn };
    // keep sorted by (due, id): insertion after every timer due at or before it
    let i = this.#timers.length;
    while (i > 0 && this.#timers[i - 1]!.due > t.due) i--;
    this.#timers.splice(i, 0, t);
    return t.id;
  }

  clearTimeout(id: TimerId): void {
    const i = this.#timers.findIndex((t) => t.id === id);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  /** Due time of the next timer, if any. */
  get nextDue(): number | undefined {
    return this.#timers[0]?.due;
  }

  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const t = this.#timers[0];
      if (!t || t.due > target) break;
      this.#timers.shift();
      this.#now = t.due;
      t.fn();
    }
    this.#now = target;
  }

  /** Jumps to the next timer and fires it (and any due at the same moment); false when none. */
  step(): boolean {
    const due = this.nextDue;
    if (due === undefined) return false;
    this.advance(due - this.#now);
    return true;
  }
}
