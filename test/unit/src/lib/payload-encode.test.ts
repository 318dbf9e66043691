import { describe, expect, it } from 'vitest';
import { convertPayload, encodePayload, illFormedIndex, parseBase64, parseHex, toBase64, toHex } from '../../../../src/lib/payload-encode';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ok = (text: string, format: Parameters<typeof encodePayload>[1]) => {
  const r = encodePayload(text, format);
  if (!r.ok) throw new Error(`expected ${format} "${text}" to encode: ${JSON.stringify(r.problem)}`);
  return [...r.bytes];
};
const problem = (text: string, format: Parameters<typeof encodePayload>[1]) => {
  const r = encodePayload(text, format);
  if (r.ok) throw new Error(`expected ${format} "${text}" to be refused`);
  return r.problem;
};

describe('plaintext', () => {
  it('is UTF-8', () => {
    expect(ok('hello', 'plaintext')).toEqual([0x68, 0x65, 0x6c, 0x6c, 0x6f]);
    expect(ok('温度', 'plaintext')).toEqual([0xe6, 0xb8, 0xa9, 0xe5, 0xba, 0xa6]);
    expect(ok('😀', 'plaintext')).toEqual([0xf0, 0x9f, 0x98, 0x80]);
    expect(ok('', 'plaintext')).toEqual([]);
  });
  it('refuses a lone surrogate rather than writing U+FFFD', () => {
    expect(problem('ab\ud800c', 'plaintext')).toEqual({ kind: 'text-ill-formed', index: 2 });
    expect(problem('\udc00', 'plaintext')).toEqual({ kind: 'text-ill-formed', index: 0 });
    expect(illFormedIndex('a😀b')).toBe(-1);
  });
});

describe('json', () => {
  it('keeps the text as typed once it parses', () => {
    expect(new TextDecoder().decode(Uint8Array.from(ok('{ "t": 21.5 }', 'json')))).toBe('{ "t": 21.5 }');
    expect(ok('42', 'json')).toEqual([0x34, 0x32]);
  });
  it('says why it does not parse', () => {
    const p = problem('{"t": 21.5,}', 'json');
    expect(p.kind).toBe('json');
    expect(p.kind === 'json' && p.detail.length).toBeGreaterThan(0);
    expect(problem('', 'json').kind).toBe('json');
  });
});

describe('hex', () => {
  it('reads pairs, with spaces between groups, in either case', () => {
    expect(ok('48656c6c6f', 'hex')).toEqual([0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    expect(ok(' 48 65\n6C6c  6F ', 'hex')).toEqual([0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    expect(ok('', 'hex')).toEqual([]);
    expect(ok('00 ff', 'hex')).toEqual([0, 255]);
  });
  it('refuses a lone digit and says which group', () => {
    expect(problem('48 6', 'hex')).toEqual({ kind: 'hex-odd', group: '6' });
    expect(problem('486 5', 'hex')).toEqual({ kind: 'hex-odd', group: '486' });
  });
  it('refuses other characters and says where', () => {
    expect(problem('48 6g', 'hex')).toEqual({ kind: 'hex-char', char: 'g', index: 4 });
    expect(problem('0x48', 'hex')).toEqual({ kind: 'hex-char', char: 'x', index: 1 });
    expect(problem('48,65', 'hex')).toEqual({ kind: 'hex-char', char: ',', index: 2 });
  });
});

describe('base64', () => {
  it('decodes with or without padding, ignoring whitespace', () => {
    expect(ok('aGVsbG8=', 'base64')).toEqual([...new TextEncoder().encode('hello')]);
    expect(ok('aGVsbG8', 'base64')).toEqual([...new TextEncoder().encode('hello')]);
    expect(ok('aGVs\nbG8=', 'base64')).toEqual([...new TextEncoder().encode('hello')]);
    expect(ok('AP8=', 'base64')).toEqual([0, 255]);
    expect(ok('+/8=', 'base64')).toEqual([0xfb, 0xff]);
    expect(ok('', 'base64')).toEqual([]);
  });
  it('refuses characters outside the alphabet, and data after padding', () => {
    expect(problem('aGV*', 'base64')).toEqual({ kind: 'base64-char', char: '*', index: 3 });
    expect(problem('aGVsbG8-', 'base64')).toEqual({ kind: 'base64-char', char: '-', index: 7 });
    expect(problem('aG=Vs', 'base64')).toEqual({ kind: 'base64-char', char: 'V', index: 3 });
    expect(problem('aG===', 'base64')).toEqual({ kind: 'base64-char', char: '=', index: 4 });
  });
  it('refuses lengths that do not make whole bytes', () => {
    expect(problem('aGVsb', 'base64')).toEqual({ kind: 'base64-length' });
    expect(problem('aGk==', 'base64')).toEqual({ kind: 'base64-length' });
    expect(problem('==', 'base64')).toEqual({ kind: 'base64-length' });
  });
  it('agrees with the platform on random bytes', () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 0xff);
      const b64 = Buffer.from(b).toString('base64');
      expect(toBase64(b)).toBe(b64);
      const r = parseBase64(b64);
      expect(r.ok && [...r.bytes]).toEqual([...b]);
    }
  });
});

describe('toHex and parseHex', () => {
  it('round-trip', () => {
    const b = bytes(0, 1, 0xab, 0xff);
    expect(toHex(b)).toBe('00 01 ab ff');
    const r = parseHex(toHex(b));
    expect(r.ok && [...r.bytes]).toEqual([...b]);
  });
});

describe('convertPayload (switching format keeps the bytes)', () => {
  it('writes text as hex or Base64 and back', () => {
    expect(convertPayload('hi', 'plaintext', 'hex')).toBe('68 69');
    expect(convertPayload('68 69', 'hex', 'base64')).toBe('aGk=');
    expect(convertPayload('aGk=', 'base64', 'plaintext')).toBe('hi');
    expect(convertPayload('{"a":1}', 'json', 'hex')).toBe('7b 22 61 22 3a 31 7d');
  });
  it('keeps the text between text formats, even when it is not JSON', () => {
    expect(convertPayload('hello', 'plaintext', 'json')).toBe('hello');
    expect(convertPayload('{"a":', 'json', 'plaintext')).toBe('{"a":');
  });
  it('gives nothing when the text is invalid or the bytes are not UTF-8', () => {
    expect(convertPayload('6', 'hex', 'plaintext')).toBeUndefined();
    expect(convertPayload('ff fe', 'hex', 'plaintext')).toBeUndefined();
    expect(convertPayload('ff fe', 'hex', 'base64')).toBe('//4=');
  });
});
