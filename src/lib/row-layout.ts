/**
 * Where each row of a virtualised list sits, for rows of different heights:
 * every row has its measured height, or an estimate until it has been drawn.
 *
 * Heights are kept in a Fenwick tree (binary indexed tree), so that the
 * offset of a row, the row at a scroll position, a new measurement and a
 * row appended at the end all cost O(log n): with 100,000 messages a
 * measurement must not walk the whole list.
 *
 * Measurements are remembered by row key, so that a list filtered again
 * (or cut at its start) keeps the heights of the rows it still has.
 *
 *   const l = new RowLayout<number>(40);
 *   l.sync([1, 2, 3], (x) => x);     // 3 rows of 40: total 120
 *   l.measure(1, 2, 100);            // row 1 (key 2) is 100 high: total 180
 *   l.offset(2);                     // 140
 *   l.indexAt(139);                  // 1
 */
export class RowLayout<K> {
  /** Height of a row not measured yet. */
  estimate: number;
  #heights = new Map<K, number>();
  /** Fenwick tree over the rows' heights, 1-based. */
  #tree = new Float64Array(1024);
  /** Each row's height as in the tree, 0-based. */
  #row = new Float64Array(1024);
  #count = 0;
  #keys: K[] = [];
  #items: readonly unknown[] | undefined;

  constructor(estimate: number) {
    this.estimate = estimate;
  }

  get count(): number {
    return this.#count;
  }

  get total(): number {
    return this.offset(this.#count);
  }

  /**
   * Follows the list: rows appended to the same array cost O(log n) each; any
   * other change rebuilds the layout in O(n), reusing what was measured.
   * Returns how many rows were appended, or -1 after a rebuild.
   */
  sync<T>(items: readonly T[], key: (item: T) => K): number {
    const n = items.length;
    const grown = items === this.#items && n >= this.#count && (this.#count === 0 || key(items[0]!) === this.#keys[0]);
    const before = this.#count;
    if (grown) {
      for (let i = this.#count; i < n; i++) this.#append(key(items[i]!));
    } else {
      this.#rebuild(items, key);
    }
    this.#items = items;
    return grown ? n - before : -1;
  }

  /** Records a row's drawn height; returns how much it changed (0 when it did not). */
  measure(index: number, key: K, height: number): number {
    this.#heights.set(key, height);
    if (index < 0 || index >= this.#count || this.#keys[index] !== key) return 0;
    const delta = height - this.#row[index]!;
    if (delta === 0) return 0;
    this.#row[index] = height;
    for (let i = index + 1; i <= this.#count; i += i & -i) this.#tree[i]! += delta;
    return delta;
  }

  /** Forgets every measurement (the rows' content changed, e.g. another payload format). */
  forget(): void {
    this.#heights.clear();
    const keys = this.#keys;
    this.#count = 0;
    this.#keys = [];
    for (const k of keys) this.#append(k);
  }

  /** Top of row `index` (the sum of the heights before it); `offset(count)` is the total. */
  offset(index: number): number {
    let sum = 0;
    for (let i = Math.min(index, this.#count); i > 0; i -= i & -i) sum += this.#tree[i]!;
    return sum;
  }

  /** The row that covers position `y` (clamped to the rows there are); 0 for an empty list. */
  indexAt(y: number): number {
    if (this.#count === 0 || y <= 0) return 0;
    let pos = 0;
    let rest = y;
    for (let step = highestPowerOfTwo(this.#count); step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.#count && this.#tree[next]! <= rest) {
        pos = next;
        rest -= this.#tree[next]!;
      }
    }
    return Math.min(pos, this.#count - 1);
  }

  height(index: number): number {
    return this.#row[index] ?? this.estimate;
  }

  #rebuild<T>(items: readonly T[], key: (item: T) => K): void {
    const n = items.length;
    this.#ensure(n);
    const keys = new Array<K>(n);
    const heights = new Map<K, number>();
    for (let i = 0; i < n; i++) {
      const k = key(items[i]!);
      keys[i] = k;
      const h = this.#heights.get(k);
      if (h !== undefined) heights.set(k, h);
      this.#row[i] = h ?? this.estimate;
      this.#tree[i + 1] = this.#row[i]!;
    }
    // O(n) construction: each node passes its sum to its parent
    for (let i = 1; i <= n; i++) {
      const parent = i + (i & -i);
      if (parent <= n) this.#tree[parent]! += this.#tree[i]!;
    }
    this.#keys = keys;
    this.#count = n;
    this.#heights = heights;
  }

  #append(k: K): void {
    const i = this.#count + 1;
    this.#ensure(i);
    const h = this.#heights.get(k) ?? this.estimate;
    this.#row[i - 1] = h;
    this.#keys.push(k);
    // node i covers rows (i - lowbit(i), i]
    this.#tree[i] = h + this.offset(i - 1) - this.offset(i - (i & -i));
    this.#count = i;
  }

  #ensure(n: number): void {
    if (n + 1 <= this.#tree.length) return;
    let size = this.#tree.length;
    while (size < n + 1) size *= 2;
    const tree = new Float64Array(size);
    tree.set(this.#tree.subarray(0, this.#count + 1));
    const row = new Float64Array(size);
    row.set(this.#row.subarray(0, this.#count));
    this.#tree = tree;
    this.#row = row;
  }
}

function highestPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}
