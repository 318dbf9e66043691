/** UTF-8 as MQTT wants it (MQTT 5.0 §1.5.4): the helpers the codec and the UI share. */
import { describe, expect, test } from 'vitest';
import { encodeUtf8, utf8Length, utf8Problem } from '../../../../worker/protocol';
import { hex } from '../../../helpers/codec-case';

describe('utf8Length and encodeUtf8', () => {
  test.each([
    ['', ''],
    ['a', '61'],
    ['é', 'c3 a9'],
    ['€', 'e2 82 ac'],
    ['😀', 'f0 9f 98 80'],
    ['\ufeff', 'ef bb bf'],
    ['a€😀', '61 e2 82 ac f0 9f 98 80'],
  ])('%j is %s', (s, bytes) => {
    expect(hex(encodeUtf8(s))).toBe(bytes);
    expect(utf8Length(s)).toBe(bytes === '' ? 0 : bytes.split(' ').length);
  });
  test('a lone surrogate counts as U+FFFD, three bytes', () => {
    expect(utf8Length('\ud800')).toBe(3);
    expect(hex(encodeUtf8('\ud800'))).toBe('ef bf bd');
  });
});

describe('utf8Problem', () => {
  test.each([
    ['a/b', null],
    ['😀', null],
    ['\ufeffa', null], //       a BOM is an ordinary character [MQTT-1.5.4-3]
    ['a\u0000', 'null'], //     [MQTT-1.5.4-2]
    ['\ud800', 'ill-formed'], // lone high surrogate [MQTT-1.5.4-1]
    ['\udc00a', 'ill-formed'], // lone low surrogate
    ['a\ud83d', 'ill-formed'], // high surrogate at the end
  ])('%j: %s', (s, problem) => expect(utf8Problem(s)).toBe(problem));
});
