/**
 * Live figures of the playground, fed by the worker's batches: how many
 * connections and how they are, messages per second, frames captured.
 */
import type { ClientView, PlaygroundBatch } from '../../worker/api';

const SHOW_EVERY_MS = 250;

export class Live {
  #clients = $state.raw(new Map<string, ClientView['status']>());
  messagesPerSecond = $state(0);
  /** Shown at most SHOW_EVERY_MS apart: a number redrawn with every batch costs the page a redraw each time. */
  framesCaptured = $state(0);
  #frames = 0;
  #shownAt = -Infinity;
  #showTimer: ReturnType<typeof setTimeout> | undefined;
  #windowStart = performance.now();
  #windowCount = 0;

  get connections(): number {
    return this.#clients.size;
  }

  get connected(): number {
    let n = 0;
    for (const s of this.#clients.values()) if (s === 'connected') n++;
    return n;
  }

  ingest(b: PlaygroundBatch): void {
    if (b.clients.length || b.removed.length) {
      const next = new Map(this.#clients);
      for (const c of b.clients) next.set(c.name, c.status);
      for (const n of b.removed) next.delete(n);
      this.#clients = next;
    }
    if (b.capture) {
      this.#frames += b.capture.entries.filter((e) => e.kind === 'frame').length + b.capture.skipped;
      this.#showFrames();
    }
    this.#windowCount += b.messages.filter((m) => m.direction === 'received').length;
    const now = performance.now();
    if (now - this.#windowStart >= 1000) {
      this.messagesPerSecond = Math.round((this.#windowCount * 1000) / (now - this.#windowStart));
      this.#windowStart = now;
      this.#windowCount = 0;
    }
  }

  #showFrames(): void {
    if (this.#showTimer !== undefined) return;
    const wait = this.#shownAt + SHOW_EVERY_MS - performance.now();
    const show = () => {
      this.#showTimer = undefined;
      this.#shownAt = performance.now();
      this.framesCaptured = this.#frames;
    };
    if (wait <= 0) show();
    else this.#showTimer = setTimeout(show, wait);
  }
}
