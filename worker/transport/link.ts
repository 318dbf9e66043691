/**
 * A Link carries bytes between two ends: a client and the broker. It knows
 * nothing of MQTT. Each end writes Uint8Arrays and receives what the other
 * end wrote, in order; either end may close it, and the other end is told.
 */

export interface LinkHandler {
  /** Bytes from the other end, in the order they were written. */
  data(bytes: Uint8Array): void;
  /** The link is gone; `reason` says why when it was not a local close. */
  close(reason?: string): void;
}

export interface Link {
  /**
   * Sends bytes to the other end; ignored once closed. Neither end may modify
   * the bytes afterwards: one array may be written to many links (a message
   * encoded once for all its subscribers), and it may be a view into a larger
   * buffer, so a link that transfers buffers must copy it first.
   */
  write(bytes: Uint8Array): void;
  /** Closes both directions; the other end's handler is told `reason`. */
  close(reason?: string): void;
  readonly closed: boolean;
  /** Where received bytes and the close go; set once by the owner of this end. */
  setHandler(handler: LinkHandler): void;
  /** A label for logs and captures, e.g. "tcp 127.0.0.1:51234". */
  readonly label: string;
}

/**
 * An in-memory duplex pipe. Delivery is asynchronous (a microtask per batch of
 * writes), as on a socket: a handler never runs inside the writer's call, so
 * a broker and its clients cannot re-enter each other.
 */
export function createLinkPair(label = 'memory'): [clientEnd: Link, brokerEnd: Link] {
  const a = new MemoryEnd(`${label} (client)`);
  const b = new MemoryEnd(`${label} (broker)`);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class MemoryEnd implements Link {
  peer!: MemoryEnd;
  readonly label: string;
  #handler: LinkHandler | undefined;
  #inbox: Uint8Array[] = [];
  #scheduled = false;
  #closed = false;
  #closeReason: string | undefined;
  #closePending = false;

  constructor(label: string) {
    this.label = label;
  }

  get closed(): boolean {
    return this.#closed;
  }

  setHandler(handler: LinkHandler): void {
    this.#handler = handler;
    if (this.#inbox.length || this.#closePending) this.#schedule();
  }

  write(bytes: Uint8Array): void {
    if (this.#closed) return;
    this.peer.#receive(bytes);
  }

  close(reason?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.peer.#remoteClosed(reason ?? 'closed by the other end');
    // our own handler learns of the close too, after bytes already delivered
    this.#closePending = true;
    this.#closeReason = undefined;
    this.#schedule();
  }

  #receive(bytes: Uint8Array): void {
    if (this.#closed) return;
    this.#inbox.push(bytes);
    this.#schedule();
  }

  #remoteClosed(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closePending = true;
    this.#closeReason = reason;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || !this.#handler) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const h = this.#handler;
    if (!h) return;
    // bytes written before a close still arrive, as with TCP's FIN after data
    while (this.#inbox.length) {
      const batch = this.#inbox;
      this.#inbox = [];
      for (const bytes of batch) h.data(bytes);
    }
    if (this.#closePending) {
      this.#closePending = false;
      h.close(this.#closeReason);
    }
  }
}
