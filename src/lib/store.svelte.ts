/**
 * The UI's state, fed by one subscription to the worker's batches: the
 * connections, their messages, the clock, and a signal when the broker
 * changed. Components read from here and send intents to the worker through
 * `api`; they never hold worker state of their own.
 *
 * Big lists (messages) are plain arrays mutated in place, with a version
 * number that components read to know when to redraw: copying a 100,000-row
 * array for every batch would cost more than drawing it.
 */
import type { ClientView, MessageRecord, PlaygroundBatch, PlaygroundStatus, SimClockState } from '../../worker/api';
import { SvelteMap } from 'svelte/reactivity';
import { CaptureStore } from './capture.svelte';
import { onBatch, playground } from './playground';
import { redrawSoon } from './redraw';

/** Messages kept per connection in the page. */
export const MESSAGE_LIMIT = 100_000;

export class MessageStore {
  #byClient = new Map<string, MessageRecord[]>();
  /** Reason codes of acknowledgements that came after their message was shown, by "client\u0000id". */
  #acks = new SvelteMap<string, number>();
  version = $state(0);

  /** The acknowledgement's reason code of a sent QoS 1/2 message, once it arrived. */
  ackOf(name: string, id: number): number | undefined {
    return this.#acks.get(`${name}\u0000${id}`);
  }

  ack(name: string, id: number, reasonCode: number): void {
    this.#acks.set(`${name}\u0000${id}`, reasonCode);
  }

  list(name: string): MessageRecord[] {
    void this.version;
    return this.#byClient.get(name) ?? [];
  }

  add(records: MessageRecord[]): void {
    if (!records.length) return;
    for (const r of records) {
      let list = this.#byClient.get(r.client);
      if (!list) this.#byClient.set(r.client, (list = []));
      list.push(r);
      if (list.length > MESSAGE_LIMIT * 1.1) list.splice(0, list.length - MESSAGE_LIMIT);
    }
    this.#bumpSoon();
  }

  readonly #bumpSoon = redrawSoon(() => this.version++);

  /** Replaces a connection's messages (after a rename or a reload of the page). */
  set(name: string, records: MessageRecord[]): void {
    this.#byClient.set(name, records.slice(-MESSAGE_LIMIT));
    this.version++;
  }

  rename(from: string, to: string): void {
    const list = this.#byClient.get(from);
    if (!list) return;
    this.#byClient.delete(from);
    this.#byClient.set(to, list);
    this.version++;
  }

  clear(name: string): void {
    this.#byClient.delete(name);
    this.version++;
  }
}

/** The tools of the right-hand column. */
export type Tool = 'packets' | 'diagram' | 'lab' | 'broker' | 'topics' | 'charts';
export const TOOLS: readonly Tool[] = ['packets', 'diagram', 'lab', 'broker', 'topics', 'charts'];

export class Store {
  /** The tool shown in the right-hand column. */
  tool = $state<Tool>('broker');
  /** The right-hand column takes most of the width (packet views need room). */
  wideTools = $state(false);
  /** The frame open in the byte inspector, by capture seq. */
  inspected = $state<number | undefined>();
  status = $state.raw<PlaygroundStatus | undefined>();
  error = $state<string | undefined>();
  clients = $state.raw(new Map<string, ClientView>());
  selected = $state<string | undefined>();
  unread = $state.raw(new Map<string, number>());
  clock = $state.raw<SimClockState | undefined>();
  /** Bumped whenever the broker's sessions, retained messages or statistics changed. */
  brokerVersion = $state(0);
  readonly messages = new MessageStore();
  /** Every frame and broker decision, for the packet log and the sequence diagram. */
  readonly capture = new CaptureStore();
  #listeners: ((b: PlaygroundBatch) => void)[] = [];

  get api() {
    return playground();
  }

  /** Connects to the worker: status, the connections it restored, then the batches. */
  async start(): Promise<void> {
    try {
      const api = this.api;
      this.status = await api.status();
      const views = await api.clients();
      this.clients = new Map(views.map((v) => [v.name, v]));
      for (const v of views) this.messages.set(v.name, await api.messages(v.name));
      this.clock = await api.clock();
      if (!this.selected && views.length) this.selected = views[0]!.name;
      onBatch((b) => this.#ingest(b));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** Other parts of the page (the live figures, the packet log) get every batch too. */
  onBatch(listener: (b: PlaygroundBatch) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Opens a frame in the byte inspector (from the packet log, the diagram, anywhere). */
  inspect(seq: number): void {
    this.inspected = seq;
    this.tool = 'packets';
  }

  select(name: string | undefined): void {
    this.selected = name;
    if (name && this.unread.get(name)) {
      const u = new Map(this.unread);
      u.delete(name);
      this.unread = u;
    }
  }

  async refreshStatus(): Promise<void> {
    this.status = await this.api.status();
  }

  #ingest(b: PlaygroundBatch): void {
    if (b.clients.length || b.removed.length) {
      const next = new Map(this.clients);
      for (const c of b.clients) next.set(c.name, c);
      for (const n of b.removed) {
        next.delete(n);
        if (!b.clients.some((c) => c.name === n)) this.messages.clear(n);
      }
      this.clients = next;
      if (this.selected && !next.has(this.selected)) this.selected = next.keys().next().value;
    }
    for (const a of b.acks) this.messages.ack(a.client, a.id, a.reasonCode);
    if (b.messages.length) {
      this.messages.add(b.messages);
      let unread: Map<string, number> | undefined;
      for (const m of b.messages) {
        if (m.direction !== 'received' || m.client === this.selected) continue;
        unread ??= new Map(this.unread);
        unread.set(m.client, (unread.get(m.client) ?? 0) + 1);
      }
      if (unread) this.unread = unread;
    }
    this.capture.ingest(b);
    this.clock = b.clock;
    if (b.brokerChanged) this.brokerVersion++;
    for (const l of this.#listeners) l(b);
  }
}

export const store = new Store();
