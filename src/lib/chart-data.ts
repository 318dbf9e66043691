/**
 * The data behind the charts, with no UI: what the workspace keeps of them
 * (`ChartsConfig`), the points of one series (`SeriesBuffer`), and the
 * table uPlot draws (`alignSeries`): one x column shared by every series,
 * null where a series has no point at that time.
 *
 *   series A at 1, 2, 4      x  1  2  3     4
 *   series B at 2, 3      -> A  a1 a2 null  a4
 *                            B  -  b2 b3    null
 *
 * x is virtual time in seconds, as uPlot's time scale expects.
 */
import { extractNumber, parsePath, type PathSegment } from './extract-number';
import type { Sample } from './topic-history';

/** One line of a chart: a topic and the JSON field that holds its number ('' for the whole payload). */
export interface SeriesConfig {
  topic: string;
  field: string;
}

export interface ChartConfig {
  id: string;
  series: SeriesConfig[];
}

/** What `workspaceSet('charts', …)` keeps. */
export interface ChartsConfig {
  charts: ChartConfig[];
}

/** Line colours that read on the light and the dark theme. */
export const SERIES_COLORS = ['#3b82f6', '#f97316', '#16a34a', '#a855f7', '#e11d48', '#0d9488', '#ca8a04', '#db2777'];

export const MAX_SERIES = 8;
/** Points kept per series. */
export const POINT_LIMIT = 5000;

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length]!;
}

let counter = 0;
export function newChartId(): string {
  return `c${Date.now().toString(36)}${(counter++).toString(36)}`;
}

export function emptyConfig(): ChartsConfig {
  return { charts: [{ id: newChartId(), series: [] }] };
}

/** The saved configuration, or the default one when nothing (or something unreadable) was saved. */
export function parseChartsConfig(value: unknown): ChartsConfig {
  const charts: ChartConfig[] = [];
  const list = isObject(value) && Array.isArray(value.charts) ? value.charts : [];
  const ids = new Set<string>();
  for (const c of list) {
    if (!isObject(c)) continue;
    let id = typeof c.id === 'string' && c.id && !ids.has(c.id) ? c.id : newChartId();
    while (ids.has(id)) id = newChartId();
    ids.add(id);
    const series: SeriesConfig[] = [];
    for (const s of Array.isArray(c.series) ? c.series : []) {
      if (!isObject(s) || typeof s.topic !== 'string' || !s.topic || series.length >= MAX_SERIES) continue;
      const field = typeof s.field === 'string' && parsePath(s.field) ? s.field : '';
      series.push({ topic: s.topic, field });
    }
    charts.push({ id, series });
  }
  return charts.length ? { charts } : emptyConfig();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The messages of one series and the numbers read from them. */
export class SeriesBuffer {
  /** The messages, kept so that another field can be read from them later. */
  readonly samples: Sample[] = [];
  /** Seconds. */
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  /** Messages in which the field held no number. */
  skipped = 0;
  #path: readonly PathSegment[] | undefined;
  readonly #limit: number;

  constructor(field: string, limit = POINT_LIMIT) {
    this.#path = parsePath(field);
    this.#limit = limit;
  }

  /** Adds messages (in time order); returns how many gave a number. */
  add(samples: readonly Sample[]): number {
    let added = 0;
    for (const s of samples) {
      this.samples.push(s);
      if (this.#read(s)) added++;
    }
    if (this.samples.length > this.#limit * 1.2) this.#trim();
    return added;
  }

  /** Reads every kept message again with another field. */
  setField(field: string): void {
    this.#path = parsePath(field);
    this.xs.length = 0;
    this.ys.length = 0;
    this.skipped = 0;
    for (const s of this.samples) this.#read(s);
  }

  clear(): void {
    this.samples.length = 0;
    this.xs.length = 0;
    this.ys.length = 0;
    this.skipped = 0;
  }

  /** The latest number, if any. */
  get last(): number | undefined {
    return this.ys[this.ys.length - 1];
  }

  #read(s: Sample): boolean {
    const y = this.#path ? extractNumber(s.payload, this.#path) : undefined;
    if (y === undefined) {
      this.skipped++;
      return false;
    }
    this.xs.push(s.at / 1000);
    this.ys.push(y);
    return true;
  }

  #trim(): void {
    const drop = this.samples.length - this.#limit;
    const cutAt = this.samples[drop]!.at / 1000;
    this.samples.splice(0, drop);
    let n = 0;
    while (n < this.xs.length && this.xs[n]! < cutAt) n++;
    this.xs.splice(0, n);
    this.ys.splice(0, n);
  }
}

/** The series merged on one x column, as uPlot's AlignedData: [xs, ys1, ys2, …]. */
export function alignSeries(series: readonly { xs: readonly number[]; ys: readonly number[] }[]): [number[], ...(number | null)[][]] {
  const xs: number[] = [];
  const cols: (number | null)[][] = series.map(() => []);
  const at = series.map(() => 0);
  for (;;) {
    let x = Infinity;
    for (let k = 0; k < series.length; k++) {
      const s = series[k]!;
      if (at[k]! < s.xs.length && s.xs[at[k]!]! < x) x = s.xs[at[k]!]!;
    }
    if (x === Infinity) break;
    xs.push(x);
    // every series with a point at x gives one; a series with several at the same x gives them on successive rows
    for (let k = 0; k < series.length; k++) {
      const s = series[k]!;
      const i = at[k]!;
      if (i < s.xs.length && s.xs[i] === x) {
        cols[k]!.push(s.ys[i]!);
        at[k] = i + 1;
      } else cols[k]!.push(null);
    }
  }
  return [xs, ...cols];
}
