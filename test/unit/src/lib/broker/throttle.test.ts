import { describe, expect, it } from 'vitest';
import { throttle, type Timers } from '../../../../../src/lib/broker/throttle';

/** Timers driven by hand: `advance(ms)` runs what falls due. */
function manualTimers() {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; f: () => void }>();
  const timers: Timers = {
    now: () => now,
    setTimeout: (f, ms) => {
      due.set(next, { at: now + ms, f });
      return next++;
    },
    clearTimeout: (id) => void due.delete(id as number),
  };
  async function advance(ms: number) {
    const end = now + ms;
    for (;;) {
      const first = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!first || first[1].at > end) break;
      due.delete(first[0]);
      now = first[1].at;
      first[1].f();
      await flush();
    }
    now = end;
    await flush();
  }
  return { timers, advance, pending: () => due.size };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A run that finishes when told to. */
function runs() {
  const started: number[] = [];
  const finishers: (() => void)[] = [];
  let n = 0;
  const run = () => {
    started.push(++n);
    return new Promise<void>((resolve) => finishers.push(resolve));
  };
  return { run, started, finish: async () => { finishers.shift()?.(); await flush(); } };
}

describe('throttle', () => {
  it('runs the first request at once', () => {
    const { timers } = manualTimers();
    const r = runs();
    const t = throttle(r.run, 250, timers);
    t.request();
    expect(r.started).toEqual([1]);
    expect(t.busy).toBe(true);
  });

  it('merges requests within the interval into one run at its end', async () => {
    const { timers, advance } = manualTimers();
    const r = runs();
    const t = throttle(r.run, 250, timers);
    t.request();
    await r.finish();
    t.request();
    t.request();
    t.request();
    expect(r.started).toEqual([1]);
    await advance(249);
    expect(r.started).toEqual([1]);
    await advance(1);
    expect(r.started).toEqual([1, 2]);
    await r.finish();
    expect(t.busy).toBe(false);
  });

  it('runs once more after a run during which a request came', async () => {
    const { timers, advance } = manualTimers();
    const r = runs();
    const t = throttle(r.run, 100, timers);
    t.request();
    await advance(500); // a slow run
    t.request();
    expect(r.started).toEqual([1]);
    await r.finish();
    // the interval since the last start has passed: at once
    expect(r.started).toEqual([1, 2]);
    await r.finish();
    await advance(1000);
    expect(r.started).toEqual([1, 2]);
  });

  it('goes on after a failed run', async () => {
    const { timers, advance } = manualTimers();
    let calls = 0;
    const t = throttle(() => (++calls === 1 ? Promise.reject(new Error('worker gone')) : Promise.resolve()), 100, timers);
    t.request();
    await flush();
    t.request();
    await advance(100);
    expect(calls).toBe(2);
  });

  it('goes on after a run that throws before it returns a promise', async () => {
    const { timers, advance } = manualTimers();
    let calls = 0;
    const t = throttle(() => {
      if (++calls === 1) throw new Error('sync');
      return Promise.resolve();
    }, 100, timers);
    t.request();
    await flush();
    t.request();
    await advance(100);
    expect(calls).toBe(2);
  });

  it('runs nothing after dispose', async () => {
    const { timers, advance, pending } = manualTimers();
    const r = runs();
    const t = throttle(r.run, 100, timers);
    t.request();
    await r.finish();
    t.request();
    t.dispose();
    expect(pending()).toBe(0);
    await advance(1000);
    t.request();
    expect(r.started).toEqual([1]);
  });
});
