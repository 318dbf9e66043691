import { describe, expect, it } from 'vitest';
import { base64, hex, hexLines, JSON_PARSE_LIMIT, prettyJson, renderPayload, utf8Head } from '../../../../src/lib/payload-render';

const enc = (s: string) => new TextEncoder().encode(s);

describe('renderPayload, auto', () => {
  it('shows UTF-8 text as it is', () => {
    expect(renderPayload(enc('21.5 °C, 你好'), 'auto')).toEqual({ text: '21.5 °C, 你好', shown: 'plaintext', notes: [] });
  });

  it('pretty-prints JSON objects and arrays', () => {
    expect(renderPayload(enc('{"t":21.5,"tags":["a","b"],"e":{}}'), 'auto')).toEqual({
      text: '{\n  "t": 21.5,\n  "tags": [\n    "a",\n    "b"\n  ],\n  "e": {}\n}',
      shown: 'json',
      notes: [],
    });
  });

  it('leaves text that only looks like JSON as text', () => {
    expect(renderPayload(enc('{not json'), 'auto')).toEqual({ text: '{not json', shown: 'plaintext', notes: [] });
  });

  it('shows invalid UTF-8 and control characters as hex', () => {
    expect(renderPayload(new Uint8Array([0xff, 0xfe, 0x41]), 'auto')).toEqual({ text: 'ff fe 41', shown: 'hex', notes: [{ kind: 'binary' }] });
    expect(renderPayload(new Uint8Array([0x00, 0x01, 0x41]), 'auto').shown).toBe('hex');
  });

  it('keeps markup as text', () => {
    const r = renderPayload(enc('<img src=x onerror=alert(1)>'), 'auto');
    expect(r.text).toBe('<img src=x onerror=alert(1)>');
    expect(r.shown).toBe('plaintext');
  });

  it('says when the payload is empty', () => {
    expect(renderPayload(new Uint8Array(), 'auto')).toEqual({ text: '', shown: 'plaintext', notes: [{ kind: 'empty' }] });
  });
});

describe('renderPayload, chosen formats', () => {
  it('plaintext shows invalid bytes as U+FFFD, with a note', () => {
    expect(renderPayload(new Uint8Array([0x61, 0xff, 0x62]), 'plaintext')).toEqual({ text: 'a\ufffdb', shown: 'plaintext', notes: [{ kind: 'invalid-utf8' }] });
  });

  it('json falls back to text with a note when it does not parse', () => {
    expect(renderPayload(enc('hello'), 'json')).toEqual({ text: 'hello', shown: 'plaintext', notes: [{ kind: 'not-json' }] });
  });

  it('json pretty-prints scalars and keeps big numbers exact', () => {
    expect(renderPayload(enc('12345678901234567890'), 'json').text).toBe('12345678901234567890');
    expect(renderPayload(enc('{"id":12345678901234567890}'), 'json').text).toBe('{\n  "id": 12345678901234567890\n}');
  });

  it('json refuses to parse huge payloads', () => {
    const big = enc(`[${'1,'.repeat(JSON_PARSE_LIMIT / 2)}1]`);
    const r = renderPayload(big, 'json');
    expect(r.shown).toBe('plaintext');
    expect(r.notes[0]).toEqual({ kind: 'too-large-for-json', total: big.length });
  });

  it('hex and base64', () => {
    expect(renderPayload(enc('hello'), 'hex')).toEqual({ text: '68 65 6c 6c 6f', shown: 'hex', notes: [] });
    expect(renderPayload(enc('hello'), 'base64')).toEqual({ text: 'aGVsbG8=', shown: 'base64', notes: [] });
  });
});

describe('truncation', () => {
  const big = new Uint8Array(100_000).fill(0x61);

  it('cuts text at the limit with a note', () => {
    const r = renderPayload(big, 'plaintext', 1000);
    expect(r.text.length).toBe(1000);
    expect(r.notes).toEqual([{ kind: 'truncated', shown: 1000, total: 100_000, unit: 'bytes' }]);
  });

  it('does not cut a character in two', () => {
    const bytes = enc('aé'.repeat(10)); // 3 bytes per pair
    const r = renderPayload(bytes, 'plaintext', 5);
    expect(r.text).toBe('aéa');
    expect(r.notes).toEqual([{ kind: 'truncated', shown: 4, total: 30, unit: 'bytes' }]);
    expect(renderPayload(bytes, 'auto', 5).shown).toBe('plaintext');
  });

  it('cuts base64 at a multiple of three bytes, so the text is a prefix of the whole', () => {
    const r = renderPayload(big, 'base64', 1000);
    expect(r.notes).toEqual([{ kind: 'truncated', shown: 999, total: 100_000, unit: 'bytes' }]);
    expect(base64(big).startsWith(r.text)).toBe(true);
  });

  it('cuts hex and pretty JSON', () => {
    expect(renderPayload(big, 'hex', 32).text).toBe(`${'61 '.repeat(15)}61\n${'61 '.repeat(15)}61`);
    const json = enc(JSON.stringify({ a: 'x'.repeat(2000) }));
    const r = renderPayload(json, 'json', 100);
    expect(r.text.length).toBe(100);
    expect(r.notes[0]).toMatchObject({ kind: 'truncated', unit: 'characters' });
  });
});

describe('helpers', () => {
  it('utf8Head backs up to a character boundary', () => {
    const b = enc('€€'); // e2 82 ac e2 82 ac
    expect([...utf8Head(b, 4)]).toEqual([0xe2, 0x82, 0xac]);
    expect([...utf8Head(b, 6)]).toEqual([...b]);
  });

  it('hex, hexLines, base64', () => {
    expect(hex(new Uint8Array([0, 15, 255]))).toBe('00 0f ff');
    expect(hex(new Uint8Array([0, 15]), '')).toBe('000f');
    expect(hexLines(new Uint8Array(17))).toBe(`${'00 '.repeat(15)}00\n00`);
    for (const s of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) expect(base64(enc(s))).toBe(Buffer.from(s).toString('base64'));
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64(all)).toBe(Buffer.from(all).toString('base64'));
  });

  it('prettyJson keeps strings with escapes, brackets and colons intact', () => {
    const src = ' { "a\\"b" : "x,{}[]:y" , "n" : [ ] , "m":[1 , -2.5e10,true,null] } ';
    const pretty = prettyJson(src);
    expect(JSON.parse(pretty)).toEqual(JSON.parse(src));
    expect(pretty).toBe('{\n  "a\\"b": "x,{}[]:y",\n  "n": [],\n  "m": [\n    1,\n    -2.5e10,\n    true,\n    null\n  ]\n}');
  });

  it('prettyJson handles an escaped backslash before a closing quote', () => {
    expect(prettyJson('{"a":"\\\\","b":1}')).toBe('{\n  "a": "\\\\",\n  "b": 1\n}');
  });
});
