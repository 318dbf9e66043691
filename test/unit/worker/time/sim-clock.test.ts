import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_SPEED, SimClock, type SimClockState } from '../../../../worker/time/sim-clock';

// The platform timer is vitest's fake setTimeout, and real time its fake Date, so the two agree.
// The clock reads real time once per burst of microtasks, so time moves only across awaits, as in a page.
const t0 = Date.UTC(2026, 0, 1);
const real = () => Date.now() - t0;
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
/** Lets `ms` of real time pass, running the platform timers that fall due. */
async function elapse(ms: number): Promise<void> {
  await settle();
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}
/** Real time passes but the platform timer is late (a busy page). */
async function lateBy(ms: number): Promise<void> {
  vi.setSystemTime(Date.now() + ms);
  await settle();
}

let clocks: SimClock[] = [];
function clockAt(start = 1_000_000): SimClock {
  const c = new SimClock(start, real);
  clocks.push(c);
  return c;
}

beforeEach(() => {
  vi.useFakeTimers({ now: t0 });
});

afterEach(() => {
  for (const c of clocks) c.dispose();
  clocks = [];
  vi.useRealTimers();
});

describe('SimClock', () => {
  it('plays in real time by default', async () => {
    const clock = clockAt(5000);
    expect(clock.state).toMatchObject({ now: 5000, playing: true, speed: 1, pending: 0, nextDue: undefined });
    await elapse(250);
    expect(clock.now()).toBe(5250);
  });

  it('fires a timer when it falls due in real time, through one platform timer', async () => {
    const clock = clockAt(0);
    const fired: number[] = [];
    for (const ms of [1000, 300, 2000]) clock.setTimeout(() => fired.push(clock.now()), ms);
    expect(vi.getTimerCount()).toBe(1);
    expect(clock.state).toMatchObject({ pending: 3, nextDue: 300 });
    await elapse(299);
    expect(fired).toEqual([]);
    await elapse(1);
    expect(fired).toEqual([300]);
    await elapse(700);
    expect(fired).toEqual([300, 1000]);
    expect(vi.getTimerCount()).toBe(1);
    await elapse(1000);
    expect(fired).toEqual([300, 1000, 2000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears a timer', async () => {
    const clock = clockAt(0);
    const fired: string[] = [];
    const id = clock.setTimeout(() => fired.push('cleared'), 100);
    clock.setTimeout(() => fired.push('kept'), 200);
    clock.clearTimeout(id);
    await elapse(300);
    expect(fired).toEqual(['kept']);
  });

  for (const speed of [1, 2, 5, 10, 25, 50, 100]) {
    it(`at x${speed} a 60 s timer fires after ${60_000 / speed} ms of real time`, async () => {
      const clock = clockAt(0);
      clock.setSpeed(speed);
      let firedAt: number | undefined;
      clock.setTimeout(() => (firedAt = clock.now()), 60_000);
      await elapse(60_000 / speed - 1);
      expect(firedAt).toBeUndefined();
      expect(clock.now()).toBe(60_000 - speed);
      await elapse(1);
      expect(firedAt).toBe(60_000);
    });
  }

  it('turns a 60-second keep alive demo into 0.6 s at x100', async () => {
    const clock = clockAt(1_000_000);
    clock.setSpeed(100);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 60_000);
    await elapse(599);
    expect(fired).toEqual([]);
    await elapse(1);
    expect(fired).toEqual([1_060_000]);
  });

  it('keeps now() continuous across every change of pace', async () => {
    const clock = clockAt(1000);
    await elapse(100);
    expect(clock.now()).toBe(1100);
    clock.setSpeed(10);
    expect(clock.now()).toBe(1100);
    await elapse(100);
    expect(clock.now()).toBe(2100);
    clock.pause();
    expect(clock.now()).toBe(2100);
    await elapse(5000);
    expect(clock.now()).toBe(2100);
    clock.setSpeed(100); // while paused: nothing moves
    expect(clock.now()).toBe(2100);
    clock.play();
    expect(clock.now()).toBe(2100);
    await elapse(10);
    expect(clock.now()).toBe(3100);
    clock.setSpeed(1);
    await elapse(10);
    expect(clock.now()).toBe(3110);
    clock.advance(890);
    expect(clock.now()).toBe(4000);
    await elapse(1);
    expect(clock.now()).toBe(4001);
  });

  it('a change of speed reschedules the waiting timer', async () => {
    const clock = clockAt(0);
    let firedAt: number | undefined;
    let realAt: number | undefined;
    clock.setTimeout(() => {
      firedAt = clock.now();
      realAt = real();
    }, 10_000);
    await elapse(5000); // half way at x1
    clock.setSpeed(10);
    await elapse(499);
    expect(firedAt).toBeUndefined();
    await elapse(1);
    expect([firedAt, realAt]).toEqual([10_000, 5500]);
  });

  it('pauses: no timer fires and no platform timer waits; play resumes where it stopped', async () => {
    const clock = clockAt(0);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 1000);
    await elapse(400);
    clock.pause();
    expect(clock.state).toMatchObject({ now: 400, playing: false, pending: 1, nextDue: 1000 });
    expect(vi.getTimerCount()).toBe(0);
    await elapse(10_000);
    expect(fired).toEqual([]);
    clock.setTimeout(() => fired.push(clock.now()), 100); // set while paused
    clock.play();
    await elapse(99);
    expect(fired).toEqual([]);
    await elapse(1);
    expect(fired).toEqual([500]);
    await elapse(500);
    expect(fired).toEqual([500, 1000]);
  });

  it('pausing fires what was already due', async () => {
    const clock = clockAt(0);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 100);
    // the platform timer is late (a busy page); real time has passed the due time
    await lateBy(150);
    clock.pause();
    expect(fired).toEqual([100]);
    expect(clock.now()).toBe(150);
  });

  it('step pauses, jumps to the next timer and fires everything due then', async () => {
    const clock = clockAt(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 5000);
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 5000);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 9000);
    await elapse(1000);
    expect(clock.step()).toBe(true);
    expect(clock.state).toMatchObject({ now: 5000, playing: false, pending: 1, nextDue: 9000 });
    expect(fired).toEqual(['a@5000', 'b@5000']);
    await elapse(60_000);
    expect(clock.now()).toBe(5000);
    expect(clock.step()).toBe(true);
    expect(fired).toEqual(['a@5000', 'b@5000', 'c@9000']);
    expect(clock.step()).toBe(false);
    expect(clock.now()).toBe(9000);
  });

  it('advance moves at once, firing timers on the way in order, paused or playing', async () => {
    const clock = clockAt(0);
    const fired: string[] = [];
    const chain = (n: number) => () => {
      fired.push(`tick${n}@${clock.now()}`);
      if (n < 5) clock.setTimeout(chain(n + 1), 1000);
    };
    clock.setTimeout(chain(1), 1000);
    clock.advance(3500);
    expect(fired).toEqual(['tick1@1000', 'tick2@2000', 'tick3@3000']);
    expect(clock.now()).toBe(3500);
    expect(clock.state.playing).toBe(true);
    // still playing: the next tick comes in real time
    await elapse(500);
    expect(fired.at(-1)).toBe('tick4@4000');
    clock.pause();
    clock.advance(1000);
    expect(fired.at(-1)).toBe('tick5@5000');
    expect(clock.now()).toBe(5000);
  });

  it('timers that set timers keep going at speed', async () => {
    const clock = clockAt(0);
    clock.setSpeed(100);
    const fired: number[] = [];
    const tick = () => {
      fired.push(clock.now());
      clock.setTimeout(tick, 1000);
    };
    clock.setTimeout(tick, 1000);
    await elapse(100); // 10 s of virtual time
    expect(fired).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('a timer that throws does not stop time', async () => {
    const clock = clockAt(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      throw new Error('a bug in a timer');
    }, 100);
    clock.setTimeout(() => fired.push(clock.now()), 200);
    // the wake-up throws out of the platform timer, as a throwing setTimeout callback would
    await expect(elapse(100)).rejects.toThrow('a bug in a timer');
    await elapse(100);
    expect(fired).toEqual([200]);

    // and through advance: time has moved, the clock keeps playing
    clock.setTimeout(() => {
      throw new Error('again');
    }, 10);
    clock.setTimeout(() => fired.push(clock.now()), 500);
    expect(() => clock.advance(50)).toThrow('again');
    expect(clock.now()).toBe(250);
    await elapse(450);
    expect(fired).toEqual([200, 700]);
  });

  it('refuses speeds outside (0, MAX_SPEED]', async () => {
    const clock = clockAt(0);
    for (const bad of [0, -1, NaN, MAX_SPEED + 1, Infinity]) expect(() => clock.setSpeed(bad)).toThrow(RangeError);
    clock.setSpeed(MAX_SPEED);
    clock.setSpeed(0.5);
    expect(clock.state.speed).toBe(0.5);
  });

  it('tells listeners of every change, until they unsubscribe', async () => {
    const clock = clockAt(0);
    const seen: SimClockState[] = [];
    const off = clock.onChange((s) => seen.push(s));
    clock.setSpeed(10);
    clock.pause();
    clock.play();
    clock.advance(100);
    expect(seen.map((s) => [s.playing, s.speed, s.now])).toEqual([
      [true, 10, 0],
      [false, 10, 0],
      [true, 10, 0],
      [true, 10, 100],
    ]);
    off();
    clock.pause();
    expect(seen).toHaveLength(4);
  });

  it('dispose stops the platform timer for good', async () => {
    const clock = clockAt(0);
    const fired: number[] = [];
    const seen: SimClockState[] = [];
    clock.onChange((s) => seen.push(s));
    clock.setTimeout(() => fired.push(clock.now()), 100);
    expect(vi.getTimerCount()).toBe(1);
    clock.dispose();
    expect(vi.getTimerCount()).toBe(0);
    // timers set during teardown (a link closing, a will delay) arm nothing
    clock.setTimeout(() => fired.push(clock.now()), 50);
    clock.play();
    clock.setSpeed(2);
    expect(vi.getTimerCount()).toBe(0);
    await elapse(1000);
    expect(fired).toEqual([]);
    expect(seen).toEqual([]);
  });
});
