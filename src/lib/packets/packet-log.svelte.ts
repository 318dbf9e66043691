/**
 * The packet log's state, kept outside its component so that it survives
 * switching tools: the filter, follow or pause, which clock the times show,
 * and the filtered view of the capture (filtered incrementally as batches
 * arrive, see packet-filter.ts).
 */
import type { CaptureEntry } from '../../../worker/api';
import { eventText } from '../broker/event-text';
import { i18n } from '../i18n/index.svelte';
import { store } from '../store.svelte';
import { ALL_PACKETS, compilePacketQuery, countUpTo, FilteredCapture, packetQueryKey, type PacketQuery } from './packet-filter';

export interface LogView {
  /** The entries passing the filter (the capture's own array when nothing is filtered); grows in place. */
  items: CaptureEntry[];
  /** How many of them are shown: all while following, those up to the pause otherwise. */
  count: number;
  /** Entries that arrived (and pass the filter) since the log was paused. */
  unseen: number;
}

class PacketLog {
  query = $state<PacketQuery>({ ...ALL_PACKETS });
  /** Stay at the newest entry; when false, the log keeps still at `pausedAt`. */
  follow = $state(true);
  /** The newest seq shown while paused. */
  pausedAt = $state<number | undefined>();
  /** Show real (wall-clock) time instead of the simulation's virtual time. */
  wallTime = $state(false);
  readonly #filtered = new FilteredCapture();
  #searchCache = new WeakMap<CaptureEntry, string>();
  #cacheLocale = i18n.locale;

  /** The log's rows now; read inside a reactive context, it follows the capture, the query and the language. */
  get view(): LogView {
    void store.capture.version;
    const q = this.query;
    // decisions are searched in the words shown, so a new language filters again
    const locale = i18n.locale;
    const key = `${packetQueryKey(q)}\u0000${locale}`;
    if (locale !== this.#cacheLocale) {
      this.#searchCache = new WeakMap();
      this.#cacheLocale = locale;
    }
    const test = compilePacketQuery(q, { clientIdOf: (name) => store.clients.get(name)?.clientId, eventText, searchCache: this.#searchCache });
    const items = this.#filtered.update(store.capture.entries, test, key);
    const count = this.follow || this.pausedAt === undefined ? items.length : countUpTo(items, this.pausedAt);
    return { items, count, unseen: items.length - count };
  }

  pause(): void {
    if (!this.follow) return;
    const entries = store.capture.entries;
    this.pausedAt = entries.length ? entries[entries.length - 1]!.seq : 0;
    this.follow = false;
  }

  resume(): void {
    this.follow = true;
    this.pausedAt = undefined;
  }

  get filtering(): boolean {
    const q = this.query;
    return q.client !== '' || q.type !== '' || q.topic !== '' || q.text !== '' || !q.decisions;
  }

  resetFilter(): void {
    this.query = { ...ALL_PACKETS };
  }

  /** Forgets every captured entry, in the page and in the worker. */
  async clear(): Promise<void> {
    store.capture.clear();
    store.inspected = undefined;
    if (!this.follow) this.pausedAt = 0;
    await store.api.clearCapture();
  }
}

export const packetLog = new PacketLog();
