/**
 * A client-side Link over a `ws` WebSocket, for the interop tests of the
 * client engine: it opens `url` with the "mqtt" subprotocol, holds writes
 * until the socket is open, sends every write as one binary frame, and tells
 * the handler why the link ended. Test-only and deliberately small; the
 * page's own WebSocket link belongs to worker/transport.
 *
 *   new VirtualClient(options, clock, () => wsClientLink('ws://127.0.0.1:8083/mqtt'));
 */
import WebSocket from 'ws';
import type { Link, LinkHandler } from '../../worker/transport/link';

export function wsClientLink(url: string, label = url): Link {
  return new WsClientLink(url, label);
}

class WsClientLink implements Link {
  readonly label: string;
  readonly #ws: WebSocket;
  #handler: LinkHandler | undefined;
  /** Writes made before the socket opened. */
  #pending: Uint8Array[] = [];
  /** Bytes and the close that arrived before the handler was set. */
  #inbox: Uint8Array[] = [];
  #endReason: string | undefined | null = null;
  #closed = false;
  #told = false;
  #error: Error | undefined;

  constructor(url: string, label: string) {
    this.label = label;
    const ws = new WebSocket(url, 'mqtt');
    this.#ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => {
      if (this.#closed) return ws.close(1000);
      for (const b of this.#pending) ws.send(b, { binary: true });
      this.#pending = [];
    });
    ws.on('message', (data: Buffer | Buffer[], isBinary: boolean) => {
      if (this.#closed) return;
      if (!isBinary) return this.#end('a text frame arrived; MQTT over WebSocket uses binary frames only', true);
      for (const b of Array.isArray(data) ? data : [data]) this.#deliver(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    });
    ws.on('error', (e) => {
      this.#error ??= e;
    });
    ws.on('close', (code, reason) => {
      const why = this.#error ? `WebSocket error: ${this.#error.message}` : `the server closed the WebSocket (${code}${reason.length ? `: ${reason.toString()}` : ''})`;
      this.#end(why, false);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  setHandler(handler: LinkHandler): void {
    this.#handler = handler;
    const queued = this.#inbox;
    this.#inbox = [];
    queueMicrotask(() => {
      for (const b of queued) handler.data(b);
      if (this.#endReason !== null) this.#tell();
    });
  }

  write(bytes: Uint8Array): void {
    if (this.#closed) return;
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(bytes, { binary: true });
    else this.#pending.push(bytes.slice());
  }

  close(reason?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    const ws = this.#ws;
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, (reason ?? '').slice(0, 100));
    else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    // as with the other links, our own handler hears of a local close, with no reason
    this.#endReason = undefined;
    queueMicrotask(() => this.#tell());
  }

  #deliver(bytes: Uint8Array): void {
    if (this.#handler) this.#handler.data(bytes);
    else this.#inbox.push(bytes);
  }

  #end(reason: string, local: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    if (local) this.#ws.terminate();
    this.#endReason = reason;
    if (this.#handler) this.#tell();
  }

  #tell(): void {
    if (this.#told || !this.#handler) return;
    this.#told = true;
    this.#handler.close(this.#endReason ?? undefined);
  }
}
