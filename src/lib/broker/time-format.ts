/**
 * Durations as the broker panel shows them: session expiry countdowns and
 * the age of retained messages, in virtual time. Compact and unit-free so
 * they read the same in every language:
 *
 *   formatDuration(5_000)        → "0:05"
 *   formatDuration(119_400)      → "1:59"      (whole seconds, rounded down)
 *   formatDuration(3_723_000)    → "1:02:03"
 *   formatDuration(183_845_000)  → "2d 03:04:05"
 */

/** The largest Session Expiry Interval: the session never expires. */
export const NEVER_EXPIRES = 0xffffffff;

/** A duration in milliseconds as [d] h:mm:ss / m:ss; negative durations show as 0:00. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${p(h)}:${p(m)}:${p(s)}`;
  if (h > 0) return `${h}:${p(m)}:${p(s)}`;
  return `${m}:${p(s)}`;
}

/**
 * Time left until `expiresAt`, counted down in whole seconds (rounded up, so
 * "0:00" is shown only once it is due). `due` when the moment has passed: the
 * broker's timer may not have run yet (a paused clock, a batch on its way).
 */
export function countdown(expiresAt: number, now: number): { text: string; due: boolean } {
  const left = expiresAt - now;
  if (left <= 0) return { text: formatDuration(0), due: true };
  return { text: formatDuration(Math.ceil(left / 1000) * 1000), due: false };
}

/** How long a session outlives its connection: with the connection, never, or a number of seconds. */
export type ExpiryKind = { kind: 'clean' } | { kind: 'never' } | { kind: 'seconds'; seconds: number; text: string };

export function expiryKind(expiryInterval: number): ExpiryKind {
  if (expiryInterval === 0) return { kind: 'clean' };
  if (expiryInterval >= NEVER_EXPIRES) return { kind: 'never' };
  return { kind: 'seconds', seconds: expiryInterval, text: formatDuration(expiryInterval * 1000) };
}

/** The clock as the last batch reported it. */
export interface ClockBase {
  now: number;
  playing: boolean;
  speed: number;
}

/**
 * Virtual time now, from the last reported state: the clock moves between
 * batches while it plays. `receivedAt` and `realNow` are real milliseconds
 * (performance.now()).
 */
export function extrapolate(base: ClockBase, receivedAt: number, realNow: number): number {
  if (!base.playing) return base.now;
  return base.now + Math.max(0, realNow - receivedAt) * base.speed;
}

/** A virtual time of day as hh:mm:ss.mmm, for log lines. */
export function formatTimeOfDay(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
