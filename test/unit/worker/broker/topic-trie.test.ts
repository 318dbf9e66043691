import { Session } from 'node:inspector';
import { describe, expect, it } from 'vitest';
import { TopicTrie } from '../../../../worker/broker/topic-trie';

/** The keys whose filters match `topic`, sorted. */
function keysMatching(trie: TopicTrie<string>, topic: string): string[] {
  const keys: string[] = [];
  trie.match(topic, (_v, k) => keys.push(k));
  return keys.sort();
}

function trieOf(...filters: string[]): TopicTrie<string> {
  const t = new TopicTrie<string>();
  for (const f of filters) t.set(f, f, f);
  return t;
}

/** One line per case (mosquitto match_helper): a trie holding only `filter` does or does not match `topic`. */
function matches(filter: string, topic: string, why = ''): void {
  it(`'${filter}' matches '${topic}'${why && ` ${why}`}`, () => {
    expect(keysMatching(trieOf(filter), topic)).toEqual([filter]);
  });
}

function noMatch(filter: string, topic: string, why = ''): void {
  it(`'${filter}' does not match '${topic}'${why && ` ${why}`}`, () => {
    expect(keysMatching(trieOf(filter), topic)).toEqual([]);
  });
}

/**
 * The trie's nodes, counted through the inspector: the nodes are private
 * (#root), and pruning is only visible as nodes that are gone.
 */
function nodeCount(trie: TopicTrie<unknown>): number {
  const session = new Session();
  session.connect();
  const g = globalThis as { __trie?: unknown; __trieRoot?: unknown };
  g.__trie = trie;
  try {
    // an in-thread inspector session answers synchronously
    let trieId: string | undefined;
    session.post('Runtime.evaluate', { expression: 'globalThis.__trie' }, (e, r) => {
      if (e) throw e;
      trieId = r.result.objectId;
    });
    let rootId: string | undefined;
    session.post('Runtime.getProperties', { objectId: trieId!, ownProperties: true }, (e, r) => {
      if (e) throw e;
      // privateProperties is in the protocol, not yet in @types/node 20
      const own = r as typeof r & { privateProperties?: { name: string; value?: { objectId?: string } }[] };
      rootId = own.privateProperties?.find((p) => p.name === '#root')?.value?.objectId;
    });
    if (!rootId) throw new Error('TopicTrie has no #root');
    session.post('Runtime.callFunctionOn', { objectId: rootId, functionDeclaration: 'function () { globalThis.__trieRoot = this; }' }, (e) => {
      if (e) throw e;
    });
    type N = { children: Map<string, N> | undefined };
    const count = (n: N): number => 1 + [...(n.children?.values() ?? [])].reduce((sum, c) => sum + count(c), 0);
    return count(g.__trieRoot as N);
  } finally {
    delete g.__trie;
    delete g.__trieRoot;
    session.disconnect();
  }
}

