/**
 * Monaco, loaded the first time an editor is shown (the packet lab), never
 * with the page: the dynamic import keeps it and its workers out of the
 * first JavaScript. A failed load (offline, a new deployment) may be tried
 * again.
 */
export type MonacoModule = typeof import('./monaco');

let loading: Promise<MonacoModule> | undefined;

export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monaco');
  loading.catch(() => (loading = undefined));
  return loading;
}

/** Whether the page shows dark colours: the learner's choice (data-theme on <html>), or the system's. */
export function pageIsDark(): boolean {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'dark' || chosen === 'light') return chosen === 'dark';
  return matchMedia('(prefers-color-scheme: dark)').matches;
}

/** Calls `changed` whenever the page's theme may have changed; returns the stop function. */
export function watchTheme(changed: () => void): () => void {
  const observer = new MutationObserver(changed);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const media = matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', changed);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', changed);
  };
}
