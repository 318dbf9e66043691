/**
 * A Link over a TCP socket (node:net), for real MQTT clients on port 1883.
 *
 *   net.createServer((socket) => broker.accept(new SocketLink(socket)));
 *
 * Writes made in one turn of the event loop leave in one TCP segment where
 * they fit (cork now, uncork on the next tick), and Nagle is off, so a
 * PUBACK is not held back waiting for more data. Closing sends what is
 * already written, then ends the socket; a peer that never finishes the
 * close is cut after a grace period.
 */
import type { Socket } from 'node:net';
import type { Link, LinkHandler } from '../transport/link';
import { closeReason } from './close-reason';
import { LinkInbox } from '../transport/link-inbox';

export interface SocketLinkOptions {
  /** For logs; defaults to "tcp <address>:<port>" of the peer. */
  label?: string;
  /** Bytes waiting to be sent beyond which the peer counts as stuck and is cut; default 64 MiB. */
  maxBuffered?: number;
  /** Milliseconds a local close waits for the peer before destroying the socket; default 2000. */
  closeGraceMs?: number;
}

export class SocketLink implements Link {
  readonly label: string;
  readonly socket: Socket;
  readonly #inbox = new LinkInbox();
  readonly #maxBuffered: number;
  readonly #graceMs: number;
  #closed = false;
  #corked = false;
  #error: Error | undefined;

  constructor(socket: Socket, options: SocketLinkOptions = {}) {
    this.socket = socket;
    this.label = options.label ?? `tcp ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.#maxBuffered = options.maxBuffered ?? 64 * 1024 * 1024;
    this.#graceMs = options.closeGraceMs ?? 2000;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#inbox.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('error', (e) => {
      this.#error ??= e;
    });
    socket.on('close', () => this.#onClose());
  }

  get closed(): boolean {
    return this.#closed;
  }

  setHandler(handler: LinkHandler): void {
    this.#inbox.setHandler(handler);
  }

  write(bytes: Uint8Array): void {
    if (this.#closed) return;
    const s = this.socket;
    if (!this.#corked) {
      this.#corked = true;
      s.cork();
      process.nextTick(() => this.#uncork());
    }
    s.write(bytes);
    if (s.writableLength > this.#maxBuffered) {
      this.#cut(`the peer is not reading: more than ${this.#maxBuffered} bytes wait to be sent`);
    }
  }

  /** TCP carries no reason: a 5.0 client learns it from the DISCONNECT written before. */
  close(_reason?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#uncork();
    const s = this.socket;
    s.end();
    // a peer that does not answer our FIN still loses the socket
    const timer = setTimeout(() => s.destroy(), this.#graceMs);
    timer.unref();
    s.once('close', () => clearTimeout(timer));
    // as with the in-memory link, our own handler hears of the close, with no reason
    this.#inbox.close(undefined);
  }

  #uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.socket.uncork();
  }

  /** Ends the link at once, telling the handler why. */
  #cut(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#corked = false;
    this.socket.destroy();
    this.#inbox.close(reason);
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#corked = false;
    this.#inbox.close(closeReason(this.#error, 'the peer closed the TCP connection'));
  }
}
