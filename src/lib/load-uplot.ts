/**
 * uPlot, loaded the first time a chart is drawn, so that it is not part of
 * the page's first JavaScript (with its stylesheet).
 */
import type uPlot from 'uplot';

let loading: Promise<typeof uPlot> | undefined;

export function loadUPlot(): Promise<typeof uPlot> {
  loading ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  // a failed load (offline, a new deployment) may be tried again
  loading.catch(() => (loading = undefined));
  return loading;
}