describe('TopicTrie.match: one filter, one topic', () => {
  // exact levels
  matches('foo/bar', 'foo/bar');
  matches('foo//bar', 'foo//bar', '(empty levels are levels)');
  matches('/foo', '/foo');
  noMatch('foo/bar', 'foo');
  noMatch('foo', 'foo/bar');
  noMatch('foo/bar', 'foo/bar/');
  noMatch('foo', 'foo/', "(a trailing '/' adds an empty level)");
  noMatch('foo/bar', 'Foo/Bar', '(case sensitive)');
  noMatch('/foo', 'foo');

  // '+' matches exactly one level (3.1.1 [MQTT-4.7.1-3], 5.0 [MQTT-4.7.1-2])
  matches('foo/+', 'foo/bar');
  matches('foo/+/baz', 'foo/bar/baz');
  matches('+', 'sport', '(single level topic)');
  matches('foo/+', 'foo/', '(an empty level)');
  matches('foo/+/bar', 'foo//bar');
  matches('foo/+/+/baz', 'foo///baz');
  matches('+/+', '/finance', '(spec example)');
  matches('/+', '/finance', '(spec example)');
  matches('+/+/+', 'a/b/c');
  noMatch('+', '/finance', '(spec example: two levels)');
  noMatch('sport/+', 'sport', '(spec example: + needs a level)');
  noMatch('foo/+', 'foo/bar/baz');
  noMatch('foo/+/baz', 'foo/bar/bar');
  noMatch('+/+', 'a');
  noMatch('sport/tennis/+', 'sport/tennisplayer/x');

  // '#' matches the parent and any number of levels below (3.1.1 [MQTT-4.7.1-2], 5.0 [MQTT-4.7.1-1])
  matches('#', 'foo/bar/baz');
  matches('#', '/foo/bar');
  matches('#', 'a');
  matches('/#', '/foo/bar');
  matches('foo/#', 'foo', '(the parent level)');
  matches('foo/#', 'foo/');
  matches('foo/#', 'foo/bar/baz');
  matches('sport/tennis/player1/#', 'sport/tennis/player1', '(spec example)');
  matches('sport/tennis/player1/#', 'sport/tennis/player1/ranking', '(spec example)');
  matches('sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', '(spec example)');
  matches('sport/#', 'sport', '(spec example)');
  matches('foo/+/#', 'foo/bar/baz');
  matches('foo/+/#', 'foo/bar', "(the '#' after '+' matches its parent)");
  matches('+/#', 'foo', "(the '#' after '+' matches its parent)");
  matches('A/B/+/#', 'A/B/B/C');
  noMatch('/#', 'foo/bar');
  noMatch('foo/#', 'fo');
  noMatch('foo/#', 'foobar');
  noMatch('foo/+/#', 'fo2/bar/baz');
  noMatch('test/6/#', 'test/3');
  noMatch('foo/bar/#', 'foo', "('#' matches one parent, not two)");

  // '$' topics are not matched by filters starting with a wildcard [MQTT-4.7.2-1]
  noMatch('#', '$SYS/bar', '[MQTT-4.7.2-1]');
  noMatch('#', '$SYS', '[MQTT-4.7.2-1]');
  noMatch('+', '$SYS', '[MQTT-4.7.2-1]');
  noMatch('+/bar', '$SYS/bar', '[MQTT-4.7.2-1]');
  noMatch('+/#', '$SYS/bar', '[MQTT-4.7.2-1]');
  noMatch('+/monitor/Clients', '$SYS/monitor/Clients', '(spec example) [MQTT-4.7.2-1]');
  matches('$SYS/#', '$SYS/bar');
  matches('$SYS/#', '$SYS', '(the parent level)');
  matches('$SYS/+', '$SYS/bar');
  matches('$SYS/monitor/+', '$SYS/monitor/Clients', '(spec example)');
  matches('$SYS/bar', '$SYS/bar');
  noMatch('$BOB/bar', '$SYS/bar');
  noMatch('$SYS/+', '$SYS');
  // a '$' further down is an ordinary character
  matches('+/$bar', 'foo/$bar');
  matches('foo/+', 'foo/$bar');
  matches('#', 'foo/$bar');
  matches('+', 'foo$', "(only a leading '$' is special)");
});

