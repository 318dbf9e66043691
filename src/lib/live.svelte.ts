/**
 * Live figures of the playground, fed by the worker's batches: how many
 * connections and how they are, messages per second, frames captured.
 */
import type { ClientView, PlaygroundBatch } from '../../worker/api';

export class Live {
  #clients = $state.raw(new Map<string, ClientView['status']>());
  messagesPerSecond = $state(0);
  framesCaptured = $state(0);
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
    if (b.capture) this.framesCaptured += b.capture.entries.filter((e) => e.kind === 'frame').length + b.capture.skipped;
    this.#windowCount += b.messages.filter((m) => m.direction === 'received').length;
    const now = performance.now();
    if (now - this.#windowStart >= 1000) {
      this.messagesPerSecond = Math.round((this.#windowCount * 1000) / (now - this.#windowStart));
      this.#windowStart = now;
      this.#windowCount = 0;
    }
  }
}
