import { describe, expect, it } from 'vitest';
import { HistoryCursor, TopicWatches } from '../../../../src/lib/topic-history';

const s = (at: number, n: number) => ({ at, payload: new Uint8Array([n]) });
/** What the worker answers: the samples later than `after`. */
const answer = (all: ReturnType<typeof s>[], after: number) => all.filter((x) => x.at > after);
const ids = (list: ReturnType<typeof s>[]) => list.map((x) => x.payload[0]);

describe('HistoryCursor', () => {
  it('takes each sample once, even when several share a millisecond', () => {
    const c = new HistoryCursor();
    const all = [s(10, 1), s(20, 2), s(20, 3)];
    expect(ids(c.take(answer(all, c.after)))).toEqual([1, 2, 3]);
    expect(ids(c.take(answer(all, c.after)))).toEqual([]);
    all.push(s(20, 4), s(30, 5));
    expect(ids(c.take(answer(all, c.after)))).toEqual([4, 5]);
    all.push(s(30.5, 6));
    expect(ids(c.take(answer(all, c.after)))).toEqual([6]);
    expect(ids(c.take(answer(all, c.after)))).toEqual([]);
  });

  it('starts from the beginning', () => {
    const c = new HistoryCursor();
    expect(c.after).toBe(-Infinity);
  });
});

describe('TopicWatches', () => {
  it('tells the worker on the first watch and the last release only', () => {
    const sent: string[] = [];
    const w = new TopicWatches((t, on) => sent.push(`${on ? '+' : '-'}${t}`));
    const a = w.acquire('x');
    const b = w.acquire('x');
    const c = w.acquire('y');
    a();
    a(); // releasing twice counts once
    expect(w.watching('x')).toBe(true);
    b();
    c();
    expect(sent).toEqual(['+x', '+y', '-x', '-y']);
    expect(w.watching('x')).toBe(false);
  });
});
