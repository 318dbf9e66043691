/**
 * The topic tree, like MQTT Explorer's: the flat list of topics the broker
 * routed to, folded into one node per level.
 *
 *   sensor/1/temperature  (3 messages)        sensor                 5
 *   sensor/2/temperature  (2 messages)   ->     1                    3
 *                                                 temperature        3
 *                                               2                    2
 *                                                 temperature        2
 *
 * A node is a topic of its own when a message was routed to exactly that
 * name (`stat`), and it may have children as well ('a' and 'a/b' both
 * published). Empty levels are levels too: '/a' has a root named '' and
 * 'a//b' an empty level between a and b. A node's `path` is the topic up to
 * and including its level, so it names the node uniquely; it is the key for
 * expansion and selection.
 *
 * Children sort naturally (sensor/2 before sensor/10). The page renders only
 * the rows of expanded nodes (`visibleRows`), so thousands of topics stay cheap.
 */
import type { TopicStat } from '../../worker/api';
import { isValidTopicFilter, matches } from '../../worker/protocol/topic';

export interface TopicNode {
  /** This level's name; '' for an empty level. */
  name: string;
  /** The topic up to and including this level. */
  path: string;
  /** 0 for a root. */
  depth: number;
  parent: TopicNode | undefined;
  /** Position among its siblings, from 0. */
  index: number;
  /** Sorted naturally by name. */
  children: TopicNode[];
  /** The topic's own figures, when messages were routed to exactly this name. */
  stat: TopicStat | undefined;
  /** Messages to this topic and to every topic below it. */
  count: number;
  /** Topics at or below this node that had messages. */
  topics: number;
  /** Virtual ms of the latest message at or below this node. */
  lastAt: number;
  /** Whether a retained message is kept at or below this node. */
  retainedBelow: boolean;
}

export interface TopicTree {
  roots: TopicNode[];
  /** Every node by path. */
  byPath: Map<string, TopicNode>;
}

function node(name: string, path: string, parent: TopicNode | undefined): TopicNode {
  return { name, path, depth: parent ? parent.depth + 1 : 0, parent, index: 0, children: [], stat: undefined, count: 0, topics: 0, lastAt: 0, retainedBelow: false };
}

/** Folds the flat list of topics into the tree. */
export function buildTree(stats: readonly TopicStat[]): TopicTree {
  const byPath = new Map<string, TopicNode>();
  const roots: TopicNode[] = [];
  for (const s of stats) {
    let parent: TopicNode | undefined;
    let start = 0;
    for (;;) {
      const slash = s.topic.indexOf('/', start);
      const end = slash < 0 ? s.topic.length : slash;
      const path = s.topic.slice(0, end);
      let n = byPath.get(path);
      if (!n) {
        n = node(s.topic.slice(start, end), path, parent);
        byPath.set(path, n);
        (parent ? parent.children : roots).push(n);
      }
      n.count += s.count;
      n.topics++;
      if (s.lastAt > n.lastAt) n.lastAt = s.lastAt;
      if (s.retained) n.retainedBelow = true;
      parent = n;
      if (slash < 0) break;
      start = slash + 1;
    }
    parent.stat = s;
  }
  sortLevel(roots);
  return { roots, byPath };
}

function sortLevel(list: TopicNode[]): void {
  list.sort((a, b) => naturalCompare(a.name, b.name));
  for (let i = 0; i < list.length; i++) {
    const n = list[i]!;
    n.index = i;
    if (n.children.length) sortLevel(n.children);
  }
}

/** Compares names with their runs of digits as numbers: 'sensor2' < 'sensor10'. */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      // compare without leading zeros: first by length, then digit by digit
      let si = i;
      let sj = j;
      while (si < ei - 1 && a.charCodeAt(si) === 48) si++;
      while (sj < ej - 1 && b.charCodeAt(sj) === 48) sj++;
      const la = ei - si;
      const lb = ej - sj;
      if (la !== lb) return la - lb;
      for (let k = 0; k < la; k++) {
        const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
        if (d) return d;
      }
      // equal numbers: fewer leading zeros first, so the order stays total
      if (ei - i !== ej - j) return ei - i - (ej - j);
      i = ei;
      j = ej;
    } else {
      if (ca !== cb) return ca - cb;
      i++;
      j++;
    }
  }
  return a.length - i - (b.length - j);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The topics that the learner's filter keeps. An MQTT topic filter
 * ('sensor/+/temperature', 'home/#') matches as a subscription would;
 * anything else is a case-insensitive part of the topic name.
 */
export function filterTopics(stats: readonly TopicStat[], query: string): readonly TopicStat[] {
  const q = query.trim();
  if (!q) return stats;
  if (isWildcardQuery(q)) return stats.filter((s) => matches(q, s.topic));
  const lower = q.toLowerCase();
  return stats.filter((s) => s.topic.toLowerCase().includes(lower));
}

/** Whether the filter box holds an MQTT topic filter with wildcards (and is valid as one). */
export function isWildcardQuery(q: string): boolean {
  return (q.includes('+') || q.includes('#')) && isValidTopicFilter(q, false);
}

/** The rows to draw, in order: every root, and the children of every expanded node. */
export function visibleRows(roots: readonly TopicNode[], isExpanded: (n: TopicNode) => boolean): TopicNode[] {
  const out: TopicNode[] = [];
  const walk = (list: readonly TopicNode[]) => {
    for (const n of list) {
      out.push(n);
      if (n.children.length && isExpanded(n)) walk(n.children);
    }
  };
  walk(roots);
  return out;
}

/** The paths of a node's ancestors, root first: to reveal a node, expand these. */
export function ancestorPaths(path: string): string[] {
  const out: string[] = [];
  let i = path.indexOf('/');
  while (i >= 0) {
    out.push(path.slice(0, i));
    i = path.indexOf('/', i + 1);
  }
  return out;
}
