/**
 * The publish bar's state across connections: the draft of each connection
 * (kept while the learner switches between them), the publish history of
 * each, and the saved payloads, both read from and written to the worker's
 * workspace so they survive a reload.
 */
import { emptyDraft, type PublishDraft } from './publish-form';
import { addToHistory, deletePayload, readHistoryBook, readSavedPayloads, savePayload, type HistoryBook, type HistoryEntry, type SavedPayload } from './publish-history';
import { store } from './store.svelte';

export const HISTORY_KEY = 'publish-history';
export const SAVED_KEY = 'saved-payloads';

export class PublishState {
  #drafts = new Map<string, PublishDraft>();
  /** Publish history by connection name, oldest first. */
  history = $state.raw<HistoryBook>({});
  /** Saved payloads, sorted by name. */
  saved = $state.raw<SavedPayload[]>([]);
  /** Why the last write to the workspace failed, if it did. */
  storageError = $state<string | undefined>();
  #loading: Promise<void> | undefined;

  /** The draft of a connection: a live $state object the bar binds to. */
  draft(name: string): PublishDraft {
    let d = this.#drafts.get(name);
    if (!d) {
      const fresh = $state(emptyDraft());
      d = fresh;
      this.#drafts.set(name, d);
    }
    return d;
  }

  historyOf(name: string): HistoryEntry[] {
    return this.history[name] ?? [];
  }

  /** Reads history and saved payloads from the workspace, once. */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      const [history, saved] = await Promise.all([store.api.workspaceGet(HISTORY_KEY), store.api.workspaceGet(SAVED_KEY)]);
      this.history = readHistoryBook(history);
      this.saved = readSavedPayloads(saved);
    })().catch((e: unknown) => {
      this.storageError = e instanceof Error ? e.message : String(e);
    });
    return this.#loading;
  }

  async remember(name: string, draft: PublishDraft): Promise<void> {
    await this.load();
    const book: HistoryBook = {};
    // connections deleted since are forgotten with their history
    for (const [n, list] of Object.entries(this.history)) if (store.clients.has(n)) book[n] = list;
    book[name] = addToHistory(this.historyOf(name), $state.snapshot(draft), Date.now());
    this.history = book;
    await this.#write(HISTORY_KEY, book);
  }

  /** Saves under `name`; true when it replaced a payload of that name. */
  async save(p: SavedPayload): Promise<boolean> {
    await this.load();
    const replaced = this.saved.some((s) => s.name === p.name);
    this.saved = savePayload(this.saved, p);
    await this.#write(SAVED_KEY, this.saved);
    return replaced;
  }

  async remove(name: string): Promise<void> {
    await this.load();
    this.saved = deletePayload(this.saved, name);
    await this.#write(SAVED_KEY, this.saved);
  }

  async #write(key: string, value: unknown): Promise<void> {
    try {
      const r = await store.api.workspaceSet(key, value);
      this.storageError = r.ok ? undefined : r.error;
    } catch (e) {
      this.storageError = e instanceof Error ? e.message : String(e);
    }
  }
}

export const publishState = new PublishState();
