/**
 * The charts: which series each one draws (kept in the workspace as
 * 'charts'), and their points, gathered from the worker's topic histories.
 *
 * Every series watches its topic, so the worker keeps the topic's recent
 * messages; while the Charts tab is open the page asks for the new ones
 * twice a second. When the tab is closed the watches stay and polling
 * stops: on return the page catches up from what the worker kept (its last
 * 1000 messages per topic). A paused chart catches up the same way when it
 * resumes.
 */
import { MAX_SERIES, SeriesBuffer, alignSeries, newChartId, parseChartsConfig, type ChartsConfig } from './chart-data';
import { parsePath } from './extract-number';
import { store } from './store.svelte';
import { HistoryCursor, type Sample } from './topic-history';
import { topicWatches } from './topics-feed.svelte';

const POLL_MS = 500;
const WORKSPACE_KEY = 'charts';

export class ChartSeries {
  readonly topic: string;
  /** The JSON field that holds the number; '' for the whole payload. */
  field = $state('');
  readonly buffer: SeriesBuffer;
  readonly cursor = new HistoryCursor();
  readonly release: () => void;

  constructor(topic: string, field: string) {
    this.topic = topic;
    this.field = field;
    this.buffer = new SeriesBuffer(field);
    this.release = topicWatches.acquire(topic);
  }
}

export class ChartState {
  readonly id: string;
  series = $state.raw<ChartSeries[]>([]);
  paused = $state(false);
  /** Bumped whenever the points changed. */
  version = $state(0);

  constructor(id: string) {
    this.id = id;
  }

  /** The table uPlot draws: [seconds, series 1, series 2, …]. */
  data(): [number[], ...(number | null)[][]] {
    void this.version;
    return alignSeries(this.series.map((s) => s.buffer));
  }
}

/** Why a series cannot be added, as an i18n key. */
export type SeriesProblem = 'chartTopicRequired' | 'chartTopicWildcard' | 'chartFieldInvalid' | 'chartSeriesTwice' | 'chartSeriesLimit';

export class Charts {
  charts = $state.raw<ChartState[]>([]);
  loaded = $state(false);
  /** Why the configuration could not be saved, if it could not. */
  saveError = $state<string | undefined>();
  #loading: Promise<void> | undefined;
  #polling = false;

  /** Reads the saved charts once. */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      let saved: unknown;
      try {
        saved = await store.api.workspaceGet(WORKSPACE_KEY);
      } catch {
        saved = undefined;
      }
      this.#apply(parseChartsConfig(saved));
      this.loaded = true;
    })();
    return this.#loading;
  }

  /** Polls the worker while a view of the charts is open; the function returned stops. */
  start(): () => void {
    const timer = setInterval(() => void this.poll(), POLL_MS);
    void this.load().then(() => this.poll());
    return () => clearInterval(timer);
  }

  config(): ChartsConfig {
    return { charts: this.charts.map((c) => ({ id: c.id, series: c.series.map((s) => ({ topic: s.topic, field: s.field })) })) };
  }

  addChart(): void {
    this.charts = [...this.charts, new ChartState(newChartId())];
    this.#save();
  }

  removeChart(chart: ChartState): void {
    for (const s of chart.series) s.release();
    this.charts = this.charts.filter((c) => c !== chart);
    this.#save();
  }

  /** Adds a series, or says why not. `seed` is the topic's last message, shown until new ones come. */
  addSeries(chart: ChartState, topic: string, field: string, seed?: Sample): SeriesProblem | undefined {
    const problem = seriesProblem(chart, topic, field);
    if (problem) return problem;
    const known = topicWatches.watching(topic);
    const s = new ChartSeries(topic, field.trim());
    // a topic watched already has its history in the worker, seed included
    if (seed && !known) {
      s.buffer.add([seed]);
      s.cursor.take([seed]);
    }
    chart.series = [...chart.series, s];
    chart.version++;
    this.#save();
    return undefined;
  }

  removeSeries(chart: ChartState, s: ChartSeries): void {
    s.release();
    chart.series = chart.series.filter((x) => x !== s);
    chart.version++;
    this.#save();
  }

  setField(chart: ChartState, s: ChartSeries, field: string): boolean {
    const f = field.trim();
    if (!parsePath(f)) return false;
    s.field = f;
    s.buffer.setField(f);
    chart.version++;
    this.#save();
    return true;
  }

  togglePause(chart: ChartState): void {
    chart.paused = !chart.paused;
    if (!chart.paused) void this.poll();
  }

  clear(chart: ChartState): void {
    for (const s of chart.series) s.buffer.clear();
    chart.version++;
  }

  /** Fetches the new messages of every series of the running charts. */
  async poll(): Promise<void> {
    if (this.#polling || document.visibilityState === 'hidden') return;
    this.#polling = true;
    try {
      const api = store.api;
      await Promise.all(
        this.charts
          .filter((c) => !c.paused)
          .map(async (chart) => {
            const series = chart.series;
            const batches = await Promise.all(series.map((s) => api.topicHistory(s.topic, s.cursor.after)));
            let changed = false;
            series.forEach((s, i) => {
              const fresh = s.cursor.take(batches[i]!);
              if (fresh.length) {
                s.buffer.add(fresh);
                changed = true;
              }
            });
            if (changed) chart.version++;
          }),
      );
    } catch {
      // the worker may be restarting; the next poll tries again
    } finally {
      this.#polling = false;
    }
  }

  #apply(config: ChartsConfig): void {
    for (const c of this.charts) for (const s of c.series) s.release();
    this.charts = config.charts.map((c) => {
      const chart = new ChartState(c.id);
      chart.series = c.series.map((s) => new ChartSeries(s.topic, s.field));
      return chart;
    });
  }

  #save(): void {
    store.api
      .workspaceSet(WORKSPACE_KEY, this.config())
      .then((r) => (this.saveError = r.ok ? undefined : r.error))
      .catch((e: unknown) => (this.saveError = e instanceof Error ? e.message : String(e)));
  }
}

function seriesProblem(chart: ChartState, topic: string, field: string): SeriesProblem | undefined {
  const t = topic.trim() === topic ? topic : topic.trim();
  if (!t) return 'chartTopicRequired';
  if (t.includes('+') || t.includes('#')) return 'chartTopicWildcard';
  if (!parsePath(field)) return 'chartFieldInvalid';
  if (chart.series.length >= MAX_SERIES) return 'chartSeriesLimit';
  if (chart.series.some((s) => s.topic === t && s.field === field.trim())) return 'chartSeriesTwice';
  return undefined;
}

export const charts = new Charts();
