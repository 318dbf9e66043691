/**
 * The topics the broker has seen, polled from the worker while a panel
 * needs them (the topic tree, the chart's topic picker). The worker bumps a
 * version on every message; the list is replaced only when it changed, so
 * a quiet broker costs no redraw. The pause between polls grows with the
 * time a poll takes, so tens of thousands of topics do not swamp the page.
 */
import type { TopicStat } from '../../worker/api';
import { store } from './store.svelte';
import { TopicWatches } from './topic-history';

/** Shortest pause between two polls, in ms. */
const INTERVAL = 500;

export class TopicsFeed {
  /** Every topic seen, sorted by name. */
  stats = $state.raw<TopicStat[]>([]);
  /** The worker's version of `stats`; -1 before the first answer. */
  version = $state(-1);
  #users = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #polling = false;

  /** Starts polling for one user; the function returned ends that use. */
  use(): () => void {
    this.#users++;
    if (this.#users === 1) void this.#poll();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#users--;
      if (this.#users === 0 && this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  /** Asks now (after clearing the topics, say) instead of at the next poll. */
  async refresh(): Promise<void> {
    const r = await store.api.topics();
    if (r.version !== this.version || r.topics.length !== this.stats.length) {
      this.stats = r.topics;
      this.version = r.version;
    }
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    const started = performance.now();
    try {
      if (document.visibilityState !== 'hidden') await this.refresh();
    } catch {
      // the worker may be restarting; the next poll tries again
    } finally {
      this.#polling = false;
    }
    if (this.#users > 0) {
      const took = performance.now() - started;
      this.#timer = setTimeout(() => void this.#poll(), Math.max(INTERVAL, took * 4));
    }
  }
}

export const topicsFeed = new TopicsFeed();

/** The page's watches on topic histories, shared by the topic tree and the charts. */
export const topicWatches = new TopicWatches((topic, watch) => void store.api.watchTopic(topic, watch));
