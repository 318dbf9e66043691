/**
 * The receiving half shared by links over a real channel (a MessagePort, a
 * WebSocket, a socket): bytes and the close are kept until the owner sets
 * its handler, then delivered in order. The close is told once, after every
 * byte that came before it, and never inside the call that caused it (a
 * handler closing its own link is not re-entered).
 */
import type { LinkHandler } from './link';

export class LinkInbox {
  #handler: LinkHandler | undefined;
  #queue: Uint8Array[] = [];
  #closing = false;
  #closeReason: string | undefined;
  #done = false;

  setHandler(handler: LinkHandler): void {
    this.#handler = handler;
    if (this.#queue.length || this.#closing) queueMicrotask(() => this.#flush());
  }

  /** Bytes from the channel; dropped once the link is closing. */
  data(bytes: Uint8Array): void {
    if (this.#closing) return;
    if (this.#handler && this.#queue.length === 0) this.#handler.data(bytes);
    else this.#queue.push(bytes);
  }

  /** The link ended; `reason` is undefined for a local close. Only the first call counts. */
  close(reason: string | undefined): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#closeReason = reason;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    const h = this.#handler;
    if (!h) return;
    while (this.#queue.length) {
      const batch = this.#queue;
      this.#queue = [];
      for (const bytes of batch) h.data(bytes);
    }
    if (this.#closing && !this.#done) {
      this.#done = true;
      h.close(this.#closeReason);
    }
  }
}
