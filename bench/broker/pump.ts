/**
 * Closed-loop QoS 0 load: publishers write pre-encoded batches round-robin
 * while fewer than `window` deliveries are outstanding (sent but not yet
 * received by the subscribers), and never into a socket that asks to drain.
 * The window is far larger than what the brokers hold in flight, so it keeps
 * them saturated, while bounding what sits in socket buffers: at the end the
 * backlog drains in well under a second, and "loss" means lost, not late.
 *
 * QoS 0 may be dropped by a broker under load. Outstanding deliveries that
 * make no progress for `stallMs` are written off (counted again as they
 * arrive), so a lossy broker slows the loop down instead of stopping it.
 */
import { sleep } from './brokers';
import type { RawClient } from './loadgen';

export interface PumpWriter {
  client: RawClient;
  /** One socket write: several PUBLISH packets. */
  batch: Uint8Array;
  /** Deliveries one batch causes (messages in it times matching subscribers). */
  deliveries: number;
}

export class Pump {
  /** Deliveries sent so far (messages times subscribers). */
  sent = 0;
  #writers: PumpWriter[];
  #window: number;
  #delivered: () => number;
  #writtenOff = 0;
  #next = 0;
  #running = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastProgress = 0;
  #lastDelivered = 0;
  #stallMs: number;
  readonly kick = () => this.#fill();

  constructor(writers: PumpWriter[], window: number, delivered: () => number, stallMs = 250) {
    this.#writers = writers;
    this.#window = window;
    this.#delivered = delivered;
    this.#stallMs = stallMs;
    for (const w of writers) w.client.socket.on('drain', this.kick);
  }

  start(): void {
    this.#running = true;
    this.#lastProgress = performance.now();
    this.#timer = setInterval(() => this.#watch(), 20);
    this.#fill();
  }

  stop(): void {
    this.#running = false;
    clearInterval(this.#timer);
    for (const w of this.#writers) w.client.socket.off('drain', this.kick);
  }

  /** Waits until every delivery sent has arrived, or nothing arrived for `quietMs`, or `maxMs` passed. */
  async drain(quietMs: number, maxMs: number): Promise<void> {
    const t0 = performance.now();
    let last = this.#delivered();
    let lastAt = t0;
    while (this.#delivered() < this.sent && performance.now() - t0 < maxMs) {
      await sleep(10);
      const d = this.#delivered();
      if (d !== last) {
        last = d;
        lastAt = performance.now();
      } else if (performance.now() - lastAt > quietMs) break;
    }
  }

  #fill(): void {
    if (!this.#running) return;
    const ws = this.#writers;
    let blocked = 0;
    while (this.sent - this.#delivered() - this.#writtenOff < this.#window && blocked < ws.length) {
      const w = ws[this.#next]!;
      this.#next = (this.#next + 1) % ws.length;
      if (!w.client.writable) {
        blocked++;
        continue;
      }
      blocked = 0;
      w.client.send(w.batch);
      this.sent += w.deliveries;
    }
  }

  #watch(): void {
    const d = this.#delivered();
    const now = performance.now();
    if (d !== this.#lastDelivered) {
      this.#lastDelivered = d;
      this.#lastProgress = now;
    } else if (now - this.#lastProgress > this.#stallMs && this.sent - d - this.#writtenOff > 0) {
      this.#writtenOff = this.sent - d;
      this.#lastProgress = now;
    }
    this.#fill();
  }
}
