/**
 * A small benchmark harness: each case runs in alternating rounds with its
 * reference, so both see the same machine load; the figure is the median of
 * the rounds. Results print as a table and as JSON.
 */

export interface Measure {
  name: string;
  /** Operations per second, median of rounds. */
  opsPerSec: number;
  rounds: number[];
}

/** Runs `fn` repeatedly for about `ms` milliseconds and returns operations per second. */
function burst(fn: () => unknown, ms: number): number {
  let n = 0;
  let batch = 64;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    if (batch < 65536) batch *= 2;
    t = performance.now();
  }
  return (n / (t - t0)) * 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Measures several functions side by side: round r runs each of them once, in turn. */
export function sideBySide(fns: Record<string, () => unknown>, opts: { rounds?: number; ms?: number } = {}): Record<string, Measure> {
  const rounds = opts.rounds ?? 7;
  const ms = opts.ms ?? 150;
  const names = Object.keys(fns);
  for (const name of names) burst(fns[name]!, ms); // warm up: let the JIT settle
  const results: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...names].reverse() : names;
    for (const name of order) results[name]!.push(burst(fns[name]!, ms));
  }
  return Object.fromEntries(names.map((n) => [n, { name: n, opsPerSec: median(results[n]!), rounds: results[n]! }]));
}

export function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(cells[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}
