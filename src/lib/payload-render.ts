/**
 * A payload's bytes as text for the message list, in the format the learner
 * picks (MQTTX's Plaintext / JSON / Hex / Base64, plus Auto). The result is
 * always a plain string for a text node, never markup.
 *
 * Auto shows UTF-8 text, JSON objects and arrays pretty-printed, and
 * anything that is not text (invalid UTF-8, control characters) as hex:
 *
 *   {"t":21.5}        → {\n  "t": 21.5\n}
 *   hello             → hello
 *   00 ff 10          → 00 ff 10
 *
 * Big payloads are cut at `limit` bytes (at a character boundary for text)
 * with a note saying how much is shown. Pretty-printing re-indents the
 * original text instead of re-serialising the parsed value, so numbers such
 * as 12345678901234567890 are shown exactly as sent.
 */

export type DisplayFormat = 'auto' | 'plaintext' | 'json' | 'hex' | 'base64';

export const DISPLAY_FORMATS: readonly DisplayFormat[] = ['auto', 'plaintext', 'json', 'hex', 'base64'];

/** Bytes of a payload shown in one message. */
export const DISPLAY_LIMIT = 16 * 1024;

/** Largest payload parsed as JSON. */
export const JSON_PARSE_LIMIT = 1024 * 1024;

export type PayloadNote =
  /** Invalid UTF-8 sequences are shown as U+FFFD. */
  | { kind: 'invalid-utf8' }
  /** JSON was asked for, but the payload does not parse; shown as text. */
  | { kind: 'not-json' }
  /** Auto found no text: shown as hex. */
  | { kind: 'binary' }
  /** JSON was asked for, but the payload is too large to parse here. */
  | { kind: 'too-large-for-json'; total: number }
  | { kind: 'truncated'; shown: number; total: number; unit: 'bytes' | 'characters' }
  | { kind: 'empty' };

