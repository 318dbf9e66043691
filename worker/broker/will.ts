/**
 * Last will (§3.1.2.5, §3.1.3.2): a message the broker publishes for a client
 * whose connection ends without a normal DISCONNECT (keep-alive timeout, cut
 * link, protocol error, take-over), or with DISCONNECT 0x04. In 5.0 the Will
 * Delay Interval postpones it: a reconnect to the session within the delay
 * cancels it [MQTT-3.1.3-9], and if the session ends first it is published
 * then (§3.1.3.2.2).
 */
import type { Will } from '../protocol';
import type { Clock, TimerId } from '../time/clock';

export interface PendingWill {
  clientId: string;
  username: string | undefined;
  will: Will;
  timer: TimerId | undefined;
}

export class WillScheduler {
  #pending = new Map<string, PendingWill>();
  readonly #clock: Clock;
  readonly #publish: (w: PendingWill) => void;

  constructor(clock: Clock, publish: (w: PendingWill) => void) {
    this.#clock = clock;
    this.#publish = publish;
  }

  /** The connection ended abnormally: publish now, or after `delaySeconds`. */
  schedule(clientId: string, username: string | undefined, will: Will, delaySeconds: number): void {
    this.cancel(clientId);
    const p: PendingWill = { clientId, username, will, timer: undefined };
    if (delaySeconds <= 0) return this.#publish(p);
    p.timer = this.#clock.setTimeout(() => {
      this.#pending.delete(clientId);
      this.#publish(p);
    }, delaySeconds * 1000);
    this.#pending.set(clientId, p);
  }

  /** A new connection to the session arrived in time: the will is not sent. Returns whether one was pending. */
  cancel(clientId: string): boolean {
    const p = this.#pending.get(clientId);
    if (!p) return false;
    if (p.timer !== undefined) this.#clock.clearTimeout(p.timer);
    this.#pending.delete(clientId);
    return true;
  }

  /** The session ended before the delay ran out: publish now. */
  sessionEnded(clientId: string): void {
    const p = this.#pending.get(clientId);
    if (!p) return;
    this.cancel(clientId);
    this.#publish(p);
  }

  has(clientId: string): boolean {
    return this.#pending.has(clientId);
  }

  get size(): number {
    return this.#pending.size;
  }
}
