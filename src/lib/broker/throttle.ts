/**
 * Runs an asynchronous refresh at most once per interval, however often it
 * is requested: the first request runs at once, later ones within the
 * interval are merged into one run at its end, and a request made while a run
 * is on its way starts one more run after it (so the last change is never
 * missed). Used to fetch the broker's snapshot when it changed, at most a few
 * times a second.
 */

export interface Timers {
  now(): number;
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (f, ms) => setTimeout(f, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

export interface Throttled {
  request(): void;
  /** Whether a run is on its way or scheduled. */
  readonly busy: boolean;
  dispose(): void;
}

export function throttle(run: () => Promise<void>, interval: number, timers: Timers = realTimers): Throttled {
  let last = -Infinity;
  let running = false;
  let pending = false;
  let timer: unknown;
  let disposed = false;

  const start = () => {
    timer = undefined;
    if (disposed) return;
    pending = false;
    running = true;
    last = timers.now();
    let done: Promise<void>;
    try {
      done = run();
    } catch (e) {
      done = Promise.reject(e);
    }
    // a failed run is the caller's to report; the next request tries again
    void done.catch(() => undefined).then(() => {
      running = false;
      if (pending) schedule();
    });
  };

  const schedule = () => {
    if (disposed || running || timer !== undefined) return;
    const wait = last + interval - timers.now();
    if (wait <= 0) start();
    else timer = timers.setTimeout(start, wait);
  };

  return {
    request() {
      pending = true;
      schedule();
    },
    get busy() {
      return running || timer !== undefined;
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}