export interface RenderedPayload {
  text: string;
  /** The format the text is in (Auto resolves to one of these). */
  shown: Exclude<DisplayFormat, 'auto'>;
  notes: PayloadNote[];
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

export function renderPayload(bytes: Uint8Array, format: DisplayFormat, limit = DISPLAY_LIMIT): RenderedPayload {
  if (bytes.length === 0) return { text: '', shown: format === 'auto' ? 'plaintext' : format, notes: [{ kind: 'empty' }] };
  switch (format) {
    case 'hex':
      return byteFormat(bytes, limit, 'hex');
    case 'base64':
      return byteFormat(bytes, limit, 'base64');
    case 'plaintext':
      return plaintext(bytes, limit);
    case 'json':
      return json(bytes, limit, false);
    case 'auto':
      return auto(bytes, limit);
  }
}

function auto(bytes: Uint8Array, limit: number): RenderedPayload {
  const text = decodeStrict(bytes, limit);
  if (text === undefined || hasControlCharacters(text)) {
    const r = byteFormat(bytes, limit, 'hex');
    return { ...r, notes: [{ kind: 'binary' }, ...r.notes] };
  }
  if (looksLikeJsonContainer(text)) {
    const j = json(bytes, limit, true);
    if (j) return j;
  }
  return plaintext(bytes, limit);
}

function plaintext(bytes: Uint8Array, limit: number): RenderedPayload {
  const head = bytes.length > limit ? utf8Head(bytes, limit) : bytes;
  const notes: PayloadNote[] = [];
  let text: string;
  try {
    text = strict.decode(head);
  } catch {
    text = lenient.decode(head);
    notes.push({ kind: 'invalid-utf8' });
  }
  if (head.length < bytes.length) notes.push({ kind: 'truncated', shown: head.length, total: bytes.length, unit: 'bytes' });
  return { text, shown: 'plaintext', notes };
}

function json(bytes: Uint8Array, limit: number, quiet: true): RenderedPayload | undefined;
function json(bytes: Uint8Array, limit: number, quiet: false): RenderedPayload;
function json(bytes: Uint8Array, limit: number, quiet: boolean): RenderedPayload | undefined {
  const fallback = (note: PayloadNote): RenderedPayload | undefined => {
    if (quiet) return undefined;
    const p = plaintext(bytes, limit);
    return { ...p, notes: [note, ...p.notes] };
  };
  if (bytes.length > JSON_PARSE_LIMIT) return fallback({ kind: 'too-large-for-json', total: bytes.length });
  let text: string;
  try {
    text = strict.decode(bytes);
    JSON.parse(text);
  } catch {
    return fallback({ kind: 'not-json' });
  }
  const pretty = prettyJson(text);
  if (pretty.length <= limit) return { text: pretty, shown: 'json', notes: [] };
  return { text: pretty.slice(0, limit), shown: 'json', notes: [{ kind: 'truncated', shown: limit, total: pretty.length, unit: 'characters' }] };
}

function byteFormat(bytes: Uint8Array, limit: number, shown: 'hex' | 'base64'): RenderedPayload {
  // base64 of a prefix is a prefix of the base64 only when the cut is a multiple of 3
  const n = bytes.length > limit ? (shown === 'base64' ? limit - (limit % 3) : limit) : bytes.length;
  const head = bytes.subarray(0, n);
  const text = shown === 'hex' ? hexLines(head) : base64(head);
  const notes: PayloadNote[] = n < bytes.length ? [{ kind: 'truncated', shown: n, total: bytes.length, unit: 'bytes' }] : [];
  return { text, shown, notes };
}

/** Valid UTF-8 text of the first `limit` bytes (a character cut at the end is allowed), or undefined. */
function decodeStrict(bytes: Uint8Array, limit: number): string | undefined {
  try {
    return bytes.length > limit ? new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, limit), { stream: true }) : strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The first bytes, at most `limit`, ending on a UTF-8 character boundary when there is one nearby. */
export function utf8Head(bytes: Uint8Array, limit: number): Uint8Array {
  let end = Math.min(limit, bytes.length);
  // back up over continuation bytes (10xxxxxx) to the start of the cut character, at most 3
  for (let k = 0; k < 4 && end > 0 && end < bytes.length && (bytes[end]! & 0xc0) === 0x80; k++) end--;
  return bytes.subarray(0, end);
}

/** C0 controls other than tab, line feed, carriage return and form feed, or DEL: a sign of binary data. */
function hasControlCharacters(text: string): boolean {
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

function looksLikeJsonContainer(text: string): boolean {
  const m = /^\s*([[{])/.exec(text);
  return m !== null;
}

/** Hex pairs separated by spaces, 16 bytes a line. */
export function hexLines(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push(hex(bytes.subarray(i, i + 16)));
  return lines.join('\n');
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Hex pairs separated by `sep`. */
export function hex(bytes: Uint8Array, sep = ' '): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i]!]!;
  return parts.join(sep);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out.push(B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out.push(B64[n >> 18]! + B64[(n >> 12) & 63]! + '==');
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out.push(B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=');
  }
  return out.join('');
}

/**
 * Re-indents valid JSON text: tokens are copied as they are (numbers keep
 * every digit, strings every escape), only the whitespace between them changes.
 */
export function prettyJson(text: string, indent = '  '): string {
  const out: string[] = [];
  const pads = [''];
  const pad = (d: number) => (pads[d] ??= indent.repeat(d));
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    switch (c) {
      case '"': {
        let j = i + 1;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        out.push(text.slice(i, j + 1));
        i = j;
        break;
      }
      case '{':
      case '[': {
        let j = i + 1;
        while (j < text.length && isSpace(text[j]!)) j++;
        if (text[j] === (c === '{' ? '}' : ']')) {
          out.push(c, text[j]!);
          i = j;
        } else out.push(c, '\n', pad(++depth));
        break;
      }
      case '}':
      case ']':
        out.push('\n', pad(--depth), c);
        break;
      case ',':
        out.push(',\n', pad(depth));
        break;
      case ':':
        out.push(': ');
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      default:
        out.push(c);
    }
  }
  return out.join('');
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}
