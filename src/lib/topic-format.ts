/**
 * Payloads and times as the topic tree and the charts show them: short, on
 * one line. A payload is shown as text when it is UTF-8 without control
 * characters, otherwise as hex; the page always inserts the result as
 * text, never as HTML.
 */

export interface PayloadView {
  /** The text, or the bytes in hex when `binary`. */
  text: string;
  binary: boolean;
}

/**
 * How to show a payload. `wholeSize` is the payload's length when `bytes`
 * is only its beginning (the topic index keeps 256 bytes): then a character
 * cut in half at the end is dropped instead of making the text look binary.
 */
export function viewPayload(bytes: Uint8Array, wholeSize = bytes.length): PayloadView {
  const cut = wholeSize > bytes.length;
  let text: string;
  try {
    // with stream: true an incomplete last character waits for more bytes instead of failing
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
  } catch {
    return { text: toHex(bytes), binary: true };
  }
  if (CONTROL.test(text)) return { text: toHex(bytes), binary: true };
  return { text, binary: false };
}

// C0 controls other than tab, LF and CR; DEL; C1 controls
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Bytes as two-digit hex, space-separated: "de ad be ef". */
export function toHex(bytes: Uint8Array, max = Infinity): string {
  const n = Math.min(bytes.length, max);
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = bytes[i]!.toString(16).padStart(2, '0');
  return parts.join(' ') + (bytes.length > n ? ' …' : '');
}

/** At most `max` characters (code points), with an ellipsis when cut. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** One line for a row: line breaks and tabs shown as spaces. */
export function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ');
}

/** The text indented when it is a JSON object or array; undefined otherwise. */
export function prettyJson(text: string): string | undefined {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return undefined;
  }
}

/** Virtual ms as a time of day, "14:03:27.512" (or without ms). */
export function formatTime(ms: number, withMs = true): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const hms = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return withMs ? `${hms}.${p(d.getMilliseconds(), 3)}` : hms;
}

/** A byte count for people: 512 B, 1.5 KB, 2.0 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
