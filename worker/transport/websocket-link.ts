/**
 * A Link over a standard WebSocket (the browser's, or one with the same API
 * such as the `ws` package's), for virtual clients that talk to a real
 * broker over ws:// or wss:// (MQTT §6). The caller opens the socket and asks
 * for the subprotocol:
 *
 *   const link = websocketLink(new WebSocket('wss://broker.emqx.io:8084/mqtt', 'mqtt'));
 *
 * MQTT travels in binary frames only [MQTT-6.0.0-1]; a frame may hold
 * several packets or part of one [MQTT-6.0.0-2], so the writes of one
 * microtask leave as one frame. Writes made before the socket opens wait
 * for it; bytes received before the handler is set are kept. The handler
 * learns why the link ended in words: the close code and reason, or "could
 * not connect to ws://…" when it never opened.
 */
import type { Link, LinkHandler } from './link';
import { LinkInbox } from './link-inbox';

/** WebSocket close codes (RFC 6455 §7.4.1). */
const NORMAL = 1000;
const UNSUPPORTED_DATA = 1003;
const NO_STATUS = 1005;
const ABNORMAL = 1006;

const CODE_NAMES: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1007: 'invalid frame payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1015: 'TLS handshake failure',
};

/** WebSocket readyState values, named here because `ws` has them only on instances. */
const CONNECTING = 0;
const OPEN = 1;

/** A link over `ws`; it sets binaryType to 'arraybuffer'. `label` defaults to the URL. */
export function websocketLink(ws: WebSocket, label?: string): Link {
  return new WebSocketLink(ws, label ?? ws.url);
}

class WebSocketLink implements Link {
  readonly label: string;
  readonly #ws: WebSocket;
  readonly #url: string;
  readonly #inbox = new LinkInbox();
  #pending: Uint8Array[] = [];
  #scheduled = false;
  #opened: boolean;
  #closed = false;
  #error: string | undefined;

  constructor(ws: WebSocket, label: string) {
    this.#ws = ws;
    this.#url = ws.url;
    this.label = label;
    this.#opened = ws.readyState === OPEN;
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', () => {
      this.#opened = true;
      this.#flush();
    });
    ws.addEventListener('message', (e: MessageEvent) => this.#onMessage(e.data));
    ws.addEventListener('error', (e: Event) => {
      // browsers say nothing more; `ws` passes an ErrorEvent with a message
      const message = (e as Partial<ErrorEvent>).message;
      this.#error ??= typeof message === 'string' && message ? message : undefined;
    });
    ws.addEventListener('close', (e: CloseEvent) => this.#onClose(e.code, e.reason));
    if (ws.readyState > OPEN) queueMicrotask(() => this.#onClose(ABNORMAL, ''));
  }

  get closed(): boolean {
    return this.#closed;
  }

  setHandler(handler: LinkHandler): void {
    this.#inbox.setHandler(handler);
  }

  write(bytes: Uint8Array): void {
    if (this.#closed || bytes.length === 0) return;
    this.#pending.push(bytes);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        this.#flush();
      });
    }
  }

  /** Sends what was written (if the socket is open), then a close frame carrying `reason`. */
  close(reason?: string): void {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#pending = [];
    this.#shut(NORMAL, reason ?? '');
    this.#inbox.close(undefined);
  }

  #flush(): void {
    if (this.#closed || !this.#pending.length || this.#ws.readyState !== OPEN) return;
    const chunks = this.#pending;
    this.#pending = [];
    // send() copies (browsers) or holds bytes no writer modifies (Link.write), so one write goes as it is;
    // a view of shared memory is copied, since send() refuses it
    const only = chunks.length === 1 ? chunks[0]! : undefined;
    this.#ws.send(only && only.buffer instanceof ArrayBuffer ? (only as Uint8Array<ArrayBuffer>) : concat(chunks));
  }

  #onMessage(data: unknown): void {
    if (this.#closed) return;
    if (data instanceof ArrayBuffer) this.#inbox.data(new Uint8Array(data));
    else if (ArrayBuffer.isView(data)) this.#inbox.data(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    else this.#fail(UNSUPPORTED_DATA, 'a text frame arrived; MQTT over WebSocket uses binary frames only [MQTT-6.0.0-1]');
  }

  /** Ends the link at once for a fault of the peer's, telling it with a close frame. */
  #fail(code: number, reason: string): void {
    this.#closed = true;
    this.#pending = [];
    this.#shut(code, reason);
    this.#inbox.close(reason);
  }

  #shut(code: number, reason: string): void {
    try {
      if (this.#ws.readyState === CONNECTING || this.#ws.readyState === OPEN) this.#ws.close(code, shorten(reason));
    } catch {
      // already closing
    }
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    this.#inbox.close(this.#closeReason(code, reason));
  }

  #closeReason(code: number, reason: string): string {
    if (!this.#opened) return `could not connect to ${this.#url}${this.#error ? ` (${this.#error})` : code !== ABNORMAL && code !== NO_STATUS ? ` (${describeCode(code, reason)})` : ''}`;
    if (code === ABNORMAL) return `the WebSocket connection was lost without a close frame (1006${this.#error ? `: ${this.#error}` : ''})`;
    if (code === NO_STATUS) return 'the broker closed the WebSocket (no status code)';
    return `the broker closed the WebSocket (${describeCode(code, reason)})`;
  }
}

function describeCode(code: number, reason: string): string {
  const name = CODE_NAMES[code];
  return `${code}${name ? ` ${name}` : ''}${reason ? `: ${reason}` : ''}`;
}

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A close frame's reason holds at most 123 bytes of UTF-8 (RFC 6455 §5.5). */
function shorten(reason: string): string {
  const encoder = new TextEncoder();
  let r = reason;
  while (encoder.encode(r).length > 123) r = r.slice(0, -1);
  return r;
}
