/**
 * A payload as the panel shows it: as text when it is UTF-8, as hex bytes
 * otherwise, shortened for a table cell. The result is plain text for a text
 * node, never HTML. Control characters are made visible (U+2400 block), so a
 * stray NUL or escape sequence cannot hide or reshape what follows.
 *
 *   payloadPreview(utf8('21.5'))           → { kind: 'text', text: '21.5' }
 *   payloadPreview(new Uint8Array([0xff])) → { kind: 'hex', text: 'ff' }
 */

export interface PayloadPreview {
  kind: 'text' | 'hex' | 'empty';
  text: string;
  /** The payload was longer than shown. */
  truncated: boolean;
  size: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Characters kept in a preview (text), or bytes (hex). */
export const PREVIEW_CHARS = 200;

export function payloadPreview(bytes: Uint8Array, max = PREVIEW_CHARS): PayloadPreview {
  const size = bytes.length;
  if (size === 0) return { kind: 'empty', text: '', truncated: false, size };
  let text: string | undefined;
  try {
    // a cut could split a character: decode a little more than needed, then cut the string
    text = decoder.decode(bytes.subarray(0, Math.min(size, max * 4 + 4)));
  } catch {
    text = undefined;
  }
  // a prefix that is valid may still hide invalid bytes further on
  if (text !== undefined && size > max * 4 + 4) {
    try {
      decoder.decode(bytes);
    } catch {
      text = undefined;
    }
  }
  if (text === undefined) {
    const shown = bytes.subarray(0, max);
    return { kind: 'hex', text: toHex(shown), truncated: size > max, size };
  }
  const chars = [...text];
  const truncated = chars.length > max || size > max * 4 + 4;
  return { kind: 'text', text: visible(chars.slice(0, max).join('')), truncated, size };
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (i ? ' ' : '') + bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

/** C0 controls and DEL as their visible pictures (␀ ␊ ␡...); bidirectional overrides as \u escapes. */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]|[\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