describe('TopicTrie.match: many filters', () => {
  it('visits every matching filter once, and no other', () => {
    const t = trieOf('sensor/+/temperature', 'sensor/#', '#', 'sensor/2/temperature', 'sensor/1/temperature', '+/+/+', '+/1/#', 'sensor/+', 'other/#');
    expect(keysMatching(t, 'sensor/1/temperature')).toEqual(['#', '+/+/+', '+/1/#', 'sensor/#', 'sensor/+/temperature', 'sensor/1/temperature'].sort());
    expect(keysMatching(t, 'sensor')).toEqual(['#', 'sensor/#']);
    expect(keysMatching(t, 'sensor/1')).toEqual(['#', '+/1/#', 'sensor/#', 'sensor/+']);
  });

  it('gives every key under a filter, with its value', () => {
    const t = new TopicTrie<number>();
    t.set('a/+', 'alice', 1);
    t.set('a/+', 'bob', 2);
    t.set('a/b', 'alice', 3);
    const seen: [string, number][] = [];
    t.match('a/b', (v, k) => seen.push([k, v]));
    expect(seen.sort()).toEqual([['alice', 1], ['alice', 3], ['bob', 2]]);
  });

  it("a '$' topic still reaches filters that name its first level [MQTT-4.7.2-1]", () => {
    const t = trieOf('#', '+/broker/uptime', '$SYS/#', '$SYS/broker/+', '$SYS/broker/uptime');
    expect(keysMatching(t, '$SYS/broker/uptime')).toEqual(['$SYS/#', '$SYS/broker/+', '$SYS/broker/uptime']);
    expect(keysMatching(t, 'SYS/broker/uptime')).toEqual(['#', '+/broker/uptime']);
  });

  it('an empty trie matches nothing', () => {
    expect(keysMatching(new TopicTrie<string>(), 'a/b')).toEqual([]);
  });

  it('matchAll gives the same (value, key) pairs as match', () => {
    const t = trieOf('a/+', 'a/#', '#', 'b');
    expect([...t.matchAll('a/x')].map(([v, k]) => `${k}=${v}`).sort()).toEqual(['#=#', 'a/#=a/#', 'a/+=a/+']);
  });

  it('a topic matched before follows every later set, replace and delete (the match cache is invalidated)', () => {
    const t = new TopicTrie<number>();
    const seen = () => [...t.matchAll('a/b')].map(([v, k]) => `${k}=${v}`).sort();
    expect(seen()).toEqual([]);
    t.set('a/+', 'alice', 1);
    expect(seen()).toEqual(['alice=1']);
    t.set('a/+', 'alice', 2); // replaced value
    expect(seen()).toEqual(['alice=2']);
    t.set('#', 'bob', 3);
    expect(seen()).toEqual(['alice=2', 'bob=3']);
    t.delete('a/+', 'alice');
    expect(seen()).toEqual(['bob=3']);
    t.delete('#', 'bob');
    expect(seen()).toEqual([]);
    t.set('x', 'carol', 4); // an unrelated filter: still nothing for a/b
    expect(seen()).toEqual([]);
  });

  it('stays correct across more distinct topics than the cache holds', () => {
    const t = trieOf('t/+');
    for (let i = 0; i < 10_050; i++) expect(t.matchAll(`t/${i}`)).toHaveLength(1);
    expect(keysMatching(t, 't/0')).toEqual(['t/+']);
    expect(keysMatching(t, 'u/0')).toEqual([]);
  });
});

describe('TopicTrie.set / get / delete', () => {
  it.each`
    steps                                              | size | filter     | key    | value
    ${[['set', 'a/b', 'k', '1']]}                      | ${1} | ${'a/b'}   | ${'k'} | ${'1'}
    ${[['set', 'a/b', 'k', '1'], ['set', 'a/b', 'k', '2']]} | ${1} | ${'a/b'} | ${'k'} | ${'2'}
    ${[['set', 'a/b', 'k', '1'], ['set', 'a/b', 'j', '2']]} | ${2} | ${'a/b'} | ${'k'} | ${'1'}
    ${[['set', 'a/b', 'k', '1'], ['set', 'a', 'k', '2']]}   | ${2} | ${'a'}   | ${'k'} | ${'2'}
    ${[['set', 'a/b', 'k', '1'], ['delete', 'a/b', 'k']]}   | ${0} | ${'a/b'} | ${'k'} | ${undefined}
    ${[['set', 'a/b', 'k', '1'], ['delete', 'a/b', 'j']]}   | ${1} | ${'a/b'} | ${'k'} | ${'1'}
    ${[['set', 'a/b', 'k', '1'], ['delete', 'a', 'k']]}     | ${1} | ${'a/b'} | ${'k'} | ${'1'}
    ${[['set', 'a/b', 'k', '1']]}                      | ${1} | ${'a'}     | ${'k'} | ${undefined}
    ${[['set', 'a/b', 'k', '1']]}                      | ${1} | ${'a/b/c'} | ${'k'} | ${undefined}
    ${[['set', '#', 'k', '1']]}                        | ${1} | ${'#'}     | ${'k'} | ${'1'}
    ${[['set', '+', 'k', '1']]}                        | ${1} | ${'a'}     | ${'k'} | ${undefined}
  `('$steps: size $size, get($filter, $key) is $value', ({ steps, size, filter, key, value }) => {
    const t = new TopicTrie<string>();
    for (const [op, f, k, v] of steps as string[][]) {
      if (op === 'set') t.set(f!, k!, v!);
      else t.delete(f!, k!);
    }
    expect(t.size).toBe(size);
    expect(t.get(filter, key)).toBe(value);
  });

  it('set says whether the entry is new', () => {
    const t = new TopicTrie<string>();
    expect(t.set('a/+', 'alice', '1')).toBe(true);
    expect(t.set('a/+', 'alice', '2')).toBe(false);
    expect(t.set('a/+', 'bob', '3')).toBe(true);
    expect(t.set('a', 'alice', '4')).toBe(true);
  });

  it('delete says whether the entry was there, and a deleted filter matches no more', () => {
    const t = trieOf('a/+', 'a/#');
    expect(t.delete('a/+', 'a/+')).toBe(true);
    expect(t.delete('a/+', 'a/+')).toBe(false);
    expect(t.delete('a/b', 'a/+')).toBe(false);
    expect(t.delete('nothing/here', 'x')).toBe(false);
    expect(keysMatching(t, 'a/b')).toEqual(['a/#']);
    expect(t.size).toBe(1);
  });

  it('entries lists every (filter, key, value)', () => {
    const t = new TopicTrie<number>();
    t.set('a/b', 'x', 1);
    t.set('a/b', 'y', 2);
    t.set('a', 'x', 3);
    t.set('#', 'z', 4);
    t.set('/c', 'z', 5);
    expect([...t.entries()].sort()).toEqual([['#', 'z', 4], ['/c', 'z', 5], ['a', 'x', 3], ['a/b', 'x', 1], ['a/b', 'y', 2]]);
  });
});

