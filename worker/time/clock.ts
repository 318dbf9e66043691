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
    // a negative or NaN delay is 0, as with the platform's setTimeout
    return this.setTimeoutAt(fn, this.#now + (ms > 0 ? ms : 0));
  }

  /** A timer due at an absolute time (never earlier than now; NaN is now). */
  setTimeoutAt(fn: () => void, due: number): TimerId {
    const t: Timer = { id: ++this.#seq, due: due > this.#now ? due : this.#now, fn };
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

  /**
   * Moves time forward by `ms` (never back), firing every timer that falls due
   * on the way. A timer that throws does not stop the others, as with the
   * platform's timers; the first error is rethrown once time has moved.
   */
  advance(ms: number): void {
    const target = this.#now + (ms > 0 ? ms : 0);
    let failure: { error: unknown } | undefined;
    for (;;) {
      const t = this.#timers[0];
      if (!t || t.due > target) break;
      this.#timers.shift();
      this.#now = t.due;
      try {
        t.fn();
      } catch (error) {
        failure ??= { error };
      }
    }
    this.#now = target;
    if (failure) throw failure.error;
  }

  /** Jumps to the next timer and fires it (and any due at the same moment); false when none. */
  step(): boolean {
    const due = this.nextDue;
    if (due === undefined) return false;
    this.advance(due - this.#now);
    return true;
  }
}
