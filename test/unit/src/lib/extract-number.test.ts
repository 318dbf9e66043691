import { describe, expect, it } from 'vitest';
import { autoField, extractNumber, formatPath, numericFields, numericPaths, parsePath, toNumber } from '../../../../src/lib/extract-number';

const enc = new TextEncoder();

describe('parsePath', () => {
  it.each([
    ['', []],
    ['$', []],
    ['msg', ['msg']],
    ['a.b[0]', ['a', 'b', 0]],
    ['$.a.b', ['a', 'b']],
    ['a[0][1].c', ['a', 0, 1, 'c']],
    ['["x.y"]', ['x.y']],
    ["['a b']", ['a b']],
    ['["a]b"].c', ['a]b', 'c']],
    ['[2]', [2]],
    [' value ', ['value']],
  ])('%j', (path, segments) => {
    expect(parsePath(path)).toEqual(segments);
  });

  it.each(['a..b', 'a.', 'a[', 'a[x]', 'a[-1]', 'a[0]b', '[]'])('refuses %j', (path) => {
    expect(parsePath(path)).toBeUndefined();
  });

  it('writes paths back so that they parse to the same segments', () => {
    for (const segs of [['a', 'b', 0], ['x.y'], [0, 'a b'], ['temp-c'], ['$x']] as (string | number)[][]) {
      expect(parsePath(formatPath(segs))).toEqual(segs);
    }
    expect(formatPath(['a', 'b', 0])).toBe('a.b[0]');
  });
});

describe('toNumber', () => {
  it.each([
    [17.2, 17.2],
    ['17.2', 17.2],
    [' -4 ', -4],
    ['1e3', 1000],
    ['.5', 0.5],
    ['+3.', 3],
    [true, 1],
    [false, 0],
  ])('%j -> %j', (v, n) => {
    expect(toNumber(v)).toBe(n);
  });

  it.each(['', 'hot', '17.2 °C', '0x10', 'NaN', 'Infinity', '1,5', null, undefined, {}, [], Number.NaN, Number.POSITIVE_INFINITY])('%j is not a number', (v) => {
    expect(toNumber(v)).toBeUndefined();
  });
});

describe('extractNumber', () => {
  it('reads a payload that is a number', () => {
    expect(extractNumber(enc.encode('17.2'), '')).toBe(17.2);
    expect(extractNumber(' 42\n', '')).toBe(42);
    expect(extractNumber('"17.2"', '')).toBe(17.2);
  });

  it('reads a JSON field, numeric strings included', () => {
    expect(extractNumber(enc.encode('{"msg": "17.2"}'), 'msg')).toBe(17.2);
    expect(extractNumber('{"value": 21.5, "unit": "°C"}', 'value')).toBe(21.5);
    expect(extractNumber('{"a": {"b": [4, 5]}}', 'a.b[1]')).toBe(5);
    expect(extractNumber('{"a": {"b": [4, 5]}}', ['a', 'b', 0])).toBe(4);
    expect(extractNumber('[1, [2, 3]]', '[1][0]')).toBe(2);
    expect(extractNumber('{"on": true}', 'on')).toBe(1);
  });

  it('gives undefined when there is no number there', () => {
    expect(extractNumber('{"msg": "hot"}', 'msg')).toBeUndefined();
    expect(extractNumber('{"msg": "17.2"}', 'value')).toBeUndefined();
    expect(extractNumber('{"msg": "17.2"}', '')).toBeUndefined();
    expect(extractNumber('{"a": {"b": 1}}', 'a')).toBeUndefined();
    expect(extractNumber('{"a": [1]}', 'a.length')).toBeUndefined();
    expect(extractNumber('{"a": 1}', 'a[0]')).toBeUndefined();
    expect(extractNumber('not json', 'a')).toBeUndefined();
    expect(extractNumber('{"a": 1}', 'a..b')).toBeUndefined();
    expect(extractNumber(new Uint8Array([0xff, 0x00]), '')).toBeUndefined();
  });

  it('does not follow inherited properties', () => {
    expect(extractNumber('{}', 'constructor')).toBeUndefined();
    expect(extractNumber('{"a": {}}', 'a.__proto__')).toBeUndefined();
  });
});

describe('numeric fields', () => {
  it('lists the numeric leaves in document order', () => {
    expect(numericPaths({ msg: '17.2', unit: 'C', loc: { lat: 1.5, tags: ['x', 2] }, 'odd key': 3 })).toEqual(['msg', 'loc.lat', 'loc.tags[1]', '["odd key"]']);
    expect(numericPaths({ a: Array.from({ length: 100 }, (_, i) => i) }, 3)).toEqual(['a[0]', 'a[1]', 'a[2]']);
  });

  it("offers '' for a payload that is itself a number", () => {
    expect(numericFields('17.2')).toEqual(['']);
    expect(numericFields('{"x": 1}')).toEqual(['x']);
    expect(numericFields('hello')).toEqual([]);
  });

  it('picks the field to chart', () => {
    expect(autoField('17.2')).toBe('');
    expect(autoField(enc.encode('{"msg": "17.2"}'))).toBe('msg');
    expect(autoField('{"ts": 1700000000, "value": 21.5, "unit": "°C"}')).toBe('value');
    expect(autoField('{"ts": 1700000000, "rssi": -60}')).toBe('ts');
    expect(autoField('{"msg": "hello"}')).toBeUndefined();
    expect(autoField('hello')).toBeUndefined();
  });
});
