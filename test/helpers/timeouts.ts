/**
 * Bounded waits for tests that touch real sockets and processes: every wait
 * fails with a message naming what did not happen, instead of hanging.
 */
import type { EventEmitter } from 'node:events';
import { once } from 'node:events';

/** `promise`, or a rejection after `ms` saying what was awaited. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The arguments of the next `event`, waiting at most `ms`. */
export function nextEvent(emitter: EventEmitter, event: string, ms = 3000): Promise<unknown[]> {
  return within(once(emitter, event), ms, `the "${event}" event`);
}

/** Polls `check` until it is true, at most `ms`. */
export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
