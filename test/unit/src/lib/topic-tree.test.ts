import { describe, expect, it } from 'vitest';
import type { TopicStat } from '../../../../worker/api';
import { ancestorPaths, buildTree, filterTopics, isWildcardQuery, naturalCompare, visibleRows, type TopicNode } from '../../../../src/lib/topic-tree';

const enc = new TextEncoder();

function stat(topic: string, count = 1, extra: Partial<TopicStat> = {}): TopicStat {
  const last = enc.encode(`${topic}!`);
  return { topic, count, last, lastSize: last.length, lastQos: 0, lastAt: count * 1000, retained: false, ...extra };
}

/** The visible rows as indented names, with each node's total count. */
function outline(nodes: readonly TopicNode[], expanded: (n: TopicNode) => boolean = () => true): string[] {
  return visibleRows(nodes, expanded).map((n) => `${'  '.repeat(n.depth)}${n.name === '' ? '<empty>' : n.name} ${n.count}`);
}

describe('buildTree', () => {
  it('folds the flat list into one node per level, with counts of the node and below', () => {
    const tree = buildTree([stat('sensor/1/temperature', 3), stat('sensor/1/humidity', 1), stat('sensor/2/temperature', 2)]);
    expect(outline(tree.roots)).toEqual([
      'sensor 6',
      '  1 4',
      '    humidity 1',
      '    temperature 3',
      '  2 2',
      '    temperature 2',
    ]);
    const s1 = tree.byPath.get('sensor/1')!;
    expect(s1.stat).toBeUndefined();
    expect(s1.topics).toBe(2);
    expect(s1.lastAt).toBe(3000);
    expect(tree.byPath.get('sensor/1/temperature')!.stat!.count).toBe(3);
  });

  it('keeps a topic that has children as a topic of its own', () => {
    const tree = buildTree([stat('a', 2), stat('a/b', 5)]);
    const a = tree.byPath.get('a')!;
    expect(a.stat!.count).toBe(2);
    expect(a.count).toBe(7);
    expect(a.children.map((c) => c.path)).toEqual(['a/b']);
  });

  it('treats empty levels as levels, each with a path of its own', () => {
    const tree = buildTree([stat('/a'), stat('a//b'), stat('a/')]);
    expect(outline(tree.roots)).toEqual(['<empty> 1', '  a 1', 'a 2', '  <empty> 2', '    b 1']);
    expect(tree.byPath.get('a/')!.stat!.topic).toBe('a/');
    expect(tree.byPath.get('a//b')!.depth).toBe(2);
    expect(tree.byPath.get('')!.children[0]!.path).toBe('/a');
  });

  it('sorts levels naturally and numbers each node among its siblings', () => {
    const tree = buildTree(['s/10', 's/2', 's/1', 's/b', 's/B', 's/a'].map((t) => stat(t)));
    const s = tree.byPath.get('s')!;
    expect(s.children.map((c) => c.name)).toEqual(['1', '2', '10', 'B', 'a', 'b']);
    expect(s.children.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('marks the branches that hold a retained message', () => {
    const tree = buildTree([stat('home/door', 1, { retained: true }), stat('home/light'), stat('work/x')]);
    expect(tree.byPath.get('home')!.retainedBelow).toBe(true);
    expect(tree.byPath.get('work')!.retainedBelow).toBe(false);
  });

  it('builds ten thousand topics quickly', () => {
    const stats: TopicStat[] = [];
    for (let i = 0; i < 10_000; i++) stats.push(stat(`site/${i % 10}/sensor/${i}/temperature`));
    const t0 = performance.now();
    const tree = buildTree(stats);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(tree.byPath.get('site')!.count).toBe(10_000);
    expect(tree.byPath.get('site/3/sensor')!.children).toHaveLength(1000);
  });
});

describe('naturalCompare', () => {
  it.each([
    ['a2', 'a10', -1],
    ['a10', 'a2', 1],
    ['sensor', 'sensor1', -1],
    ['007', '7', 1],
    ['7', '007', -1],
    ['x', 'x', 0],
    ['', 'a', -1],
    ['a1b2', 'a1b10', -1],
  ])('%j vs %j', (a, b, sign) => {
    expect(Math.sign(naturalCompare(a, b))).toBe(sign);
  });
});

describe('visibleRows', () => {
  it('shows the children of expanded nodes only', () => {
    const tree = buildTree([stat('a/b/c'), stat('a/d'), stat('e')]);
    const open = new Set(['a']);
    expect(outline(tree.roots, (n) => open.has(n.path))).toEqual(['a 2', '  b 1', '  d 1', 'e 1']);
    expect(outline(tree.roots, () => false)).toEqual(['a 2', 'e 1']);
  });
});

describe('filterTopics', () => {
  const stats = ['sensor/1/temperature', 'sensor/2/temperature', 'sensor/1/humidity', 'Home/Kitchen', '$SYS/broker/uptime'].map((t) => stat(t));
  const topics = (q: string) => filterTopics(stats, q).map((s) => s.topic);

  it('keeps everything for an empty filter', () => {
    expect(topics('  ')).toHaveLength(5);
  });

  it('matches part of the name, ignoring case', () => {
    expect(topics('TEMP')).toEqual(['sensor/1/temperature', 'sensor/2/temperature']);
    expect(topics('kitchen')).toEqual(['Home/Kitchen']);
  });

  it('matches MQTT wildcards as a subscription would', () => {
    expect(topics('sensor/+/temperature')).toEqual(['sensor/1/temperature', 'sensor/2/temperature']);
    expect(topics('sensor/1/#')).toEqual(['sensor/1/temperature', 'sensor/1/humidity']);
    // a leading wildcard does not see $ topics [MQTT-4.7.2-1]
    expect(topics('#')).toHaveLength(4);
    expect(topics('$SYS/#')).toEqual(['$SYS/broker/uptime']);
  });

  it('takes an invalid filter as plain text', () => {
    expect(isWildcardQuery('a+b')).toBe(false);
    expect(topics('a+b')).toEqual([]);
  });

  it('gives the tree of what matched', () => {
    const tree = buildTree(filterTopics(stats, 'humid'));
    expect(outline(tree.roots)).toEqual(['sensor 1', '  1 1', '    humidity 1']);
  });
});

describe('ancestorPaths', () => {
  it('lists the paths above a node', () => {
    expect(ancestorPaths('a/b/c')).toEqual(['a', 'a/b']);
    expect(ancestorPaths('a')).toEqual([]);
    expect(ancestorPaths('/a')).toEqual(['']);
  });
});
