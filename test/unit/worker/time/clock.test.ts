import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../worker/time/clock';

/** A clock and a log of which timer fired at what time. */
function setup(start = 1000) {
  const clock = new VirtualClock(start);
  const log: string[] = [];
  const at = (name: string) => () => log.push(`${name}@${clock.now()}`);
  return { clock, log, at };
}

describe('VirtualClock', () => {
  it('stands still until told to move', () => {
    const { clock } = setup(5);
    expect(clock.now()).toBe(5);
    expect(new VirtualClock().now()).toBe(0);
    clock.advance(250);
    expect(clock.now()).toBe(255);
  });

  it('fires timers in order of due time, then of creation, with now() at their due time', () => {
    const { clock, log, at } = setup();
    clock.setTimeout(at('c'), 300);
    clock.setTimeout(at('a'), 100);
    clock.setTimeout(at('b1'), 200);
    clock.setTimeout(at('b2'), 200);
    clock.setTimeout(at('z'), 0);
    expect(clock.pending).toBe(5);
    expect(clock.nextDue).toBe(1000);
    clock.advance(1000);
    expect(log).toEqual(['z@1000', 'a@1100', 'b1@1200', 'b2@1200', 'c@1300']);
    expect(clock.now()).toBe(2000);
    expect(clock.pending).toBe(0);
    expect(clock.nextDue).toBeUndefined();
  });

  it('fires only what falls due within an advance, including a timer due exactly at its end', () => {
    const { clock, log, at } = setup(0);
    clock.setTimeout(at('early'), 99);
    clock.setTimeout(at('edge'), 100);
    clock.setTimeout(at('late'), 101);
    clock.advance(100);
    expect(log).toEqual(['early@99', 'edge@100']);
    clock.advance(1);
    expect(log).toEqual(['early@99', 'edge@100', 'late@101']);
  });

  it('setTimeoutAt takes an absolute time, and one in the past means now', () => {
    const { clock, log, at } = setup(1000);
    clock.setTimeoutAt(at('abs'), 1500);
    clock.setTimeoutAt(at('past'), 10);
    clock.setTimeout(at('rel'), 500);
    expect(clock.nextDue).toBe(1000);
    clock.advance(500);
    expect(log).toEqual(['past@1000', 'abs@1500', 'rel@1500']);
  });

  it('counts a negative or NaN delay as 0, as setTimeout does', () => {
    const { clock, log, at } = setup(1000);
    clock.setTimeout(at('neg'), -50);
    clock.setTimeout(at('nan'), NaN);
    clock.setTimeoutAt(at('nan-at'), NaN);
    expect(clock.nextDue).toBe(1000);
    clock.advance(0);
    expect(log).toEqual(['neg@1000', 'nan@1000', 'nan-at@1000']);
  });

  it('never moves backwards', () => {
    const { clock, log, at } = setup(1000);
    clock.setTimeout(at('t'), 10);
    clock.advance(-500);
    clock.advance(NaN);
    expect(clock.now()).toBe(1000);
    expect(log).toEqual([]);
  });

  it('clears timers, also from inside a timer due at the same moment', () => {
    const { clock, log, at } = setup(0);
    const gone = clock.setTimeout(at('gone'), 10);
    clock.clearTimeout(gone);
    let victim = 0;
    clock.setTimeout(() => {
      log.push('killer');
      clock.clearTimeout(victim);
    }, 20);
    victim = clock.setTimeout(at('victim'), 20);
    clock.clearTimeout(12345); // unknown ids are ignored
    clock.advance(100);
    expect(log).toEqual(['killer']);
    expect(clock.pending).toBe(0);
  });

  it('fires timers that timers set, when they fall within the same advance', () => {
    const { clock, log, at } = setup(0);
    const tick = (n: number) => () => {
      log.push(`tick${n}@${clock.now()}`);
      if (n < 10) clock.setTimeout(tick(n + 1), 30);
    };
    clock.setTimeout(tick(1), 30);
    clock.setTimeout(() => clock.setTimeout(at('zero'), 0), 50);
    clock.advance(100);
    expect(log).toEqual(['tick1@30', 'zero@50', 'tick2@60', 'tick3@90']);
    expect(clock.now()).toBe(100);
    expect(clock.nextDue).toBe(120);
  });

  it('a timer set for "now" from inside a timer fires after the others already due then', () => {
    const { clock, log, at } = setup(0);
    clock.setTimeout(() => {
      log.push('first');
      clock.setTimeout(at('spawned'), 0);
    }, 10);
    clock.setTimeout(at('second'), 10);
    clock.advance(10);
    expect(log).toEqual(['first', 'second@10', 'spawned@10']);
  });

  it('step jumps to the next timer and fires every timer due at that moment', () => {
    const { clock, log, at } = setup(1000);
    expect(clock.step()).toBe(false);
    expect(clock.now()).toBe(1000);
    clock.setTimeout(at('a'), 500);
    clock.setTimeout(at('b'), 500);
    clock.setTimeout(at('c'), 700);
    expect(clock.step()).toBe(true);
    expect(log).toEqual(['a@1500', 'b@1500']);
    expect(clock.now()).toBe(1500);
    expect(clock.step()).toBe(true);
    expect(log).toEqual(['a@1500', 'b@1500', 'c@1700']);
    expect(clock.step()).toBe(false);
  });

  it('a timer that throws does not stop the others; the error surfaces once time has moved', () => {
    const { clock, log, at } = setup(0);
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 10);
    clock.setTimeout(at('after'), 20);
    expect(() => clock.advance(100)).toThrow('boom');
    expect(log).toEqual(['after@20']);
    expect(clock.now()).toBe(100);
    expect(clock.pending).toBe(0);
  });
});