describe('TopicTrie pruning', () => {
  it('counts nodes through the inspector (the root alone when empty)', () => {
    const t = new TopicTrie<string>();
    expect(nodeCount(t)).toBe(1);
    t.set('a/b/c', 'k', 'v');
    expect(nodeCount(t)).toBe(4);
  });

  it('deleting the last entry of a branch removes the whole branch', () => {
    const t = trieOf('a/b/c/d');
    t.delete('a/b/c/d', 'a/b/c/d');
    expect(nodeCount(t)).toBe(1);
    expect(t.size).toBe(0);
    expect([...t.entries()]).toEqual([]);
  });

  it('stops at a level that still has a value', () => {
    const t = trieOf('a', 'a/b/c');
    t.delete('a/b/c', 'a/b/c');
    expect(nodeCount(t)).toBe(2); // root, a
    expect(keysMatching(t, 'a')).toEqual(['a']);
  });

  it('stops at a level that still has other children', () => {
    const t = trieOf('a/b/c', 'a/x');
    t.delete('a/b/c', 'a/b/c');
    expect(nodeCount(t)).toBe(3); // root, a, x
    expect(keysMatching(t, 'a/x')).toEqual(['a/x']);
  });

  it('keeps a node whose value went but which has children', () => {
    const t = trieOf('a', 'a/b');
    t.delete('a', 'a');
    expect(nodeCount(t)).toBe(3);
    expect(keysMatching(t, 'a')).toEqual([]);
    expect(keysMatching(t, 'a/b')).toEqual(['a/b']);
    t.delete('a/b', 'a/b');
    expect(nodeCount(t)).toBe(1);
  });

  it('keeps a node while another key remains under it', () => {
    const t = new TopicTrie<string>();
    t.set('a/b', 'alice', '1');
    t.set('a/b', 'bob', '2');
    t.delete('a/b', 'alice');
    expect(nodeCount(t)).toBe(3);
    expect(t.get('a/b', 'bob')).toBe('2');
    t.delete('a/b', 'bob');
    expect(nodeCount(t)).toBe(1);
  });

  it('a failed delete changes nothing', () => {
    const t = trieOf('a/b');
    t.delete('a/b', 'someone else');
    t.delete('a', 'a/b');
    expect(nodeCount(t)).toBe(3);
    expect(keysMatching(t, 'a/b')).toEqual(['a/b']);
  });

  it('a pruned branch can be set again and matches', () => {
    const t = trieOf('a/+/c');
    t.delete('a/+/c', 'a/+/c');
    t.set('a/+/c', 'k', 'v');
    expect(keysMatching(t, 'a/b/c')).toEqual(['k']);
    expect(nodeCount(t)).toBe(4);
  });

  it('subscribing and unsubscribing many filters leaves only the root', () => {
    const t = new TopicTrie<string>();
    const filters = ['a/b', 'a/+', 'a/#', '#', '+/+', 'x/y/z', 'x/y', '$SYS/#', '/', '//'];
    for (const f of filters) for (const k of ['p', 'q']) t.set(f, k, f);
    for (const f of filters.reverse()) for (const k of ['q', 'p']) expect(t.delete(f, k)).toBe(true);
    expect(t.size).toBe(0);
    expect(nodeCount(t)).toBe(1);
  });
});
