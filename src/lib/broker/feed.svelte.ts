/**
 * The broker as the panel shows it: a snapshot fetched from the worker when
 * the panel is on screen and the broker changed (store.brokerVersion), at
 * most four times a second, together with the status the Overview shows.
 * The section the learner chose is kept here, so a lesson can open one.
 */
import type { BrokerSnapshot } from '../../../worker/api';
import { store } from '../store.svelte';
import { extrapolate } from './time-format';
import { throttle } from './throttle';

export type BrokerSection = 'overview' | 'sessions' | 'retained' | 'statistics' | 'log' | 'settings';

export const brokerPanel = $state({ section: 'overview' as BrokerSection });

/** Shortest time between two snapshots, ms. */
export const SNAPSHOT_INTERVAL = 250;

export class BrokerFeed {
  snapshot = $state.raw<BrokerSnapshot | undefined>();
  error = $state<string | undefined>();
  #throttle = throttle(() => this.#fetch(), SNAPSHOT_INTERVAL);
  #hidden = false;

  /** Asks for a fresh snapshot (merged with other requests; deferred while the page is hidden). */
  request(): void {
    if (typeof document !== 'undefined' && document.hidden) {
      this.#hidden = true;
      return;
    }
    this.#throttle.request();
  }

  /** The page became visible again: catch up if something changed meanwhile. */
  visible(): void {
    if (this.#hidden) {
      this.#hidden = false;
      this.#throttle.request();
    }
  }

  dispose(): void {
    this.#throttle.dispose();
  }

  async #fetch(): Promise<void> {
    try {
      const [snapshot] = await Promise.all([store.api.brokerSnapshot(), store.refreshStatus()]);
      this.snapshot = snapshot;
      this.error = undefined;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }
}

/**
 * Virtual time now, ticking between batches while the clock plays (for
 * countdowns). Call during a component's initialisation.
 */
export function virtualNow(interval = 250): { readonly now: number } {
  let now = $state(store.clock?.now ?? 0);
  let receivedAt = performance.now();
  $effect(() => {
    const c = store.clock;
    if (!c) return;
    receivedAt = performance.now();
    now = c.now;
  });
  $effect(() => {
    const id = setInterval(() => {
      const c = store.clock;
      if (c?.playing) now = extrapolate(c, receivedAt, performance.now());
    }, interval);
    return () => clearInterval(id);
  });
  return {
    get now() {
      return now;
    },
  };
}
