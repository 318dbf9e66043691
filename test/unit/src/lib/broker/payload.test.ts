import { describe, expect, it } from 'vitest';
import { payloadPreview, toHex, visible } from '../../../../../src/lib/broker/payload';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('payloadPreview', () => {
  it('shows UTF-8 as text', () => {
    expect(payloadPreview(utf8('21.5'))).toEqual({ kind: 'text', text: '21.5', truncated: false, size: 4 });
    expect(payloadPreview(utf8('温度 21.5 °C'))).toMatchObject({ kind: 'text', text: '温度 21.5 °C' });
  });

  it('shows anything else as hex bytes', () => {
    expect(payloadPreview(new Uint8Array([0xff, 0x00, 0x10]))).toEqual({ kind: 'hex', text: 'ff 00 10', truncated: false, size: 3 });
    // a lone continuation byte, an overlong encoding
    expect(payloadPreview(new Uint8Array([0x61, 0x80])).kind).toBe('hex');
    expect(payloadPreview(new Uint8Array([0xc0, 0xaf])).kind).toBe('hex');
  });

  it('keeps markup as text: the cell shows it, never renders it', () => {
    expect(payloadPreview(utf8('<img src=x onerror=alert(1)>')).text).toBe('<img src=x onerror=alert(1)>');
  });

  it('knows an empty payload', () => {
    expect(payloadPreview(new Uint8Array())).toEqual({ kind: 'empty', text: '', truncated: false, size: 0 });
  });

  it('cuts long payloads without splitting a character', () => {
    const p = payloadPreview(utf8('é'.repeat(300)), 10);
    expect(p).toEqual({ kind: 'text', text: 'é'.repeat(10), truncated: true, size: 600 });
    const h = payloadPreview(new Uint8Array(50).fill(0xff), 4);
    expect(h).toEqual({ kind: 'hex', text: 'ff ff ff ff', truncated: true, size: 50 });
  });

  it('finds invalid bytes beyond the part it shows', () => {
    const bytes = new Uint8Array([...utf8('a'.repeat(100)), 0xff]);
    expect(payloadPreview(bytes, 5).kind).toBe('hex');
  });

  it('makes control characters visible', () => {
    expect(payloadPreview(utf8('a\u0000b\nc')).text).toBe('a␀b␊c');
  });
});

describe('visible', () => {
  it('replaces C0 controls, DEL and bidirectional overrides', () => {
    expect(visible('\t\r\u007f')).toBe('␉␍␡');
    expect(visible('abc\u202edef')).toBe('abc\\u202edef');
    expect(visible('plain text')).toBe('plain text');
  });
});

describe('toHex', () => {
  it('pads every byte to two digits', () => {
    expect(toHex(new Uint8Array([0, 1, 0xab]))).toBe('00 01 ab');
  });
});
