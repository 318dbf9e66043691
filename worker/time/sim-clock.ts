/**
 * The clock the learner controls: real time by default, paused, stepped to
 * the next timer, or sped up (x100 turns a 60-second keep-alive demo into
 * 0.6 s). Timers live in a VirtualClock; a single platform timer wakes it
 * when the earliest one falls due in real time.
 */
import { VirtualClock, type Clock, type TimerId } from './clock';
import { nextTask } from './next-task';

export interface SimClockState {
  /** Virtual time, ms. */
  now: number;
  playing: boolean;
  speed: number;
  /** Timers waiting. */
  pending: number;
  /** Virtual time of the next timer, if any. */
  nextDue: number | undefined;
}

export const MAX_SPEED = 1000;

export class SimClock implements Clock {
  readonly #virtual: VirtualClock;
  readonly #real: () => number;
  #playing = true;
  #speed = 1;
  /** Virtual and real time at the last change of pace. */
  #base: number;
  #realBase: number;
  #wake: ReturnType<typeof setTimeout> | undefined;
  #firing = false;
  #disposed = false;
  #listeners: ((s: SimClockState) => void)[] = [];

  /**
   * `hold`: how long one reading of the platform clock is reused: within a
   * burst of microtasks (the default), or within a whole task, which saves
   * the most where reading the clock is costly (a browser worker).
   */
  constructor(start = Date.now(), real: () => number = () => performance.now(), hold: 'microtask' | 'task' = 'microtask') {
    this.#hold = hold === 'task' ? nextTask : queueMicrotask;
    this.#virtual = new VirtualClock(start);
    this.#real = real;
    this.#base = start;
    this.#realBase = real();
  }

  now(): number {
    if (this.#firing || !this.#playing) return this.#virtual.now();
    // reading the platform clock for every packet is measurable: time holds still within a burst of microtasks
    if (this.#cached !== undefined) return this.#cached;
    const t = Math.max(this.#virtual.now(), this.#base + (this.#real() - this.#realBase) * this.#speed);
    this.#cached = t;
    this.#hold(this.#forget);
    return t;
  }

  #cached: number | undefined;
  readonly #hold: (f: () => void) => void;
  readonly #forget = (): void => {
    this.#cached = undefined;
  };

  setTimeout(fn: () => void, ms: number): TimerId {
    const id = this.#virtual.setTimeoutAt(fn, this.now() + Math.max(0, ms));
    this.#schedule();
    return id;
  }

  clearTimeout(id: TimerId): void {
    this.#virtual.clearTimeout(id);
  }

  get state(): SimClockState {
    return { now: this.now(), playing: this.#playing, speed: this.#speed, pending: this.#virtual.pending, nextDue: this.#virtual.nextDue };
  }

  onChange(listener: (s: SimClockState) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  pause(): void {
    if (!this.#playing) return;
    this.#catchUp();
    this.#playing = false;
    this.#rebase();
    this.#changed();
  }

  play(): void {
    if (this.#playing) return;
    this.#playing = true;
    this.#rebase();
    this.#changed();
  }

  /** 1 is real time; at most MAX_SPEED. */
  setSpeed(speed: number): void {
    if (!(speed > 0 && speed <= MAX_SPEED)) throw new RangeError(`speed must be above 0 and at most ${MAX_SPEED}, got ${speed}`);
    this.#catchUp();
    this.#speed = speed;
    this.#rebase();
    this.#changed();
  }

  /** Jumps to the next timer and fires it (and any due with it). Pauses first. Returns false when none waits. */
  step(): boolean {
    this.pause();
    const due = this.#virtual.nextDue;
    if (due === undefined) return false;
    try {
      this.#advanceTo(due);
    } finally {
      // a timer that threw has not stopped time
      this.#rebase();
      this.#changed();
    }
    return true;
  }

  /** Moves time forward by `ms` at once, firing every timer on the way (tests, "skip ahead"). */
  advance(ms: number): void {
    try {
      this.#advanceTo(this.now() + ms);
    } finally {
      this.#rebase();
      this.#changed();
    }
  }

  /** Stops the platform timer for good (the simulation is being torn down); step and advance still work. */
  dispose(): void {
    this.#disposed = true;
    if (this.#wake !== undefined) clearTimeout(this.#wake);
    this.#wake = undefined;
    this.#listeners = [];
  }

  #catchUp(): void {
    if (this.#playing) this.#advanceTo(this.now());
  }

  #advanceTo(t: number): void {
    this.#cached = undefined;
    this.#firing = true;
    try {
      this.#virtual.advance(Math.max(0, t - this.#virtual.now()));
    } finally {
      this.#firing = false;
      // also after a timer threw (VirtualClock fires the rest first): the next wake-up must still come
      this.#schedule();
    }
  }

  #rebase(): void {
    this.#cached = undefined;
    this.#base = this.#virtual.now();
    this.#realBase = this.#real();
    this.#schedule();
  }

  #schedule(): void {
    // timers set while tearing down (a link closing, a will delay) must not wake a disposed clock
    if (this.#firing || this.#disposed) return;
    if (this.#wake !== undefined) clearTimeout(this.#wake);
    this.#wake = undefined;
    const due = this.#virtual.nextDue;
    if (!this.#playing || due === undefined) return;
    const delay = Math.max(0, (due - this.now()) / this.#speed);
    this.#wake = setTimeout(() => {
      this.#wake = undefined;
      this.#advanceTo(this.now());
    }, delay);
  }

  #changed(): void {
    const s = this.state;
    for (const l of this.#listeners) l(s);
  }
}
