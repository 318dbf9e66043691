import { describe, expect, it } from 'vitest';
import { RowLayout } from '../../../../src/lib/row-layout';

const id = (x: number) => x;

/** The same answers computed the slow way, to compare with. */
function naive(heights: number[]) {
  const offset = (i: number) => heights.slice(0, i).reduce((a, b) => a + b, 0);
  const indexAt = (y: number) => {
    if (heights.length === 0 || y <= 0) return 0;
    let i = 0;
    while (i < heights.length - 1 && offset(i + 1) <= y) i++;
    return i;
  };
  return { offset, indexAt };
}

describe('RowLayout', () => {
  it('estimates rows until measured', () => {
    const l = new RowLayout<number>(40);
    l.sync([1, 2, 3], id);
    expect(l.total).toBe(120);
    expect(l.measure(1, 2, 100)).toBe(60);
    expect(l.total).toBe(180);
    expect(l.offset(2)).toBe(140);
    expect(l.indexAt(0)).toBe(0);
    expect(l.indexAt(39)).toBe(0);
    expect(l.indexAt(40)).toBe(1);
    expect(l.indexAt(139)).toBe(1);
    expect(l.indexAt(140)).toBe(2);
    expect(l.indexAt(10_000)).toBe(2);
    expect(l.measure(1, 2, 100)).toBe(0);
  });

  it('an empty list has no height', () => {
    const l = new RowLayout<number>(40);
    l.sync([], id);
    expect(l.total).toBe(0);
    expect(l.indexAt(100)).toBe(0);
  });

  it('appends to the same array and rebuilds on another, keeping measurements by key', () => {
    const l = new RowLayout<number>(10);
    const items = [1, 2, 3];
    expect(l.sync(items, id)).toBe(-1);
    l.measure(0, 1, 50);
    items.push(4, 5);
    expect(l.sync(items, id)).toBe(2);
    expect(l.sync(items, id)).toBe(0);
    expect(l.count).toBe(5);
    expect(l.total).toBe(50 + 4 * 10);
    // cut at the start (as the store does past its limit): key 1 is gone, the rest keep their rows
    l.measure(4, 5, 30);
    items.splice(0, 1);
    expect(l.sync(items, id)).toBe(-1);
    expect(l.count).toBe(4);
    expect(l.total).toBe(10 + 10 + 10 + 30);
    // a filtered copy keeps measured heights
    l.sync([5], id);
    expect(l.total).toBe(30);
  });

  it('a measurement for a row that moved is kept for later but changes nothing now', () => {
    const l = new RowLayout<number>(10);
    l.sync([1, 2], id);
    expect(l.measure(0, 2, 99)).toBe(0);
    expect(l.total).toBe(20);
    l.sync([2], id);
    expect(l.total).toBe(99);
  });

  it('forget goes back to estimates', () => {
    const l = new RowLayout<number>(10);
    const items = [1, 2];
    l.sync(items, id);
    l.measure(0, 1, 70);
    l.forget();
    expect(l.total).toBe(20);
    items.push(3);
    l.sync(items, id);
    expect(l.total).toBe(30);
  });

  it('agrees with a naive layout through random appends, measurements and rebuilds', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const l = new RowLayout<number>(20);
    let items: number[] = [];
    const measured = new Map<number, number>();
    let next = 0;
    for (let step = 0; step < 3000; step++) {
      const op = rnd(10);
      if (op < 5) {
        for (let k = rnd(5); k >= 0; k--) items.push(next++);
      } else if (op < 9 && items.length) {
        const i = rnd(items.length);
        const h = 5 + rnd(200);
        l.measure(i, items[i]!, h);
        measured.set(items[i]!, h);
      } else {
        items = items.filter((x) => x % 3 !== step % 3);
      }
      l.sync(items, id);
      const heights = items.map((k) => measured.get(k) ?? 20);
      const n = naive(heights);
      if (step % 150 === 0 || step > 2990) {
        expect(l.total).toBe(n.offset(items.length));
        for (let t = 0; t < 5; t++) {
          const i = rnd(items.length + 1);
          expect(l.offset(i)).toBe(n.offset(i));
          const y = rnd(Math.max(1, l.total + 50));
          expect(l.indexAt(y)).toBe(n.indexAt(y));
        }
      }
    }
  });

  it('stays fast with 100,000 rows', () => {
    const l = new RowLayout<number>(60);
    const items: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) {
      items.push(i);
      if (i % 100 === 0) l.sync(items, id);
    }
    l.sync(items, id);
    for (let i = 0; i < 10_000; i++) l.measure(i * 10, i * 10, 80);
    for (let i = 0; i < 10_000; i++) l.indexAt(i * 600);
    expect(l.total).toBe(100_000 * 60 + 10_000 * 20);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
