/**
 * A Link over a MessagePort: one end in the worker, the other in the page or
 * in a script sandbox. What crosses the port is a small message protocol:
 *
 *   { type: 'data', bytes: Uint8Array }           what one end wrote, in order
 *   { type: 'close', reason: string | undefined } that end closed the link
 *
 * Writes made within one microtask leave as one message whose bytes are
 * copied into one fresh ArrayBuffer, and that buffer is transferred, never
 * the caller's: a written array may be shared with other links or be a view
 * into a larger buffer (see Link.write). A port that closes (Node, and
 * browsers that fire `close` on MessagePort) or that receives a message it
 * cannot deserialize (`messageerror`) closes the link.
 *
 *   const { port1, port2 } = new MessageChannel();
 *   broker.accept(portLink(port2, 'script "sensor"'));   // in the worker
 *   const link = portLink(port1, 'sandbox');              // in the page
 */
import type { Link, LinkHandler } from './link';
import { LinkInbox } from './link-inbox';

/** What one end of a port link posts to the other. */
export type PortLinkMessage = { type: 'data'; bytes: Uint8Array } | { type: 'close'; reason: string | undefined };

/** Two linked ends over a fresh MessageChannel, for tests and in-page use. */
export function createPortLinkPair(label = 'port'): [clientEnd: Link, brokerEnd: Link] {
  const { port1, port2 } = new MessageChannel();
  return [portLink(port1, `${label} (client)`), portLink(port2, `${label} (broker)`)];
}

/** One end of a link over `port`; the port belongs to the link from now on. */
export function portLink(port: MessagePort, label = 'port'): Link {
  return new PortLink(port, label);
}

class PortLink implements Link {
  readonly label: string;
  readonly #port: MessagePort;
  readonly #inbox = new LinkInbox();
  #pending: Uint8Array[] = [];
  #closed = false;

  constructor(port: MessagePort, label: string) {
    this.#port = port;
    this.label = label;
    port.addEventListener('message', (e) => this.#onMessage(e.data));
    port.addEventListener('messageerror', () => this.#end('a message on the MessagePort could not be read (messageerror)', true));
    // Node and recent browsers tell either end when the channel is closed
    port.addEventListener('close', () => this.#end('the MessagePort was closed', false));
    port.start();
  }

  get closed(): boolean {
    return this.#closed;
  }

  setHandler(handler: LinkHandler): void {
    this.#inbox.setHandler(handler);
  }

  write(bytes: Uint8Array): void {
    if (this.#closed || bytes.length === 0) return;
    if (this.#pending.length === 0) queueMicrotask(() => this.#flush());
    this.#pending.push(bytes);
  }

  /** Sends what was written, then the close; our own handler is told too, with no reason. */
  close(reason?: string): void {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#post({ type: 'close', reason: reason ?? 'closed by the other end' });
    this.#port.close();
    this.#inbox.close(undefined);
  }

  #flush(): void {
    if (this.#closed || this.#pending.length === 0) return;
    const chunks = this.#pending;
    this.#pending = [];
    let size = 0;
    for (const c of chunks) size += c.length;
    // one fresh buffer: the writers' arrays stay theirs, and only ours is transferred
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    this.#post({ type: 'data', bytes }, [bytes.buffer]);
  }

  #post(message: PortLinkMessage, transfer: Transferable[] = []): void {
    try {
      this.#port.postMessage(message, transfer);
    } catch (e) {
      // a detached or closed port: the other end is gone
      this.#end(`could not send on the MessagePort: ${e instanceof Error ? e.message : String(e)}`, false);
    }
  }

  #onMessage(data: unknown): void {
    if (this.#closed) return;
    const m = data as Partial<PortLinkMessage> | null;
    if (m?.type === 'data' && m.bytes instanceof Uint8Array) this.#inbox.data(m.bytes);
    else if (m?.type === 'close') this.#end(typeof m.reason === 'string' ? m.reason : 'closed by the other end', false);
    else this.#end('an unexpected message arrived on the MessagePort (not MQTT bytes)', true);
  }

  /** The link ends for a reason of the channel's; `tell` sends the other end a close first. */
  #end(reason: string, tell: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    if (tell) this.#post({ type: 'close', reason });
    this.#port.close();
    this.#inbox.close(reason);
  }
}
