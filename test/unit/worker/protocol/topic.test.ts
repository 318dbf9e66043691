/** Topic names, topic filters and matching (MQTT 5.0 §4.7, shared subscriptions §4.8.2), one line per case. */
import { describe, expect, test } from 'vitest';
import { hasWildcard, isValidTopicFilter, isValidTopicName, matches, parseSharedFilter, topicFilterProblem, topicNameProblem } from '../../../../worker/protocol';

function match(filter: string, topic: string): void {
  test(`"${filter}" matches "${topic}"`, () => expect(matches(filter, topic)).toBe(true));
}
function noMatch(filter: string, topic: string): void {
  test(`"${filter}" does not match "${topic}"`, () => expect(matches(filter, topic)).toBe(false));
}
function validName(topic: string): void {
  test(`topic name ${JSON.stringify(topic)} is valid`, () => expect(topicNameProblem(topic)).toBeNull());
}
function invalidName(topic: string): void {
  test(`topic name ${JSON.stringify(topic)} is invalid`, () => {
    expect(isValidTopicName(topic)).toBe(false);
    expect(topicNameProblem(topic)).toBeTypeOf('string');
  });
}
function validFilter(filter: string, shared = true): void {
  test(`topic filter ${JSON.stringify(filter)} is valid${shared ? '' : ' without shared subscriptions'}`, () => expect(topicFilterProblem(filter, shared)).toBeNull());
}
function invalidFilter(filter: string, shared = true): void {
  test(`topic filter ${JSON.stringify(filter)} is invalid${shared ? '' : ' without shared subscriptions'}`, () => {
    expect(isValidTopicFilter(filter, shared)).toBe(false);
    expect(topicFilterProblem(filter, shared)).toBeTypeOf('string');
  });
}
function shared(filter: string, expected: { group: string; filter: string } | null): void {
  test(`parseSharedFilter(${JSON.stringify(filter)})`, () => expect(parseSharedFilter(filter)).toEqual(expected));
}

describe('matches', () => {
  match('sport/tennis/player1', 'sport/tennis/player1');
  noMatch('sport/tennis/player1', 'sport/tennis/player2');
  noMatch('sport/tennis', 'sport/tennis/player1');
  noMatch('sport/tennis/player1', 'sport/tennis');
  noMatch('Sport', 'sport'); //                         case-sensitive
  match('a b', 'a b'); //                               spaces are ordinary characters
  // '#': the parent level and any number below [§4.7.1.2]
  match('sport/#', 'sport');
  match('sport/#', 'sport/tennis');
  match('sport/#', 'sport/tennis/player1/ranking');
  match('sport/tennis/#', 'sport/tennis');
  match('sport/#', 'sport/');
  noMatch('sport/#', 'sports');
  noMatch('sport/tennis/#', 'sport');
  match('#', 'sport/tennis');
  match('#', '/');
  match('#', 'a');
  // '+': exactly one level, which may be empty [§4.7.1.3]
  match('sport/tennis/+', 'sport/tennis/player1');
  noMatch('sport/tennis/+', 'sport/tennis/player1/ranking');
  noMatch('sport/+', 'sport');
  match('sport/+', 'sport/');
  match('a/+/c', 'a//c');
  match('+/+', '/finance');
  match('/+', '/finance');
  noMatch('+', '/finance');
  match('+', 'a');
  match('+/#', 'a');
  match('+/+/+', '//');
  match('a/+/#', 'a/b');
  noMatch('a/+/#', 'a');
  // topics starting with '$' are not matched by a leading wildcard [MQTT-4.7.2-1]
  noMatch('#', '$SYS/monitor/Clients');
  noMatch('#', '$SYS');
  noMatch('+/monitor/Clients', '$SYS/monitor/Clients');
  noMatch('+', '$SYS');
  noMatch('+/#', '$SYS/x');
  match('$SYS/#', '$SYS/monitor/Clients');
  match('$SYS/#', '$SYS');
  match('$SYS/monitor/+', '$SYS/monitor/Clients');
  match('+/$x', 'a/$x'); //                             only the first character counts
  match('a/+', 'a/$SYS');
  match('a/#', 'a/$SYS/b');
});

describe('topic names', () => {
  validName('a');
  validName('/');
  validName('a//b');
  validName('$SYS/broker/uptime');
  validName(' ');
  validName('ü€😀');
  validName('\ufeffa');
  invalidName(''); //                                  [MQTT-4.7.3-1]
  invalidName('#');
  invalidName('a/+');
  invalidName('sport+');
  invalidName('a/#/b');
  invalidName('a\u0000b'); //                          [MQTT-4.7.3-2]
  invalidName('a'.repeat(65_536)); //                  longer than a UTF-8 string can be
  invalidName('€'.repeat(21_846)); //                  65,538 bytes in UTF-8
  validName('€'.repeat(21_845)); //                    65,535 bytes
});

describe('topic filters', () => {
  validFilter('#');
  validFilter('+');
  validFilter('a/#');
  validFilter('+/+');
  validFilter('/+');
  validFilter('a/+/b');
  validFilter('+/#');
  validFilter('a//b');
  validFilter('$SYS/#');
  invalidFilter(''); //                                [MQTT-4.7.3-1]
  invalidFilter('a/#/b'); //                           '#' must be last [MQTT-4.7.1-2]
  invalidFilter('#/a');
  invalidFilter('a#');
  invalidFilter('sport/tennis#');
  invalidFilter('##');
  invalidFilter('a+'); //                              '+' must fill its level [MQTT-4.7.1-3]
  invalidFilter('sport+');
  invalidFilter('a/b+/c');
  invalidFilter('+a');
  invalidFilter('++');
  invalidFilter('a\u0000'); //                         [MQTT-4.7.3-2]
  invalidFilter('a'.repeat(65_536));
});

describe('shared subscriptions', () => {
  validFilter('$share/g/a');
  validFilter('$share/g/#');
  validFilter('$share/g/+/b');
  validFilter('$share/group-1/a//b');
  validFilter('$share/g//a'); //                       the inner filter "/a"
  invalidFilter('$share//a'); //                       empty share name [MQTT-4.8.2-1]
  invalidFilter('$share/'); //                         empty share name
  invalidFilter('$share/g'); //                        no "/" and filter after the share name [MQTT-4.8.2-2]
  invalidFilter('$share/g/'); //                       an empty filter after it
  invalidFilter('$share/g+/a'); //                     share name with "+" [MQTT-4.8.2-2]
  invalidFilter('$share/#/a'); //                      share name with "#"
  invalidFilter('$share/g/a/#/b'); //                  the inner filter is checked too
  invalidFilter('$share/g/a+');
  validFilter('$share/g', false); //                   before 5.0 it is an ordinary filter
  validFilter('$share//a', false);
  validFilter('$SHARE/g', true); //                    the prefix is case-sensitive
  shared('$share/g/a/b', { group: 'g', filter: 'a/b' });
  shared('$share/g/#', { group: 'g', filter: '#' });
  shared('$share/consumer1/sport/tennis/+', { group: 'consumer1', filter: 'sport/tennis/+' });
  shared('$share/g//a', { group: 'g', filter: '/a' });
  shared('sport/tennis', null);
  shared('$SYS/a', null);
  shared('$SHARE/g/a', null);
  shared('$share/g', null);
});

describe('hasWildcard', () => {
  test.each([
    ['a/b', false],
    ['a/+', true],
    ['#', true],
    ['$share/g/a', false],
  ])('%s: %s', (filter, expected) => expect(hasWildcard(filter)).toBe(expected));
});
