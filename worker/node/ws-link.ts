/**
 * A Link over a WebSocket (the `ws` package), for MQTT over WebSocket
 * (§6): every MQTT byte travels in binary frames, and a frame may hold
 * several packets or part of one. Writes made in one turn of the event loop
 * leave as one frame. A text frame from the peer ends the connection
 * [MQTT-6.0.0-1].
 *
 *   wss.on('connection', (ws, req) => broker.accept(new WsLink(ws, { label: `ws ${req.socket.remoteAddress}` })));
 */
import type { WebSocket } from 'ws';
import type { Link, LinkHandler } from '../transport/link';
import { closeReason } from './close-reason';
import { LinkInbox } from '../transport/link-inbox';

export interface WsLinkOptions {
  /** For logs; defaults to "ws". */
  label?: string;
  /** Bytes waiting to be sent beyond which the peer counts as stuck and is cut; default 64 MiB. */
  maxBuffered?: number;
  /** Milliseconds a local close waits for the peer's close frame before cutting; default 2000. */
  closeGraceMs?: number;
}

/** WebSocket close codes (RFC 6455 §7.4.1). */
const NORMAL = 1000;
const UNSUPPORTED_DATA = 1003;
const NO_CLOSE_FRAME = 1006;
const POLICY = 1008;

export class WsLink implements Link {
  readonly label: string;
  readonly ws: WebSocket;
  readonly #inbox = new LinkInbox();
  readonly #maxBuffered: number;
  readonly #graceMs: number;
  #pending: Uint8Array[] = [];
  #closed = false;
  #error: Error | undefined;

  constructor(ws: WebSocket, options: WsLinkOptions = {}) {
    this.ws = ws;
    this.label = options.label ?? 'ws';
    this.#maxBuffered = options.maxBuffered ?? 64 * 1024 * 1024;
    this.#graceMs = options.closeGraceMs ?? 2000;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return this.#cut(UNSUPPORTED_DATA, 'a text frame arrived; MQTT over WebSocket uses binary frames only [MQTT-6.0.0-1]');
      for (const b of Array.isArray(data) ? data : [data]) {
        this.#inbox.data(b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      }
    });
    ws.on('error', (e) => {
      this.#error ??= e;
    });
    ws.on('close', (code, reason) => this.#onClose(code, reason.toString()));
  }

  get closed(): boolean {
    return this.#closed;
  }

  setHandler(handler: LinkHandler): void {
    this.#inbox.setHandler(handler);
  }

  write(bytes: Uint8Array): void {
    if (this.#closed) return;
    if (this.#pending.length === 0) process.nextTick(() => this.#flush());
    this.#pending.push(bytes);
    if (this.ws.bufferedAmount > this.#maxBuffered) {
      this.#cut(POLICY, `the peer is not reading: more than ${this.#maxBuffered} bytes wait to be sent`);
    }
  }

  /** Sends what was written, then a close frame carrying `reason` (cut to the 123 bytes a frame allows). */
  close(reason?: string): void {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    const ws = this.ws;
    try {
      ws.close(NORMAL, shorten(reason ?? ''));
    } catch {
      ws.terminate();
    }
    const timer = setTimeout(() => ws.terminate(), this.#graceMs);
    timer.unref();
    ws.once('close', () => clearTimeout(timer));
    this.#inbox.close(undefined);
  }

  #flush(): void {
    if (this.#closed || this.#pending.length === 0) return;
    const chunks = this.#pending;
    this.#pending = [];
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), { binary: true });
  }

  /** Ends the link at once, telling the handler why. */
  #cut(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    try {
      this.ws.close(code, shorten(reason));
    } catch {
      // not open yet or already closing
    }
    const timer = setTimeout(() => this.ws.terminate(), this.#graceMs);
    timer.unref();
    this.ws.once('close', () => clearTimeout(timer));
    this.#inbox.close(reason);
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    const fallback =
      code === NO_CLOSE_FRAME
        ? 'the WebSocket connection was lost without a close frame (1006)'
        : `the peer closed the WebSocket (${code}${reason ? `: ${reason}` : ''})`;
    this.#inbox.close(closeReason(this.#error, fallback));
  }
}

/** A close frame's reason holds at most 123 bytes of UTF-8 (RFC 6455 §5.5). */
function shorten(reason: string): string {
  let r = reason;
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -1);
  return r;
}
