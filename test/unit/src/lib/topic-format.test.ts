import { describe, expect, it } from 'vitest';
import { formatBytes, formatTime, oneLine, prettyJson, toHex, truncate, viewPayload } from '../../../../src/lib/topic-format';

const enc = new TextEncoder();

describe('viewPayload', () => {
  it('shows UTF-8 text as text', () => {
    expect(viewPayload(enc.encode('{"msg": "17.2"}'))).toEqual({ text: '{"msg": "17.2"}', binary: false });
    expect(viewPayload(enc.encode('温度\t21\r\n'))).toEqual({ text: '温度\t21\r\n', binary: false });
    expect(viewPayload(new Uint8Array(0))).toEqual({ text: '', binary: false });
  });

  it('shows bytes that are not text in hex', () => {
    expect(viewPayload(new Uint8Array([0xde, 0xad, 0xbe, 0xef]))).toEqual({ text: 'de ad be ef', binary: true });
    expect(viewPayload(new Uint8Array([0x41, 0x00, 0x42]))).toEqual({ text: '41 00 42', binary: true });
    expect(viewPayload(enc.encode('a\u001bb')).binary).toBe(true);
  });

  it('keeps markup as text: the page never inserts it as HTML', () => {
    expect(viewPayload(enc.encode('<img src=x onerror=alert(1)>')).text).toBe('<img src=x onerror=alert(1)>');
  });

  it('drops a character cut in half at the end of a kept prefix', () => {
    const whole = enc.encode('ab温');
    const cut = whole.slice(0, 4); // 'ab' and the first two of the three bytes of 温
    expect(viewPayload(cut, whole.length)).toEqual({ text: 'ab', binary: false });
    // the same bytes as a whole payload are not valid UTF-8
    expect(viewPayload(cut).binary).toBe(true);
  });
});

describe('formatting', () => {
  it('writes hex, with a mark when cut', () => {
    expect(toHex(new Uint8Array([1, 2, 255]))).toBe('01 02 ff');
    expect(toHex(new Uint8Array([1, 2, 3]), 2)).toBe('01 02 …');
  });

  it('truncates by characters with an ellipsis', () => {
    expect(truncate('hello', 10)).toBe('hello');
    expect(truncate('hello world', 6)).toBe('hello…');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });

  it('puts text on one line', () => {
    expect(oneLine('a\nb\r\n\tc')).toBe('a b c');
  });

  it('indents JSON objects and arrays only', () => {
    expect(prettyJson('{"a":1,"b":[1,2]}')).toBe('{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson(' [1] ')).toBe('[\n  1\n]');
    expect(prettyJson('17.2')).toBeUndefined();
    expect(prettyJson('{broken')).toBeUndefined();
  });

  it('writes times and sizes', () => {
    const at = new Date(2024, 0, 2, 3, 4, 5, 67).getTime();
    expect(formatTime(at)).toBe('03:04:05.067');
    expect(formatTime(at, false)).toBe('03:04:05');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
